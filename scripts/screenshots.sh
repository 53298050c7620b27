#!/usr/bin/env bash
# Refresh docs/screenshots/*.png: runs the end-to-end story in headless Chromium at 1366×768
# and keeps the screenshots it takes of the main screens.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
JIXIAO_SCREENSHOTS="$PWD/docs/screenshots" .venv/bin/pytest tests/e2e -q -p no:cacheprovider
ls -l docs/screenshots
