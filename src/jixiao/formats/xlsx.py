"""Excel (.xlsx): the official layout out, and workbooks people already have in.

Writing: one sheet per project (the form of ``jixiao.formats.form``) and a
summary sheet (汇总表) first; borders, wrapped text, widths and heights, A4
print set-up with the indicator header repeated on every printed page, 宋体.

Reading: every sheet that has a "项目名称" cell, row by row, merged cells given
on their first cell only; each element remembers its ``sheet!cell``.  Amounts
come from Excel as binary floats and are read back to 0.000001 万元 (one fen).
"""

from __future__ import annotations

import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from jixiao.core import framework
from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.core.summary import SUMMARY_HEADINGS, Summary
from jixiao.core.targets import format_decimal
from jixiao.formats import archive
from jixiao.formats.base import ReadResult, shortened, unreadable, writable
from jixiao.formats.form import MONEY_NOTE, Cell, Form, Layout, build_form
from jixiao.formats.intake import limited, read_guarded
from jixiao.formats.limits import Budget, LimitExceeded
from jixiao.formats.reading import Row, clean_cell
from jixiao.formats.reading.columns import heading as grid_heading
from jixiao.formats.reading.region import label_of

NAME = "xlsx"
EXTENSION = ".xlsx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "宋体"
SUMMARY_SHEET = "汇总表"
FEN = Decimal("0.000001")  # one fen in 万元
PAGE_UNITS = 96


def identify(data: bytes) -> bool:
    return "xl/workbook.xml" in archive.zip_names(data)


# --- reading ---------------------------------------------------------------------


