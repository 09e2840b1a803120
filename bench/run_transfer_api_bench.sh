#!/bin/bash
# Admission of a bulk transfer through the API on a busy calendar: starts `lightpath serve`
# (SQLite with fsync on commit, simulated devices) on a free port, gives a tenant every
# data-center port, admits N transfers (10-200 TB between 400G data-center ports, windows of 2-24
# hours starting within two days; refusals are answered and not counted), then times 200 more
# POST /v1/transfers one at a time — the whole admission: planning on the calendar, the legs
# held and stored with the transfer, the reply — and prints a Markdown row for
# docs/benchmarks.md. The client (Python's http.client, one kept-alive connection) is in the
# figure.
# Usage: bench/run_transfer_api_bench.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
transfers=${2:-500}
lp=$build/apps/lightpath/lightpath
tmp=$(mktemp -d)
# shellcheck source=bench/serve_for_bench.sh
source bench/serve_for_bench.sh

api -d '{"id":"acme"}' "$url/v1/tenants" >/dev/null
ports=$(api "$url/v1/ports?limit=1000" | /usr/bin/python3 -c '
import json, sys
print(" ".join(p["id"] for p in json.load(sys.stdin)["items"]
               if p["site"].startswith("dc-") and p["speed_gbps"] == 400))')
for p in $ports; do api -X PATCH -d '{"tenant":"acme"}' "$url/v1/ports/$p" >/dev/null; done
tenant_key=$(api -d '{"tenant":"acme","role":"admin"}' "$url/v1/api-keys" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

/usr/bin/python3 - "$url" "$tenant_key" "$transfers" "$ports" <<'PY'
import datetime, http.client, json, random, sys, time, urllib.parse, uuid

url, key, wanted, ports = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()
site = lambda p: p.rsplit("-p", 1)[0]
random.seed(1)
conn = http.client.HTTPConnection(urllib.parse.urlparse(url).netloc)
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")

def order():
    while True:
        a, z = random.choice(ports), random.choice(ports)
        if site(a) != site(z):
            break
    start = now + datetime.timedelta(minutes=random.randint(10, 48 * 60))
    window = datetime.timedelta(hours=random.randint(2, 24))
    body = {"a_end": a, "z_end": z, "bytes": random.randint(10, 200) * 1e12,
            "earliest": iso(start), "deadline": iso(start + window)}
    t0 = time.perf_counter()
    conn.request("POST", "/v1/transfers", json.dumps(body),
                 {"Authorization": "Bearer " + key, "Content-Type": "application/json",
                  "Idempotency-Key": str(uuid.uuid4())})
    reply = conn.getresponse()
    reply.read()
    if reply.status not in (201, 422):
        sys.exit(f"POST /v1/transfers: {reply.status}")
    return reply.status == 201, (time.perf_counter() - t0) * 1e3

admitted = asked = 0
while admitted < wanted and asked < 20 * wanted:
    ok, _ = order()
    admitted += ok
    asked += 1
times = {True: [], False: []}
for _ in range(200):
    ok, ms = order()
    times[ok].append(ms)
every = sorted(times[True] + times[False])
q = lambda v, f: v[min(len(v) - 1, int(len(v) * f))] if v else float("nan")
print("| transfers in the calendar | admitted of 200 | p50 ms | p99 ms | admitted p99 ms | refused p99 ms |")
print("|---:|---:|---:|---:|---:|---:|")
print(f"| {admitted} | {len(times[True])} | {q(every, .5):.2f} | {q(every, .99):.2f} | "
      f"{q(sorted(times[True]), .99):.2f} | {q(sorted(times[False]), .99):.2f} |")
PY
