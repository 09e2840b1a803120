#!/bin/bash
# Restoration killed: a loaded network, a shared-risk group or fiber cut over the API and the
# service killed with SIGKILL while it answers (once with a repair of the previous cut racing
# it). After each restart: no active connection's path uses anything still down (each is
# restored, switched, or down with a reason and no route), and every invariant holds
# (`lightpath admin check`: ledger, store and the simulated devices, which outlive the kill).
# Usage: restore_crash_test.sh LIGHTPATH_BINARY [CYCLES]
set -u
lp=$1
cycles=${2:-3}
tmp=$(mktemp -d)
source "$(dirname "$0")/serve_helpers.sh"

# Nothing down stays on a path, and a routeless active connection is down.
verify() {
  /usr/bin/python3 - "$tmp/data/lightpath.db" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
down = set()
for (body,) in db.execute("SELECT body FROM documents WHERE kind = 'failure'"):
    f = json.loads(body)
    if f["state"] == "active":
        down.update(f["fibers"])
bad = 0
for cid, body in db.execute("SELECT id, body FROM connections WHERE state = 'active'"):
    c = json.loads(body)
    cur = c["current"]
    on = down.intersection(cur.get("fibers", []))
    if on:
        print(f"{cid} still on {sorted(on)}"); bad += 1
    if not cur.get("nodes") and c["oper_state"] != "down":
        print(f"{cid} has no route but is {c['oper_state']}"); bad += 1
print(f"{len(down)} fibers down")
sys.exit(1 if bad else 0)
PY
}

"$lp" bench provision --data "$tmp/data" --connections 1500 --concurrency 4 --kind mixed \
  --mbps 2000 >/dev/null 2>"$tmp/bench.err" || { fail "bench provision: $(cat "$tmp/bench.err")"; exit 1; }
targets=('{"srlg":"entry-dallas-west"}' '{"fiber":"louisville--nashville"}' '{"srlg":"entry-el-paso-east"}' '{"fiber":"kansas_city--st_louis"}')
previous=
for cycle in $(seq 1 "$cycles"); do
  start
  body=${targets[$(((cycle - 1) % ${#targets[@]}))]}
  api -X POST -d "$body" "$url/v1/failures" >"$tmp/failure.out" 2>&1 &
  # A repair of the previous cut races this one.
  [ -n "$previous" ] && api -X DELETE "$url/v1/failures/$previous" >/dev/null 2>&1 &
  sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
  kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
  wait
  previous=$(/usr/bin/python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["id"])
except Exception: pass' "$tmp/failure.out")
  # The restart answers what the kill cut short, then reconciles the devices.
  start
  kill -TERM "$pid"; wait "$pid"; pid=
  verify >"$tmp/verify.out" || { fail "cycle $cycle: $(head -5 "$tmp/verify.out")"; }
  "$lp" admin check --data "$tmp/data" >"$tmp/check.out" 2>&1 || { fail "cycle $cycle: admin check:"; head -5 "$tmp/check.out"; }
  echo "cycle $cycle: $body; $(tail -1 "$tmp/verify.out"); $(head -1 "$tmp/check.out")"
done
echo "restore_crash_test: $failures failed"
[ "$failures" = 0 ]
