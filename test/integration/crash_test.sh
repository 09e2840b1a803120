#!/bin/bash
# Crash test: a storm of concurrent orders while the process is killed with SIGKILL at random
# moments, several cycles. After each kill: the store opens, the ledger rebuilds, every
# invariant holds (`lightpath admin check`: the ledger, the store, and the simulated devices, which
# keep their state in the data directory and so outlive the kill), and every order the caller saw
# acknowledged exists.
# Usage: crash_test.sh LIGHTPATH_BINARY [CYCLES]
set -u
lp=$1
cycles=${2:-6}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
for cycle in $(seq 1 "$cycles"); do
  "$lp" bench provision --data "$tmp/data" --connections 100000 --concurrency 4 --kind mixed \
    --seed "$cycle" --ack-log "$tmp/acked" >/dev/null 2>"$tmp/bench.err" &
  pid=$!
  # Somewhere between 0.2 and 1.2 s into the storm (start-up included).
  sleep "0.$((RANDOM % 10 + 2))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ ! -f "$tmp/data/lightpath.db" ]; then
    # Killed while starting, before the store existed (a slow build, a loaded machine): nothing
    # can have been acknowledged then.
    if [ -s "$tmp/acked" ]; then
      echo "FAIL cycle $cycle: orders acknowledged but no store"; failures=$((failures + 1))
    else
      echo "cycle $cycle: killed before the store existed"
    fi
    continue
  fi
  if ! "$lp" admin check --data "$tmp/data" >"$tmp/check.out" 2>&1; then
    echo "FAIL cycle $cycle: admin check after the kill:"; head -5 "$tmp/check.out"; failures=$((failures + 1))
  fi
  # Every acknowledged order is in the store.
  /usr/bin/python3 - "$tmp/data/lightpath.db" "$tmp/acked" <<'PY' || failures=$((failures + 1))
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = {row[0] for row in db.execute("SELECT id FROM connections")}
acked = [line.strip() for line in open(sys.argv[2]) if line.strip()] if __import__("os").path.exists(sys.argv[2]) else []
missing = [a for a in acked if a not in stored]
if missing:
    print(f"FAIL: {len(missing)} of {len(acked)} acknowledged orders missing, e.g. {missing[:3]}")
    sys.exit(1)
print(f"cycle ok: {len(acked)} acknowledged, {len(stored)} stored")
PY
done
# A last run without a kill finishes what the crashes left and still checks clean.
"$lp" bench provision --data "$tmp/data" --connections 50 --seed 99 >/dev/null 2>&1 || failures=$((failures + 1))
"$lp" admin check --data "$tmp/data" >/dev/null 2>&1 || { echo "FAIL: final check"; failures=$((failures + 1)); }
echo "crash_test: $failures failed"
[ "$failures" = 0 ]
