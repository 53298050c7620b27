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
from typing import Any

from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.core.summary import Summary
from jixiao.formats import archive
from jixiao.formats.base import ReadResult, unreadable
from jixiao.formats.form import MONEY_NOTE, Cell, Form, Layout, build_form
from jixiao.formats.reading import Row, clean_cell, read_rows

NAME = "docx"
EXTENSION = ".docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "宋体"
TEXT_WIDTH_MM = 180


def identify(data: bytes) -> bool:
    return "word/document.xml" in archive.zip_names(data)


# --- reading ---------------------------------------------------------------------


def _rows(document: Any, path: str) -> Iterator[Row]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    tables = 0
    paragraphs = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text = clean_cell(Paragraph(element, document).text)
            if text:
                yield Row([text], Source(path=path, row=paragraphs), free_text=True)
        elif tag == "tbl":
            tables += 1
            yield from _table_rows(Table(element, document), path, tables)


def _table_rows(table: Any, path: str, number: int) -> Iterator[Row]:
    # A merged cell is the same <w:tc> at every grid position it covers.  The set
    # holds the elements themselves: an lxml proxy's id() can be reused once freed.
    seen: set[Any] = set()
    for r, row in enumerate(table.rows, start=1):
        texts: list[str] = []
        sources: list[Source] = []
        for c, cell in enumerate(row.cells, start=1):
            element = cell._tc
            texts.append("" if element in seen else clean_cell(cell.text))
            seen.add(element)
            sources.append(Source(path=path, table=number, row=r, column=c))
        if any(texts):
            yield Row(texts, sources[0], sources)


def read(data: bytes, path: str = "") -> ReadResult:
    trouble = archive.problem(data, "Word", EXTENSION)
    if trouble:
        return unreadable(path, trouble)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        rows = list(_rows(document, path))
    except Exception as error:  # hostile input: any failure of the library is a message
        return unreadable(
            path, f"无法打开 Word 文件：{type(error).__name__}。请在 Word 中另存为 .docx 后再导入。"
        )
    return read_rows(rows, path, "Word 文件")


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
    run = paragraph.add_run(text)
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
    _table(document, form.header, form.header_rows, widths, repeat_first_row=False)
    _table(document, form.grid, form.grid_rows, widths, repeat_first_row=True)


def _column_widths(layout: Layout) -> list[int]:
    from docx.shared import Mm

    total = sum(layout.widths)
    return [int(Mm(TEXT_WIDTH_MM * w / total)) for w in layout.widths]


def _table(
    document: Any, cells: Sequence[Cell], rows: int, widths: list[int], repeat_first_row: bool
) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu, Mm, Pt

    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        row.height = Mm(7)  # at least: rows grow with their text
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for index, cell in enumerate(row.cells):
            cell.width = Emu(widths[index])
    if repeat_first_row:
        properties = table.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        properties.append(header)
    for spec in cells:
        cell = table.cell(spec.row, spec.col)
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(table.cell(spec.row + spec.rowspan - 1, spec.col + spec.colspan - 1))
        cell.text = spec.text
        cell.vertical_alignment = (
            WD_CELL_VERTICAL_ALIGNMENT.TOP
            if spec.kind == "goal"
            else WD_CELL_VERTICAL_ALIGNMENT.CENTER
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
