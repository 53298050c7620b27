#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster from the installed server binaries and print the
# DATABASE_URL to use, and a PATH with the client programs of the same version first (pg_dump,
# pg_restore and psql, for the backup tests).  Usage: eval "$(bash scripts/postgres.sh start DIR)"; bash scripts/postgres.sh stop DIR
set -euo pipefail
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then bin=$(dirname "$(command -v initdb)"); fi
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
    start)
        mkdir -p "$dir"
        if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
        port=$(( 40000 + RANDOM % 20000 ))
        as_owner "$bin/initdb" -D "$dir/data" -A trust -U jixiao -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
            -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
        host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir")
        echo "export DATABASE_URL='postgres://jixiao@$host:$port/postgres'"
        echo "export PATH='$bin':\"\$PATH\""
        ;;
    stop)
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$dir"
        ;;
esac
