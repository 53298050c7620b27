"""Django settings, all from the environment.  Nothing is read at import time of jixiao itself:
this module is loaded only when the web application starts.

- ``JIXIAO_DATA_DIR``: where the SQLite database and the secret key live (default ``./jixiao-data``).
- ``DATABASE_URL``: a PostgreSQL URL for production; SQLite in the data directory otherwise.
- ``JIXIAO_SECRET_KEY``: required in production; in demo mode one is generated into the data dir.
- ``JIXIAO_DEBUG`` (default off), ``JIXIAO_ALLOWED_HOSTS`` (comma-separated), ``JIXIAO_SECURE``
  (secure cookies and HSTS; on by default in ``jixiao serve``), ``JIXIAO_DEMO`` (demo accounts),
  ``JIXIAO_LOG_LEVEL`` (default INFO).
- ``JIXIAO_SEPARATION_OF_DUTIES`` (default on): the submitter of a project cannot review it.
- ``JIXIAO_TRUSTED_PROXY`` (default off): trust X-Forwarded-Proto/-For from a reverse proxy.
- ``JIXIAO_LOGIN_FAILURES_PER_ADDRESS`` (default 30): failed logins that lock an address.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR", "jixiao-data")).resolve()
DEMO = _flag("JIXIAO_DEMO")
DEBUG = _flag("JIXIAO_DEBUG")
SECURE = _flag("JIXIAO_SECURE", default=not DEMO and not DEBUG)


def _secret_key() -> str:
    """``JIXIAO_SECRET_KEY``, or (demo, development) a key generated once into the data directory.
    ``jixiao serve`` refuses to start without ``JIXIAO_SECRET_KEY``."""
    configured = os.environ.get("JIXIAO_SECRET_KEY")
    if configured:
        return configured
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JIXIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "jixiao.web.apps.LoginRecordsConfig",  # django-axes, named in Chinese
    "jixiao.web",
]

MIDDLEWARE = [
    "jixiao.web.errors.ApiTrailingSlash",
    "jixiao.web.errors.NoNulInQuery",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "jixiao.web.errors.ApiErrorShape",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.views.context",
            ]
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'jixiao.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60)
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # IMMEDIATE: a transaction takes the write lock when it begins, so two saves of one
    # project are serialised and the second one sees the first one's version.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock the username + address for 15 minutes, and
# JIXIAO_LOGIN_FAILURES_PER_ADDRESS (default 30) failures over any user names lock the
# address (jixiao.web.throttle).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "jixiao.web.throttle.AddressAwareHandler"
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("JIXIAO_LOGIN_FAILURES_PER_ADDRESS", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "jixiao/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True  # serve the app's own files without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

# Separation of duties: whoever submitted a project cannot approve or return it (a user who
# is both 填报人 and 审核人 of a unit).  On unless JIXIAO_SEPARATION_OF_DUTIES=0.
SEPARATION_OF_DUTIES = _flag("JIXIAO_SEPARATION_OF_DUTIES", default=True)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_HSTS_SECONDS = 31536000
# Behind a reverse proxy (nginx…) that terminates HTTPS, sets X-Forwarded-Proto and
# X-Forwarded-For and drops any the client sent: JIXIAO_TRUSTED_PROXY=1.  Never on by
# default: without such a proxy anyone could claim HTTPS or another address.
TRUSTED_PROXY = _flag("JIXIAO_TRUSTED_PROXY")
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = 1

# Everything is served by the application itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Logs go to standard error, in gunicorn's format, next to its error log: under systemd into
# the journal.  JIXIAO_LOG_LEVEL (DEBUG, INFO, WARNING, ERROR, CRITICAL; default INFO) sets the
# level of both; `jixiao serve` refuses a wrong value before it starts.
LOG_LEVEL = os.environ.get("JIXIAO_LOG_LEVEL", "").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    LOG_LEVEL = "INFO"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "gunicorn": {
            "format": "[{asctime}] [{process}] [{levelname}] {name}: {message}",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
            "style": "{",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "gunicorn"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handlers (console only with DEBUG, mail to admins) give way to the above.
    "loggers": {"django": {"level": LOG_LEVEL, "handlers": [], "propagate": True}},
}
