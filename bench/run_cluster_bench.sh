#!/bin/bash
# Durable orders/s and order -> active latency with 1, 2 and 3 instances on one PostgreSQL
# (fsync on, as SQLite's synchronous=FULL), next to SQLite: `bench provision` in N processes at
# once, each on its own data directory and the shared store, simulated devices kept in the store.
# Figures for docs/benchmarks.md; nothing here asserts.
# Usage: bench/run_cluster_bench.sh [BUILD_DIR] [ORDERS] [CONCURRENCY per instance]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-release}
orders=${2:-3000}
concurrency=${3:-16}
lp=$build/apps/lightpath/lightpath
tmp=$(mktemp -d)
pg=$(mktemp -d /tmp/lightpath-pg.XXXXXX)  # the server's own user must reach it
trap '"$root/scripts/postgres.sh" stop "$pg"; rm -rf "$tmp" "$pg"' EXIT
url=$(PG_FSYNC=${PG_FSYNC:-on} "$root/scripts/postgres.sh" start "$pg")  # PG_FSYNC=off: what fsync costs
run() {  # run NAME INSTANCES STORE [FLAG]: prints one summary line
  local name=$1 n=$2 store=$3 flag=${4:-} i
  for i in $(seq "$n"); do
    "$lp" bench provision --json --kind ethernet --seed "$i" --connections $((orders / n)) \
      --concurrency "$concurrency" --data "$tmp/$name-$i" ${store:+--store "$store"} $flag \
      >"$tmp/$name-$i.json" &
  done
  wait
  grep -h first_error "$tmp"/"$name"-*.json | head -2 || true
  /usr/bin/python3 - "$name" "$tmp"/"$name"-*.json <<'PY'
import json, sys
runs = [json.load(open(p)) for p in sys.argv[2:]]
rate = sum(r["orders_per_second"] for r in runs)
print(f"{sys.argv[1]:<24} {len(runs)} x {runs[0]['connections']} orders: "
      f"{rate:7.0f} orders/s   p50 {max(r['p50_ms'] for r in runs):6.2f} ms   "
      f"p99 {max(r['p99_ms'] for r in runs):6.2f} ms   "
      f"active {sum(r['succeeded'] for r in runs)}, refused {sum(r['rejected'] for r in runs)}, "
      f"failed {sum(r['failed'] for r in runs)}")
PY
}
reset() { psql "$url" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' 2>/dev/null; }
echo "$(nproc) cores; $orders Ethernet orders in all, $concurrency in flight per instance; PostgreSQL fsync ${PG_FSYNC:-on}"
run sqlite 1 ""
# Simulated devices in the store (the shared lab: every device write and read is a round trip),
# then in each instance's data directory (the store's own cost).
for n in 1 2 3; do
  reset
  run "postgresql-$n-instance" "$n" "$url"
done
for n in 1 2 3; do
  reset
  run "postgresql-$n-store-only" "$n" "$url" --sim-devices-local
done
