#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the tests (Debian's package, installed if
# missing), in DIR on PORT, with role/database "bot"; prints its SQLAlchemy URL.
# Stop it with: scripts/postgres_for_tests.sh stop DIR
# `pause` stops it keeping its data and `resume` starts it again (a database restart, for
# the fault tests).
set -euo pipefail
dir=${2:-/tmp/bot-test-postgres}
port=${3:-55432}
case "${1:-start}" in
  stop)
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    exit 0 ;;
  pause)
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    exit 0 ;;
  resume)
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" \
      -l "$dir/log" -w start >/dev/null
    exit 0 ;;
esac
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ -f "$dir/postmaster.pid" ] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "a server already uses $dir or port $port: stop it, or give another DIR and PORT" >&2
  exit 1
fi
rm -rf "$dir" && mkdir -p "$dir" && chown postgres "$dir"
runuser -u postgres -- "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" \
  -l "$dir/log" -w start >/dev/null
runuser -u postgres -- psql -q -h 127.0.0.1 -p "$port" -c "CREATE ROLE bot LOGIN PASSWORD 'bot'" >/dev/null
runuser -u postgres -- psql -q -h 127.0.0.1 -p "$port" -c "CREATE DATABASE bot OWNER bot" >/dev/null
echo "postgresql://bot:bot@127.0.0.1:$port/bot"
