#!/bin/bash
# Order -> active (accepted to active, by the connection's history) on the NETCONF lab (scripts/lab.sh): a protected 400G wavelength over 6+ hops
# (dc-ashburn -> buffalo, both legs on OpenConfig- and OpenROADM-style devices) and Ethernet
# (dc-ashburn -> dc-new-albany), one at a time and 20 in flight; then where a change's time goes
# on one device (netconf_session_bench). Figures for docs/benchmarks.md; nothing here asserts.
# Usage: bench/run_netconf_lab_bench.sh [BUILD_DIR] [ORDERS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-release}
orders=${2:-200}
lp=$build/apps/lightpath/lightpath
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; "$root/scripts/lab.sh" down "$tmp/lab"; rm -rf "$tmp"' EXIT
LIGHTPATH=$lp "$root/scripts/lab.sh" up "$tmp/lab" 23400 >/dev/null
# The client polls each connection every 5 ms: lift the per-key rate limit for it.
printf 'rate_limit: 100000\nrate_limit_tenant: 100000\n' >>"$tmp/lab/lightpath.yaml"
"$lp" serve --config "$tmp/lab/lightpath.yaml" --listen 127.0.0.1:0 --log-level error >"$tmp/serve.out" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
/usr/bin/python3 - "$url" "$(cat "$tmp/lab/data/operator.key")" "$orders" <<'PY'
import concurrent.futures, datetime, json, sys, time, urllib.error, urllib.request
url, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
poll = 0.005  # s between looks at a connection: 20 ms with 20 in flight, to leave the CPU to it

def server_ms(c):
    """Order accepted -> active, from the connection's own history (the service's clock)."""
    at = {h["to"]: datetime.datetime.fromisoformat(h["at"].replace("Z", "+00:00"))
          for h in c["history"]}
    if "active" not in at:
        return None
    return (at["active"] - at["draft"]).total_seconds() * 1000

def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "Bearer " + key,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")

def until(cid, states):
    while True:
        c = call("GET", f"/v1/connections/{cid}")
        if c["state"] in states:
            return c
        time.sleep(poll)

def order(body):
    t0 = time.perf_counter()
    try:
        c = call("POST", "/v1/connections", body)
    except urllib.error.HTTPError as e:
        return (time.perf_counter() - t0) * 1000, {"id": None, "state": f"refused {e.code}"}
    c = until(c["id"], ("active", "failed"))
    return server_ms(c) or (time.perf_counter() - t0) * 1000, c

def cycle(body):
    ms, c = order(body)
    if not c["id"]:
        return ms, c["state"]
    call("DELETE", f"/v1/connections/{c['id']}")
    until(c["id"], ("terminated", "failed"))
    return ms, c["state"]

def show(name, samples, states):
    s = sorted(x for x, state in zip(samples, states) if state == "active")
    ok = len(s)
    print(f"{name:<44} p50 {s[len(s)//2]:7.1f} ms  p99 {s[min(len(s)-1, len(s)*99//100)]:7.1f} ms"
          f"  ({ok}/{len(states)} active)")

call("POST", "/v1/tenants", {"id": "bench", "name": "Bench"})
wave = {"tenant": "bench", "kind": "wavelength", "a_end": "dc-ashburn", "z_end": "buffalo",
        "bandwidth_mbps": 400000, "protection": "1+1", "sla": "gold"}
eth = lambda p, q: {"tenant": "bench", "kind": "ethernet", "a_end": f"dc-ashburn-p{p}",
                    "z_end": f"dc-new-albany-p{q}", "bandwidth_mbps": 100, "sla": "gold"}
cycle(wave)  # sessions open
first = order(wave)[1]
print(f"wavelength path: {len(first['current']['fibers'])} + "
      f"{len(first['current']['protection_fibers'])} hops, "
      f"{len(first['current']['nodes']) + len(first['current']['protection_nodes'])} devices")
call("DELETE", f"/v1/connections/{first['id']}")
until(first["id"], ("terminated",))
r = [cycle(wave) for _ in range(n)]
show("protected 400G wavelength, one at a time", [x[0] for x in r], [x[1] for x in r])
r = [cycle(eth(1, 1)) for _ in range(n)]
show("Ethernet 100 Mb/s, one at a time", [x[0] for x in r], [x[1] for x in r])
poll = 0.02
with concurrent.futures.ThreadPoolExecutor(20) as pool:
    r = list(pool.map(lambda i: cycle(eth(1 + i % 8, 1 + (i // 8) % 8)), range(n)))
show("Ethernet 100 Mb/s, 20 in flight", [x[0] for x in r], [x[1] for x in r])
with concurrent.futures.ThreadPoolExecutor(20) as pool:
    r = list(pool.map(lambda i: cycle(wave), range(n)))
show("protected 400G wavelength, 20 in flight", [x[0] for x in r], [x[1] for x in r])
PY
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
echo
"$build/bench/netconf_session_bench" "$tmp/lab/devices.json" buffalo-roadm "$orders"
"$build/bench/netconf_session_bench" "$tmp/lab/devices.json" syracuse-roadm "$orders"
