"""The 汇总表 of any number of projects is written as its rows come: the rows are never all
held, so ten times the projects is not ten times the memory; and the totals are exact."""

from __future__ import annotations

import io
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal

import openpyxl

from jixiao.core.model import FundLine
from jixiao.core.summary import Summary, SummaryRow, summary_of
from jixiao.formats import html, xlsx


def _rows(count: int) -> Iterator[SummaryRow]:
    for n in range(1, count + 1):
        yield SummaryRow(
            number=n,
            name=f"第{n}个项目：基层医疗设备购置",
            period="2023年1月至2023年12月",
            annual=FundLine(
                total=Decimal("12.345678"), fiscal=Decimal("10.005"), other=Decimal("2.340678")
            ),
            indicators=(6, 1, 2, 1),
            findings=(n % 2, 1, 0),
        )


def _peak(count: int, write: Callable[[Summary], None]) -> int:
    tracemalloc.start()
    try:
        write(Summary(rows=_rows(count), ruleset="local"))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _to_file(summary: Summary) -> None:
    with tempfile.TemporaryFile() as handle:
        xlsx.save_summary(summary, handle)


def _to_nowhere(summary: Summary) -> None:
    for _ in html.stream_summary(summary):
        pass


def test_the_workbook_streams_its_rows():
    small, large = _peak(1_000, _to_file), _peak(10_000, _to_file)
    assert large < 2 * small, (small, large)


def test_the_page_streams_its_rows():
    small, large = _peak(1_000, _to_nowhere), _peak(10_000, _to_nowhere)
    assert large < 2 * small, (small, large)


def test_a_held_summary_grows_with_its_rows():
    """The measure can fail: a summary whose rows are all held does grow."""
    small = _peak(1_000, lambda s: _to_file(summary_of(list(s.rows), s.ruleset)))
    large = _peak(10_000, lambda s: _to_file(summary_of(list(s.rows), s.ruleset)))
    assert large > 3 * small


def test_the_streamed_totals_are_exact():
    with tempfile.TemporaryFile() as handle:
        xlsx.save_summary(Summary(rows=_rows(5_000), ruleset="local"), handle)
        handle.seek(0)
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read()))["汇总表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:2] == (1, "第1个项目：基层医疗设备购置")
    total = rows[-1]
    assert total[:2] == ("合计", "5000 个项目")
    assert Decimal(str(total[3])) == Decimal("61728.39")  # 12.345678 × 5,000
    assert Decimal(str(total[5])) == Decimal("11703.39")
    assert total[-3:] == (2500, 5000, 0)
    page = b"".join(html.stream_summary(Summary(rows=_rows(3), ruleset="local"))).decode()
    assert page.count('<tr class="total">') == 1 and "37.037034" in page
