#!/bin/bash
# Fails when a library includes a library above it. The order is the one docs/ARCHITECTURE.md
# states on its "Layers (lowest first):" line; a library may include only libraries before it
# (tests and testing/ fakes are exempt: they may set up whatever they need).
set -euo pipefail
cd "$(dirname "$0")/.."
order=$( (grep -m1 '^Layers (lowest first):' docs/ARCHITECTURE.md || true) | sed 's/^Layers (lowest first)://; s/[`.,]/ /g')
[ -n "$order" ] || { echo "check-layering: no 'Layers (lowest first):' line in docs/ARCHITECTURE.md"; exit 1; }
declare -A rank
i=0
for lib in $order; do rank[$lib]=$i; i=$((i + 1)); done
failures=0
for dir in lightpath/*/; do
  lib=$(basename "$dir")
  if [ -z "${rank[$lib]+x}" ]; then
    echo "check-layering: lightpath/$lib is not in the layer order of docs/ARCHITECTURE.md"; failures=$((failures + 1)); continue
  fi
  while IFS=: read -r file line text; do
    used=$(sed -E 's|.*#include "lightpath/([a-z_]+)/.*|\1|' <<<"$text")
    [ "$used" = "$lib" ] && continue
    if [ -z "${rank[$used]+x}" ] || [ "${rank[$used]}" -ge "${rank[$lib]}" ]; then
      echo "$file:$line: $lib includes $used, which is not below it"; failures=$((failures + 1))
    fi
  done < <(find "$dir" \( -name '*.h' -o -name '*.cc' \) ! -name '*_test.cc' ! -path '*/testing/*' -print0 |
           xargs -0 grep -nE '^#include "lightpath/[a-z_]+/' || true)
done
if [ "$failures" -gt 0 ]; then
  echo "check-layering: $failures include(s) against the layer order"; exit 1
fi
echo "check-layering: every library includes only libraries below it"
