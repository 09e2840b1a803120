#!/usr/bin/python3
"""Builds the Lightpath demo network from CORONET CONUS.

Input: CORONET CONUS converted to native JSON by
  lightpath topology convert CORONET_CONUS_Topology.json coronet.json
Output (stdout): native JSON with, added to the 75 cities and 99 fiber routes,
  - AI data-center campuses and cloud on-ramps at their real metros, each homed on its two
    nearest CORONET ROADMs by metro fibers (length = great circle x 1.5, marked estimated),
  - SRLGs: city entries (routes that leave a city within 30 degrees of each other share the
    entry duct), long-haul conduits (routes whose two ends are both within 120 km of each
    other's run side by side), and the Ashburn-Washington metro conduit,
  - client ports at every data-center and on-ramp site.
Then: lightpath topology convert demo.json demo-network.yaml
Standard library only.
"""
import json
import math
import sys

ROUTE_FACTOR_METRO = 1.5

# (id, name, metro, lat, lon, homes): campuses where AI/ML capacity is being built.
DATACENTERS = [
    ("dc-ashburn", "Ashburn Data Center Alley", "Washington DC", 39.04, -77.49, ["washington_dc", "baltimore"]),
    ("dc-abilene", "Abilene AI campus", "Abilene", 32.50, -99.77, ["abilene", "dallas"]),
    ("dc-fort-worth", "Fort Worth AI campus", "Dallas", 32.90, -97.30, ["dallas", "abilene"]),
    ("dc-goodyear", "Goodyear campus", "Phoenix", 33.43, -112.39, ["phoenix", "tucson"]),
    ("dc-elk-grove", "Elk Grove Village campus", "Chicago", 42.00, -87.97, ["chicago", "milwaukee"]),
    ("dc-mount-pleasant", "Mount Pleasant AI campus", "Milwaukee", 42.71, -87.92, ["milwaukee", "chicago"]),
    ("dc-douglas-county", "Douglas County campus", "Atlanta", 33.73, -84.75, ["atlanta", "birmingham"]),
    ("dc-hillsboro", "Hillsboro campus", "Portland", 45.54, -122.93, ["portland", "seattle"]),
    ("dc-santa-clara", "Santa Clara campus", "San Jose", 37.37, -121.96, ["san_jose", "oakland"]),
    ("dc-new-albany", "New Albany campus", "Columbus", 40.08, -82.79, ["columbus", "cincinnati"]),
    ("dc-council-bluffs", "Council Bluffs campus", "Omaha", 41.26, -95.86, ["omaha", "kansas_city"]),
    ("dc-memphis", "Memphis AI campus", "Memphis", 35.06, -90.03, ["memphis", "little_rock"]),
    ("dc-richland-parish", "Richland Parish AI campus", "Monroe", 32.42, -91.77, ["baton_rouge", "little_rock"]),
]

# (id, name, metro, lat, lon, provider, region, homes): where customers meet the clouds.
ONRAMPS = [
    ("aws-ashburn", "AWS Direct Connect Ashburn", "Washington DC", 39.02, -77.46, "aws", "us-east-1", ["washington_dc", "baltimore"]),
    ("aws-columbus", "AWS Direct Connect Columbus", "Columbus", 39.96, -83.00, "aws", "us-east-2", ["columbus", "cincinnati"]),
    ("aws-portland", "AWS Direct Connect Portland", "Portland", 45.52, -122.68, "aws", "us-west-2", ["portland", "seattle"]),
    ("aws-san-jose", "AWS Direct Connect San Jose", "San Jose", 37.33, -121.89, "aws", "us-west-1", ["san_jose", "oakland"]),
    ("azure-ashburn", "Azure ExpressRoute Washington DC", "Washington DC", 39.01, -77.45, "azure", "eastus", ["washington_dc", "richmond"]),
    ("azure-san-antonio", "Azure ExpressRoute San Antonio", "San Antonio", 29.42, -98.49, "azure", "southcentralus", ["san_antonio", "austin"]),
    ("azure-seattle", "Azure ExpressRoute Seattle", "Seattle", 47.61, -122.33, "azure", "westus2", ["seattle", "portland"]),
    ("azure-chicago", "Azure ExpressRoute Chicago", "Chicago", 41.85, -87.62, "azure", "centralus", ["chicago", "milwaukee"]),
    ("google-ashburn", "Google Cloud Interconnect Ashburn", "Washington DC", 39.03, -77.47, "google", "us-east4", ["washington_dc", "baltimore"]),
    ("google-omaha", "Google Cloud Interconnect Omaha", "Omaha", 41.26, -95.94, "google", "us-central1", ["omaha", "kansas_city"]),
    ("google-portland", "Google Cloud Interconnect Portland", "Portland", 45.52, -122.67, "google", "us-west1", ["portland", "seattle"]),
    ("google-dallas", "Google Cloud Interconnect Dallas", "Dallas", 32.80, -96.82, "google", "us-south1", ["dallas", "oklahoma_city"]),
]

ASHBURN_SITES = {"dc-ashburn", "aws-ashburn", "azure-ashburn", "google-ashburn"}


