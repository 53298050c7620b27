"""Rows of cells: what every reader (text, XLSX, DOCX, HTML, PDF) hands to the table reader."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jixiao.core.source import Source

_SPACE = re.compile(r"[\s\u3000\u00a0\ufeff]+")


def clean_cell(cell: str) -> str:
    """A cell with its spaces collapsed.  Control characters, lone surrogates and
    noncharacters are left for ``formats.intake``, which removes them and says where."""
    cell = cell.strip()
    if cell.isprintable() and "  " not in cell and "\u3000" not in cell and "\u00a0" not in cell:
        return cell
    return _SPACE.sub(" ", cell).strip()


@lru_cache(maxsize=8192)  # pure; labels and category names repeat in every table
def label_key(cell: str) -> str:
    """Normalise a cell for label matching: NFKC, no spaces, no colons, no * or ★ marks."""
    return re.sub(r"[\s:：*＊★☆]+", "", unicodedata.normalize("NFKC", cell))


class Row:
    """One table row as cells, with where it came from (the row, and each cell if known).

    ``free_text``: a paragraph outside any table (DOCX, HTML, PDF), never a table row.
    ``loose``: one cell of a table whose rows were lost (one cell per line or paragraph);
    the table reader finds the rows again.  ``positional``: the cells keep their
    columns, a merged cell left empty below its first row (tab-separated text, XLSX,
    DOCX, HTML, PDF); rows of pipe- or space-separated text drop those cells.
    ``gap``: blank lines before the row in a text.  ``ends``: a loose cell after which
    the row is known to end (the padding ``| |||`` of a copied web table).  ``layout`` says how the input
    separated the cells (for the report of how a table was read).
    """

    __slots__ = (
        "begins",
        "cell_sources",
        "cells",
        "ends",
        "filled",
        "free_text",
        "gap",
        "layout",
        "loose",
        "positional",
        "signals",
        "source",
        "texts",
    )

    def __init__(  # a plain class: rows are made by the thousand, a dataclass is slower
        self,
        cells: list[str],
        source: Source,
        cell_sources: list[Source] | None = None,
        free_text: bool = False,
        loose: bool = False,
        positional: bool = True,
        gap: int = 0,
        ends: bool = False,
        begins: bool = False,
        layout: str = "",
    ) -> None:
        self.cells = cells
        self.source = source
        self.cell_sources = cell_sources
        self.free_text = free_text
        self.loose = loose
        self.positional = positional
        self.gap = gap
        self.ends = ends
        self.begins = begins  # a loose cell known to begin a row ("| 项目完成指标")
        self.layout = layout  # how the input separated the cells: tab, pipe, line, words…
        self.filled = [(i, c) for i, c in enumerate(cells) if c]
        self.texts = tuple([c for c in cells if c])  # the filled cells' texts
        self.signals: object = None  # what the row says (``reading.signals``), worked out once

    def with_cells(self, cells: list[str]) -> Row:
        return Row(
            cells,
            self.source,
            self.cell_sources,
            self.free_text,
            self.loose,
            self.positional,
            self.gap,
            self.ends,
            self.begins,
            self.layout,
        )

    def __repr__(self) -> str:
        return f"Row({self.cells!r}, {self.source})"

    def at(self, col: int) -> Source:
        if self.cell_sources is not None and 0 <= col < len(self.cell_sources):
            return self.cell_sources[col]
        return self.source

    @property
    def blank(self) -> bool:
        return not self.filled

    @property
    def joined(self) -> str:
        return " | ".join(c for c in self.cells if c)
