"""gunicorn hooks for `jixiao demo` and `jixiao serve` (``--config python:jixiao.web.gunicorn_conf``).

Only names that are gunicorn settings are read from this module."""

from __future__ import annotations

import os
from typing import Any


def when_ready(server: Any) -> None:
    """The demo runs in a terminal: a hang-up (the terminal closed, or SIGHUP) stops it as TERM
    does, instead of gunicorn's reload that would keep it running with nobody to stop it."""
    if os.environ.get("JIXIAO_DEMO") == "1":
        server.handle_hup = server.handle_term
