#!/bin/bash
# `cmake --install` as an operator runs it: the executable, the portal and the systemd unit land
# under the prefix, and the installed executable serves the portal from there, run from anywhere.
# Usage: install_test.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.out" 2>&1 ||
  { echo "FAIL cmake --install: $(cat "$tmp/install.out")"; exit 1; }
lp=$tmp/prefix/bin/lightpath
[ -x "$lp" ] || fail "no bin/lightpath"
"$lp" --version | grep -q "^lightpath " || fail "the installed executable does not run"
[ -f "$tmp/prefix/share/man/man1/lightpath.1" ] || fail "no man page"
grep -q "^_lightpath()" "$tmp/prefix/share/bash-completion/completions/lightpath" ||
  fail "no bash completion"
unit=$tmp/prefix/lib/systemd/system/lightpath.service
[ -f "$unit" ] || fail "no systemd unit"
grep -q "^ExecStart=$tmp/prefix/bin/lightpath serve " "$unit" || fail "the unit does not start the installed executable"
# The unit's syntax, where this machine's systemd can check units at all (a trivial one first).
printf '[Service]\nExecStart=/bin/true\n' >"$tmp/probe.service"
if systemd-analyze verify "$tmp/probe.service" >/dev/null 2>&1; then
  sed "s|^User=.*|User=root|; s|^Group=.*|Group=root|" "$unit" >"$tmp/lightpath.service"
  systemd-analyze verify "$tmp/lightpath.service" >"$tmp/verify.out" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$tmp/verify.out")"
else
  echo "install_test: systemd-analyze cannot verify units here: the unit's check skipped"
fi
web=$tmp/prefix/share/lightpath/web
if [ -f "$(dirname "$0")/../../web/dist/index.html" ]; then
  [ -f "$web/index.html" ] || fail "the built portal was not installed"
  (cd / && exec "$lp" serve --data "$tmp/data" --listen 127.0.0.1:0 --log-level warn >"$tmp/serve.out" 2>&1) &
  pid=$!
  for _ in $(seq 100); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
  [ -n "$url" ] || fail "the installed serve did not start: $(cat "$tmp/serve.out")"
  curl -sf "$url/" | grep -q "<html" || fail "the installed serve does not serve the portal"
  kill -TERM "$pid"; wait "$pid"; pid=
else
  echo "install_test: the portal is not built (scripts/build-web.sh): its part skipped"
fi

[ "$failures" = 0 ] && echo "install_test: all passed"
exit "$failures"
