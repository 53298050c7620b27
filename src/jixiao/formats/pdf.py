"""PDF: the official layout on A4 with the Chinese glyphs embedded, and reading PDFs that have
a text layer (pdfplumber's table extraction).

Writing needs a TrueType Chinese font to embed (subset) in the file, so the
PDF renders on a machine with no Chinese font.  Nothing is downloaded: the
font comes from the machine (``scripts/setup.sh`` installs Debian's
fonts-arphic-uming, a 宋体-style font) or from ``JIXIAO_PDF_FONT``.

Reading: tables found by their ruling lines, page by page in reading order
(a table continued on the next page repeats its column headings, which the
row reader takes in its stride); the text outside tables is split into
cells at wide gaps, so "填报单位（盖章）    单位：万元" is two cells.  A PDF
without a text layer (a scan) is refused with advice.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.core.summary import Summary
from jixiao.formats import pdfbounds
from jixiao.formats.base import ReadResult, unreadable, writable
from jixiao.formats.form import MONEY_NOTE, Cell, Form, Layout, build_form
from jixiao.formats.intake import limited, read_guarded
from jixiao.formats.limits import Budget, find_limit
from jixiao.formats.reading import Row, clean_cell

NAME = "pdf"
EXTENSION = ".pdf"
MEDIA_TYPE = "application/pdf"
FONT_NAME = "JixiaoSong"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
PADDING = 3  # points, left and right in every cell


class FontMissing(Exception):
    """No Chinese TrueType font to embed: an installation problem, said in Chinese."""

    def __str__(self) -> str:
        return (
            "未找到可以嵌入 PDF 的中文 TrueType 字体。请运行 scripts/setup.sh（会安装 fonts-arphic-uming），"
            "或把环境变量 JIXIAO_PDF_FONT 设为一个中文 .ttf/.ttc 字体文件的路径。"
        )


def identify(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


# --- reading ---------------------------------------------------------------------

_GAP = 18.0  # points: a wider gap between words on a line separates two cells


def _join_lines(text: str | None) -> str:
    """A cell's wrapped lines joined back: Chinese text wraps anywhere, with no space."""
    if not text:
        return ""
    return clean_cell(re.sub(r"\s*\n\s*", "", text).replace("\u00a0", " "))


def _inside(word: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _text_lines(
    page: Any, boxes: list[tuple[float, float, float, float]]
) -> list[tuple[float, list[str]]]:
    words = [
        w
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=True)
        if not _inside(w, boxes)
    ]
    lines: list[tuple[float, list[dict[str, Any]]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0] - word["top"]) < 3:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    result = []
    for top, members in lines:
        cells: list[str] = []
        previous = None
        for word in sorted(members, key=lambda w: w["x0"]):
            if previous is not None and word["x0"] - previous["x1"] < _GAP:
                cells[-1] += word["text"]
            else:
                cells.append(word["text"])
            previous = word
        result.append((top, [clean_cell(c) for c in cells]))
    return result


def _page_rows(page: Any, path: str) -> Iterator[Row]:
    number = page.page_number
    tables = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, int, Any]] = [
        (top, 1, cells) for top, cells in _text_lines(page, boxes)
    ]
    items += [(t.bbox[1], 0, t) for t in tables]
    table_number = 0
    for _top, kind, item in sorted(items, key=lambda i: (i[0], i[1])):
        if kind == 1:
            yield Row(item, Source(path=path, page=number), free_text=True)
            continue
        table_number += 1
        for r, cells in enumerate(item.extract(), start=1):
            texts = [_join_lines(c) for c in cells]
            sources = [
                Source(path=path, page=number, table=table_number, row=r, column=c)
                for c in range(1, len(texts) + 1)
            ]
            if any(texts):
                yield Row(texts, sources[0], sources)


def _pages(document: Any, budget: Budget) -> list[Any]:
    """The pages, counted before any is read; pdfplumber's pages, but bounded."""
    from pdfminer.pdfpage import PDFPage

    page_class = pdfbounds.bounded_page_class()
    found = []
    for page_object in PDFPage.create_pages(document.doc):
        budget.tick()
        found.append(page_object)
        budget.require("pdf_pages", len(found), at_least=True)
    pages = []
    top = 0.0
    for number, page_object in enumerate(found, start=1):
        page = page_class(document, page_object, page_number=number, initial_doctop=top)
        page.budget = budget
        pages.append(page)
        top += page.height
    return pages


@limited
def read(data: bytes, path: str, budget: Budget) -> ReadResult:
    import pdfplumber

    pdfbounds.install()
    with pdfbounds.active(budget):
        try:
            document = pdfplumber.open(io.BytesIO(data))
        except Exception as error:  # hostile input: any failure of the library is a message
            _reraise_limit(error)
            return unreadable(
                path,
                f"PDF 文件已损坏或无法打开（{type(error).__name__}）。请重新导出 PDF，或提供 Excel/Word 文件。",
            )
        # Not ``with document``: closing it would make a page object for every page.
        try:
            rows: list[Row] = []
            text_layer = False
            for page in _pages(document, budget):
                budget.check_time()
                text_layer = text_layer or bool(page.chars)
                rows += _page_rows(page, path)
                page.close()  # one page in memory at a time
        except Exception as error:  # broken content streams surface late, page by page
            _reraise_limit(error)
            return unreadable(
                path,
                f"PDF 内容无法解析（{type(error).__name__}）。请重新导出 PDF，或提供 Excel/Word 文件。",
            )
    if not text_layer:
        return unreadable(
            path,
            "这个 PDF 没有文字层（像是扫描件或图片），无法读取表格。"
            "请提供可以选中文字的 PDF，或者原始的 Excel/Word 文件。",
        )
    return read_guarded(rows, path, "PDF 文件", budget)


def _reraise_limit(error: Exception) -> None:
    """pdfplumber wraps what pdfminer raises: a limit exceeded inside is still a limit."""
    found = find_limit(error)
    if found is not None:
        raise found from None


# --- writing -----------------------------------------------------------------------


def find_font() -> tuple[str, int]:
    """(path, subfont index) of a Chinese TrueType font on this machine."""
    configured = os.environ.get("JIXIAO_PDF_FONT")
    candidates = [configured] if configured else []
    candidates += list(FONT_CANDIDATES)
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", ":lang=zh-cn:fontformat=TrueType"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found:
            candidates.append(found)
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and candidate.lower().endswith((".ttf", ".ttc")):
            return candidate, _simplified_index(candidate)
    raise FontMissing()


def _simplified_index(path: str) -> int:
    """In a collection, prefer the mainland (CN / GB) face."""
    if not path.lower().endswith(".ttc"):
        return 0
    from reportlab.pdfbase.ttfonts import TTFont

    for index in range(8):
        try:
            face = TTFont("probe", path, subfontIndex=index)
        except Exception:  # no such face: the collection is shorter
            break
        if re.search(r"\bCN\b|GB|SC\b", face.face.name.decode("latin-1", "replace")):
            return index
    return 0


@cache
def register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path, index = find_font()
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
    return FONT_NAME


def _styles(font: str) -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK", alignment=TA_CENTER
    )
    return {
        "cell": base,
        "label": ParagraphStyle("label", parent=base),
        "head": ParagraphStyle("head", parent=base),
        "category": base,
        "target": base,
        "value": ParagraphStyle("value", parent=base, alignment=TA_LEFT),
        "indicator": ParagraphStyle("indicator", parent=base, alignment=TA_LEFT),
        "goal": ParagraphStyle("goal", parent=base, alignment=TA_LEFT),
        "money": ParagraphStyle("money", parent=base, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=24, spaceAfter=2),
        "line": ParagraphStyle("line", parent=base, fontSize=10, leading=15),
        "left": ParagraphStyle("left", parent=base, fontSize=10, leading=15, alignment=TA_LEFT),
        "right": ParagraphStyle("right", parent=base, fontSize=10, leading=15, alignment=TA_RIGHT),
    }


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(writable(text)).replace("\n", "<br/>")


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points, never next to a space.

    Chinese text may break between any two characters, and a reader joins the
    lines of a cell with nothing between them; a space at a break would vanish
    (a PDF does not draw it), so a break never stands beside one.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        while start < len(paragraph):
            end = start
            used = 0.0
            while end < len(paragraph):
                step = stringWidth(paragraph[end], font, size)
                if used + step > width and end > start:
                    break
                used += step
                end += 1
            if end < len(paragraph):
                cut = end
                while cut > start + 1 and (paragraph[cut - 1] == " " or paragraph[cut] == " "):
                    cut -= 1
                end = cut if cut > start + 1 else end
            lines.append(paragraph[start:end])
            start = end
    return lines or [""]


PAD = 3  # points above and below the text of a cell (reportlab's default padding)
SLACK = 12  # points kept free on a page: frame padding, rounding
SPAN_CHUNK = 15  # rows: a category cell spanning more is cut, so a long table breaks across pages


@dataclass
class _Laid:
    """A cell and its text broken into lines (``wrap``), the lines it may have on a page."""

    cell: Cell
    lines: list[str]
    style: Any
    width: float

    @property
    def height(self) -> float:
        return float(len(self.lines) * self.style.leading + 2 * PAD)

    def cap(self, height: float) -> None:
        """Keep the lines that fit in ``height`` points and a note of what was left out:
        a table row cannot break across pages, so a cell may never be taller than one."""
        fits = max(1, int((height - 2 * PAD) // self.style.leading))
        if len(self.lines) <= fits:
            return
        for kept in range(fits - 1, -1, -1):
            left = sum(len(line) for line in self.lines[kept:])
            note = wrap(
                f"……（以下 {left:,} 字超出一页，PDF 中未写出；完整内容见 JSON 导出）",
                self.style.fontName,
                self.style.fontSize,
                self.width,
            )
            if kept + len(note) <= fits or kept == 0:
                self.lines = self.lines[:kept] + note
                return


def _lay(cells: Sequence[Cell], widths: list[float], styles: dict[str, Any]) -> list[_Laid]:
    laid = []
    for cell in cells:
        style = styles[cell.kind]
        room = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * PADDING - 1
        lines = wrap(writable(cell.text), style.fontName, style.fontSize, room)
        laid.append(_Laid(cell, lines, style, room))
    return laid


def _row_heights(laid: list[_Laid], rows: int) -> list[float]:
    heights = [0.0] * rows
    for item in laid:
        if item.cell.rowspan == 1:
            heights[item.cell.row] = max(heights[item.cell.row], item.height)
    return heights


def _fit(laid: list[_Laid], rows: int, budget: float) -> list[float]:
    """Cap the cells so that every row, and every group of rows a merged cell holds
    together (reportlab breaks a page only between rows no merged cell spans), fits in
    ``budget`` points; the row heights."""
    for item in laid:
        item.cap(budget)
    heights = _row_heights(laid, rows)
    for item in laid:
        if item.cell.rowspan == 1 or item.cell.kind == "category":
            continue  # category cells are cut at page-sized segments (_segments)
        block = range(item.cell.row, item.cell.row + item.cell.rowspan)
        while sum(heights[r] for r in block) > budget:
            tallest = max(block, key=lambda r: heights[r])
            others = sum(heights[r] for r in block) - heights[tallest]
            for other in laid:
                if other.cell.row == tallest and other.cell.rowspan == 1:
                    other.cap(max(budget - others, other.style.leading + 2 * PAD))
            shrunk = _row_heights(laid, rows)[tallest]
            if shrunk >= heights[tallest]:
                break  # nothing left to cut
            heights[tallest] = shrunk
    return heights


def _segments(heights: list[float], budget: float) -> list[int]:
    """The rows (after the heading row) where a category cell is cut: every SPAN_CHUNK rows,
    and before a row that would make the rows since the last cut taller than ``budget``."""
    cuts: list[int] = []
    start, used = 1, 0.0
    for row in range(1, len(heights)):
        if row > start and (row - start >= SPAN_CHUNK or used + heights[row] > budget):
            cuts.append(row)
            start, used = row, 0.0
        used += heights[row]
    return cuts


def _chunked(laid: list[_Laid], cuts: list[int]) -> list[_Laid]:
    """Cut tall 一级/二级 cells at the segment boundaries, repeating the text: reportlab
    cannot break a page inside a spanned cell, and the reader takes a repeated category
    for the same one."""
    result: list[_Laid] = []
    for item in laid:
        cell = item.cell
        if cell.kind != "category" or cell.rowspan <= 1:
            result.append(item)
            continue
        end = cell.row + cell.rowspan
        bounds = [cell.row, *(c for c in cuts if cell.row < c < end), end]
        for first, after in pairwise(bounds):
            part = replace(cell, row=first, rowspan=after - first)
            result.append(_Laid(part, item.lines, item.style, item.width))
    return result


@dataclass
class _Grid:
    """A table laid out: its cells as paragraphs, the merged ranges, the cells aligned to
    the top, and the height of each row (``_Laid.height``: exact, the lines are ours)."""

    data: list[list[Any]]
    widths: list[float]
    font: str
    spans: list[tuple[int, int, int, int]]  # first column, first row, last column, last row
    tops: list[tuple[int, int]]  # (column, row) of cells aligned to the top
    heights: list[float]

    def table(self, first: int, last: int, repeat: int) -> Any:
        """A reportlab table of the heading rows (``repeat``) and rows ``first`` to ``last``."""
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        rows = list(range(repeat)) + list(range(first, last))
        at = {row: index for index, row in enumerate(rows)}
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),  # else Helvetica, which is not embedded
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ]
        for col, row, last_col, last_row in self.spans:
            if row in at:
                end = at[min(last_row, rows[-1])]
                commands.append(("SPAN", (col, at[row]), (last_col, end)))
        for col, row in self.tops:
            if row in at:
                commands.append(("VALIGN", (col, at[row]), (col, at[row]), "TOP"))
        table = Table([self.data[row] for row in rows], colWidths=self.widths, repeatRows=repeat)
        table.setStyle(TableStyle(commands))
        return table


