"""Every limit of ``Limits`` refuses a real file over it, in every format it applies to, with
a Chinese message that names the limit, the file's value and what to do; the deadline is
checked inside every reader (a clock that advances one second a reading)."""

from __future__ import annotations

import itertools
from dataclasses import fields

import pytest

from benchmarks.hostile import many_cells
from jixiao.formats import docx, html, json, pdf, text, xlsx
from jixiao.formats.limits import DEFAULT, Budget, LimitExceeded, Limits, describe
from jixiao.services.exporting import export
from jixiao.services.importing import read_bytes
from tests.conftest import SEED

FORMATS = ("txt", "xlsx", "docx", "pdf", "html", "json")
READERS = {"txt": text, "xlsx": xlsx, "docx": docx, "pdf": pdf, "html": html, "json": json}


@pytest.fixture(scope="module")
def files(seed) -> dict[str, bytes]:
    exported = {fmt: export(seed.projects, fmt) for fmt in FORMATS if fmt != "txt"}
    return {"txt": SEED.read_bytes(), **exported}


def _refused(data: bytes, name: str, limits: Limits) -> str:
    result = read_bytes(data, name, limits)
    assert result.fatal and result.projects == (), result.findings[:1]
    assert result.findings[0].rule == "READ-LIMIT", result.findings[0]
    return result.findings[0].message


# (limit, a value the seed's files exceed, the formats it applies to, words of the message)
CASES = [
    ("file_bytes", 1000, FORMATS, "文件大小为"),
    ("parts", 3, ("xlsx", "docx"), "Office 文件中的部件数为 17 个，超过了上限 3 个"),
    ("unzipped_bytes", 50_000, ("xlsx", "docx"), "Office 文件解压后的总大小为"),
    ("part_bytes", 9_000, ("xlsx", "docx"), "解压后的大小为"),
    ("elements", 300, ("xlsx", "docx", "html", "json"), "元素数"),
    ("sheets", 2, ("xlsx",), "Excel 工作表数为 9 个，超过了上限 2 个"),
    ("rows", 20, FORMATS[:-1], "行数超过了上限 20 行"),
    ("cells", 100, FORMATS[:-1], "单元格数超过了上限 100 个"),
    ("pdf_pages", 3, ("pdf",), "PDF 页数超过了上限 3 页"),
    ("pdf_stream_bytes", 2_000, ("pdf",), "PDF 中一个数据流解压后的大小超过了上限 2 KB"),
    ("pdf_decoded_bytes", 60_000, ("pdf",), "PDF 中数据流解压后的总大小超过了上限"),
    ("pdf_page_objects", 100, ("pdf",), "PDF 第 1 页：文字和图形数超过了上限 100 个"),
    ("pdf_page_crossings", 20, ("pdf",), "PDF 第 1 页：表格线的交点数为"),
]


@pytest.mark.parametrize(
    ("name", "value", "fmt", "words"),
    [(name, value, fmt, words) for name, value, formats, words in CASES for fmt in formats],
)
def test_a_file_over_a_limit_is_refused_saying_which(files, name, value, fmt, words):
    limits = Limits(**{name: value})
    message = _refused(files[fmt], f"seed.{fmt}", limits)
    assert words in message, message
    assert describe(name)["advice"] in message
    # Within the defaults, the same file reads.
    assert not read_bytes(files[fmt], f"seed.{fmt}").fatal


@pytest.mark.parametrize(
    ("name", "limits", "words"),
    [
        ("part_ratio", Limits(part_ratio=5), "“xl/worksheets/sheet1.xml”：压缩比为"),
        ("total_ratio", Limits(total_ratio=5, part_ratio=1000), "Office 文件整体的压缩比为"),
    ],
)
def test_a_workbook_that_compresses_too_well_is_refused_before_it_is_opened(name, limits, words):
    message = _refused(many_cells(), "cells.xlsx", limits)
    assert words in message and "倍，超过了上限 5 倍" in message


def test_every_limit_is_tested():
    tested = {name for name, *_ in CASES} | {"part_ratio", "total_ratio", "seconds"}
    assert tested == {item.name for item in fields(Limits)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_reader_checks_the_deadline_as_it_reads(files, fmt):
    ticks = itertools.count()
    budget = Budget(Limits(seconds=1), clock=lambda: float(next(ticks)))
    result = READERS[fmt].read(files[fmt], f"seed.{fmt}", budget)
    assert result.fatal and result.findings[0].rule == "READ-LIMIT"
    assert result.findings[0].message.startswith("导入用时超过了上限 1 秒。")


def test_a_reader_called_directly_gets_the_default_limits(files):
    result = xlsx.read(files["xlsx"], "seed.xlsx")
    assert not result.fatal and len(result.projects) == 9


def test_messages_say_the_value_the_limit_and_what_to_do():
    exact = LimitExceeded("sheets", 25, DEFAULT, "")
    assert str(exact) == (
        "Excel 工作表数为 25 个，超过了上限 200 个。"
        "请把文件拆成几个较小的文件，或只保留绩效目标表后再导入。"
    )
    counted = LimitExceeded("rows", 50_001, DEFAULT, "工作表“表1”：", at_least=True)
    assert str(counted).startswith(
        "工作表“表1”：行数超过了上限 50,000 行（读到 50,001 行时停止）。"
    )
    big = LimitExceeded("unzipped_bytes", 1024 * 1024 * 1024, DEFAULT)
    assert "为 1,024 MB，超过了上限 64 MB" in str(big)


def test_a_limit_caught_inside_a_library_still_refuses_the_file(files):
    # A library that swallows the exception must not turn a refusal into a partial read.
    budget = Budget(Limits(pdf_stream_bytes=2_000))
    result = pdf.read(files["pdf"], "seed.pdf", budget)
    assert result.fatal and budget.exceeded is not None
    assert result.findings[0].message == str(budget.exceeded)
