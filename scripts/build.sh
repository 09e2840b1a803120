#!/bin/bash
# Configures and builds one build tree. Usage: scripts/build.sh DIR [cmake options...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
# ccache: paths under the repository are hashed as relative ones, so another clone of the same
# sources (CI's) reuses what this one compiled.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
mkdir -p "$dir"  # the configure log lives in the build tree, which git ignores
cmake -S . -B "$dir" -G Ninja "$@" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
cmake --build "$dir" -j "$(nproc)"
