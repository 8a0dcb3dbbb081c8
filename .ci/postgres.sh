#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL 15 server for the storage tests.
#
#   bash .ci/postgres.sh start   # prints `export TEST_DATABASE_URL=...` and writes it to $SIAGA_PG_DIR/env
#   . "${SIAGA_PG_DIR:-/tmp/siaga-pg}/env"
#   bash .ci/postgres.sh stop    # stops the server and deletes its data
#
# The server listens on 127.0.0.1 only, on a free port, trusts local connections,
# and runs without fsync: it holds nothing but test data. PostgreSQL refuses to
# run as root, so when started by root it runs as the user `nobody`.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
STATE_DIR=${SIAGA_PG_DIR:-/tmp/siaga-pg}
ENV_FILE="$STATE_DIR/env"
DATA_DIR="$STATE_DIR/data"
DB_USER=siaga
DB_NAME=siaga_test

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

install_if_missing() {
    if [ -x "$PG_BIN/initdb" ]; then
        return
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "postgres.sh: $PG_BIN/initdb not found; install postgresql-15" >&2
        exit 1
    fi
    echo "postgres.sh: installing postgresql-15" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running() {
    [ -f "$DATA_DIR/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

start() {
    if running && [ -f "$ENV_FILE" ]; then
        cat "$ENV_FILE"
        return
    fi
    install_if_missing
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    if [ "$(id -u)" = 0 ]; then
        chown nobody "$STATE_DIR"
    fi
    chmod 700 "$STATE_DIR"
    as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$DB_USER" --auth=trust -E UTF8 --locale=C >"$STATE_DIR/initdb.log" 2>&1 \
        || { cat "$STATE_DIR/initdb.log" >&2; exit 1; }
    local port
    port=$(free_port)
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$STATE_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        >/dev/null || { cat "$STATE_DIR/server.log" >&2; exit 1; }
    as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
    echo "export TEST_DATABASE_URL=postgresql+psycopg://$DB_USER@127.0.0.1:$port/$DB_NAME" >"$ENV_FILE"
    chmod 644 "$ENV_FILE"
    cat "$ENV_FILE"
}

stop() {
    if running; then
        as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
    fi
    rm -rf "$STATE_DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
