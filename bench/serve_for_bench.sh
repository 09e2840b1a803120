# Sourced by the API benchmarks: starts `lightpath serve` ($lp, on its defaults, in $tmp/data)
# on a free port without a rate limit in the way, and stops it on exit. Sets $url, $key (the
# operator's) and api() (curl with that key).
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
printf 'listen: 127.0.0.1:0\nlog_level: warn\nrate_limit: 100000000\n' >"$tmp/bench.yaml"
"$lp" serve --config "$tmp/bench.yaml" --data "$tmp/data" >"$tmp/serve.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
key=$(cat "$tmp/data/operator.key")
api() { curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
