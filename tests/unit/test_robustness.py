"""Hostile and random input never raises: it reads, or it says why (property tests)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.formats.base import ReadResult
from jixiao.formats.limits import Limits, describe
from jixiao.services.exporting import export
from jixiao.services.importing import read_bytes
from tests.conftest import SEED

WORDS = [
    "项目名称",
    "一级指标",
    "三级指标",
    "产出指标",
    "数量指标",
    "效益指标",
    "满意度指标",
    "≥30次",
    "100%",
    "资金投入(万元)",
    "实施期金额",
    "年度金额",
    "其中:财政拨款",
    "其他资金",
    "绩效目标",
    "年度目标",
    "降低",
    "十万",
    "",
    "(2023年度)",
    "单位: 万元",
    "-5",
    "1e9",
    "可持续影响指标",
    "成本指标",
]
cells = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
rows = st.lists(st.lists(cells, max_size=7).map("\t".join), max_size=40).map("\n".join)


def _sane(result: ReadResult) -> None:
    assert isinstance(result, ReadResult)
    if result.fatal:
        assert (
            result.projects == ()
            and result.findings
            and result.findings[0].rule in ("READ-UNREADABLE", "READ-LIMIT")
        )
    for finding in result.findings:
        assert finding.message and finding.rule


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_any_table_like_text_reads_or_says_why(text):
    _sane(read_bytes(text.encode("utf-8"), "random.txt"))


@settings(max_examples=200)
@given(st.binary(max_size=2000))
def test_any_bytes_read_or_say_why(data):
    _sane(read_bytes(data, "random.bin"))


XLSX = export(read_bytes(SEED.read_bytes(), "seed.txt").projects[:1], "xlsx")
DOCX = export(read_bytes(SEED.read_bytes(), "seed.txt").projects[:1], "docx")
EXPORTED = {
    fmt: export(read_bytes(SEED.read_bytes(), "seed.txt").projects[:3], fmt)
    for fmt in ("xlsx", "docx", "pdf", "html", "json")
} | {"txt": SEED.read_bytes()}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([XLSX, DOCX]),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=20),
)
def test_a_damaged_office_file_reads_or_says_why(original, damage):
    data = bytearray(original)
    for position, value in damage:
        data[position % len(data)] = value
    _sane(read_bytes(bytes(data), "damaged.xlsx"))


@pytest.mark.parametrize("original", [XLSX, DOCX], ids=["xlsx", "docx"])
def test_a_zip_of_a_later_version_says_why(original):
    # Found by the test above: a central directory asking for zip version 6.4 made
    # zipfile raise NotImplementedError while the type of the file was being found.
    data = bytearray(original)
    central = data.find(b"PK\x01\x02")
    assert central > 0
    data[central + 6] = 64  # "version needed to extract"
    result = read_bytes(bytes(data), "later.xlsx")
    _sane(result)
    assert not result.projects and result.findings


def _rezip(original: bytes, mutate) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, mutate(info.filename, data))
    return buffer.getvalue()


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from([XLSX, DOCX]),
    st.integers(0, 10**5),
    st.sampled_from(
        [b"", b"<", b"&", b"\x00", b"</x>", "项目名称".encode(), b"<c r='ZZZ99999999'/>"]
    ),
)
def test_well_zipped_but_broken_xml_reads_or_says_why(original, cut, insert):
    def mutate(name: str, data: bytes) -> bytes:
        if name.endswith(("sheet1.xml", "document.xml", "workbook.xml", "styles.xml")):
            position = cut % max(len(data), 1)
            return data[:position] + insert + data[position + len(insert) :]
        return data

    _sane(read_bytes(_rezip(original, mutate), "broken.xlsx"))


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(sorted(EXPORTED)),
    st.sampled_from([f.name for f in fields(Limits) if f.name != "seconds"]),
    st.integers(0, 200_000),
)
def test_under_any_limit_a_file_reads_or_is_refused_saying_which(fmt, name, value):
    result = read_bytes(EXPORTED[fmt], f"seed.{fmt}", Limits(**{name: value}))
    _sane(result)
    if result.fatal:
        message = result.findings[0].message
        assert result.findings[0].rule == "READ-LIMIT", message
        assert describe(name)["what"] in message, message
