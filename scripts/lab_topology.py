#!/usr/bin/python3
"""The lab network: the north-east of the demo network (CORONET CONUS with its data centers and
cloud on-ramps), every node east of 83.5 W and north of 36.5 N, with the fibers, SRLGs, ports and
transceivers among them. Prints the topology (Lightpath JSON) and, on the second file, one line
per node: its id and the dialect its lab device speaks (switches speak "switch"; ROADMs
alternate between "openconfig" and "openroadm" in id order, so every path meets both).

Usage: lab_topology.py DEMO.json TOPOLOGY_OUT.json NODES_OUT.txt
"""
import json
import sys

demo_path, topology_path, nodes_path = sys.argv[1:4]
with open(demo_path) as f:
    demo = json.load(f)
sites = {s["id"]: s for s in demo["sites"]}


def in_lab(site_id):
    s = sites[site_id]
    return s.get("lon", 0) > -83.5 and s.get("lat", 0) > 36.5


nodes = [n for n in demo["nodes"] if in_lab(n["site"])]
ids = {n["id"] for n in nodes}
fibers = [f for f in demo["fibers"] if f["a"] in ids and f["b"] in ids]
srlg_ids = {s for f in fibers for s in f.get("srlgs", [])}
lab = dict(demo)
lab["name"] = "Lightpath NETCONF lab (north-east of the demo network)"
lab["provenance"] = demo["provenance"] + " North-east subset for the NETCONF lab by scripts/lab_topology.py."
lab["sites"] = [s for s in demo["sites"] if s["id"] in {n["site"] for n in nodes}]
lab["nodes"] = nodes
lab["fibers"] = fibers
lab["srlgs"] = [s for s in demo["srlgs"] if s["id"] in srlg_ids]
lab["ports"] = [p for p in demo.get("ports", []) if p.get("node") in ids]
with open(topology_path, "w") as f:
    json.dump(lab, f, indent=1)
roadms = sorted(n["id"] for n in nodes if n.get("kind", "roadm") == "roadm")
with open(nodes_path, "w") as f:
    for n in sorted(nodes, key=lambda n: n["id"]):
        if n.get("kind") == "switch":
            dialect = "switch"
        else:
            dialect = ("openconfig", "openroadm")[roadms.index(n["id"]) % 2]
        f.write(f"{n['id']} {dialect}\n")
