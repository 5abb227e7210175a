#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL (127.0.0.1:5432) for DATABASE_READ_URL experiments.
#   bench/replica.sh start <dir> <port>   pg_basebackup -R into <dir>, start a hot standby on <port>,
#                                          print its server URL (postgres://postgres@127.0.0.1:<port>)
#   bench/replica.sh stop <dir>           stop it and remove <dir>
# Runs the server as the postgres user (runuser); allows local replication connections in the
# primary's pg_hba.conf if they are not allowed yet (idempotent, then reloads).
set -euo pipefail

PRIMARY_HOST=127.0.0.1
PRIMARY_PORT=5432
BIN="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

allow_replication() {
  local hba
  hba="$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -Atc 'show hba_file')"
  local changed=0
  if [ -n "$(tail -c1 "$hba")" ]; then echo >>"$hba"; fi
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo 'host replication all 127.0.0.1/32 trust' >>"$hba"; changed=1
  fi
  if ! grep -Eq '^[[:space:]]*local[[:space:]]+replication[[:space:]]+all' "$hba"; then
    echo 'local replication all trust' >>"$hba"; changed=1
  fi
  if [ "$changed" = 1 ]; then psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -Atqc 'select pg_reload_conf()' >/dev/null; fi
}

# A hot standby refuses to start with fewer of these than its primary.
primary_settings() {
  psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -Atc \
    "select name || ' = ' || setting from pg_settings where name in ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')"
}

start() {
  local dir="$1" port="$2"
  allow_replication
  mkdir -p "$dir"
  chown postgres: "$dir" 2>/dev/null || true
  chmod 700 "$dir"
  as_postgres pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$dir/data" -R -X stream -c fast >/dev/null
  # Debian keeps the primary's configuration under /etc; the copy gets a minimal one of its own.
  as_postgres tee "$dir/data/postgresql.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
shared_buffers = 64MB
fsync = off
$(primary_settings)
CONF
  as_postgres tee "$dir/data/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  as_postgres touch "$dir/data/pg_ident.conf"
  as_postgres "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port"
}

stop() {
  local dir="$1"
  if [ -f "$dir/data/postmaster.pid" ]; then as_postgres "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?dir}" "${3:?port}" ;;
  stop) stop "${2:?dir}" ;;
  *) echo "usage: $0 start <dir> <port> | stop <dir>" >&2; exit 2 ;;
esac
