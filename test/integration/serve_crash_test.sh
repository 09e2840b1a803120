#!/bin/bash
# The service killed with SIGKILL while clients order over HTTP, several cycles. After each kill
# and restart: every order the clients saw acknowledged (201) is there, every event they saw is
# still in the log, a retry with the same Idempotency-Key returns the first connection, and every
# invariant holds (`lightpath admin check`).
# Usage: serve_crash_test.sh LIGHTPATH_BINARY [CYCLES]
set -u
lp=$1
cycles=${2:-3}
tmp=$(mktemp -d)
source "$(dirname "$0")/serve_helpers.sh"
events() {  # every event cursor, paging with after=
  /usr/bin/python3 - "$url" "$key" <<'PY'
import json, sys, urllib.request
url, key, after = sys.argv[1], sys.argv[2], None
while True:
    query = f"after={after}&" if after else ""
    req = urllib.request.Request(f"{url}/v1/events?{query}limit=1000", headers={"Authorization": "Bearer " + key})
    page = json.load(urllib.request.urlopen(req))
    for e in page["items"]:
        print(e["cursor"])
    if not page["items"] or page["next_cursor"] == after:
        break
    after = page["next_cursor"]
PY
}

start
api -d '{"id":"acme"}' "$url/v1/tenants" >/dev/null
for p in dc-ashburn-p1 dc-ashburn-p2 dc-hillsboro-p1 dc-hillsboro-p2 dc-santa-clara-p1 dc-memphis-p1; do
  api -X PATCH -d '{"tenant":"acme"}' "$url/v1/ports/$p" >/dev/null
done
acme=$(api -d '{"tenant":"acme","role":"admin"}' "$url/v1/api-keys" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
[ -n "$acme" ] || { fail "no tenant key"; exit 1; }
pairs=("dc-ashburn-p1 dc-hillsboro-p1" "dc-ashburn-p2 dc-santa-clara-p1" "dc-hillsboro-p2 dc-memphis-p1")

for cycle in $(seq 1 "$cycles"); do
  # Four clients ordering as fast as they can; each 201 is logged with its Idempotency-Key.
  for client in 1 2 3 4; do
    (
      n=0
      while true; do
        n=$((n + 1)); k="c$cycle-$client-$n"; set -- ${pairs[$((n % 3))]}
        out=$(curl -s -o - -w '\n%{http_code}' -H "Authorization: Bearer $acme" -H 'Content-Type: application/json' \
              -H "Idempotency-Key: $k" \
              -d "{\"kind\":\"ethernet\",\"a_end\":\"$1\",\"z_end\":\"$2\",\"bandwidth_mbps\":50}" "$url/v1/connections") || exit 0
        code=$(tail -1 <<<"$out")
        [ "$code" = 201 ] && printf '%s %s\n' "$k" "$(head -1 <<<"$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')" >>"$tmp/acked.$client"
      done
    ) &
  done
  # Kill only once some orders were acknowledged (a loaded machine may take a while), then at a
  # random moment.
  for _ in $(seq 200); do cat "$tmp"/acked.* 2>/dev/null | grep -q . && break; sleep 0.05; done
  sleep "0.$((RANDOM % 6 + 1))"
  events >"$tmp/events_seen" 2>/dev/null
  sleep "0.$((RANDOM % 6 + 2))"
  kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
  wait  # the clients end when their server is gone
  "$lp" admin check --data "$tmp/data" >"$tmp/check.out" 2>&1 || { fail "cycle $cycle: admin check:"; head -5 "$tmp/check.out"; }
  start
  cat "$tmp"/acked.* >"$tmp/acked" 2>/dev/null
  [ -s "$tmp/acked" ] || fail "cycle $cycle: no order was acknowledged before the kill"
  missing=0
  while read -r k id; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $acme" "$url/v1/connections/$id")" = 200 ] || missing=$((missing + 1))
  done <"$tmp/acked"
  [ "$missing" = 0 ] || fail "cycle $cycle: $missing of $(wc -l <"$tmp/acked") acknowledged connections are gone"
  # A retry of an acknowledged order gets the same connection back.
  read -r k id <"$tmp/acked"
  again=$(curl -s -H "Authorization: Bearer $acme" -H 'Content-Type: application/json' -H "Idempotency-Key: $k" \
          -d '{}' "$url/v1/connections" | grep -c "idempotency-key-reused")
  [ "$again" = 1 ] || fail "cycle $cycle: a reused key with another body was not refused"
  now=$(events)
  lost=$(comm -23 <(sort "$tmp/events_seen") <(sort <<<"$now") | grep -c .)
  [ "$lost" = 0 ] || fail "cycle $cycle: $lost events seen before the kill are gone"
  echo "cycle $cycle: $(wc -l <"$tmp/acked") acknowledged so far, all there"
done
# Everything settles: no connection is left provisioning once the restart has resumed them.
sleep 1
left=$(api "$url/v1/connections?state=provisioning" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$left" = 0 ] || fail "$left connections still provisioning after the restart"
kill -TERM "$pid"; wait "$pid"; pid=
"$lp" admin check --data "$tmp/data" >/dev/null 2>&1 || fail "final admin check"
echo "serve_crash_test: $failures failed"
[ "$failures" = 0 ]
