#!/bin/bash
# Installs what is missing, builds, and runs every test: the release build, the code checks
# (format, layering, clang-tidy), the same tests under AddressSanitizer +
# UndefinedBehaviorSanitizer, and a short libFuzzer run per reader.
# Set LIGHTPATH_FUZZ_SECONDS to fuzz longer (default 10 s per target).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

echo "== npm packages (the portal, the API document's linters, the generated client's test)"
scripts/install-npm.sh web tools/api-lint test/sdk
scripts/build-web.sh

echo "== release build"
scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release
(cd build-release && ctest -j "$jobs" --output-on-failure)

echo "== code checks"
scripts/lint.sh build-release

echo "== sanitizer build (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DLIGHTPATH_SANITIZE=ON -DLIGHTPATH_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j "$jobs" --output-on-failure)

echo "== fuzz build (clang-14, libFuzzer)"
scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIGHTPATH_FUZZ=ON \
  -DLIGHTPATH_TESTS=OFF -DLIGHTPATH_BENCH=OFF \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
(cd build-fuzz && ctest -j "$jobs" --output-on-failure)
