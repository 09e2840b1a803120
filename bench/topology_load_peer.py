#!/usr/bin/python3
"""The peer for topology_load_bench: NetworkX parsing the same files (median of N runs, ms).

Usage: topology_load_peer.py SHARED_DATA_DIR [RUNS]
"""
import json
import statistics
import sys
import time

import networkx


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)


def main():
    data = sys.argv[1] + "/topologies/"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    # Like the C++ side, parse text already in memory.
    def text(relative):
        return open(data + relative, encoding="utf-8").read()

    europe = text("topohub/europe.gml")
    north_america = text("topohub/north_america.gml")
    uscarrier = text("topologyzoo/UsCarrier.gml")
    conus75 = text("topologybench/conus75_undirected.json")
    cases = {
        "topohub_europe_gml": lambda: networkx.parse_gml(europe, label="id"),
        "topohub_north_america_gml": lambda: networkx.parse_gml(north_america, label="id"),
        "zoo_uscarrier_gml": lambda: networkx.parse_gml(uscarrier, label="id"),
        "conus75_node_link_json": lambda: networkx.node_link_graph(json.loads(conus75)),
    }
    print(json.dumps({name: timed(fn, runs) for name, fn in cases.items()}))


if __name__ == "__main__":
    main()
