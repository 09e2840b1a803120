#!/bin/bash
# Costs against the size of the book: for each size, `bench load` writes that many active
# Ethernet connections (50 Mb/s between random client ports), then
# `lightpath serve` starts on it and is measured through its API on loopback: start-up (launch
# to the API answering), resident memory once ready, a page of the connection list (first page,
# a page by cursor deep in the book, a page filtered by state, one by an end), an Ethernet quote
# and a durable order
# (sequential requests on one kept-alive connection; medians and 99th percentiles). Size 0 is
# the empty store the others are compared with (measure it first: memory per connection is
# counted beyond its resident set). The network: the demo network with 8x its client ports
# (bench/make_scale_network.py; the demo's own 152 ports hold some 300,000 connections' VLANs)
# and 25.6 Tb/s of packet capacity per fiber (64 x 400G), so that a million fit. Prints a
# Markdown table for docs/benchmarks.md.
# Usage: bench/run_book_scale.sh [BUILD_DIR] [SIZES] [REQUESTS]
# With BOOKS=DIR, each book is kept in DIR/bookN and used again by the next run (a million takes
# minutes to load: load it while the machine is busy, measure when it is quiet; each run's orders
# stay in it). The network is then DIR/network.yaml too.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sizes=${2:-"0 10000 100000"}
requests=${3:-300}
lp=$(realpath "$build/apps/lightpath/lightpath")
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
books=${BOOKS:-$tmp}
mkdir -p "$books"
[ -f "$books/network.yaml" ] ||
  /usr/bin/python3 bench/make_scale_network.py data/demo/demo-network.yaml 8 "$books/network.yaml"
cp "$books/network.yaml" "$tmp/network.yaml"
packet_gbps=25600
printf 'listen: 127.0.0.1:0\nlog_level: warn\nrate_limit: 100000000\ntopology: %s\npacket_gbps_per_fiber: %s\n' \
  "$tmp/network.yaml" "$packet_gbps" >"$tmp/serve.yaml"

echo "| connections | load (s) | start-up (s) | resident MB: heap + file-mapped | heap per connection beyond the empty store's (KB) | page p50 / p99 (ms) | page by cursor p50 / p99 | page, state=active p50 / p99 | page, end=port p50 / p99 | quote p50 / p99 | order p50 / p99 |"
echo "|---:|---:|---:|---:|---:|---|---|---|---|---|---|"
for n in $sizes; do
  data=$books/book$n
  [ "$n" -eq 0 ] && data=$tmp/book0  # the empty store: a fresh one each time
  load_s=0
  if [ "$n" -gt 0 ] && [ -f "$data/loaded_seconds" ]; then
    load_s=$(cat "$data/loaded_seconds")  # kept from an earlier run (BOOKS)
  elif [ "$n" -gt 0 ]; then
    load_s=$("$lp" bench load --data "$data" --connections "$n" --mbps 50 --json \
      --topology "$tmp/network.yaml" --packet-gbps-per-fiber "$packet_gbps" 2>/dev/null |
      /usr/bin/python3 -c 'import json,sys; print(round(json.load(sys.stdin)["seconds"], 1))')
    echo "$load_s" >"$data/loaded_seconds"
  fi
  started=$(date +%s%N)
  : >"$tmp/serve.out"  # not the last run's: the background shell may open it late
  "$lp" serve --config "$tmp/serve.yaml" --data "$data" >"$tmp/serve.out" 2>&1 &
  pid=$!
  until grep -q "API:" "$tmp/serve.out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.out" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(date +%s%N)
  # The heap (anonymous) apart from file pages mapped (SQLite's mmap of its database: page cache
  # the kernel may drop, counted once per mapping).
  rss_kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")
  file_kb=$(awk '/^RssFile:/ {print $2}' "/proc/$pid/status")
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
  [ "$n" -eq 0 ] && base_kb=$rss_kb
  if ! /usr/bin/python3 - "$url" "$(cat "$data/operator.key")" "$requests" "$n" "$load_s" \
    "$(( (ready - started) / 1000000 ))" "$rss_kb" "${base_kb:-0}" "$file_kb" <<'PY'
