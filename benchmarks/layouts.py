"""One table written the ways people publish it as text (the layouts of tests/corpus).

A table is rows of cells, a merged cell given on its first row and left empty below, as
a PDF or Word extraction gives it.  Each function writes it in one layout; the reader
must find the same table in all of them (tests/unit/reading/test_layouts.py) and the
mixed-layout benchmark reads a corpus written in all of them.
"""

from __future__ import annotations

from collections.abc import Callable

Rows = list[list[str]]


def tab(rows: Rows) -> str:
    return "\n".join("\t".join(row) for row in rows)


def pipe(rows: Rows) -> str:
    # A copied web table: the cells of a merged block left out, the row's end padded "||".
    return "\n".join("| " + " | ".join(c for c in row if c) + " | ||" for row in rows)


def cell_per_line(rows: Rows) -> str:
    # Each cell on a line ending in " |"; a bare "|" is an empty cell.
    return "\n".join(f"{cell} |" if cell else "|" for row in rows for cell in row)


def paragraphs(rows: Rows) -> str:
    # One cell per paragraph; the cells of a merged block left out.
    return "\n\n".join(cell for row in rows for cell in row if cell)


def wide_spaces(rows: Rows) -> str:
    return "\n".join("   ".join(c for c in row if c) for row in rows)


def single_spaces(rows: Rows) -> str:
    return "\n".join(" ".join(c for c in row if c) for row in rows)


def glued(rows: Rows) -> str:
    # Extracted from a document that lost every separator: each row one run of text.
    return "\n".join("".join(row) for row in rows)


LAYOUTS: tuple[Callable[[Rows], str], ...] = (
    tab,
    pipe,
    cell_per_line,
    paragraphs,
    wide_spaces,
    single_spaces,
    glued,
)
