"""Rows of cells: what every reader (text, XLSX, DOCX, HTML, PDF) hands to the table reader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.core.source import Source

_SPACE = re.compile(r"[\s\u3000\u00a0\ufeff]+")


def clean_cell(cell: str) -> str:
    cell = cell.strip()
    if cell.isprintable() and "  " not in cell and "\u3000" not in cell and "\u00a0" not in cell:
        return cell
    return _SPACE.sub(" ", cell).strip()


@lru_cache(maxsize=8192)  # pure; labels and category names repeat in every table
def label_key(cell: str) -> str:
    """Normalise a cell for label matching: NFKC, no spaces, no colons, no * or ★ marks."""
    return re.sub(r"[\s:：*＊★☆]+", "", unicodedata.normalize("NFKC", cell))


@dataclass
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

    cells: list[str]
    source: Source
    cell_sources: list[Source] | None = None
    free_text: bool = False
    loose: bool = False
    positional: bool = True
    gap: int = 0
    ends: bool = False
    begins: bool = False  # a loose cell known to begin a row ("| 项目完成指标" of a copied table)
    layout: str = ""  # how the input separated the cells: tab, pipe, line, paragraph, words…
    filled: list[tuple[int, str]] = field(init=False)
    texts: tuple[str, ...] = field(init=False)  # the filled cells' texts
    memo: dict[str, object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.filled = [(i, c) for i, c in enumerate(self.cells) if c]
        self.texts = tuple(c for _, c in self.filled)
        self.memo = {}

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
