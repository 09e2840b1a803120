#!/bin/bash
# Path computation side by side: Lightpath, the Boost Graph Library and NetworkX on the same
# 1,000 seeded pairs per network (NetworkX's slow algorithms on the first SLOW_PAIRS of them).
# Checks that all agree on the lengths and prints a Markdown table for docs/benchmarks.md.
# Usage: bench/run_path_compare.sh [BUILD_DIR] [SLOW_PAIRS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
slow=${2:-200}
data=../shared/data/topologies
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
networks=(
  "CONUS 75 (TopologyBench)|$data/topologybench/conus75_undirected.json"
  "TopoHub North America|$data/topohub/north_america.gml"
  "TopoHub Europe|$data/topohub/europe.gml"
)
for entry in "${networks[@]}"; do
  name=${entry%%|*}
  file=${entry#*|}
  key=$(echo "$name" | tr -c 'a-zA-Z0-9' '_')
  "$build/bench/path_compare" "$file" 1000 20261126 "$work/$key.peer.json" >"$work/$key.lightpath.json"
  /usr/bin/python3 bench/path_compare_networkx.py "$work/$key.peer.json" "$slow" >"$work/$key.networkx.json"
  echo "$name|$key" >>"$work/index"
done
/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
rows = [line.strip().split("|") for line in open(f"{work}/index")]
def cell(stats):
    return f"{stats['median_us']:.2f} / {stats['p99_us']:.2f}"
print("| network | query | Lightpath median / p99 (us) | BGL median / p99 (us) | NetworkX median / p99 (us) | vs BGL | vs NetworkX |")
print("|---|---|---:|---:|---:|---:|---:|")
for name, key in rows:
    ours = json.load(open(f"{work}/{key}.lightpath.json"))
    peer = json.load(open(f"{work}/{key}.networkx.json"))
    label = f"{name} ({ours['nodes']} nodes, {ours['fibers']} fibers)"
    lp = ours["lightpath"]
    bgl = ours["bgl"]
    assert bgl["length_mismatches"] == 0, "BGL disagrees on a length"
    for query, nx_key in (("shortest path", "shortest"), ("5 shortest paths", "k5_shortest"),
                          ("fiber-disjoint pair", "fiber_disjoint_pair"), ("SRLG-disjoint pair", None)):
        mine = lp[{"shortest path": "shortest", "5 shortest paths": "k5_shortest",
                   "fiber-disjoint pair": "fiber_disjoint_pair", "SRLG-disjoint pair": "srlg_disjoint_pair"}[query]]
        b = bgl["shortest_early_exit"] if query == "shortest path" else None
        b_full = bgl["shortest_full"] if query == "shortest path" else None
        n = peer.get(nx_key) if nx_key else None
        if n:
            assert n["disagree"] == 0, f"NetworkX disagrees on {query} for {name}"
        bgl_cell = f"{cell(b_full)} full, {cell(b)} early exit" if b else ""
        vs_bgl = f"{min(b['median_us'], b_full['median_us']) / mine['median_us']:.1f}x" if b else ""
        vs_nx = f"{n['median_us'] / mine['median_us']:.0f}x" if n else ""
        print(f"| {label} | {query} | {cell(mine)} | {bgl_cell} | {cell(n) if n else ''} | {vs_bgl} | {vs_nx} |")
        label = ""
PY
