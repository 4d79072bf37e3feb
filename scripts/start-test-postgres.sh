#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the relay tests and prints the line to export:
#   eval "$(bash scripts/start-test-postgres.sh)"    # sets ARES_TEST_DATABASE_URL
# Run as root (CI) or as a user that may write to the chosen folder. PostgreSQL refuses to run as
# root, so as root the cluster belongs to the `postgres` user. Listens on 127.0.0.1 only, on a free port.
# Stop it with: bash scripts/start-test-postgres.sh --stop
set -euo pipefail

bin_dir="${POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}"
base_dir="${ARES_TEST_POSTGRES_DIR:-/tmp/ares-test-postgres}"
data_dir="$base_dir/data"
log_file="$base_dir/server.log"

if [ ! -x "$bin_dir/initdb" ]; then
  echo "PostgreSQL 15 binaries not found in $bin_dir (install the Debian package: apt-get install -y postgresql)." >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  [ -f "$data_dir/postmaster.pid" ] && as_owner "$bin_dir/pg_ctl" -D "$data_dir" -m fast stop >&2 || true
  rm -rf "$base_dir"
  exit 0
fi

# A cluster from an earlier run is reused if it is still running; otherwise start afresh.
if [ -f "$base_dir/url" ] && [ -f "$data_dir/postmaster.pid" ] && as_owner "$bin_dir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
  echo "export ARES_TEST_DATABASE_URL='$(cat "$base_dir/url")'"
  exit 0
fi
[ -f "$data_dir/postmaster.pid" ] && as_owner "$bin_dir/pg_ctl" -D "$data_dir" -m immediate stop >/dev/null 2>&1 || true
rm -rf "$base_dir"
mkdir -p "$base_dir"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$base_dir"

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
as_owner "$bin_dir/initdb" -D "$data_dir" -U ares --auth=trust --encoding=UTF8 --no-locale >/dev/null
# Throwaway: durability is not what the tests measure, so fsync is off unless ARES_TEST_POSTGRES_DURABLE=1
# (the benchmarks set it: "durably committed" must mean fsync'd there).
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${ARES_TEST_POSTGRES_DURABLE:-0}" = "1" ] && durability="-c fsync=on -c synchronous_commit=on"
as_owner "$bin_dir/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$base_dir -c max_connections=300 $durability" \
  start >/dev/null
as_owner "$bin_dir/createdb" -h 127.0.0.1 -p "$port" -U ares ares_test

url="postgres://ares@127.0.0.1:$port/ares_test"
echo "$url" > "$base_dir/url"
echo "export ARES_TEST_DATABASE_URL='$url'"
