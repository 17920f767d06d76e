#!/usr/bin/env bash
# Private PostgreSQL clusters for development and tests, kept under a git-ignored folder.
#   scripts/postgres.sh start DIR PORT   initialise (first time) and start; prints the database URL
#   scripts/postgres.sh stop DIR         fast shutdown
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" ]] || { echo "postgres.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# As root, the cluster's folder may sit under directories only root may enter (a checkout made
# with `mktemp -d`, a home folder): let the postgres user pass through them, without listing them.
grant_passage() {
  local d=$1
  while [[ $d != / ]]; do
    d=$(dirname "$d")
    runuser -u postgres -- test -x "$d" || chmod o+x "$d"
  done
}

start() {
  local dir=$1 port=$2 bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ $(id -u) == 0 ]]; then
    chown postgres:postgres "$dir"
    grant_passage "$dir"
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    mkdir -p "$dir/run" && [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir/run"
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" >/dev/null
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc "select 1 from pg_database where datname='chatd'" postgres | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres chatd
  fi
  echo "postgresql://postgres@127.0.0.1:$port/chatd"
}

stop() {
  local dir=$1
  [[ -f "$dir/data/PG_VERSION" ]] || return 0
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "${2:?DIR}" "${3:?PORT}" ;;
  stop) stop "${2:?DIR}" ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
