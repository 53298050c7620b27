#!/usr/bin/env bash
# Set up jixiao on a fresh machine that has Python 3.11+ and a package manager:
# a virtual environment in .venv with the locked dependencies (requirements.lock,
# with hashes) and jixiao itself installed in editable mode.
# With --test: also the servers the tests use, from the system's packages: PostgreSQL
# (a throwaway cluster is started from its binaries), Chromium (browser tests) and gettext's
# msgfmt (the compiled translations checked against their source).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1 || ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "jixiao 需要 Python 3.11 或更高版本（当前：$("$PYTHON" --version 2>&1 || echo 未安装)）。" >&2
    exit 1
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
    command -v apt-get >/dev/null 2>&1 || { echo "请用系统的包管理器安装：$*" >&2; return 1; }
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
        # Debian and Ubuntu ship venv separately.
        rm -rf .venv
        apt_install python3-venv || true
        "$PYTHON" -m venv .venv
    fi
fi

stamp=.venv/.jixiao-lock.sha256
want=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
    echo "$want" > "$stamp"
fi

# A Chinese TrueType font to embed in exported PDFs (a 宋体-style font; nothing is
# downloaded at run time).  JIXIAO_PDF_FONT may name another .ttf/.ttc instead.
if [ -z "${JIXIAO_PDF_FONT:-}" ] && [ ! -f /usr/share/fonts/truetype/arphic/uming.ttc ]; then
    apt_install fonts-arphic-uming
fi

if [ "${1:-}" = "--test" ]; then
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
        apt_install postgresql
    fi
    if ! command -v chromium >/dev/null 2>&1; then
        apt_install chromium
    fi
    if ! command -v msgfmt >/dev/null 2>&1; then
        apt_install gettext  # msgfmt: the test that the compiled translations match their source
    fi
fi
