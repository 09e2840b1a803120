#!/bin/bash
# The API under load: starts `lightpath serve` (SQLite with fsync on commit, simulated devices)
# on a free port, then runs wrk against it on the same machine and prints a Markdown table for
# docs/benchmarks.md. GET /healthz is the ceiling: the HTTP stack with no work behind it.
# Usage: bench/run_api_bench.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
seconds=${2:-10}
lp=$build/apps/lightpath/lightpath
tmp=$(mktemp -d)
# shellcheck source=bench/serve_for_bench.sh
source bench/serve_for_bench.sh

# A tenant owning every data-center port, and its admin key.
api -d '{"id":"acme"}' "$url/v1/tenants" >/dev/null
ports=$(api "$url/v1/ports?limit=1000" | /usr/bin/python3 -c '
import json, sys
print(" ".join(p["id"] for p in json.load(sys.stdin)["items"] if p["site"].startswith("dc-")))')
for p in $ports; do api -X PATCH -d '{"tenant":"acme"}' "$url/v1/ports/$p" >/dev/null; done
tenant_key=$(api -d '{"tenant":"acme","role":"admin"}' "$url/v1/api-keys" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

# Port pairs between different sites, for orders spread over the network.
/usr/bin/python3 - "$ports" >"$tmp/pairs.lua" <<'PY'
import sys
ports = sys.argv[1].split()
site = lambda p: p.rsplit("-p", 1)[0]
pairs = [(a, z) for i, a in enumerate(ports) for z in ports[i + 1:] if site(a) != site(z)]
print("port_pairs = {" + ",".join('{"%s","%s"}' % p for p in pairs) + "}")
PY
common="wrk.headers['Authorization'] = 'Bearer $tenant_key'
wrk.headers['Content-Type'] = 'application/json'"
cat >"$tmp/order.lua" <<EOF2
$(cat "$tmp/pairs.lua")
$common
wrk.method = 'POST'
counter = math.random(1, #port_pairs)
request = function()
  counter = counter + 1
  local p = port_pairs[(counter % #port_pairs) + 1]
  return wrk.format(nil, WRK_PATH, nil,
    string.format('{"kind":"ethernet","a_end":"%s","z_end":"%s","bandwidth_mbps":50}', p[1], p[2]))
end
EOF2
sed 's#WRK_PATH#"/v1/connections"#' "$tmp/order.lua" >"$tmp/create.lua"
sed 's#WRK_PATH#"/v1/quotes"#' "$tmp/order.lua" >"$tmp/quote.lua"
cat >"$tmp/wavelength_quote.lua" <<EOF2
$common
wrk.method = 'POST'
wrk.body = '{"kind":"wavelength","a_end":"dc-ashburn","z_end":"dc-hillsboro","bandwidth_mbps":400000,"protection":"1+1"}'
EOF2
printf '%s\n' "$common" >"$tmp/get.lua"

# 1,000 connections on record, one of them to read back.
/usr/bin/python3 - "$url" "$tenant_key" "$ports" >"$tmp/one_id" <<'PY'
import json, sys, urllib.request
url, key, ports = sys.argv[1], sys.argv[2], sys.argv[3].split()
site = lambda p: p.rsplit("-p", 1)[0]
pairs = [(a, z) for i, a in enumerate(ports) for z in ports[i + 1:] if site(a) != site(z)]
last = None
for i in range(1000):
    a, z = pairs[(i * 7) % len(pairs)]
    body = json.dumps({"kind": "ethernet", "a_end": a, "z_end": z, "bandwidth_mbps": 50}).encode()
    req = urllib.request.Request(url + "/v1/connections", body, {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    last = json.load(urllib.request.urlopen(req))["id"]
print(last)
PY
one=$(cat "$tmp/one_id")

run() {  # run NAME CONNECTIONS SCRIPT PATH
  local name=$1 connections=$2 script=$3 path=$4
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" "$url$path" >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out"; return 1; }
  /usr/bin/python3 - "$name" "$connections" "$tmp/wrk.out" <<'PY'
import re, sys
name, conns, text = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
def ms(label):
    m = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)" % label, text, re.M)
    if not m: return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
note = (f"{bad.group(1)} non-2xx" if bad else "") + (f" socket errors: {errors.group(1)}" if errors else "")
print(f"| {name} | {conns} | {rps:,.0f} | {ms('50%'):.2f} | {ms('99%'):.2f} | {note} |")
PY
}

echo "| request | wrk connections | requests/s | p50 (ms) | p99 (ms) | notes |"
echo "|---|---:|---:|---:|---:|---|"
run "GET /healthz (ceiling: no work)" 64 "$tmp/get.lua" /healthz
run "GET a connection" 64 "$tmp/get.lua" "/v1/connections/$one"
run "GET connections, page of 50 of 1,000+" 64 "$tmp/get.lua" "/v1/connections?limit=50&offset=500"
run "POST quote, Ethernet" 64 "$tmp/quote.lua" /v1/quotes
run "POST quote, protected 400G wavelength" 64 "$tmp/wavelength_quote.lua" /v1/quotes
run "POST connection (durable commit, then activated)" 32 "$tmp/create.lua" /v1/connections
total=$(api "$url/v1/connections?limit=1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=
echo
echo "connections on record after the run: $total; admin check after it: $("$lp" admin check --data "$tmp/data" >/dev/null 2>&1 && echo 'every invariant holds' || echo 'FAILED (run admin check)')"
