#!/bin/bash
# Runs one fuzz target for a few seconds on seeds of its format from the vendored test data.
# Usage: run_fuzzer.sh FUZZER FORMAT TEST_DATA_DIR PROJECT_DIR SECONDS
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
  api) # first byte: which key (0 operator, 1 tenant admin, 2 none); then "METHOD PATH\n" and the body
       n=0; while IFS= read -r line; do n=$((n + 1)); printf '%b' "$line" >"$work/seeds/request-$n"; done <<'SEEDS'
\x01POST /v1/connections\n{"kind":"ethernet","a_end":"dc-ashburn-p1","z_end":"dc-hillsboro-p1","bandwidth_mbps":1000}
\x01POST /v1/quotes\n{"kind":"wavelength","a_end":"dc-ashburn","z_end":"dc-hillsboro","bandwidth_mbps":200000,"protection":"1+1","max_latency_ms":40}
\x01GET /v1/connections?state=active&limit=5&offset=1\n
\x00GET /v1/events?after=0&limit=10\n
\x00POST /v1/api-keys\n{"tenant":"acme","role":"viewer","name":"x"}
\x00PATCH /v1/ports/dc-ashburn-p2\n{"tenant":"acme"}
\x81PATCH /v1/connections/conn_x\n{"bandwidth_mbps":2000,"tags":{"a":"b"}}
\x00GET /v1/topology\n
\x02GET /healthz\n
SEEDS
       ;;
esac
# -rss_limit_mb guards against unbounded allocation; -timeout against hangs.
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work/corpus" "$work/seeds" 2>&1 | tail -25
