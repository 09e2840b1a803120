"""Several Lightpath instances on one store, raced for scarce capacity.

  cluster_race.py race SET KEY URL...  orders more than fits from many threads, spread over the
                                       instances; checks every answer; prints a JSON summary.
                                       SET a or b: which ports and data centers (two races on one
                                       store do not meet)
  cluster_race.py burst KEY URL N      N small orders at once; prints each acknowledged id
  cluster_race.py receive PORT FILE    a webhook receiver: appends each delivery's event id to FILE
  cluster_race.py holds                reads `owner<TAB>body` lines of the holds table (stdin) and
                                       checks, apart from Lightpath, that no spectrum slot or VLAN
                                       is held twice at once

Exit status 0 when everything checked holds. Loopback only; the standard library only.
"""

import collections
import concurrent.futures
import http.client
import json
import random
import sys
import threading
import urllib.parse

_local = threading.local()


def request(url, key, method, path, body=None):
    """One API call on a kept connection per thread and instance; (status, json)."""
    parsed = urllib.parse.urlparse(url)
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    for attempt in range(2):
        conn = conns.get(url)
        if conn is None:
            conn = conns[url] = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Authorization": "Bearer " + key,
                                  "Content-Type": "application/json"})
            reply = conn.getresponse()
            data = reply.read()
            return reply.status, json.loads(data) if data else {}
        except (http.client.HTTPException, OSError):
            conn.close()
            conns.pop(url, None)
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


SETS = {"a": ("dc-ashburn", "dc-new-albany"), "b": ("dc-abilene", "dc-fort-worth")}


def race(which, key, urls):
    problems = []
    orders = []
    a, z = SETS[which]
    # 20 VLANs on one pair of ports, 30 orders for each: exactly 20 can be had.
    for vlan in range(200, 220):
        for _ in range(30):
            orders.append(("vlan", {"tenant": "acme", "kind": "ethernet", "a_end": a + "-p2",
                                    "z_end": z + "-p2", "bandwidth_mbps": 100, "vlan": vlan}))
    # 400G wavelengths between two data centers: far more than the fibers out of them carry.
    for _ in range(600):
        orders.append(("spectrum", {"tenant": "acme", "kind": "wavelength", "a_end": a,
                                    "z_end": z, "bandwidth_mbps": 400000}))
    random.Random(7).shuffle(orders)

    def place(i):
        kind, body = orders[i]
        url = urls[i % len(urls)]
        return kind, body, url, request(url, key, "POST", "/v1/connections", body)

    created = collections.defaultdict(list)
    refused = collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
        for kind, body, url, (status, reply) in pool.map(place, range(len(orders))):
            if status == 201:
                created[kind].append((reply["id"], body.get("vlan")))
                continue
            refused[kind] += 1
            detail = reply.get("detail", "")
            if status != 422:
                problems.append(f"{kind} order at {url}: {status} {reply}")
            elif kind == "vlan" and f"vlan: {body['vlan']} is in use" not in detail:
                problems.append(f"vlan refusal does not name the VLAN: {detail}")
            elif kind == "spectrum" and not ("free on every fiber" in detail
                                             or detail.startswith("spectrum #")):
                problems.append(f"wavelength refusal does not say the spectrum ran out: {detail}")
    vlans = collections.Counter(vlan for _, vlan in created["vlan"])
    if sorted(vlans) != list(range(200, 220)) or any(n != 1 for n in vlans.values()):
        problems.append(f"each VLAN once expected, got {dict(vlans)}")
    if not created["spectrum"] or refused["spectrum"] == 0:
        problems.append(f"wavelengths: {len(created['spectrum'])} created, "
                        f"{refused['spectrum']} refused: not a race for scarce spectrum")
    # Every acknowledged order exists, whichever instance is asked.
    for n, (cid, _) in enumerate(created["vlan"] + created["spectrum"]):
        status, reply = request(urls[(n + 1) % len(urls)], key, "GET", f"/v1/connections/{cid}")
        if status != 200 or reply.get("id") != cid:
            problems.append(f"{cid} was acknowledged but is not there: {status}")
    print(json.dumps({"urls": len(urls), "orders": len(orders),
                      "created": {k: len(v) for k, v in created.items()},
                      "refused": dict(refused), "problems": problems[:20]}))
    return not problems


def burst(key, url, n):
    """N orders at once on one instance (its workflows are left to run); acknowledged ids."""
    def place(i):
        body = {"tenant": "acme", "kind": "ethernet", "a_end": f"dc-ashburn-p{3 + i % 4}",
                "z_end": f"dc-new-albany-p{3 + i % 4}", "bandwidth_mbps": 50}
        try:
            return request(url, key, "POST", "/v1/connections", body)
        except (http.client.HTTPException, OSError):
            return 0, {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        for status, reply in pool.map(place, range(n)):
            if status == 201:
                print(reply["id"], flush=True)
    return True


def receive(port, path):
    """Appends the Lightpath-Event-Id of every POST to `path`; answers 204."""
    import http.server

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with open(path, "a") as out:
                out.write(self.headers.get("Lightpath-Event-Id", "?") + "\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()


def holds():
    """No discrete unit (spectrum slot, VLAN) held by two holds over overlapping windows."""
    by_resource = collections.defaultdict(list)
    rows = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        owner, body = line.rstrip("\n").split("\t", 1)
        hold = json.loads(body)
        rows += 1
        for claim in hold["claims"]:
            if claim["kind"] in ("spectrum", "vlan"):
                by_resource[(claim["kind"], claim["index"])].append(
                    (claim["first"], claim["first"] + claim["count"], hold["start_us"],
                     hold["end_us"], owner))
    twice = []
    for resource, uses in by_resource.items():
        uses.sort()
        for i, a in enumerate(uses):
            for b in uses[i + 1:]:
                if b[0] >= a[1]:
                    break
                if a[4] != b[4] and a[2] < b[3] and b[2] < a[3]:
                    twice.append(f"{resource}: units {a[0]}-{a[1]} of {a[4]} and {b[0]}-{b[1]} "
                                 f"of {b[4]}")
    kinds = sorted({k for k, _ in by_resource})
    print(json.dumps({"holds": rows, "resources": len(by_resource), "kinds": kinds,
                      "held_twice": twice[:20]}))
    return rows > 0 and not twice


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "race":
        sys.exit(0 if race(sys.argv[2], sys.argv[3], sys.argv[4:]) else 1)
    if len(sys.argv) == 5 and sys.argv[1] == "burst":
        sys.exit(0 if burst(sys.argv[2], sys.argv[3], int(sys.argv[4])) else 1)
    if len(sys.argv) == 4 and sys.argv[1] == "receive":
        receive(int(sys.argv[2]), sys.argv[3])
    if len(sys.argv) == 2 and sys.argv[1] == "holds":
        sys.exit(0 if holds() else 1)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
