#!/bin/bash
# Runs the topology-load benchmark and its NetworkX peer in one go and prints a Markdown
# table for docs/benchmarks.md. Usage: bench/run_topology_load.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
data=$(cd ../shared/data 2>/dev/null && pwd || echo ../shared/data)
"$build/bench/topology_load_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json >/tmp/lightpath_load.json
/usr/bin/python3 bench/topology_load_peer.py "$data" 20 >/tmp/networkx_load.json
/usr/bin/python3 - <<'PY'
import json
ours = {}
for b in json.load(open("/tmp/lightpath_load.json"))["benchmarks"]:
    if b.get("aggregate_name") == "median":
        ours[b["run_name"].replace("loadFile/", "")] = b["real_time"]
peer = json.load(open("/tmp/networkx_load.json"))
print("| network file | Lightpath median (ms) | NetworkX median (ms) | ratio |")
print("|---|---:|---:|---:|")
for name, ms in ours.items():
    p = peer.get(name)
    ratio = f"{p / ms:.1f}x" if p else ""
    print(f"| {name} | {ms:.3f} | {f'{p:.2f}' if p else 'n/a'} | {ratio} |")
PY
