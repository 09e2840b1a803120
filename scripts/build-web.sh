#!/bin/bash
# Builds the web portal into web/dist from the npm packages pinned in web/package-lock.json
# (installed into web/node_modules when they are missing or the lock file changed).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs
