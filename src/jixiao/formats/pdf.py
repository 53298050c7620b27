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
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.core.summary import Summary
from jixiao.formats.base import ReadResult, unreadable
from jixiao.formats.form import MONEY_NOTE, Cell, Form, Layout, build_form
from jixiao.formats.reading import Row, clean_cell, read_rows

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
MAX_PAGES = 500
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


def _rows(document: Any, path: str) -> Iterator[Row]:
    for number, page in enumerate(document.pages, start=1):
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


def read(data: bytes, path: str = "") -> ReadResult:
    import pdfplumber

    try:
        document = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # hostile input: any failure of the library is a message
        return unreadable(
            path,
            f"PDF 文件已损坏或无法打开（{type(error).__name__}）。请重新导出 PDF，或提供 Excel/Word 文件。",
        )
    with document:
        try:
            if len(document.pages) > MAX_PAGES:
                return unreadable(path, f"PDF 超过 {MAX_PAGES} 页，请拆分后再导入。")
            if not any(page.chars for page in document.pages):
                return unreadable(
                    path,
                    "这个 PDF 没有文字层（像是扫描件或图片），无法读取表格。"
                    "请提供可以选中文字的 PDF，或者原始的 Excel/Word 文件。",
                )
            rows = list(_rows(document, path))
        except Exception as error:  # broken content streams surface late, page by page
            return unreadable(
                path,
                f"PDF 内容无法解析（{type(error).__name__}）。请重新导出 PDF，或提供 Excel/Word 文件。",
            )
    return read_rows(rows, path, "PDF 文件")


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

    return escape(text).replace("\n", "<br/>")


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


def _table(
    cells: Sequence[Cell], rows: int, widths: list[float], styles: dict[str, Any], repeat: int
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data: list[list[Any]] = [["" for _ in widths] for _ in range(rows)]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    for cell in _chunked(cells):
        style = styles[cell.kind]
        room = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * PADDING - 1
        text = "<br/>".join(
            _escape(line) for line in wrap(cell.text, style.fontName, style.fontSize, room)
        )
        if cell.kind in ("label", "head"):
            text = f"<b>{text}</b>"
        data[cell.row][cell.col] = Paragraph(text, style)
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(
                (
                    "SPAN",
                    (cell.col, cell.row),
                    (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1),
                )
            )
        if cell.kind == "goal":
            commands.append(("VALIGN", (cell.col, cell.row), (cell.col, cell.row), "TOP"))
    table = Table(data, colWidths=widths, repeatRows=repeat, splitByRow=1)
    table.setStyle(TableStyle(commands))
    return table


SPAN_CHUNK = (
    15  # rows: a category cell spanning more is cut, so a long table can break across pages
)


def _chunked(cells: Sequence[Cell]) -> list[Cell]:
    """Cut tall 一级/二级 cells at every SPAN_CHUNK-th row, repeating the text: reportlab
    cannot break a page inside a spanned cell, and the reader takes a repeated category
    for the same one."""
    result: list[Cell] = []
    for cell in cells:
        if cell.kind != "category" or cell.rowspan <= 1:
            result.append(cell)
            continue
        row, end = cell.row, cell.row + cell.rowspan
        while row < end:
            boundary = min(end, (row - 1) // SPAN_CHUNK * SPAN_CHUNK + SPAN_CHUNK + 1)
            result.append(replace(cell, row=row, rowspan=boundary - row))
            row = boundary
    return result


def _story(form: Form, font: str, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    styles = _styles(font)
    total = sum(form.layout.widths)
    widths = [width * w / total for w in form.layout.widths]
    story: list[Any] = [Paragraph(f"<b>{_escape(form.title)}</b>", styles["title"])]
    if form.year_line:
        story.append(Paragraph(_escape(form.year_line), styles["line"]))
    meta = Table(
        [
            [
                Paragraph(_escape(form.filing_line), styles["left"]),
                Paragraph(MONEY_NOTE, styles["right"]),
            ]
        ],
        colWidths=[width * 0.7, width * 0.3],
    )
    meta.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [meta, Spacer(1, 2)]
    story.append(_table(form.header, form.header_rows, widths, styles, repeat=0))
    story.append(_table(form.grid, form.grid_rows, widths, styles, repeat=1))
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
    )
    story: list[Any] = []
    for index, project in enumerate(projects):
        if index:
            story.append(PageBreak())
        story += _story(build_form(project, layout), font, document.width)
    document.build(story)
    return buffer.getvalue()
