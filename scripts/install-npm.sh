#!/bin/bash
# Installs the npm packages pinned in each DIR's package-lock.json into DIR/node_modules, when
# they are missing or the lock file changed (npm ci: exactly what the lock file says).
# Usage: scripts/install-npm.sh DIR...
set -euo pipefail
for dir in "$@"; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
