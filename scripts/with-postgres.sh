#!/usr/bin/env bash
# Runs "$@" against a throwaway PostgreSQL 15 server: a fresh data folder in a temp dir, listening on a free
# loopback port only (its socket in the temp dir too), stopped and removed afterwards whatever happens.
# Exports PGHOST PGPORT PGUSER PGDATABASE and DATABASE_URL for the command; exits with the command's status.
#   scripts/with-postgres.sh node --test tests/js/postgres.test.mjs
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ $# -eq 0 ]; then
  echo "usage: $0 command [args...]   (runs the command with a temporary PostgreSQL server)" >&2
  exit 2
fi
if [ ! -x "$BIN/initdb" ] || [ ! -x "$BIN/pg_ctl" ]; then
  echo "with-postgres: no PostgreSQL 15 server binaries in $BIN (the postgresql-15 package provides them)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")
# PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

started=""
cleanup() {
  if [ -n "$started" ]; then
    as_server "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      as_server "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
child=""
# A signal to this script reaches the command too, then the server is stopped (by the EXIT trap).
on_signal() {
  [ -n "$child" ] && kill "-$1" "$child" 2>/dev/null && wait "$child" 2>/dev/null
  exit "$2"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

# Trust auth: a throwaway server for tests, on loopback only, its socket in a folder only the server user can enter.
# fsync=off: a throwaway server never needs to survive a power cut, and tests run much faster without it.
as_server "$BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}

free_port() {
  node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

# Another process may take the port between the probe and the server's bind: try a few.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  if as_server "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
    started=yes
    break
  fi
  if [ "$attempt" -eq 5 ]; then
    echo "with-postgres: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
  fi
done

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') is up at $DATABASE_URL"

# In the background (stdin kept) so a signal is handled at once rather than after the command ends.
"$@" <&0 &
child=$!
status=0
wait "$child" || status=$?
exit "$status"
