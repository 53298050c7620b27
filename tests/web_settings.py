"""Settings for the tests: the application's settings, with a throwaway data directory.
The database is SQLite unless DATABASE_URL names a PostgreSQL server (scripts/test.sh runs both)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("JIXIAO_DATA_DIR", tempfile.mkdtemp(prefix="jixiao-test-"))
os.environ.setdefault("JIXIAO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("JIXIAO_SECURE", "0")

from jixiao.web.settings import *  # noqa: F403
from jixiao.web.settings import STATIC_ROOT

# Hashing passwords with Argon2 a few hundred times would dominate the suite's time;
# test_production_settings_use_argon2_and_secure_cookies checks the real settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# A file, not SQLite's shared in-memory database: its locking is the one production has.
_database = DATABASES["default"]  # noqa: F405
if _database["ENGINE"].endswith("sqlite3"):
    _database["TEST"] = {"NAME": str(Path(os.environ["JIXIAO_DATA_DIR"]) / "test.sqlite3")}
