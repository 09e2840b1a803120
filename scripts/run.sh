#!/bin/bash
# Installs what is missing, builds, and starts Lightpath's main job on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The server arrives with the API; until then the main job describes the demo network.
exec build/apps/lightpath/lightpath topology inspect "$@"
