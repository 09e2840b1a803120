#!/bin/bash
# A throwaway PostgreSQL server on loopback, for tests and benchmarks of the shared store.
#
#   scripts/postgres.sh start DIR [PORT]   # prints postgresql://lightpath:lightpath@127.0.0.1:PORT/lightpath
#   scripts/postgres.sh restart DIR        # stop and start again (same port, same data)
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh run CMD ARGS...    # CMD with LIGHTPATH_TEST_POSTGRES (the URL) and
#                                          # LIGHTPATH_TEST_POSTGRES_RESTART (a command) set
#
# fsync is off (a test server loses nothing it needs) unless PG_FSYNC=on. Exits 77 when no
# PostgreSQL server is installed. As root, the server runs as the postgres user.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: no PostgreSQL server installed (scripts/install-deps.sh)" >&2
  exit 77
fi

as_server() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

# Below the kernel's ephemeral range (32768 up), where other tests' outgoing connections live.
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 12000))
    (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo $port; return; }
  done
}

pg_start() {
  local dir=$1 port=$2
  as_server "$bin/pg_ctl -D $dir/data -l $dir/server.log -w -t 60 -o \
    '-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${PG_FSYNC:-off} \
     -c max_connections=200' start" >/dev/null
}

start() {
  local dir=$1 port=${2:-$(free_port)}
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_server "$bin/initdb -D $dir/data -U postgres -A trust --no-sync -E UTF8 >$dir/initdb.log"
  # A free port can be taken before the server binds it: another one then, a few times.
  local tries=1
  until pg_start "$dir" "$port"; do
    if [ $tries -ge 5 ] || [ -n "${2:-}" ] || ! grep -q "Address already in use" "$dir/server.log"; then
      echo "postgres.sh: the server did not start; $dir/server.log says:" >&2
      tail -5 "$dir/server.log" >&2
      return 1
    fi
    tries=$((tries + 1))
    port=$(free_port)
  done
  as_server "$bin/psql -h 127.0.0.1 -p $port -U postgres -qc \
    \"CREATE ROLE lightpath LOGIN PASSWORD 'lightpath'\" -c 'CREATE DATABASE lightpath OWNER lightpath'"
  echo "$port" >"$dir/port"
  echo "postgresql://lightpath:lightpath@127.0.0.1:$port/lightpath"
}

stop() {
  as_server "$bin/pg_ctl -D $1/data -m fast -w stop" >/dev/null 2>&1 || true
}

case ${1:-} in
start) start "$2" "${3:-}" ;;
stop) stop "$2" ;;
restart)
  stop "$2"
  pg_start "$2" "$(cat "$2/port")"
  ;;
run)
  shift
  dir=$(mktemp -d /tmp/lightpath-pg.XXXXXX)
  trap 'stop "$dir"; rm -rf "$dir"' EXIT
  LIGHTPATH_TEST_POSTGRES=$(start "$dir")
  export LIGHTPATH_TEST_POSTGRES
  export LIGHTPATH_TEST_POSTGRES_RESTART="$0 restart $dir"
  status=0
  "$@" || status=$?
  exit $status
  ;;
*)
  sed -n '2,11p' "$0"
  exit 2
  ;;
esac