def cell_text(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        number = Decimal(repr(value))
        if "%" in number_format:
            number *= 100
        if number.as_tuple().exponent < -6:  # type: ignore[operator]
            number = number.quantize(FEN)
        text = format_decimal(number.normalize() if number == number.to_integral() else number)
        return f"{text}%" if "%" in number_format else text
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月"
    return clean_cell(str(value))


def _has_table(texts: list[str]) -> bool:
    """A name label (项目名称, 部门名称, 专项名称…) or an indicator heading, and a category of
    the framework: a table of targets, not the summary sheet or a sheet of notes."""
    return any(_names_a_table(t) for t in texts) and any(
        framework.level1_of(t) is not None for t in texts
    )


def _names_a_table(text: str) -> bool:
    found = label_of(text)
    if found is not None and found[1].value in ("name", "department_name"):
        return True
    column = grid_heading(text)
    return column is not None and column.role == "level1"


def _rows(workbook: Any, path: str, budget: Budget) -> Iterator[Row]:
    """Every sheet streamed row by row (openpyxl's read-only mode), within the budget: the
    rows counted as they come — empty ones too, and the cells as openpyxl pads each row to
    its last cell — never trusting the size a sheet declares."""
    from openpyxl.utils import get_column_letter

    positions = cells = 0
    for sheet in workbook.worksheets:
        budget.check_time()
        sheet.reset_dimensions()  # a declared <dimension> would pad every row to its width
        where = f"工作表“{sheet.title}”："
        kept: list[tuple[int, list[str]]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            budget.tick()
            positions += 1
            cells += len(row)
            budget.require("rows", positions, where, at_least=True)
            budget.require("cells", cells, where, at_least=True)
            texts = [
                cell_text(c.value, getattr(c, "number_format", None) or "General") for c in row
            ]
            while texts and not texts[-1]:
                texts.pop()
            if texts:
                kept.append((number, texts))
        if not _has_table([t for _, texts in kept for t in texts if t]):
            continue  # a sheet with no target table (the summary, notes): nothing to read
        for number, texts in kept:
            sources = [
                Source(path=path, sheet=sheet.title, cell=f"{get_column_letter(c)}{number}")
                for c in range(1, len(texts) + 1)
            ]
            yield Row(texts, sources[0], sources)


@limited
def read(data: bytes, path: str, budget: Budget) -> ReadResult:
    trouble = archive.problem(data, "Excel", EXTENSION, budget)
    if trouble:
        return unreadable(path, trouble)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = list(_rows(workbook, path, budget))
        finally:
            workbook.close()
    except LimitExceeded:
        raise
    except Exception as error:  # hostile input: any failure of the library is a message
        return unreadable(
            path,
            f"无法打开 Excel 文件：{type(error).__name__}。请在 Excel 中另存为 .xlsx 后再导入。",
        )
    return read_guarded(rows, path, "Excel 文件", budget)


# --- writing -----------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    if not text:
        return 1
    return sum(max(1, math.ceil(_width(part) / max(width - 1, 1))) for part in text.split("\n"))


EXCEL_CELL_CHARACTERS = 32_767  # what an Excel cell holds


def put(sheet: Any, row: int, column: int, value: str | int | Decimal | None) -> Any:
    """The one way a value enters a cell.  Text is always a text cell: openpyxl would make
    "=…" a formula and "#N/A" an error (CSV/XLSX injection), so the type is set, never
    inferred; characters XML forbids are replaced, and text longer than a cell holds is
    cut with a note.  Numbers (exact ``Decimal`` amounts) stay numbers."""
    cell = sheet.cell(row=row, column=column)
    _set(cell, value)
    return cell


def _set(cell: Any, value: str | int | Decimal | None) -> None:
    if isinstance(value, str):
        cell.value = shortened(writable(value), EXCEL_CELL_CHARACTERS, "Excel 单元格")
        cell.data_type = "s"
    else:
        cell.value = value


_SUMMARY_STYLES = {2: "left", 4: "money", 5: "money", 6: "money"}


def sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", writable(name)).strip("'") or "项目"
    title = base[:31]
    n = 2
    while title in taken:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def save_summary(summary: Summary, target: BinaryIO) -> None:
    """The summary alone into ``target`` (a file): a write-only sheet streams its rows to a
    temporary file as they come, so a summary of any size is never held in memory."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    _register_styles(workbook)
    write_summary(workbook.create_sheet(SUMMARY_SHEET), summary)
    workbook.save(target)


def write(projects: Sequence[Project], layout: Layout, summary: Summary | None = None) -> bytes:
    import openpyxl

    # A summary alone (the web's 汇总表 of thousands of projects) is written in write-only
    # mode: its rows stream to a temporary file, and it is four times as fast.
    workbook = openpyxl.Workbook(write_only=not projects)
    if not workbook.write_only:
        workbook.remove(workbook.active)  # type: ignore[arg-type]
    _register_styles(workbook)
    taken: set[str] = {SUMMARY_SHEET}
    if summary is not None:
        write_summary(workbook.create_sheet(SUMMARY_SHEET), summary)
    for project in projects:
        sheet = workbook.create_sheet(sheet_title(project.name, taken))
        _write_form(sheet, build_form(project, layout))
    if not workbook.worksheets:
        workbook.create_sheet(SUMMARY_SHEET)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_CELL_STYLES = {
    "label": "jixiao-label",
    "head": "jixiao-label",
    "goal": "jixiao-goal",
    "money": "jixiao-money",
    "indicator": "jixiao-left",
    "value": "jixiao-left",
}


def _register_styles(workbook: Any) -> None:
    """Named styles, registered once: far cheaper than styling each cell attribute by attribute."""
    from openpyxl.styles import NamedStyle

    style = _styles()
    specs = {
        "jixiao-label": (style["bold"], style["center"], "General"),
        "jixiao-center": (style["font"], style["center"], "General"),
        "jixiao-left": (style["font"], style["left"], "General"),
        "jixiao-goal": (style["font"], style["goal"], "General"),
        "jixiao-money": (style["font"], style["right"], "0.00####"),
        # the summary's rows, and its total row in bold
        "jixiao-total-center": (style["bold"], style["center"], "General"),
        "jixiao-total-left": (style["bold"], style["left"], "General"),
        "jixiao-total-money": (style["bold"], style["right"], "0.00####"),
    }
    for name, (font, alignment, number_format) in specs.items():
        named = NamedStyle(name=name, font=font, alignment=alignment, border=style["border"])
        named.number_format = number_format
        workbook.add_named_style(named)
    # the summary's title lines, without borders
    workbook.add_named_style(
        NamedStyle(name="jixiao-title", font=style["title"], alignment=style["center"])
    )
    workbook.add_named_style(NamedStyle(name="jixiao-note", font=style["font"]))


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name=FONT, size=11),
        "bold": Font(name=FONT, size=11, bold=True),
        "title": Font(name=FONT, size=16, bold=True),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "goal": Alignment(horizontal="left", vertical="top", wrap_text=True),
        "right": Alignment(horizontal="right", vertical="center", wrap_text=True),
    }


def _write_form(sheet: Any, form: Form) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    style = _styles()
    layout = form.layout
    columns = layout.columns
    # Layout widths are proportions; an A4 portrait page with these margins holds
    # about PAGE_UNITS Excel width units (one unit ≈ one Latin digit, a Chinese character ≈ 2).
    total = sum(layout.widths)
    widths = [round(PAGE_UNITS * w / total, 1) for w in layout.widths]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    def line(
        row: int, text: str, font: Any, alignment: Any, first: int = 1, last: int = columns
    ) -> None:
        cell = put(sheet, row, first, text)
        cell.font, cell.alignment = font, alignment
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    line(1, form.title, style["title"], style["center"])
    sheet.row_dimensions[1].height = 30
    line(2, form.year_line, style["font"], style["center"])
    line(3, form.filing_line, style["font"], style["left"], 1, columns - 1)
    line(3, MONEY_NOTE, style["font"], style["right"], columns, columns)
    top = 4
    heights: dict[int, int] = {}
    _place(sheet, form.header, top, widths, heights, style)
    grid_top = top + form.header_rows
    _place(sheet, form.grid, grid_top, widths, heights, style)
    for row, lines in heights.items():
        sheet.row_dimensions[row].height = max(20, 15 * lines + 4)

    sheet.print_title_rows = f"{grid_top}:{grid_top + form.heading_rows - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_options.horizontalCentered = True


def _place(
    sheet: Any,
    cells: Sequence[Cell],
    top: int,
    widths: list[float],
    heights: dict[int, int],
    style: dict[str, Any],
) -> None:
    for cell in cells:
        row, col = top + cell.row, 1 + cell.col
        target = put(sheet, row, col, cell.number if cell.number is not None else cell.text)
        target.style = _CELL_STYLES.get(cell.kind, "jixiao-center")
        last_row, last_col = row + cell.rowspan - 1, col + cell.colspan - 1
        if cell.rowspan > 1 or cell.colspan > 1:
            _merge(sheet, row, col, last_row, last_col, target.style)
        if cell.rowspan == 1:
            width = sum(widths[col - 1 : last_col])
            heights[row] = max(heights.get(row, 1), _lines(cell.text, width))


def _merge(sheet: Any, row: int, col: int, last_row: int, last_col: int, style: str) -> None:
    """Merge a range whose cells all carry the bordered named style.

    ``Worksheet.merge_cells`` would also re-style every edge cell one attribute at a
    time, which took three quarters of the export time (benchmarks/export.py); the
    cells here are styled already, so the range is registered directly.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            if (r, c) != (row, col):
                sheet.cell(row=r, column=c).style = style
    reference = f"{get_column_letter(col)}{row}:{get_column_letter(last_col)}{last_row}"
    # Into the set itself: ``merged_cells.add`` first compares the range with every range
    # already merged (quadratic: 10,000 indicators took 105 s).  A form's cells never overlap.
    sheet.merged_cells.ranges.add(MergedCellRange(sheet, reference))


def write_summary(sheet: Any, summary: Summary) -> None:
    """The summary sheet, row by row with ``append`` (a write-only sheet streams the rows to
    a temporary file as they come), every cell styled by a named style."""
    from openpyxl.cell import Cell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter

    styled: dict[str, Any] = {}  # a named style looked up once, not once per cell

    def cell(value: str | int | Decimal | None, style: str) -> Any:
        # ``append`` places the cell; a place is given so that openpyxl can name it
        made: Any = Cell(sheet, row=1, column=1)
        _set(made, value)
        if style not in styled:
            made.style = style
            styled[style] = made._style
        else:
            made._style = StyleArray(styled[style])
        return made

    # Columns, panes and page first: a write-only sheet writes them before its rows.
    for col, width in enumerate([6, 40, 24, 14, 14, 10, 12, 12, 12, 13, 7, 7, 7], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.freeze_panes = "C4"
    headings = SUMMARY_HEADINGS
    last = get_column_letter(len(headings))
    sheet.append([cell("项目绩效目标汇总表", "jixiao-title")])
    sheet.append([cell(f"审核规则集：{summary.ruleset}    {MONEY_NOTE}", "jixiao-note")])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    sheet.append([cell(heading, "jixiao-label") for heading in headings])
    rows = summary.table()
    values = next(rows)
    for following in itertools.chain(rows, [None]):  # one row ahead: the last is the total
        kind = "jixiao-total" if following is None else "jixiao"
        sheet.append(
            [
                cell(value, f"{kind}-{_SUMMARY_STYLES.get(c, 'center')}")
                for c, value in enumerate(values, start=1)
            ]
        )
        if following is not None:
            values = following


def write_table(
    title: str, notes: Sequence[str], headings: Sequence[str], rows: Sequence[Sequence[object]]
) -> bytes:
    """A plain table on one sheet (a unit's summaries), written row by row (write-only): every
    text a text cell, every amount an exact number."""
    import openpyxl
    from openpyxl.cell import Cell
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    _register_styles(workbook)
    sheet = workbook.create_sheet(writable(title)[:31] or "汇总")
    for col in range(1, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 40 if col == 2 else 14
    sheet.freeze_panes = f"A{len(notes) + 3}"
    sheet.print_title_rows = f"{len(notes) + 2}:{len(notes) + 2}"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    last = get_column_letter(len(headings))
    for line in range(1, len(notes) + 2):  # the title and the notes across the table
        sheet.merged_cells.add(f"A{line}:{last}{line}")

    def cell(value: object, style: str) -> Any:
        made = Cell(sheet, row=1, column=1)
        _set(made, value if isinstance(value, (str, int, Decimal)) or value is None else str(value))
        made.style = style
        return made

    sheet.append([cell(title, "jixiao-title")])
    for note in notes:
        sheet.append([cell(note, "jixiao-note")])
    sheet.append([cell(heading, "jixiao-label") for heading in headings])
    for values in rows:
        sheet.append(
            [
                cell(
                    v,
                    "jixiao-money"
                    if isinstance(v, Decimal)
                    else "jixiao-center"
                    if c != 1
                    else "jixiao-left",
                )
                for c, v in enumerate(values)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
