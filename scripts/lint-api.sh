#!/bin/bash
# The API document's check in the code checks: Redocly CLI (recommended rules) and Spectral
# (spectral:oas) over lightpath/api/openapi.json, both pinned in tools/api-lint/package-lock.json
# (installed there when missing or the lock file changed). Any warning fails. The linters run
# without a network (a network namespace of their own where the machine allows it): a check
# never reaches outside the machine.
# Usage: scripts/lint-api.sh [DOCUMENT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
document=$(realpath "${1:-$root/lightpath/api/openapi.json}")
"$root/scripts/install-npm.sh" "$root/tools/api-lint"
cd "$root/tools/api-lint"
offline=()
if unshare --net true 2>/dev/null; then
  offline=(unshare --net)
elif unshare --net --map-root-user true 2>/dev/null; then
  offline=(unshare --net --map-root-user)
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
failed=0
redocly=$("${offline[@]}" node_modules/.bin/redocly lint "$document" --config redocly.yaml \
  --format=summary 2>&1) || failed=1
if grep -qE '^(warning|error) ' <<<"$redocly"; then failed=1; fi
if [ $failed = 1 ]; then echo "$redocly"; echo "redocly lint: not clean"; else echo "redocly lint: clean"; fi
if spectral=$("${offline[@]}" node_modules/.bin/spectral lint "$document" --ruleset .spectral.yaml \
  --fail-severity=warn 2>&1); then
  echo "spectral lint: clean"
else
  echo "$spectral"; echo "spectral lint: not clean"; failed=1
fi
exit $failed
