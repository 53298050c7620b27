#!/usr/bin/env bash
# The main job: set up, then start the demo web application on SQLite with the demo data —
# 高新区财政局 as reviewing body, 高新区应急管理局 with its nine 2023 target tables imported
# through the real import path — and the demo logins.  Open http://127.0.0.1:8000/.
# Options are passed to `jixiao demo` (--port, --data-dir, --host).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/jixiao demo "$@"