import http.client, json, random, sys, time, urllib.parse
url, key, requests, n, load_s, ready_ms, rss_kb, base_kb, file_kb = sys.argv[1:10]
requests, n = int(requests), int(n)
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
refused, dropped = [], []
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
def call(method, path, body=None, refusable=False):
    global conn
    t0 = time.perf_counter()
    try:
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        r = conn.getresponse()
    except http.client.RemoteDisconnected:  # fixed (docs/benchmarks.md); counted if it comes back
        dropped.append(path)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        t0 = time.perf_counter()
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        r = conn.getresponse()
    data = r.read()
    elapsed = (time.perf_counter() - t0) * 1000
    if r.status == 422 and refusable:  # the network cannot carry it: an answer all the same
        refused.append(path)
    elif r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return elapsed, json.loads(data) if data else None
def stats(samples):
    s = sorted(samples)
    return f"{s[len(s) // 2]:.2f} / {s[min(len(s) - 1, int(len(s) * 0.99))]:.2f}"
try:  # the tenant the loaded connections belong to (`bench load --tenant`), for orders too
    call("POST", "/v1/tenants", {"id": "bench"})
except SystemExit:
    pass  # there already
ports = [p["id"] for p in call("GET", "/v1/ports?limit=1000")[1]["items"]]
site = {p: p.rsplit("-p", 1)[0] for p in ports}
random.seed(n)
def pair():
    while True:
        a, z = random.sample(ports, 2)
        if site[a] != site[z]: return a, z
first = [call("GET", "/v1/connections?limit=50")[0] for _ in range(requests)]
# A cursor deep in the book: follow pages of 500 to half way, or 100,000 in at most.
cursor, path = None, "/v1/connections?limit=500"
for _ in range(min(200, n // 1000)):  # n / 2 connections, 500 a page
    page = call("GET", path)[1]
    cursor = page.get("next_cursor") or cursor
    if not page.get("next_cursor"): break
    path = "/v1/connections?limit=500&after=" + urllib.parse.quote(cursor)
deep_path = "/v1/connections?limit=50" + ("&after=" + urllib.parse.quote(cursor) if cursor else "")
deep = [call("GET", deep_path)[0] for _ in range(requests)]
active = [call("GET", "/v1/connections?limit=50&state=active")[0] for _ in range(requests)]
# By an end (a port some 1/1,200 of the book uses), from the store's index of terms.
by_end = [call("GET", "/v1/connections?limit=50&end=" + urllib.parse.quote(pair()[0]))[0]
          for _ in range(requests)]
def ethernet():
    a, z = pair()
    return {"kind": "ethernet", "a_end": a, "z_end": z, "bandwidth_mbps": 50, "tenant": "bench"}
quotes = [call("POST", "/v1/quotes", ethernet(), True)[0] for _ in range(requests)]
orders = []  # durable ones: an order the network refuses (422) writes nothing
for _ in range(requests):
    was_refused = len(refused)
    elapsed = call("POST", "/v1/connections", ethernet(), True)[0]
    if len(refused) == was_refused: orders.append(elapsed)
per_conn = f"{(int(rss_kb) - int(base_kb)) / n:.1f}" if n else "–"
print(f"| {n:,} | {load_s} | {int(ready_ms) / 1000:.2f} | {int(rss_kb) / 1024:,.0f} + {int(file_kb) / 1024:,.0f} | {per_conn} | "
      f"{stats(first)} | {stats(deep)} | {stats(active)} | {stats(by_end)} | {stats(quotes)} | {stats(orders)}"
      + (f" ({len(refused)} quotes and orders refused, ports full: orders not counted)" if refused else "")
      + (f" ({len(dropped)} kept-alive connection closed by serve, asked again)" if dropped else "") + " |")
if dropped:
    print("closed by serve before answering: " + ", ".join(dropped), file=sys.stderr)
PY
  then
    echo "measuring $n failed; serve said:" >&2
    tail -20 "$tmp/serve.out" >&2
    exit 1
  fi
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  [ -n "${BOOKS:-}" ] && [ "$n" -gt 0 ] || rm -rf "$data"
done