def great_circle_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def bearing(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360


def angle_between(x, y):
    d = abs(x - y) % 360
    return min(d, 360 - d)


def compass(deg):
    return ["north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"][int((deg + 22.5) // 45) % 8]


def main():
    net = json.load(open(sys.argv[1]))
    net["name"] = "Lightpath demo network (CORONET CONUS)"
    net["provenance"] = (
        "CORONET CONUS reference network (DARPA CORONET program): 75 cities and 99 fiber routes "
        "with real km, from the Telecom Infra Project GNPy examples (BSD-3-Clause). Data-center "
        "campuses, cloud on-ramps, metro fibers, SRLGs and ports added by data/demo/make_demo_network.py.")
    where = {}
    for site in net["sites"]:
        site["name"] = site["name"].replace("_", " ")
        site["metro"] = site["name"]
        where[site["id"]] = (site["lat"], site["lon"])
    for node in net["nodes"]:
        node["name"] = node["name"].replace("_", " ") + " ROADM"
        node["id"] = node["id"] + "-roadm"
    for fiber in net["fibers"]:
        fiber["a"] += "-roadm"
        fiber["b"] += "-roadm"
    city_of = {n["id"]: n["site"] for n in net["nodes"]}
    long_haul = list(net["fibers"])
    srlgs = []
    memberships = {}

    def join(fiber_id, srlg_id):
        memberships.setdefault(fiber_id, []).append(srlg_id)

    # City entries: routes leaving a city in nearly the same direction share its entry duct.
    for city, here in where.items():
        leaving = []
        for f in long_haul:
            if city_of[f["a"]] == city or city_of[f["b"]] == city:
                other = city_of[f["b"]] if city_of[f["a"]] == city else city_of[f["a"]]
                leaving.append((bearing(here, where[other]), f["id"]))
        if len(leaving) < 3:
            continue
        leaving.sort()
        groups = [[leaving[0]]]
        for b, fid in leaving[1:]:
            if angle_between(b, groups[-1][-1][0]) < 30:
                groups[-1].append((b, fid))
            else:
                groups.append([(b, fid)])
        if len(groups) > 1 and angle_between(groups[0][0][0], groups[-1][-1][0]) < 30:
            groups[0] = groups.pop() + groups[0]
        for group in groups:
            if len(group) < 2:
                continue
            mean = math.degrees(math.atan2(sum(math.sin(math.radians(b)) for b, _ in group),
                                           sum(math.cos(math.radians(b)) for b, _ in group))) % 360
            sid = f"entry-{city}-{compass(mean)}".replace("_", "-")
            name = next(s["name"] for s in net["sites"] if s["id"] == city)
            srlgs.append({"id": sid, "name": f"{name} {compass(mean)} city entry", "kind": "city_entry"})
            for _, fid in group:
                join(fid, sid)

    # Long-haul conduits: two routes whose ends are pairwise within 120 km run side by side.
    count = 0
    for i, f in enumerate(long_haul):
        for g in long_haul[i + 1:]:
            fa, fb = where[city_of[f["a"]]], where[city_of[f["b"]]]
            ga, gb = where[city_of[g["a"]]], where[city_of[g["b"]]]
            straight = min(max(great_circle_km(fa, ga), great_circle_km(fb, gb)),
                           max(great_circle_km(fa, gb), great_circle_km(fb, ga)))
            if straight < 120 and not {f["a"], f["b"]} & {g["a"], g["b"]}:
                count += 1
                sid = f"conduit-{count}"
                srlgs.append({"id": sid, "name": f"shared conduit {f['id']} / {g['id']}".replace("_", " "),
                              "kind": "conduit"})
                join(f["id"], sid)
                join(g["id"], sid)

    srlgs.append({"id": "conduit-ashburn-washington", "name": "Ashburn to Washington DC metro conduit",
                  "kind": "conduit"})

    # Data centers and on-ramps, dual-homed by metro fibers, with client ports.
    def add_site(sid, name, kind, metro, lat, lon, homes, provider=None, region=None):
        site = {"id": sid, "name": name, "kind": kind, "metro": metro, "lat": lat, "lon": lon}
        if provider:
            site["provider"] = provider
            site["region"] = region
        net["sites"].append(site)
        node_id = sid + ("-roadm" if kind == "datacenter" else "-switch")
        # Customer and cloud sites end paths; the carrier's network does not pass through them.
        net["nodes"].append({"id": node_id, "name": name + (" ROADM" if kind == "datacenter" else " switch"),
                             "site": sid, "kind": "roadm" if kind == "datacenter" else "switch",
                             "transit": False})
        for home in homes:
            km = max(1.0, great_circle_km((lat, lon), where[home]) * ROUTE_FACTOR_METRO)
            fid = f"{sid}--{home}".replace("_", "-")
            fiber = {"id": fid, "a": node_id, "b": home + "-roadm", "length_km": round(km, 1),
                     "length_source": "estimated"}
            if sid in ASHBURN_SITES and home == "washington_dc":
                join(fid, "conduit-ashburn-washington")
            net["fibers"].append(fiber)
        speeds = [400, 400, 400, 400, 800, 800, 100, 100] if kind == "datacenter" else [100, 100, 400, 400]
        for i, speed in enumerate(speeds, start=1):
            port = {"id": f"{sid}-p{i}", "name": f"{speed}G port {i}", "site": sid,
                    "node": node_id, "speed_gbps": speed}
            # MACsec on the data centers' 400G and 800G ports (their line cards encrypt); not on
            # the 100G ones, nor on the on-ramps' hosted connections.
            if kind == "datacenter" and speed >= 400:
                port["macsec"] = True
            net["ports"].append(port)

    for sid, name, metro, lat, lon, homes in DATACENTERS:
        add_site(sid, name, "datacenter", metro, lat, lon, homes)
    for sid, name, metro, lat, lon, provider, region, homes in ONRAMPS:
        add_site(sid, name, "cloud_onramp", metro, lat, lon, homes, provider, region)

    for fiber in net["fibers"]:
        if fiber["id"] in memberships:
            fiber["srlgs"] = memberships[fiber["id"]]
    net["srlgs"] = srlgs
    json.dump(net, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
