#!/usr/bin/env python3
"""The demo network with each site's client ports multiplied, for books beyond what the demo
network's 152 ports carry (4,096 VLANs each: about 300,000 Ethernet connections).

Usage: make_scale_network.py DEMO_NETWORK.yaml FACTOR OUT.yaml
"""
import sys

import yaml

source, factor, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(source) as f:
    network = yaml.safe_load(f)
ports = []
for site in dict.fromkeys(p["site"] for p in network["ports"]):
    own = [p for p in network["ports"] if p["site"] == site]
    for n in range(len(own) * factor):
        port = dict(own[n % len(own)])
        port["id"] = f"{site}-p{n + 1}"
        port["name"] = f"{port.get('speed_gbps', '')}G port {n + 1}"
        ports.append(port)
network["ports"] = ports
network["name"] = f"{network.get('name', 'network')}, {factor}x client ports"
with open(out, "w") as f:
    yaml.safe_dump(network, f, sort_keys=False)