def _table(
    cells: Sequence[Cell],
    rows: int,
    widths: list[float],
    styles: dict[str, Any],
    repeat: int,
    room: float,
) -> Any:
    """A table whose every row, and group of rows held together, fits on a page of
    ``room`` points (below the repeated heading row): text that cannot is cut with a note.
    With a heading row (``repeat``), the rows are handed to reportlab a page at a time
    (``_paged``): splitting one long table re-measures all the rows left at every page,
    which took 118 s for 10,000 indicators."""
    from reportlab.platypus import Paragraph

    laid = _lay(cells, widths, styles)
    budget = room - SLACK
    if repeat:
        for item in laid:
            if item.cell.row < repeat:
                item.cap(budget / 4)  # the heading row repeats on every page: keep it small
        budget -= sum(_row_heights(laid, rows)[:repeat])
    heights = _fit(laid, rows, budget)
    if repeat:
        laid = _chunked(laid, _segments(heights, budget))
    grid = _Grid(
        [["" for _ in widths] for _ in range(rows)],
        widths,
        styles["cell"].fontName,
        [],
        [],
        heights,
    )
    for item in laid:
        cell = item.cell
        text = "<br/>".join(_escape(line) for line in item.lines)
        if cell.kind in ("label", "head"):
            text = f"<b>{text}</b>"
        grid.data[cell.row][cell.col] = Paragraph(text, item.style)
        if cell.rowspan > 1 or cell.colspan > 1:
            last_row = cell.row + cell.rowspan - 1
            grid.spans.append((cell.col, cell.row, cell.col + cell.colspan - 1, last_row))
        if cell.kind == "goal":
            grid.tops.append((cell.col, cell.row))
    if not repeat:
        return grid.table(0, rows, 0)
    return _paged()(grid, repeat, repeat)


