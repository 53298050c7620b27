#!/usr/bin/env bash
# Set up, then run every check: lint (ruff), types (mypy, strict on the core),
# and the whole test suite (pytest).  .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check src tests benchmarks
ruff format --check src tests benchmarks
echo "== mypy"
mypy
echo "== pytest"
pytest "$@"
