#!/usr/bin/env bash
# Set up, then run every check: lint (ruff), types (mypy, strict on the core), and the whole
# test suite (pytest) on SQLite; then the web integration tests again on a real PostgreSQL
# (a throwaway cluster).  Browser tests run in the system's headless Chromium.
# .ci/run runs exactly this.  Under CI=true nothing may be skipped for a missing server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check src tests benchmarks
ruff format --check src tests benchmarks
echo "== mypy"
mypy
echo "== pytest (SQLite)"
pytest "$@"
echo "== pytest tests/web (PostgreSQL)"
pgdir=$(mktemp -d /tmp/jixiao-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
eval "$(bash scripts/postgres.sh start "$pgdir")"
pytest tests/web -p no:cacheprovider "$@"
