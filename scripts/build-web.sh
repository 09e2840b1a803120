#!/bin/bash
# Builds the web portal into web/dist from the npm packages pinned in web/package-lock.json
# (installed into web/node_modules when they are missing or the lock file changed).
set -euo pipefail
"$(dirname "$0")/install-npm.sh" "$(dirname "$0")/../web"
cd "$(dirname "$0")/../web"
node build.mjs
