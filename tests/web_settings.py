"""Settings for the tests: the application's settings, with a throwaway data directory.
The database is SQLite unless DATABASE_URL names a PostgreSQL server (scripts/test.sh runs both)."""

import os
import tempfile

os.environ.setdefault("JIXIAO_DATA_DIR", tempfile.mkdtemp(prefix="jixiao-test-"))
os.environ.setdefault("JIXIAO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("JIXIAO_SECURE", "0")

from jixiao.web.settings import *  # noqa: F403

# Hashing passwords with Argon2 a few hundred times would dominate the suite's time;
# test_web_security checks that the real settings put Argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from pathlib import Path as _Path

_Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
