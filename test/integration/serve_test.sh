#!/bin/bash
# `lightpath serve` and the CLI client as a user runs them: first start prints the operator key
# once, the client orders and waits, SIGTERM drains and exits 0, a restart keeps everything,
# bad settings are refused with the reason.
# Usage: serve_test.sh LIGHTPATH_BINARY
set -u
lp=$1
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

start() {  # starts serve on a free port; sets pid and LIGHTPATH_URL
  : >"$tmp/serve.out"  # emptied now: the job's own redirection may come after the first look
  "$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 --log-level warn >"$tmp/serve.out" 2>"$tmp/serve.err" &
  pid=$!
  for _ in $(seq 100); do
    grep -q "API:" "$tmp/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  export LIGHTPATH_URL
  LIGHTPATH_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
  [ -n "$LIGHTPATH_URL" ] || { fail "serve did not start:"; cat "$tmp/serve.out" "$tmp/serve.err"; exit 1; }
}
stop() {  # SIGTERM; serve must drain and exit 0
  kill -TERM "$pid"
  wait "$pid"
  local code=$?
  [ "$code" = 0 ] || fail "serve exited $code after SIGTERM"
  grep -q "stopped" "$tmp/serve.out" || fail "serve did not say it stopped"
  pid=
}

start
key=$(cat "$tmp/data/operator.key")
grep -qF "$key" "$tmp/serve.out" || fail "the first start did not show the operator key"
[ "$(stat -c %a "$tmp/data/operator.key")" = 600 ] || fail "operator.key is not owner-only"
# The store holds webhook secrets and key hashes: the data directory is the owner's alone.
[ "$(stat -c %a "$tmp/data")" = 700 ] || fail "the data directory is $(stat -c %a "$tmp/data"), not 700"
for f in "$tmp/data/lightpath.db" "$tmp/data"/devices/*.jsonl; do
  [ "$(stat -c %a "$f")" = 600 ] || { fail "$f is $(stat -c %a "$f"), not 600"; break; }
done
export LIGHTPATH_API_KEY=$key
curl -sf "$LIGHTPATH_URL/readyz" >/dev/null || fail "readyz"
"$lp" tenants create --id acme --name "Acme AI" >/dev/null || fail "tenants create exit $?"
"$lp" tenants list | grep -q "^acme  *Acme AI" || fail "tenants list: $("$lp" tenants list)"
# An OAuth client made from the CLI, its token used by curl, then revoked from the CLI.
"$lp" oauth-clients create --tenant acme --role viewer --name ci >"$tmp/client" ||
  fail "oauth-clients create exit $?"
client_id=$(grep -o 'cli_[a-z0-9]*' "$tmp/client" | head -1)
client_secret=$(grep -o 'lpc_[0-9a-f]*' "$tmp/client")
token=$(curl -s -u "$client_id:$client_secret" -d grant_type=client_credentials \
  "$LIGHTPATH_URL/oauth/token" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf -H "Authorization: Bearer $token" "$LIGHTPATH_URL/v1/connections" >/dev/null ||
  fail "the client's access token was not taken"
"$lp" oauth-clients list | grep -q "$client_id  *acme  *viewer  *ci" ||
  fail "oauth-clients list: $("$lp" oauth-clients list)"
"$lp" oauth-clients delete "$client_id" >/dev/null || fail "oauth-clients delete exit $?"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
  "$LIGHTPATH_URL/v1/connections")" = 401 ] || fail "a revoked client's token still works"
"$lp" api-keys create --tenant acme --role viewer | grep -q "secret (shown once" ||
  fail "api-keys create"

"$lp" quote --kind wavelength --a dc-ashburn --z dc-hillsboro --mbps 200000 --protection 1+1 >"$tmp/quote" ||
  fail "quote exit $?"
grep -q "^feasible" "$tmp/quote" || fail "quote output: $(cat "$tmp/quote")"
"$lp" quote --kind wavelength --a dc-ashburn --z dc-hillsboro --mbps 100000 --term hourly \
  >"$tmp/hourly" || fail "hourly quote exit $?"
grep -qE "^price: [0-9]*[1-9][0-9]*\.[0-9]+ USD an hour" "$tmp/hourly" ||
  fail "an hourly quote does not show its hourly rate: $(cat "$tmp/hourly")"
grep -q "^protection light: GSNR [0-9.]* dB (0.1 nm), [0-9.]* dB margin" "$tmp/quote" ||
  fail "the quote shows no GSNR and margin per leg: $(cat "$tmp/quote")"
"$lp" quote --kind wavelength --a dc-ashburn --z dc-hillsboro --mbps 200000 --max-latency-ms 2 >"$tmp/quote"
[ $? = 1 ] || fail "an infeasible quote must exit 1"
grep -q "within 2.00 ms" "$tmp/quote" || fail "infeasible quote gives no reason: $(cat "$tmp/quote")"

"$lp" connections create --kind wavelength --a dc-ashburn --z dc-hillsboro --mbps 200000 --protection 1+1 \
  --tenant acme --wait --json >"$tmp/made" 2>"$tmp/progress" || fail "create --wait exit $?"
id=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/made")
grep -q "active" "$tmp/progress" || fail "no progress shown: $(cat "$tmp/progress")"
# Encrypted at layer 1: the key shows (never the key itself) and rotates on demand.
"$lp" connections create --kind wavelength --a dc-ashburn --z dc-hillsboro --mbps 100000 \
  --encryption layer1 --tenant acme --wait --json >"$tmp/sealed" 2>/dev/null || fail "create --encryption exit $?"
sealed=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/sealed")
"$lp" connections show "$sealed" >"$tmp/show" || fail "show of the encrypted one exit $?"
grep -qE "^  encryption: layer1, key [0-9a-f]{32}, next rotation" "$tmp/show" ||
  fail "show says nothing of the encryption: $(cat "$tmp/show")"
first=$(grep -oE "key [0-9a-f]{32}" "$tmp/show")
"$lp" connections rotate-key "$sealed" --wait >"$tmp/rotated" || fail "rotate-key --wait exit $?"
grep -qE "^$sealed key [0-9a-f]{32}$" "$tmp/rotated" || fail "rotate-key output: $(cat "$tmp/rotated")"
grep -q "$first" "$tmp/rotated" && fail "rotate-key kept the key: $(cat "$tmp/rotated")"
"$lp" connections delete "$sealed" --wait >/dev/null 2>&1 || fail "delete of the encrypted one exit $?"
# Booked for later: --wait says when it starts and succeeds, instead of timing out.
start=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
"$lp" connections create --kind wavelength --a dc-ashburn --z dc-hillsboro --mbps 100000 \
  --tenant acme --start "$start" --wait --wait-seconds 5 >/dev/null 2>"$tmp/booked" ||
  fail "a booked create --wait exit $?: $(cat "$tmp/booked")"
grep -q "starts at ${start%Z}" "$tmp/booked" || fail "a booked create did not say when: $(cat "$tmp/booked")"
booked=$(head -1 "$tmp/booked")
"$lp" connections delete "$booked" --wait >/dev/null 2>&1 || fail "delete of the booked one exit $?"
# A bulk transfer: admitted with its plan, listed, shown, cancelled; one too big for its
# deadline is refused with the earliest deadline that works.
deadline=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ)
"$lp" transfers create --a dc-ashburn-p3 --z dc-hillsboro-p3 --bytes 50TB --deadline "$deadline" \
  --tenant acme >"$tmp/xfer" 2>&1 || fail "transfers create exit $?: $(cat "$tmp/xfer")"
xfer=$(grep -o 'xfer_[0-9a-zA-Z]*' "$tmp/xfer" | head -1)
grep -q "scheduled" "$tmp/xfer" || fail "transfers create: $(cat "$tmp/xfer")"
"$lp" transfers list | grep -q "$xfer" || fail "transfers list: $("$lp" transfers list)"
"$lp" transfers show "$xfer" | grep -q "^conn_" || fail "transfers show: no legs"
"$lp" transfers delete "$xfer" | grep -q "cancelled" || fail "transfers delete"
"$lp" transfers create --a dc-ashburn-p3 --z dc-hillsboro-p3 --bytes 5PB --deadline "$deadline" \
  --tenant acme >/dev/null 2>"$tmp/xfer"
[ $? = 1 ] || fail "a transfer too big for its deadline must exit 1"
grep -q "the earliest deadline it can meet is" "$tmp/xfer" || fail "no earliest deadline: $(cat "$tmp/xfer")"
"$lp" admin check --data "$tmp/data" >"$tmp/out" 2>&1
[ $? = 1 ] || fail "admin check ran beside a running serve"
grep -q "in use by another Lightpath process" "$tmp/out" || fail "no reason given: $(cat "$tmp/out")"
"$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 >"$tmp/out" 2>&1
[ $? = 1 ] || fail "a second serve started on the same data directory"
# The URL serve prints, with a trailing slash or /v1/, reaches it too.
LIGHTPATH_URL="$LIGHTPATH_URL/" "$lp" connections list >/dev/null || fail "a URL ending in / exit $?"
"$lp" connections list --server "$LIGHTPATH_URL/v1/" >/dev/null || fail "a URL ending in /v1/ exit $?"
"$lp" connections show nope >/dev/null 2>&1
[ $? = 1 ] || fail "show of a missing connection must exit 1"
LIGHTPATH_API_KEY=lp_wrong "$lp" connections list >/dev/null 2>&1
[ $? = 4 ] || fail "a bad key must exit 4"
"$lp" connections list --server http://127.0.0.1:1 >/dev/null 2>&1
[ $? = 3 ] || fail "an unreachable server must exit 3"
# Profiles in a config file; flags and the environment win over them; YAML output.
printf '%s\n' "$key" >"$tmp/lab.key"
cat >"$tmp/config.yaml" <<EOF
default: lab
profiles:
  lab:
    server: $LIGHTPATH_URL
    api_key_file: $tmp/lab.key
    output: yaml
  nowhere:
    server: http://127.0.0.1:1
EOF
export LIGHTPATH_CONFIG=$tmp/config.yaml
(unset LIGHTPATH_URL LIGHTPATH_API_KEY; "$lp" connections list >"$tmp/yaml") || fail "the default profile: exit $?"
grep -q "^items:" "$tmp/yaml" && grep -q "^total: " "$tmp/yaml" || fail "no YAML from the profile: $(head -3 "$tmp/yaml")"
# A string that would read as a number stays a string (the term "1").
grep -q 'term: "1"' "$tmp/yaml" || fail "YAML output loses a string's type: $(grep term "$tmp/yaml" | head -2)"
(unset LIGHTPATH_URL; "$lp" connections list --profile nowhere >/dev/null 2>&1)
[ $? = 3 ] || fail "--profile nowhere must reach for its server"
"$lp" connections list --profile nowhere -o json >"$tmp/json" || fail "LIGHTPATH_URL wins over a profile"
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/json" || fail "-o json is not JSON"
"$lp" connections list --profile missing >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "no profile 'missing' (there are: lab, nowhere)" "$tmp/err" ||
  fail "an unknown profile: $(cat "$tmp/err")"
printf 'profiles: [\n' >"$tmp/bad.yaml"
LIGHTPATH_CONFIG=$tmp/bad.yaml "$lp" connections list >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "bad.yaml:[0-9]" "$tmp/err" || fail "a broken config file: $(cat "$tmp/err")"
"$lp" connections list -o xml >/dev/null 2>&1
[ $? = 2 ] || fail "-o xml must be refused"
unset LIGHTPATH_CONFIG
stop

start
grep -q "lp_" "$tmp/serve.out" && fail "a restart showed a key again"
"$lp" connections show "$id" >"$tmp/show" || fail "show after restart exit $?"
grep -q "active" "$tmp/show" || fail "the connection did not survive the restart: $(cat "$tmp/show")"
"$lp" connections delete "$id" --wait >/dev/null 2>&1 || fail "delete --wait exit $?"
"$lp" events --json | grep -q '"terminated"' || fail "events lack the termination"
stop

# HTTPS with a certificate from a YAML config; plain HTTP on that port is refused.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 || fail "openssl could not make a certificate"
printf 'listen: 127.0.0.1:0\nlog_level: warn\ntls:\n  certificate: %s\n  key: %s\n' "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/tls.yaml"
: >"$tmp/serve.out"
"$lp" serve --config "$tmp/tls.yaml" --data "$tmp/data" >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
https=$(grep -o 'https://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
[ -n "$https" ] || fail "no https URL: $(cat "$tmp/serve.out" "$tmp/serve.err")"
curl -sf --cacert "$tmp/cert.pem" "$https/healthz" >/dev/null || fail "healthz over TLS"
curl -sf --tls-max 1.1 --cacert "$tmp/cert.pem" "$https/healthz" >/dev/null 2>&1 && fail "TLS 1.1 was accepted"
curl -sf "${https/https/http}/healthz" >/dev/null 2>&1 && fail "plain HTTP answered on the TLS port"
LIGHTPATH_URL=$https "$lp" connections list >/dev/null 2>&1
[ $? = 3 ] || fail "the client must refuse an unknown certificate (exit 3)"
stop
printf 'tls:\n  certificate: %s\n' "$tmp/cert.pem" >"$tmp/half.yaml"
"$lp" serve --config "$tmp/half.yaml" --data "$tmp/data" --listen 127.0.0.1:0 >"$tmp/out" 2>&1
[ $? = 1 ] || fail "a certificate without a key must be refused"

printf 'listen: 127.0.0.1:0\ncolour: blue\n' >"$tmp/bad.yaml"
"$lp" serve --config "$tmp/bad.yaml" --data "$tmp/data" >"$tmp/out" 2>&1
[ $? = 1 ] || fail "an unknown setting must be refused"
grep -q "colour: unknown setting" "$tmp/out" || fail "the refusal does not name the setting: $(cat "$tmp/out")"

# JSON logs: one object per line, a line per change with its request id.
: >"$tmp/serve.out"
"$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 --log-format json >"$tmp/serve.out" 2>"$tmp/json.log" &
pid=$!
for _ in $(seq 100); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
LIGHTPATH_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
curl -s -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -H 'X-Request-Id: trace-me-1' \
  -d '{"id":"quote\"d"}' "$LIGHTPATH_URL/v1/tenants" >/dev/null
stop
/usr/bin/python3 - "$tmp/json.log" <<'PY' || fail "JSON logs"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert all({"time", "level", "msg"} <= set(l) for l in lines), lines
assert any("trace-me-1" in l["msg"] for l in lines), lines
PY
"$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 --log-format xml >"$tmp/out" 2>&1
[ $? = 1 ] || fail "an unknown log format must be refused"

# A server that answers 429: the client waits as Retry-After says and asks again.
printf 'rate_limit: 1\n' >"$tmp/slow.yaml"
: >"$tmp/serve.out"
"$lp" serve --data "$tmp/data" --config "$tmp/slow.yaml" --listen 127.0.0.1:0 --log-level warn \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
slow=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
for i in 1 2 3 4; do
  "$lp" connections list --server "$slow" --api-key "$key" >/dev/null 2>>"$tmp/busy" ||
    fail "list $i against a rate-limited server exit $?: $(cat "$tmp/busy")"
done
grep -q "asking again" "$tmp/busy" || fail "the client never met a 429 (rate limit not applied?)"
stop

[ "$failures" = 0 ] && echo "serve_test: all passed"
exit "$failures"
