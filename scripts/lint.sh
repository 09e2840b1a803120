#!/bin/bash
# The code checks of the test command: format (clang-format, .clang-format), size (no library
# source over 600 lines), layering (scripts/check-layering.sh), clang-tidy (.clang-tidy) over
# every library and app source, and the API document's linters (scripts/lint-api.sh).
# Usage: scripts/lint.sh BUILD_DIR   (a configured build tree: its compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
failed=0

echo "-- format"
unformatted=$(git ls-files '*.cc' '*.h' | xargs clang-format-14 --dry-run 2>&1 | grep -oE '^[^:]+\.(cc|h)' | sort -u || true)
if [ -n "$unformatted" ]; then
  echo "not formatted (run clang-format-14 -i on them):"; echo "$unformatted"; failed=1
else
  echo "every source file is formatted"
fi

echo "-- size"
# One unit per file: a library source over 600 lines has grown more than one concern.
oversized=$(git ls-files 'lightpath/*.cc' 'lightpath/*.h' | xargs wc -l | awk '$2 != "total" && $1 > 600 {print $2 " (" $1 " lines)"}')
if [ -n "$oversized" ]; then
  echo "over 600 lines (split by concern, docs/CONTRIBUTING.md):"; echo "$oversized"; failed=1
else
  echo "no library source over 600 lines"
fi

echo "-- layering"
scripts/check-layering.sh || failed=1

echo "-- clang-tidy"
# Library and app sources; tests are left to the compiler's warnings.
mapfile -t sources < <(git ls-files 'lightpath/*.cc' 'apps/*.cc' | grep -v '_test\.cc$')
# GCC-only flags of the build (-Wno-restrict) are unknown to clang: not a finding.
if ! run-clang-tidy-14 -p "$build" -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option \
    "${sources[@]/#/$PWD/}" >"$build/clang-tidy.log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$build/clang-tidy.log" | grep -E '(warning|error):' | sort -u | head -50
  echo "clang-tidy found the above (full log: $build/clang-tidy.log)"; failed=1
else
  echo "clang-tidy: clean over ${#sources[@]} files"
fi

echo "-- API document"
scripts/lint-api.sh || failed=1
exit $failed
