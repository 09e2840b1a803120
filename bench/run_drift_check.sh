#!/bin/bash
# The drift check against the size of the book. For each size, `bench load` writes that many
# active Ethernet connections (as bench/run_book_scale.sh does, on its scale network), then:
#   - `lightpath admin reconcile` compares every device with the services: wall time, CPU time
#     and peak resident memory of the whole process (its start included);
#   - `lightpath serve` orders through its API for SECONDS (one order every 20 ms), twice: with
#     the drift check off (once a day) and with it every 10 s, so that two sweeps or more run
#     while the orders are measured (order p50 / p99, and the peak resident memory of serve).
# Prints a Markdown table for docs/benchmarks.md.
# Usage: bench/run_drift_check.sh [BUILD_DIR] [SIZES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sizes=${2:-"10000 100000"}
seconds=${3:-30}
lp=$(realpath "$build/apps/lightpath/lightpath")
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
/usr/bin/python3 bench/make_scale_network.py data/demo/demo-network.yaml 8 "$tmp/network.yaml"
packet_gbps=25600

serve_config() {  # serve_config RECONCILE_SECONDS
  printf 'listen: 127.0.0.1:0\nlog_level: warn\nrate_limit: 100000000\ntopology: %s\npacket_gbps_per_fiber: %s\nreconcile_seconds: %s\n' \
    "$tmp/network.yaml" "$packet_gbps" "$1" >"$tmp/serve.yaml"
}

# serve on the book with the drift check every $1 seconds; prints "order p50 / p99 | peak heap MB"
orders_with_checks_every() {
  serve_config "$1"
  : >"$tmp/serve.out"  # not the last run's: the background shell may open it late
  "$lp" serve --config "$tmp/serve.yaml" --data "$data" >"$tmp/serve.out" 2>&1 &
  pid=$!
  until grep -q "API:" "$tmp/serve.out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.out" >&2; exit 1; }
    sleep 0.02
  done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
  /usr/bin/python3 - "$url" "$(cat "$data/operator.key")" "$seconds" <<'PY'
import http.client, json, random, sys, time, urllib.parse
url, key, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
def call(method, path, body=None):
    t0 = time.perf_counter()
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300 and r.status != 422:  # 422: the network cannot carry it, an answer too
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return (time.perf_counter() - t0) * 1000, json.loads(data) if data else None
try:
    call("POST", "/v1/tenants", {"id": "bench"})
except SystemExit:
    pass  # there already
ports = [p["id"] for p in call("GET", "/v1/ports?limit=1000")[1]["items"]]
random.seed(len(ports))
def ethernet():
    while True:
        a, z = random.sample(ports, 2)
        if a.rsplit("-p", 1)[0] != z.rsplit("-p", 1)[0]:
            return {"kind": "ethernet", "a_end": a, "z_end": z, "bandwidth_mbps": 50, "tenant": "bench"}
samples, end = [], time.monotonic() + seconds
while time.monotonic() < end:
    samples.append(call("POST", "/v1/connections", ethernet())[0])
    time.sleep(0.02)
s = sorted(samples)
print(f"{s[len(s) // 2]:.2f} / {s[min(len(s) - 1, int(len(s) * 0.99))]:.2f}", end="")
PY
  echo " | $(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

echo "| connections | admin reconcile: wall s / CPU s / peak MB | orders, no check: p50 / p99 ms | serve's peak MB | orders while checks run: p50 / p99 ms | serve's peak MB |"
echo "|---:|---|---|---:|---|---:|"
for n in $sizes; do
  data=$tmp/book$n
  "$lp" bench load --data "$data" --connections "$n" --mbps 50 --json \
    --topology "$tmp/network.yaml" --packet-gbps-per-fiber "$packet_gbps" >/dev/null 2>&1
  serve_config 86400
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$lp" admin reconcile --config "$tmp/serve.yaml" \
    --data "$data" >"$tmp/reconcile.out" 2>&1 ||
    { echo "admin reconcile on $n failed:" >&2; tail -5 "$tmp/reconcile.out" >&2; exit 1; }
  reconcile=$(awk '{printf "%.1f / %.1f / %.0f", $1, $2 + $3, $4 / 1024}' "$tmp/time")
  quiet=$(orders_with_checks_every 86400)
  busy=$(orders_with_checks_every 10)
  echo "| ${n} | ${reconcile} | ${quiet} | ${busy} |"
  rm -rf "$data"
done
