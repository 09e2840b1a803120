# Sourced by the tests that run `lightpath serve` as a user would. Expects $lp (the binary) and
# $tmp (a scratch directory); sets $pid, $url and $key. fail() counts a failure in $failures
# and shows the end of what the server said.
pid=
failures=0
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL $*"; failures=$((failures + 1))
  echo "--- the server said:"; tail -5 "$tmp/serve.out" 2>/dev/null
}
# Starts the service on a free port of the loopback and waits until it serves.
start() {
  # Emptied here, not by the background job's redirection: that runs later, and the wait below
  # could read the previous run's "API:" line.
  : >"$tmp/serve.out"
  "$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 --log-level error >"$tmp/serve.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.05; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
  [ -n "$url" ] || { fail "serve did not start: $(cat "$tmp/serve.out")"; exit 1; }
  key=$(cat "$tmp/data/operator.key")
}
api() { curl -s -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
