"""Settings for the tests: the application's settings, with a throwaway data directory.
The database is SQLite unless DATABASE_URL names a PostgreSQL server (scripts/test.sh runs both).

Importing them creates nothing (mypy's Django plugin imports them and ends without cleaning up):
the test session makes the data directory and removes it at its end (tests/conftest.py)."""

import os
import tempfile
import uuid
from pathlib import Path

# The data directory this process chose, and so owns; None when JIXIAO_DATA_DIR was given.
OWN_DATA_DIR: Path | None = None
if "JIXIAO_DATA_DIR" not in os.environ:
    OWN_DATA_DIR = Path(tempfile.gettempdir()) / f"jixiao-test-{uuid.uuid4().hex[:12]}"
    os.environ["JIXIAO_DATA_DIR"] = str(OWN_DATA_DIR)
os.environ.setdefault("JIXIAO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("JIXIAO_SECURE", "0")

from jixiao.web.settings import *  # noqa: E402, F403

# Hashing passwords with Argon2 a few hundred times would dominate the suite's time;
# test_production_settings_use_argon2_and_secure_cookies checks the real settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not SQLite's shared in-memory database: its locking is the one production has.
_database = DATABASES["default"]  # noqa: F405
if _database["ENGINE"].endswith("sqlite3"):
    _database["TEST"] = {"NAME": str(Path(os.environ["JIXIAO_DATA_DIR"]) / "test.sqlite3")}
