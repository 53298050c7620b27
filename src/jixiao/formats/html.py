"""HTML: a standalone page with the official table (rowspan/colspan, print CSS), and reading
tables as published on government sites.

The page needs nothing from the network: the CSS is inline and fonts are named,
not downloaded.  Everything imported is escaped (Jinja2 autoescape).

Reading: every table that holds no other table, with rowspan/colspan expanded
(the text on the first cell only); headings and paragraphs outside tables are
page furniture or ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.core.summary import SUMMARY_HEADINGS, Summary
from jixiao.core.targets import format_decimal
from jixiao.formats.base import ReadResult, unreadable, writable
from jixiao.formats.form import MONEY_NOTE, Cell, Form, Layout, build_form
from jixiao.formats.intake import limited, read_guarded
from jixiao.formats.limits import Budget
from jixiao.formats.reading import Row, clean_cell
from jixiao.formats.text import decode

NAME = "html"
EXTENSION = ".html"
MEDIA_TYPE = "text/html; charset=utf-8"
MAX_SPAN = 1000  # a hostile rowspan/colspan must not allocate a huge grid
_TEXT_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "pre"}


def identify(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body"))


# --- reading ---------------------------------------------------------------------


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


def _text(element: Any) -> str:
    return clean_cell(" ".join(element.itertext()))


def _table_rows(table: Any, path: str, number: int, budget: Budget) -> Iterator[Row]:
    grid: dict[tuple[int, int], str] = {}
    width = 0
    rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    covered = 0  # grid positions made: a cell spanning 1,000 × 1,000 makes a million
    for r, tr in enumerate(rows):
        col = 0
        budget.tick()
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, col) in grid:
                col += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            covered += min(rowspan, len(rows) - r) * colspan
            budget.require("cells", covered, f"网页的表{number}：", at_least=True)
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    grid[(r + dr, col + dc)] = _text(cell) if dr == 0 and dc == 0 else ""
            col += colspan
            width = max(width, col)
    budget.require("cells", len(rows) * width, f"网页的表{number}：")
    for r in range(len(rows)):
        budget.tick()
        texts = [grid.get((r, c), "") for c in range(width)]
        sources = [Source(path=path, table=number, row=r + 1, column=c + 1) for c in range(width)]
        if any(texts):
            yield Row(
                texts,
                sources[0] if sources else Source(path=path, table=number, row=r + 1),
                sources,
            )


def _nearest_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _rows(root: Any, path: str, budget: Budget) -> Iterator[Row]:
    tables = 0
    paragraphs = 0
    for element in root.iter():
        budget.tick()
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "table":
            if element.find(".//table") is not None:
                continue  # a layout table around the real ones: read the inner tables
            tables += 1
            yield from _table_rows(element, path, tables, budget)
        elif tag in _TEXT_TAGS and _nearest_table(element) is None:
            paragraphs += 1
            text = _text(element)
            if text:
                yield Row([text], Source(path=path, row=paragraphs), free_text=True)


@limited
def read(data: bytes, path: str, budget: Budget) -> ReadResult:
    import lxml.html

    decoded = decode(data)
    if decoded is None:
        return unreadable(path, "无法识别网页的文字编码（支持 UTF-8 和 GB18030）。")
    # Every element begins with "<": an upper bound of the parsed tree, known before parsing.
    budget.require("elements", decoded[0].count("<"), "网页（按“<”计）：")
    try:
        root: Any = lxml.html.document_fromstring(decoded[0])
    except Exception as error:  # hostile input: any failure of the parser is a message
        return unreadable(path, f"无法解析网页：{type(error).__name__}。")
    junk: list[Any] = list(root.iter("script", "style", "template"))
    for element in junk:
        element.drop_tree()
    return read_guarded(_rows(root, path, budget), path, "网页", budget)


# --- writing -----------------------------------------------------------------------


def _by_row(cells: Sequence[Cell], rows: int) -> list[list[Cell]]:
    grouped: list[list[Cell]] = [[] for _ in range(rows)]
    for cell in cells:
        grouped[cell.row].append(cell)
    for row in grouped:
        row.sort(key=lambda c: c.col)
    return grouped


def _form_view(form: Form) -> dict[str, Any]:
    total = sum(form.layout.widths)
    grid = _by_row(form.grid, form.grid_rows)
    return {
        "layout": form.layout.name,
        "title": form.title,
        "year_line": form.year_line,
        "filing_line": form.filing_line,
        "widths": [round(100 * w / total, 2) for w in form.layout.widths],
        "header": _by_row(form.header, form.header_rows),
        "grid_head": grid[0],
        "grid": grid[1:],
    }


def _summary_rows(summary: Summary) -> Iterator[list[str]]:
    def shown(value: object) -> str:
        if value is None:
            return ""
        return format_decimal(value) if isinstance(value, Decimal) else str(value)

    return ([shown(value) for value in row] for row in summary.table())


def _writable(value: object) -> object:
    return writable(value) if type(value) is str else value


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("jixiao", "templates"),
        autoescape=True,
        finalize=_writable,  # every {{ value }}: no control character, no lone surrogate
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(projects: Sequence[Project], layout: Layout | None, summary: Summary | None) -> str:
    return "".join(_generate(projects, layout, summary))


def _generate(
    projects: Sequence[Project], layout: Layout | None, summary: Summary | None
) -> Iterator[str]:
    forms = [_form_view(build_form(p, layout)) for p in projects] if layout is not None else []
    title = projects[0].name if len(projects) == 1 else "本级预算项目绩效目标表"
    template = _environment().get_template("forms.html")
    return iter(
        template.generate(
            title=title if forms else "项目绩效目标汇总表",
            forms=forms,
            money_note=MONEY_NOTE,
            summary=summary,
            summary_headings=SUMMARY_HEADINGS,
            summary_rows=_summary_rows(summary) if summary else [],
        )
    )


def stream_summary(summary: Summary) -> Iterator[bytes]:
    """The summary page in pieces as its rows come (the web streams a 汇总表 of any size)."""
    return (piece.encode("utf-8") for piece in _generate([], None, summary))


def write(projects: Sequence[Project], layout: Layout, summary: Summary | None = None) -> bytes:
    del summary  # the target tables; the summary page is write_summary
    return render(projects, layout, None).encode("utf-8")


def write_summary(summary: Summary) -> bytes:
    return render([], None, summary).encode("utf-8")


def write_table(
    title: str, notes: Sequence[str], headings: Sequence[str], rows: Sequence[Sequence[object]]
) -> bytes:
    """A plain table on one page (a unit's summaries): numbers right-aligned, text left."""
    kinds = [
        "number"
        if rows and all(isinstance(r[c], Decimal) for r in rows if r[c] is not None)
        else "text"
        for c in range(len(headings))
    ]
    shown = [
        ["" if v is None else format_decimal(v) if isinstance(v, Decimal) else str(v) for v in r]
        for r in rows
    ]
    template = _environment().get_template("table.html")
    return str(
        template.render(
            title=title, notes=list(notes), headings=list(headings), rows=shown, kinds=kinds
        )
    ).encode("utf-8")
