"""The reader's vocabulary (``vocabulary.json``): what a cell says, looked up.

Every lookup goes through ``keys``: the cell without spaces, colons and marks, then
without its numbering ("二、", "(一)", "1."), a leading "其中", and a trailing note in
brackets ("资金情况(万元)" → "资金情况", note "万元").  A new label of a province is
one line in the JSON file, not code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jixiao.formats.reading.rows import label_key

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))"
)
_NOTE = re.compile(r"[(（]([^()（）]*)[)）]$")


@dataclass(frozen=True)
class Match:
    """A vocabulary hit: what the cell is (``value``) and the note in brackets, if any."""

    value: str
    note: str = ""


@dataclass(frozen=True)
class _Prefilter:
    """Whether a text may be furniture at all: the anchored patterns matched once at the
    start, the others searched once, before asking which kind it is."""

    anchored: re.Pattern[str]
    floating: re.Pattern[str]

    def search(self, text: str) -> bool:
        return bool(self.anchored.match(text) or self.floating.search(text))


def _no_groups(pattern: str) -> str:
    return re.sub(r"(?<!\\)[(](?![?])", "(?:", pattern)


TABLES = (
    "labels",
    "funds",
    "sections",
    "goals",
    "grid",
    "budget_columns",
    "budget_rows",
)


@dataclass(frozen=True)
class Vocabulary:
    tables: dict[str, dict[str, str]]  # table name → {key: what the cell is}
    cut: dict[tuple[str, str], str]  # (table, key without its first character) → what it is
    titles: frozenset[str]
    fragments: frozenset[str]
    totals: frozenset[str]
    grades: frozenset[str]
    end_of_grid: frozenset[str]
    qualitative: tuple[str, ...]
    units: tuple[str, ...]
    furniture: dict[str, re.Pattern[str]]  # kind → its patterns as one expression
    any_furniture: _Prefilter

    def label(self, text: str) -> Match | None:
        return lookup("labels", text)

    def fund(self, text: str) -> Match | None:
        return lookup("funds", text)

    def section(self, text: str) -> Match | None:
        return lookup("sections", text)

    def goal(self, text: str) -> Match | None:
        return lookup("goals", text)

    def column(self, text: str) -> Match | None:
        return lookup("grid", text)

    def budget_column(self, text: str) -> Match | None:
        return lookup("budget_columns", text)

    def budget_row(self, text: str) -> Match | None:
        return lookup("budget_rows", text)

    def is_total(self, text: str) -> bool:
        return _in_set("totals", text)

    def is_grade(self, text: str) -> bool:
        return _in_set("grades", text)

    def ends_grid(self, text: str) -> bool:
        return _in_set("end_of_grid", text)

    def furniture_kind(self, text: str) -> tuple[str, re.Match[str]] | None:
        if not self.any_furniture.search(text):
            return None  # most cells: one search instead of one per kind
        for kind, pattern in self.furniture.items():
            found = pattern.search(text)
            if found:
                return kind, found
        return None


def keys(text: str) -> Iterator[tuple[str, str]]:
    """Candidate keys of a cell, most literal first, each with the note it dropped."""
    key = label_key(text)
    yield key, ""
    bare = _NUMBERING.sub("", key)
    if bare.startswith("其中"):
        bare = bare[2:]
    bare = _NUMBERING.sub("", bare)
    if bare != key:
        yield bare, ""
    note = _NOTE.search(bare)
    if note and note.start() > 0:
        yield bare[: note.start()], note.group(1)
        inner = _NOTE.search(bare[: note.start()])
        if inner and inner.start() > 0:
            yield bare[: inner.start()], inner.group(1)


def lookup(table: str, text: str) -> Match | None:
    """What ``text`` is in one of the vocabulary's tables, or None."""
    return _matches(text).get(table)


_NONE: dict[str, Match] = {}


@lru_cache(maxsize=131072)  # pure given the vocabulary, which is loaded once
def _matches(text: str) -> dict[str, Match]:
    """Every table's reading of one cell, its keys worked out once."""
    if len(text) > 40:
        return _NONE
    v = vocabulary()
    candidates = list(keys(text))
    found: dict[str, Match] = {}
    for table, words in v.tables.items():
        for key, note in candidates:
            value = words.get(key)
            if value is not None:
                found[table] = Match(value, note)
                break
        else:
            if table in _CUT_TABLES:
                # A published cell that lost its first character ("级指标", "级预算单位名称").
                for key, note in candidates:
                    value = v.cut.get((table, key)) if len(key) >= 3 else None
                    if value is not None:
                        found[table] = Match(value, note)
                        break
    return found or _NONE


_CUT_TABLES = ("grid", "labels")


@lru_cache(maxsize=65536)
def _in_set(name: str, text: str) -> bool:
    words: frozenset[str] = getattr(vocabulary(), name)
    return len(text) <= 40 and any(k in words for k, _ in keys(text))


def _index(groups: dict[str, list[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, words in groups.items():
        for word in words:
            table.setdefault(label_key(word), value)
    return table


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    text = resources.files("jixiao.formats.reading").joinpath("vocabulary.json").read_text("utf-8")
    data = json.loads(text)
    furniture = {
        kind: re.compile(
            "|".join(f"(?:{p})" for p in patterns) if len(patterns) > 1 else patterns[0]
        )
        for kind, patterns in data["furniture"].items()
    }
    sources = {"grid": "grid_columns"}
    tables = {name: _index(data[sources.get(name, name)]) for name in TABLES}
    # Where two words lose their first character to the same text ("一级指标", "二级指标"
    # → "级指标"), the first listed wins: a cell cut at the page's left edge is a first column.
    cut: dict[tuple[str, str], str] = {}
    for name in ("grid", "labels"):
        for key, value in tables[name].items():
            if len(key) >= 4 and key[1:] not in tables[name]:
                cut.setdefault((name, key[1:]), value)
    every = [p for patterns in data["furniture"].values() for p in patterns]
    anchored = [p[1:] for p in every if p.startswith("^")]
    floating = [p for p in every if not p.startswith("^")]
    return Vocabulary(
        any_furniture=_Prefilter(
            re.compile("|".join(f"(?:{_no_groups(p)})" for p in anchored)),
            re.compile("|".join(f"(?:{_no_groups(p)})" for p in floating)),
        ),
        tables=tables,
        cut=cut,
        titles=frozenset(label_key(w) for w in data["title_labels"]),
        fragments=frozenset(label_key(w) for w in data["header_fragments"]),
        totals=frozenset(label_key(w) for w in data["totals"]),
        grades=frozenset(label_key(w) for w in data["grades"]),
        end_of_grid=frozenset(label_key(w) for w in data["end_of_grid"]),
        qualitative=tuple(sorted(data["qualitative_words"], key=len, reverse=True)),
        units=tuple(sorted(data["units"], key=len, reverse=True)),
        furniture=furniture,
    )