@cache
def _paged() -> Any:
    """The class of a grid flowable that gives reportlab one page of rows at a time."""
    from reportlab.platypus import Flowable

    class Paged(Flowable):
        def __init__(self, grid: _Grid, repeat: int, first: int) -> None:
            super().__init__()
            self.hAlign = "CENTER"  # as reportlab places the header table above it
            self.grid, self.repeat, self.first = grid, repeat, first
            rows = len(grid.heights)
            covered = {r for _, row, _, last in grid.spans for r in range(row + 1, last + 1)}
            # A page may end before a row that no merged cell runs into.
            self.cuts = [r for r in range(first + 1, rows) if r not in covered] + [rows]
            self.drawn: Any = None

        def wrap(self, width: float, height: float) -> tuple[float, float]:
            heights = self.grid.heights
            self.width = sum(self.grid.widths)
            self.height = sum(heights[: self.repeat]) + sum(heights[self.first :])
            return self.width, self.height

        def split(self, width: float, height: float) -> list[Any]:
            heights = self.grid.heights
            room = height - sum(heights[: self.repeat])
            used, last = 0.0, self.first
            for cut in self.cuts:
                if used + sum(heights[last:cut]) > room:
                    break
                used += sum(heights[last:cut])
                last = cut
            while last > self.first:  # the estimate is exact; reportlab has the last word
                part = self.grid.table(self.first, last, self.repeat)
                if part.wrap(width, height)[1] <= height:
                    rest = [Paged(self.grid, self.repeat, last)] if last < len(heights) else []
                    return [part, *rest]
                last = max((c for c in self.cuts if c < last), default=self.first)
            return []  # nothing fits below what is on this page: the next page

        def draw(self) -> None:
            table = self.grid.table(self.first, len(self.grid.heights), self.repeat)
            table.wrapOn(self.canv, self.width, self.height)
            table.drawOn(self.canv, 0, 0)

    return Paged


def _paragraph(text: str, style: Any, width: float, room: float) -> Any:
    """A paragraph of our own lines, cut to what fits on a page (``_Laid.cap``)."""
    from reportlab.platypus import Paragraph

    cell = Cell(0, 0, text, "line")
    laid = _Laid(cell, wrap(writable(text), style.fontName, style.fontSize, width), style, width)
    laid.cap(room - SLACK)
    return Paragraph("<br/>".join(_escape(line) for line in laid.lines), style)


def _story(form: Form, font: str, width: float, room: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    styles = _styles(font)
    total = sum(form.layout.widths)
    widths = [width * w / total for w in form.layout.widths]
    story: list[Any] = [Paragraph(f"<b>{_escape(form.title)}</b>", styles["title"])]
    if form.year_line:
        story.append(_paragraph(form.year_line, styles["line"], width, room))
    meta = Table(
        [
            [
                _paragraph(form.filing_line, styles["left"], width * 0.7, room / 2),
                Paragraph(MONEY_NOTE, styles["right"]),
            ]
        ],
        colWidths=[width * 0.7, width * 0.3],
    )
    meta.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [meta, Spacer(1, 2)]
    story.append(_table(form.header, form.header_rows, widths, styles, repeat=0, room=room))
    story.append(
        _table(form.grid, form.grid_rows, widths, styles, repeat=form.heading_rows, room=room)
    )
    return story


def write(projects: Sequence[Project], layout: Layout, summary: Summary | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    del summary
    font = register_font()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="本级预算项目绩效目标表",
        author="jixiao",
        creator="jixiao",
        invariant=1,
        # reportlab starts every page in Helvetica, which it would reference and not embed:
        # every font of the file is our embedded one.
        initialFontName=font,
    )
    story: list[Any] = []
    for index, project in enumerate(projects):
        if index:
            story.append(PageBreak())
        story += _story(build_form(project, layout), font, document.width, document.height)
    document.build(story)
    return buffer.getvalue()
