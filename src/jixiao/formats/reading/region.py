"""One table's rows, the cursor over them, and what has been read so far."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.findings import Finding
from jixiao.formats.reading.builder import TableBuilder
from jixiao.formats.reading.cells import split_label_prefix
from jixiao.formats.reading.columns import heading_like, is_grid_section
from jixiao.formats.reading.rows import Row, label_key
from jixiao.formats.reading.vocabulary import Match, lookup, vocabulary


@dataclass
class Region:
    rows: list[Row]
    table: TableBuilder
    findings: list[Finding] = field(default_factory=list)
    used: int = 0  # rows read into the table
    unknown: int = 0  # rows inside the table that were not understood
    layouts: list[str] = field(default_factory=list)
    in_goals: bool = False  # after a goal label: text rows are goal text
    spent: bool = False  # after 资金使用情况: a 合计 there is what was used, not the budget

    def cells(self, index: int) -> list[str]:
        return [c for _, c in self.rows[index].filled]

    def loose_run(self, start: int) -> Iterator[int]:
        """Indices of the loose (one-cell) rows from ``start`` on."""
        index = start
        while index < len(self.rows) and self.rows[index].loose:
            yield index
            index += 1


@lru_cache(maxsize=65536)  # pure given the vocabulary
def label_of(text: str) -> tuple[str, Match] | None:
    """(kind, match) when the cell is a header label: a field, a fund, a goal or a section."""
    for table, kind in (("labels", "field"), ("funds", "fund"), ("goals", "goal")):
        found = lookup(table, text)
        if found is not None:
            return kind, found
    found = lookup("sections", text)
    if found is not None:
        return "section", found
    return None


@lru_cache(maxsize=65536)
def stops_values(text: str) -> bool:
    """A cell that cannot be the value of the label before it."""
    if not text:
        return False
    if label_of(text) is not None or heading_like(text) or is_grid_section(text):
        return True
    if framework.is_category(text) or vocabulary().is_total(text):
        return True
    v = vocabulary()
    if lookup("budget_columns", text) is not None or lookup("budget_rows", text) is not None:
        return True
    found = v.furniture_kind(text)
    return found is not None and found[0] in ("title", "footer", "site")


def split_prefixed(text: str) -> tuple[str, str] | None:
    """A cell "LABEL：VALUE" (or a label glued to its value) → (label, value)."""
    if label_of(text) is not None:
        return None
    return split_label_prefix(text)


def is_label(text: str) -> bool:
    return label_of(text) is not None or label_key(text) in vocabulary().titles
