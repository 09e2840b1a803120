#!/bin/bash
# The docs' command blocks run as written: every block marked `<!-- docs_test: run -->` in
# README.md and docs/*.md, in order, one shell per file (so a block may use what an earlier one
# set), in a fresh directory beside a fresh `lightpath serve` started there (what
# `scripts/run.sh` does; its line is the one left out). The blocks say 127.0.0.1:8080: they run
# against this test's own port. A `--follow` runs for two seconds. A block fails the test when a
# command fails or an API reply is a problem (RFC 9457).
# Usage: docs_test.sh LIGHTPATH_BINARY   (exit 77, skipped, without curl or jq)
set -u
lp=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
  echo "SKIP: curl or jq missing (scripts/install-deps.sh installs them)"
  exit 77
fi
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0

# The marked blocks of FILE as one script, written for the port the server got.
blocks() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
text, port = open(sys.argv[1]).read(), sys.argv[2]
out = []
for block in re.findall(r"<!-- docs_test: run[^>]*-->\n```sh\n(.*?)```", text, re.S):
    for line in block.splitlines():
        if line.startswith("scripts/run.sh"):
            continue  # the server: started by the test, as run.sh would
        line = line.replace("127.0.0.1:8080", "127.0.0.1:" + port)
        if "--follow" in line:
            line = "timeout 2 " + line.split("#")[0].rstrip() + " || [ $? = 124 ]"
        out.append(line)
print("\n".join(out))
PY
}

for doc in "$root"/README.md "$root"/docs/*.md; do
  grep -q "<!-- docs_test: run" "$doc" || continue
  name=$(basename "$doc" .md)
  dir=$tmp/$name
  mkdir -p "$dir/build/apps/lightpath" "$dir/bin"
  ln -s "$lp" "$dir/build/apps/lightpath/lightpath"
  ln -s "$lp" "$dir/bin/lightpath"
  ln -s "$root/test" "$dir/test"  # the example files the docs name
  ln -s "$root/data" "$dir/data"
  cd "$dir" || exit 1
  "$lp" serve --listen 127.0.0.1:0 --log-level warn >serve.out 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q "API:" serve.out 2>/dev/null && break; sleep 0.05; done
  port=$(grep -o 'API: *http://127.0.0.1:[0-9]*' serve.out | grep -o '[0-9]*$')
  [ -n "$port" ] || { echo "FAIL $name: serve did not start: $(cat serve.out)"; exit 1; }
  blocks "$doc" "$port" >blocks.sh
  if ! PATH=$dir/bin:$PATH bash -e -o pipefail -x blocks.sh >run.out 2>&1; then
    echo "FAIL $name: a command failed:"; tail -15 run.out; failures=$((failures + 1))
  elif grep -q '"type":"/problems/' run.out; then
    echo "FAIL $name: an API call was refused:"; grep -B3 '"type":"/problems/' run.out | head -20
    failures=$((failures + 1))
  else
    echo "$name: $(grep -c '^+ ' run.out) commands ran"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null
  pid=
done
[ "$failures" -eq 0 ] && echo "docs: every marked block ran"
exit $((failures > 0))
