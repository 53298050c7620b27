"""Word (.docx): the official layout as a Word table with real merged cells, and reading back.

Writing: A4, 宋体 set as the East Asian font, per project a title, the year,
then two tables that touch: the header block, and the indicator grid whose
column headings repeat on every page (Word repeats only a table's first rows).

Reading: the body in order; tables row by row, a merged cell given once;
paragraphs between tables are page furniture or ignored, never table rows.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.core.summary import Summary
from jixiao.formats import archive
from jixiao.formats.base import ReadResult, unreadable, writable
from jixiao.formats.form import MONEY_NOTE, Cell, Form, Layout, build_form
from jixiao.formats.intake import limited, read_guarded
from jixiao.formats.limits import Budget, LimitExceeded
from jixiao.formats.reading import Row, clean_cell

NAME = "docx"
EXTENSION = ".docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "宋体"
TEXT_WIDTH_MM = 180


def identify(data: bytes) -> bool:
    return "word/document.xml" in archive.zip_names(data)


# --- reading ---------------------------------------------------------------------


def _rows(document: Any, path: str, budget: Budget) -> Iterator[Row]:
    from docx.text.paragraph import Paragraph

    tables = 0
    paragraphs = 0
    for element in document.element.body.iterchildren():
        budget.tick()
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text = clean_cell(Paragraph(element, document).text)
            if text:
                yield Row([text], Source(path=path, row=paragraphs), free_text=True)
        elif tag == "tbl":
            tables += 1
            yield from _table_rows(element, document, path, tables, budget)


def _table_rows(tbl: Any, parent: Any, path: str, number: int, budget: Budget) -> Iterator[Row]:
    """The rows of a table, a merged cell given once: the text in its first grid position.

    Straight from the XML, one pass: python-docx's ``row.cells`` finds the cell above a
    vertically merged one by searching the table (``list.index``) and recursing once per
    merged row, which took 56 s and ended in a RecursionError on 5,000 merged rows."""
    from docx.table import _Cell

    cells = 0
    for r, tr in enumerate(tbl.tr_lst, start=1):
        budget.tick()
        texts: list[str] = []
        for tc in tr.tc_lst:
            span = tc.grid_span
            cells += span
            budget.require("cells", cells, f"Word 文件的表{number}：", at_least=True)
            merged_from_above = tc.vMerge == "continue"
            texts.append("" if merged_from_above else clean_cell(_Cell(tc, parent).text))
            texts.extend([""] * (span - 1))
        sources = [
            Source(path=path, table=number, row=r, column=c) for c in range(1, len(texts) + 1)
        ]
        if any(texts):
            yield Row(texts, sources[0], sources)


@limited
def read(data: bytes, path: str, budget: Budget) -> ReadResult:
    trouble = archive.problem(data, "Word", EXTENSION, budget)
    if trouble:
        return unreadable(path, trouble)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        rows = list(_rows(document, path, budget))
    except LimitExceeded:
        raise
    except Exception as error:  # hostile input: any failure of the library is a message
        return unreadable(
            path, f"无法打开 Word 文件：{type(error).__name__}。请在 Word 中另存为 .docx 后再导入。"
        )
    return read_guarded(rows, path, "Word 文件", budget)


# --- writing -----------------------------------------------------------------------


def _east_asian(style_or_run: Any, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    element = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def write(projects: Sequence[Project], layout: Layout, summary: Summary | None = None) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    del summary  # the summary is an XLSX/HTML export
    document: Any = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    _east_asian(normal)
    for index, project in enumerate(projects):
        if index:
            document.add_page_break()
        _write_form(document, build_form(project, layout))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraph(
    document: Any, text: str, *, size: float = 10.5, bold: bool = False, align: str = "center"
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(writable(text))
    run.bold = bold
    run.font.size = Pt(size)
    _east_asian(run)


def _write_form(document: Any, form: Form) -> None:
    _paragraph(document, form.title, size=16, bold=True)
    if form.year_line:
        _paragraph(document, form.year_line)
    _paragraph(document, form.filing_line, align="left")
    _paragraph(document, MONEY_NOTE, align="right")
    widths = _column_widths(form.layout)
    _table(document, form.header, form.header_rows, widths, repeat=0)
    _table(document, form.grid, form.grid_rows, widths, repeat=form.heading_rows)


def _column_widths(layout: Layout) -> list[int]:
    from docx.shared import Mm

    total = sum(layout.widths)
    return [int(Mm(TEXT_WIDTH_MM * w / total)) for w in layout.widths]


def _table(document: Any, cells: Sequence[Cell], rows: int, widths: list[int], repeat: int) -> None:
    """The table built row by row from the XML up, every merge written as it is made.

    python-docx's ``table.cell(r, c)`` lists the whole table on every call and
    ``cell.merge`` recurses once per merged row: quadratic, and a RecursionError from about
    1,000 indicators.  Here each ``<w:tc>`` is made once, a merged cell as ``gridSpan`` (across)
    and ``vMerge`` restart/continue (down): linear in the cells."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu, Mm
    from docx.table import _Row

    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
    starts = {(spec.row, spec.col): spec for spec in cells}
    below = {
        (row, spec.col): spec
        for spec in cells
        for row in range(spec.row + 1, spec.row + spec.rowspan)
    }
    tbl = table._tbl
    prototypes: dict[str, Any] = {}
    for r in range(rows):
        tr = tbl.add_tr()
        row = _Row(tr, table)
        row.height = Mm(7)  # at least: rows grow with their text
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if r < repeat:  # the grid's heading rows repeat on every page
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr.get_or_add_trPr().append(header)
        col = 0
        while col < len(widths):
            spec = starts.get((r, col)) or below.get((r, col))
            span = spec.colspan if spec is not None else 1
            if spec is not None and spec.row == r:
                tc = _filled(table, spec, prototypes)
                tr.append(tc)
            else:
                tc = tr.add_tc()  # under a cell merged down: empty
            tc.width = Emu(sum(widths[col : col + span]))
            if span > 1:
                tc.grid_span = span
            if spec is not None and spec.rowspan > 1:
                tc.vMerge = "restart" if spec.row == r else "continue"
            col += span


def _filled(table: Any, spec: Cell, prototypes: dict[str, Any]) -> Any:
    """A ``<w:tc>`` holding ``spec``: a copy of the formatted cell of its kind with the text
    put in (formatting each cell through python-docx took 3 ms a row)."""
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.table import _Cell

    prototype: Any = prototypes.get(spec.kind)
    if prototype is None:
        prototype = prototypes[spec.kind] = OxmlElement("w:tc")
        _fill(_Cell(prototype, table), replace(spec, text=""))
    tc: Any = deepcopy(prototype)
    tc.p_lst[0].r_lst[0].text = writable(spec.text)  # <w:t>, with <w:br/> for a line break
    return tc


def _fill(cell: Any, spec: Cell) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.text = writable(spec.text)
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP if spec.kind == "goal" else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_before = Pt(1)
    paragraph.paragraph_format.space_after = Pt(1)
    paragraph.alignment = {
        "goal": WD_ALIGN_PARAGRAPH.LEFT,
        "indicator": WD_ALIGN_PARAGRAPH.LEFT,
        "value": WD_ALIGN_PARAGRAPH.LEFT,
        "money": WD_ALIGN_PARAGRAPH.RIGHT,
    }.get(spec.kind, WD_ALIGN_PARAGRAPH.CENTER)
    for run in paragraph.runs:
        run.bold = spec.kind in ("label", "head")
