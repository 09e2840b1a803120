#!/bin/bash
# Runs one fuzz target for a few seconds on seeds of its format from the shared data.
# Usage: run_fuzzer.sh FUZZER FORMAT SHARED_DATA_DIR PROJECT_DIR SECONDS
set -euo pipefail
fuzzer=$1 format=$2 data=$3/topologies project=$4 seconds=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seeds" "$work/corpus"
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$work/seeds/"; done; return 0; }
case $format in
  native-yaml) seed "$project"/data/demo/*.yaml ;;
  native-json) "$(dirname "$fuzzer")/../../apps/lightpath/lightpath" topology convert \
                 "$data/sndlib/abilene.txt" "$work/seeds/abilene.json" 2>/dev/null ||
               printf '{"lightpath_topology": 1, "sites": [{"id": "a"}]}' >"$work/seeds/min.json" ;;
  gml) seed "$data"/topologyzoo/*.gml ;;
  sndlib) seed "$data"/sndlib/*.txt ;;
  sndlib-xml) seed "$data"/sndlib/*.xml "$data"/abilene-tm/*20040301*.xml ;;
  node-link) seed "$data"/topologybench/*.json ;;
  gnpy) seed "$data"/coronet/*.json ;;
  net2plan) seed "$data"/coronet/*.n2p ;;
  edge-list) seed "$data"/optical-rl-gym/*.txt ;;
esac
# -rss_limit_mb guards against unbounded allocation; -timeout against hangs.
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work/corpus" "$work/seeds" 2>&1 | tail -25
