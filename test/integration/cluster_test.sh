#!/bin/bash
# Several `lightpath serve` instances on one PostgreSQL store (run under `scripts/postgres.sh run`,
# which starts a throwaway server and names it in LIGHTPATH_TEST_POSTGRES; skipped without one):
# - 3 instances, then 2 behind HAProxy, race for scarce VLANs and spectrum: each VLAN once, no spectrum slot or
#   VLAN held twice (read from the holds table apart from Lightpath), every acknowledged order
#   there whichever instance is asked, every refusal names what ran out, `admin check` clean;
# - a cloud hand-shake ordered, accepted and read on different instances completes (one simulator
#   in the shared store);
# - each webhook event is delivered once across the instances;
# - one instance SIGKILLed with orders being configured: the others finish its work once its
#   lease lapses, nothing is left provisioning;
# - the database restarted under load: instances are not ready, then ready again; no
#   acknowledged order is lost.
set -uo pipefail
lp=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
store=${LIGHTPATH_TEST_POSTGRES:-}
[ -n "$store" ] || { echo "SKIP: LIGHTPATH_TEST_POSTGRES is not set (scripts/postgres.sh run)"; exit 77; }
command -v psql >/dev/null || { echo "SKIP: no psql"; exit 77; }
tmp=$(mktemp -d)
pids=()
failures=0
receiver=
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; kill -9 $receiver 2>/dev/null
      [ -f "$tmp/haproxy.pid" ] && kill "$(cat "$tmp/haproxy.pid")"; rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
  for f in "$tmp"/serve*.out; do echo "--- $f:"; tail -5 "$f"; done
}
race() { /usr/bin/python3 "$here/cluster_race.py" "$@"; }
sql() { psql "$store" -AtqF $'\t' -c "$1"; }
printf 'rate_limit: 100000\nrate_limit_tenant: 100000\nwork_lease_seconds: 3\nwebhooks_allow_private: true\n' \
  >"$tmp/lightpath.yaml"

# Starts instance N; sets urls[N] and pids[N].
urls=()
start() {
  local n=$1
  "$lp" serve --config "$tmp/lightpath.yaml" --store "$store" --data "$tmp/data$n" \
    --listen 127.0.0.1:0 --log-level warn >"$tmp/serve$n.out" 2>&1 &
  pids[n]=$!
  for _ in $(seq 600); do grep -q "API:" "$tmp/serve$n.out" 2>/dev/null && break; sleep 0.05; done
  urls[n]=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve$n.out" | head -1)
  [ -n "${urls[n]}" ] || { fail "instance $n did not start: $(cat "$tmp/serve$n.out")"; exit 1; }
}
api() { curl -s -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
state_count() { sql "SELECT count(*) FROM connections WHERE state = '$1'"; }

start 1
key=$(cat "$tmp/data1/operator.key")
start 2
start 3
api -d '{"id":"acme"}' "${urls[2]}/v1/tenants" >/dev/null
for site in dc-ashburn dc-new-albany dc-hillsboro dc-santa-clara; do
  for p in 2 3 4 5 6; do api -X PATCH -d '{"tenant":"acme"}' "${urls[3]}/v1/ports/$site-p$p" >/dev/null; done
done

# A cloud hand-shake across instances: the simulators keep their state in the shared store, so
# the customer's side, the order and the schedule's reads may each go to another instance.
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1]))' "$1"; }
customer() { curl -s -H 'Authorization: Bearer customer' -H 'Content-Type: application/json' "$@"; }
attach=/cloudsim/google/compute/v1/projects/p/regions/us-east4/interconnectAttachments
pairing=$(customer -d '{"name":"c1","type":"PARTNER"}' "${urls[1]}$attach" | field pairingKey)
cloud=$(api -d "{\"tenant\":\"acme\",\"kind\":\"cloud\",\"a_end\":\"dc-ashburn-p2\",\"z_end\":\"google-ashburn-p1\",\"bandwidth_mbps\":1000,\"cloud\":{\"provider\":\"google\",\"pairing_key\":\"$pairing\"}}" \
  "${urls[2]}/v1/connections" | field id)
for _ in $(seq 200); do [ "$(customer "${urls[3]}$attach/c1" | field state)" = PENDING_CUSTOMER ] && break; sleep 0.1; done
customer -X PATCH -d '{"adminEnabled":true}' "${urls[3]}$attach/c1" >/dev/null
for _ in $(seq 300); do [ "$(api "${urls[1]}/v1/connections/$cloud" | field state)" = active ] && break; sleep 0.1; done
[ "$(api "${urls[1]}/v1/connections/$cloud" | field state)" = active ] ||
  fail "a cloud connection ordered on one instance and accepted on another is $(api "${urls[1]}/v1/connections/$cloud" | field state)"

