#!/bin/bash
# A TypeScript client generated from the API document compiles a customer's sample strictly and
# runs it against a live server: order, wait on events until active, delete, terminated.
# openapi-typescript, openapi-fetch and TypeScript are pinned in test/sdk/package-lock.json
# (scripts/install-npm.sh test/sdk); exits 77 (skipped) without them. Generation and compilation
# run without a network where the machine allows it.
# Usage: sdk_test.sh LIGHTPATH_BINARY
set -u
lp=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -x "$here/node_modules/.bin/tsc" ] || { echo "sdk_test: run scripts/install-npm.sh test/sdk first"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
offline=()
unshare --net true 2>/dev/null && offline=(unshare --net)

cp "$here/sample.ts" "$here/tsconfig.json" "$here/package.json" "$tmp/"
ln -s "$here/node_modules" "$tmp/node_modules"
cd "$tmp"
# A default is the server's to apply: a request may leave such a field out.
"${offline[@]}" node_modules/.bin/openapi-typescript "$root/lightpath/api/openapi.json" -o schema.d.ts \
  --default-non-nullable false \
  >gen.out 2>&1 || { echo "FAIL openapi-typescript: $(cat gen.out)"; exit 1; }
"${offline[@]}" node_modules/.bin/tsc -p tsconfig.json >tsc.out 2>&1 ||
  { echo "FAIL the sample does not compile against the generated client:"; cat tsc.out; exit 1; }

"$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 --log-level warn >serve.out 2>serve.err &
pid=$!
for _ in $(seq 100); do grep -q "API:" serve.out 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out | head -1)
[ -n "$url" ] || { echo "FAIL serve did not start: $(cat serve.out serve.err)"; exit 1; }
operator=$(cat data/operator.key)
api() { curl -sf -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' -X "$1" -d "$3" "$url$2"; }
api POST /v1/tenants '{"id":"acme","name":"Acme AI"}' >/dev/null || { echo "FAIL add tenant"; exit 1; }
for port in dc-ashburn-p1 dc-hillsboro-p1; do
  api PATCH "/v1/ports/$port" '{"tenant":"acme"}' >/dev/null || { echo "FAIL assign $port"; exit 1; }
done
key=$(api POST /v1/api-keys '{"tenant":"acme","role":"admin"}' |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])') || { echo "FAIL make a key"; exit 1; }
LIGHTPATH_URL=$url LIGHTPATH_API_KEY=$key LIGHTPATH_A=dc-ashburn-p1 LIGHTPATH_Z=dc-hillsboro-p1 \
  node out/sample.js >sample.out 2>&1 || { echo "FAIL the sample: $(cat sample.out)"; exit 1; }
cat sample.out
grep -q " is terminated " sample.out || { echo "FAIL the sample did not end terminated"; exit 1; }
echo "sdk_test: passed"
