"""Readers and writers by name: registered here, not hard-wired in the callers.

A reader module has ``NAME``, ``identify(data) -> bool`` and
``read(data, path) -> ReadResult``; a writer has ``write(projects) -> bytes``.
Readers are tried in order; the text reader comes last because it is the
most tolerant.
"""

from __future__ import annotations

from types import ModuleType


def readers() -> tuple[ModuleType, ...]:
    from jixiao.formats import json, text

    return (json, text)


def writers() -> dict[str, ModuleType]:
    from jixiao.formats import json

    return {"json": json}


def reader_checks() -> tuple[object, ...]:
    from jixiao.formats import base, json, text

    return (base.UNREADABLE, *text.CHECKS, *json.CHECKS)
