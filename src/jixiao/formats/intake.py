"""Rows from a format reader to the table reader, within the import's budget.

Every reader's rows pass through here: the deadline is checked between rows, the rows
and cells are counted against the limits, and the characters no page or file may hold
(``core.bounds.bad_character``: controls, lone surrogates, noncharacters) are removed —
said once, with the first place, as a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from jixiao.core.bounds import without_bad_characters
from jixiao.core.findings import make_finding
from jixiao.core.source import Source
from jixiao.formats.base import INVISIBLE, ReadResult, refused
from jixiao.formats.limits import Budget, LimitExceeded
from jixiao.formats.reading import Row, read_rows


@dataclass
class _Replaced:
    characters: int = 0
    cells: int = 0
    first: Source | None = None


def _guarded(rows: Iterable[Row], budget: Budget, replaced: _Replaced) -> Iterator[Row]:
    cells = 0
    for count, row in enumerate(rows, start=1):
        budget.tick()
        cells += len(row.cells)
        budget.require("rows", count, at_least=True)
        budget.require("cells", cells, at_least=True)
        if not all(c.isprintable() for c in row.cells):
            cleaned = [without_bad_characters(c) for c in row.cells]
            bad = [i for i, (_, removed) in enumerate(cleaned) if removed]
            if bad:
                replaced.characters += sum(removed for _, removed in cleaned)
                replaced.cells += len(bad)
                if replaced.first is None:
                    replaced.first = row.at(bad[0])
                row = row.with_cells([text.strip() for text, _ in cleaned])
        yield row


def read_guarded(rows: Iterable[Row], path: str, kind: str, budget: Budget) -> ReadResult:
    """``read_rows`` over ``rows`` within ``budget``; a limit exceeded is a refusal."""
    replaced = _Replaced()
    try:
        result = read_rows(_guarded(rows, budget, replaced), path, kind)
    except LimitExceeded as error:
        return refused(path, error)
    if not replaced.characters or result.fatal:
        return result
    finding = make_finding(
        INVISIBLE,
        f"{replaced.cells} 个单元格中有 {replaced.characters} 个控制字符或无效字符"
        f"（第一处在 {replaced.first}），已删除",
        replaced.first or Source(path=path),
    )
    return replace(result, findings=(finding, *result.findings))


class Reader(Protocol):
    def __call__(self, data: bytes, path: str = "", budget: Budget | None = None) -> ReadResult:
        """Read ``data`` (from ``path``) within ``budget``."""


def limited(read: Callable[[bytes, str, Budget], ReadResult]) -> Reader:
    """A reader's ``read(data, path, budget=None)``: a fresh budget when none is given, and a
    limit exceeded anywhere in the reader a refusal (never an exception)."""

    def reader(data: bytes, path: str = "", budget: Budget | None = None) -> ReadResult:
        budget = budget or Budget()
        try:
            result = read(data, path, budget)
        except LimitExceeded as error:
            return refused(path, error)
        # A library that caught the exception (and read on, or gave up) read too much.
        return refused(path, budget.exceeded) if budget.exceeded else result

    reader.__doc__ = read.__doc__
    return reader
