#!/usr/bin/python3
"""The NetworkX peer of path_compare: the same graph and pairs, timed per query, with the
answers checked against Lightpath's.

Usage: path_compare_networkx.py PEER.json [SLOW_PAIRS]
  PEER.json   written by path_compare (edges, pairs, Lightpath's lengths)
  SLOW_PAIRS  how many pairs for the slow algorithms (5 shortest, disjoint pair); default 200
Prints JSON: per algorithm median_us, p99_us, and the number of answers that disagree.
"""
import itertools
import json
import statistics
import sys
import time

import networkx


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    peer = json.load(open(sys.argv[1]))
    slow = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    graph = networkx.Graph()
    graph.add_nodes_from(range(peer["nodes"]))
    for a, b, km in peer["edges"]:
        graph.add_edge(a, b, weight=km)
    pairs = peer["pairs"]

    # The disjoint pair as a min-cost flow of two units; costs in metres (network simplex wants
    # integers), each fiber an arc of capacity 1 each way.
    flow_graph = networkx.DiGraph()
    for a, b, km in peer["edges"]:
        for u, v in ((a, b), (b, a)):
            flow_graph.add_edge(u, v, capacity=1, weight=round(km * 1000))

    def shortest(a, z):
        path = networkx.shortest_path(graph, a, z, weight="weight")
        return networkx.path_weight(graph, path, "weight")

    def five_shortest(a, z):
        paths = list(itertools.islice(networkx.shortest_simple_paths(graph, a, z, weight="weight"), 5))
        return networkx.path_weight(graph, paths[-1], "weight")

    def disjoint_pair(a, z):
        flow_graph.nodes[a]["demand"] = -2
        flow_graph.nodes[z]["demand"] = 2
        try:
            cost = networkx.min_cost_flow_cost(flow_graph)
            return cost / 1000.0
        except networkx.NetworkXUnfeasible:
            return -1
        finally:
            del flow_graph.nodes[a]["demand"]
            del flow_graph.nodes[z]["demand"]

    result = {}
    for name, fn, count, expected, tolerance in (
        ("shortest", shortest, len(pairs), peer["km"], 1e-6),
        ("k5_shortest", five_shortest, slow, peer["k5_last_km"], 1e-6),
        ("fiber_disjoint_pair", disjoint_pair, slow, peer["pair_total_km"], 1e-2),
    ):
        samples, disagree = [], 0
        for i, (a, z) in enumerate(pairs[:count]):
            start = time.perf_counter()
            answer = fn(a, z)
            samples.append((time.perf_counter() - start) * 1e6)
            if abs(answer - expected[i]) > tolerance * max(1.0, abs(expected[i])):
                disagree += 1
        result[name] = {"median_us": statistics.median(samples), "p99_us": percentile(samples, 0.99),
                        "queries": count, "disagree": disagree}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
