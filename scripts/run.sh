#!/bin/bash
# Installs what is missing, builds, and starts Lightpath's main job on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build-web.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The demo network, SQLite under ./lightpath-data, simulated devices; extra flags go to serve.
exec build/apps/lightpath/lightpath serve "$@"