# Webhooks: one receiver, one subscription; every event reaches it once.
hook_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Its own process (not a shell function's subshell): the trap must reach it, or it would hold
# ctest's output pipe open after the test.
/usr/bin/python3 "$here/cluster_race.py" receive "$hook_port" "$tmp/deliveries" </dev/null >/dev/null 2>&1 &
receiver=$!
hook_from=$(sql "SELECT last FROM event_clock")
made=$(api -d "{\"url\":\"http://127.0.0.1:$hook_port/hook\"}" "${urls[1]}/v1/webhooks")
echo "$made" | grep -q '"secret"' || fail "webhook not made: $made"

# The race, on 3 instances, then on 2.
race race a "$key" "${urls[1]}" "${urls[2]}" "${urls[3]}" >"$tmp/race3.json" ||
  fail "3 instances: $(cat "$tmp/race3.json")"
# Two instances behind HAProxy (the configuration of docs/operations.md), when it is installed.
front=("${urls[1]}" "${urls[2]}")
if command -v haproxy >/dev/null; then
  lb_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  sed -e "s|^  bind .*|  bind 127.0.0.1:$lb_port|" \
    -e "s|^  server a .*|  server a ${urls[1]#http://} check inter 1s fall 2 rise 1|" \
    -e "s|^  server b .*|  server b ${urls[2]#http://} check inter 1s fall 2 rise 1|" \
    -e '/^  server c /d' "$root/docs/haproxy.cfg" >"$tmp/haproxy.cfg"
  haproxy -f "$tmp/haproxy.cfg" -D -p "$tmp/haproxy.pid" </dev/null >/dev/null 2>&1 ||
    fail "haproxy did not start"
  for _ in $(seq 100); do curl -s "http://127.0.0.1:$lb_port/readyz" | grep -q ready && break; sleep 0.05; done
  front=("http://127.0.0.1:$lb_port")
fi
race race b "$key" "${front[@]}" >"$tmp/race2.json" ||
  fail "2 instances (${front[*]}): $(cat "$tmp/race2.json")"
sql "SELECT owner, body FROM holds" | race holds >"$tmp/holds.json" ||
  fail "capacity held twice: $(cat "$tmp/holds.json")"
"$lp" admin check --store "$store" --data "$tmp/check" >"$tmp/check.out" 2>&1 ||
  fail "admin check after the race: $(cat "$tmp/check.out")"

# Every event so far delivered once (the one delivering instance has caught up).
events=$(sql "SELECT count(*) FROM events WHERE cursor > $hook_from")
for _ in $(seq 300); do
  [ "$(sort -u "$tmp/deliveries" 2>/dev/null | wc -l)" -ge "$events" ] && break
  sleep 0.1
done
sleep 1
delivered=$(wc -l <"$tmp/deliveries")
distinct=$(sort -u "$tmp/deliveries" | wc -l)
[ "$distinct" -eq "$events" ] || fail "webhooks: $distinct of $events events delivered"
[ "$delivered" -eq "$distinct" ] || fail "webhooks: $delivered deliveries of $distinct events"

# SIGKILL instance 2 while its orders are being configured; 1 and 3 take its work over.
race burst "$key" "${urls[2]}" 400 >"$tmp/burst.ids" &
burst=$!
for _ in $(seq 200); do [ "$(wc -l <"$tmp/burst.ids")" -ge 150 ] && break; sleep 0.02; done
kill -9 "${pids[2]}"
wait "$burst" 2>/dev/null
left=$(state_count provisioning)
for _ in $(seq 300); do [ "$(state_count provisioning)" -eq 0 ] && break; sleep 0.1; done
[ "$(state_count provisioning)" -eq 0 ] || fail "still provisioning after the lease: $(state_count provisioning)"
taken=$(cat "$tmp/serve1.out" "$tmp/serve3.out" | grep -c "taking over")
[ "$left" -eq 0 ] || [ "$taken" -gt 0 ] || fail "nobody took over the $left orders left provisioning"
for id in $(cat "$tmp/burst.ids"); do
  s=$(sql "SELECT state FROM connections WHERE id = '$id'")
  [ "$s" = active ] || fail "$id acknowledged, then $s"
done

# The database restarts under load: not ready meanwhile, ready after, nothing acknowledged lost.
race burst "$key" "${urls[1]}" 300 >"$tmp/restart.ids" &
burst=$!
sleep 0.3
$LIGHTPATH_TEST_POSTGRES_RESTART &
restarting=$!
saw_unready=0
for _ in $(seq 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${urls[3]}/readyz")
  [ "$code" = 503 ] && saw_unready=1
  kill -0 "$restarting" 2>/dev/null || break
  sleep 0.02
done
wait "$restarting" || fail "the database did not restart"
wait "$burst" 2>/dev/null
ready=0
for _ in $(seq 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${urls[3]}/readyz")" = 200 ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "${urls[1]}/readyz")" = 200 ] && { ready=1; break; }
  sleep 0.1
done
[ $ready = 1 ] || fail "not ready again after the database restart"
[ $saw_unready = 1 ] || echo "note: the restart was too quick to see an instance not ready"
for id in $(cat "$tmp/restart.ids"); do
  [ -n "$(sql "SELECT id FROM connections WHERE id = '$id'")" ] || fail "$id acknowledged, then lost"
done
for _ in $(seq 300); do [ "$(state_count provisioning)" -eq 0 ] && break; sleep 0.1; done
sql "SELECT owner, body FROM holds" | race holds >"$tmp/holds-end.json" ||
  fail "capacity held twice after the restart: $(cat "$tmp/holds-end.json")"
"$lp" admin check --store "$store" --data "$tmp/check" >"$tmp/check.out" 2>&1 ||
  fail "admin check at the end: $(cat "$tmp/check.out")"

echo "race, 3 instances: $(cat "$tmp/race3.json")"
echo "race, 2 instances (${front[*]}): $(cat "$tmp/race2.json")"
echo "holds: $(cat "$tmp/holds.json")"
echo "takeover: $(wc -l <"$tmp/burst.ids") acknowledged by the killed instance, $left left provisioning, $taken taken over"
echo "webhooks: $delivered deliveries of $events events"
echo "database restart: $(wc -l <"$tmp/restart.ids") acknowledged around it"
[ "$failures" -eq 0 ] && echo "cluster: all passed"
exit $((failures > 0))
