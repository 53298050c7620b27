"""Readers and writers by name: registered here, not hard-wired in the callers.

A reader module has ``NAME``, ``identify(data) -> bool`` and
``read(data, path, budget=None) -> ReadResult`` (the budget of the import:
``jixiao.formats.limits``); a writer has ``EXTENSION`` and
``write(projects, layout, summary) -> bytes``.  Readers are tried in order;
the text reader comes last because it is the most tolerant.
"""

from __future__ import annotations

from types import ModuleType

EXPORT_FORMATS = ("xlsx", "docx", "pdf", "html", "json")
SUMMARY_FORMATS = ("xlsx", "html")


def readers() -> tuple[ModuleType, ...]:
    from jixiao.formats import docx, html, json, pdf, text, xlsx

    return (json, xlsx, docx, pdf, html, text)


def writer(name: str) -> ModuleType:
    from jixiao.formats import docx, html, json, pdf, xlsx

    return {"xlsx": xlsx, "docx": docx, "pdf": pdf, "html": html, "json": json}[name]


def reader_checks() -> tuple[object, ...]:
    from jixiao.formats import base, json, reading

    return (base.UNREADABLE, base.LIMIT, base.INVISIBLE, *reading.CHECKS, *json.CHECKS)
