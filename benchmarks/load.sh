#!/usr/bin/env bash
# The load test at province scale: locust (headless) against `jixiao serve` (gunicorn) on
# PostgreSQL, first one app server, then two sharing the database.
#
#   eval "$(bash scripts/postgres.sh start /tmp/prov/pg)"         # or any PostgreSQL
#   .venv/bin/python -m benchmarks.province --projects 200000 --units 2000
#   .venv/bin/pip install --require-hashes -r benchmarks/requirements.lock   # locust
#   bash benchmarks/load.sh [DURATION] [USERS]
#
# Each run first puts back the projects earlier runs approved (benchmarks.province
# --waiting-again): the reviewers would otherwise run out of work after a few runs.
# Phase 1: USERS people (default 50) working as people do (1–3 s between requests) for
# DURATION (default 5m) on one server: p50/p95/p99 per request.  The statistics start once
# every user has logged in and fetched its lists (benchmarks/load.py; the start-up's own times
# go to the log): 50 logins at once (Argon2, deliberately slow) are not the steady state.
# Phase 2: the same people
# with no pause, 1 minute on one server, then 1 minute on two (capacity, requests/s).
# Results (locust's CSV files and the printed tables) go to benchmarks/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name the province database}"
duration=${1:-5m}
users=${2:-50}
workers=${JIXIAO_WORKERS:-$((2 * $(nproc) + 1))}  # as jixiao serve by default
out=benchmarks/results
mkdir -p "$out"
export JIXIAO_SECRET_KEY=${JIXIAO_SECRET_KEY:-load-test-only-$RANDOM$RANDOM}
export JIXIAO_LOG_LEVEL=${JIXIAO_LOG_LEVEL:-warning}
# Plain HTTP on the loopback: secure (HTTPS-only) cookies off, as behind a TLS proxy that is
# not part of the test.
export JIXIAO_SECURE=0
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_server() {  # port
    JIXIAO_DATA_DIR=$(mktemp -d) .venv/bin/jixiao serve --host 127.0.0.1 --port "$1" --workers "$workers" \
        >"$out/server-$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 120); do
        if curl -fs "http://127.0.0.1:$1/healthz" >/dev/null; then return 0; fi
        sleep 0.5
    done
    echo "the server on port $1 did not start:" >&2; cat "$out/server-$1.log" >&2; exit 1
}

run() {  # name hosts wait duration
    JIXIAO_HOSTS=$2 JIXIAO_LOAD_WAIT=$3 .venv/bin/locust -f benchmarks/load.py --headless \
        -u "$users" -r 10 -t "$4" --reset-stats --csv "$out/$1" --only-summary --loglevel WARNING \
        >"$out/$1.log" 2>&1 || true
    .venv/bin/python -m benchmarks.load_report "$out/$1_stats.csv" "$1" \
        || { echo "locust sent no request: see $out/$1.log" >&2; tail -20 "$out/$1.log" >&2; exit 1; }
}

# The projects earlier runs approved wait for review again: every run starts from the same state.
.venv/bin/python -m benchmarks.province --waiting-again
echo "machine: $(nproc) cores, $(python3 -c 'import os; print(round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30))') GiB; $workers gunicorn sync workers per app server (one request at a time each)"
start_server 8001
run one-server http://127.0.0.1:8001 1-3 "$duration"
run capacity-one http://127.0.0.1:8001 0 1m
start_server 8002
run capacity-two http://127.0.0.1:8001,http://127.0.0.1:8002 0 1m
