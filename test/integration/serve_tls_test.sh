#!/bin/bash
# HTTPS by default beyond loopback: `serve` on 0.0.0.0 without a certificate makes a self-signed
# one in its data directory (key 0600), prints its fingerprint, keeps it across restarts, and
# answers HTTPS only; the CLI trusts it by --pin, refuses another pin with the reason and says
# what to do without one; --insecure-http and loopback listens stay plain HTTP. The test binds
# 0.0.0.0 but talks to 127.0.0.1 only.
# Usage: serve_tls_test.sh LIGHTPATH_BINARY
set -u
lp=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
source "$(dirname "$0")/serve_helpers.sh"
start_on() {  # LISTEN [FLAGS...]
  : >"$tmp/serve.out"
  "$lp" serve --data "$tmp/data" --listen "$@" --log-level error >"$tmp/serve.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.05; done
  port=$(grep -o 'API: *https\?://[^ ]*' "$tmp/serve.out" | grep -o ':[0-9]\+/' | tr -d :/)
  [ -n "$port" ] || { fail "serve did not start: $(cat "$tmp/serve.out")"; exit 1; }
  export LIGHTPATH_API_KEY
  LIGHTPATH_API_KEY=$(cat "$tmp/data/operator.key")
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null; pid=; }

start_on 0.0.0.0:0
grep -q "API: *https://" "$tmp/serve.out" || fail "not HTTPS beyond loopback: $(cat "$tmp/serve.out")"
grep -q "made a self-signed certificate" "$tmp/serve.out" || fail "no word of the certificate"
fp=$(grep -o 'fingerprint [0-9A-F:]*' "$tmp/serve.out" | cut -d' ' -f2)
[ "$(stat -c %a "$tmp/data/tls/key.pem")" = 600 ] || fail "the private key is readable by others"
want=$(openssl x509 -in "$tmp/data/tls/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2)
[ "$fp" = "$want" ] || fail "printed fingerprint $fp, the certificate's is $want"
curl -sf --cacert "$tmp/data/tls/cert.pem" "https://127.0.0.1:$port/healthz" >/dev/null ||
  fail "HTTPS with the certificate trusted does not answer"
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && fail "plain HTTP answered beyond loopback"
"$lp" locations --server "https://127.0.0.1:$port" --pin "$fp" >"$tmp/out" 2>&1 ||
  fail "the CLI with the pin: $(cat "$tmp/out")"
grep -q "dc-ashburn" "$tmp/out" || fail "the CLI with the pin got no locations: $(cat "$tmp/out")"
"$lp" locations --server "https://127.0.0.1:$port" --pin "$(echo "$fp" | tr A-F a-f | tr -d :)" \
  >/dev/null 2>&1 || fail "the pin in lower case without colons is not the same pin"
other=$(echo "$fp" | sed 's/^../00/')
"$lp" locations --server "https://127.0.0.1:$port" --pin "$other" >"$tmp/out" 2>&1 &&
  fail "another pin was accepted"
grep -q "not the pinned one (its fingerprint: $fp)" "$tmp/out" || fail "wrong pin: $(cat "$tmp/out")"
"$lp" locations --server "https://127.0.0.1:$port" >"$tmp/out" 2>&1 && fail "no pin, no CA: accepted"
grep -q -- "--pin" "$tmp/out" || fail "no pin: no hint: $(cat "$tmp/out")"
stop

start_on 0.0.0.0:0
grep -q "the self-signed certificate" "$tmp/serve.out" || fail "the certificate was not kept"
grep -q "fingerprint $fp" "$tmp/serve.out" || fail "the fingerprint changed across a restart"
stop

start_on 0.0.0.0:0 --insecure-http
grep -q "API: *http://" "$tmp/serve.out" || fail "--insecure-http: $(cat "$tmp/serve.out")"
grep -q "TLS:" "$tmp/serve.out" && fail "--insecure-http still speaks of TLS"
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || fail "--insecure-http: no plain HTTP"
stop

start_on 127.0.0.1:0
grep -q "API: *http://127.0.0.1" "$tmp/serve.out" || fail "loopback: $(cat "$tmp/serve.out")"
stop

[ "$failures" -eq 0 ] && echo "serve TLS: all passed"
exit $((failures > 0))
