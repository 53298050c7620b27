"""One table, every way people publish it as text: the reader finds the same table.

The layouts are the ones of the real corpus (tests/corpus): tab-separated rows,
pipe rows, one cell per line ending in ``|`` with bare ``|`` for empty cells, one
cell per paragraph with a paragraph of spaces for an empty cell, cells apart by
runs of spaces, cells apart by single spaces, and rows glued together with no
separator at all.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from benchmarks.corpus import furniture, mixed_corpus, table_rows
from benchmarks.layouts import LAYOUTS
from jixiao.formats import text

HEADER = [
    ["项目名称", "社区养老服务补助", "主管部门", "市民政局"],
    ["实施单位", "市社会福利中心", "项目实施期", "2024年1月至2024年12月"],
    ["年度金额", "86"],
    ["年度目标", "为全市老人提供上门养老服务。"],
]
GRID = [
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "上门服务人次", "≥12000人次"],
    ["", "", "服务社区数量", "≥30个"],
    ["", "质量指标", "服务合格率", "≥95%"],
    ["", "时效指标", "补助发放及时率", "100%"],
    ["效益指标", "社会效益指标", "老人生活质量", "持续改善"],
    ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"],
]
EXPECTED = [
    ("产出指标", "数量指标", "上门服务人次", "≥12000人次"),
    ("产出指标", "数量指标", "服务社区数量", "≥30个"),
    ("产出指标", "质量指标", "服务合格率", "≥95%"),
    ("产出指标", "时效指标", "补助发放及时率", "100%"),
    ("效益指标", "社会效益指标", "老人生活质量", "持续改善"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[f.__name__ for f in LAYOUTS])
def test_the_same_table_is_read_alike_in_every_text_layout(layout):
    result = text.read(layout(HEADER + GRID).encode("utf-8"), "t.txt")
    assert not result.fatal, result.findings
    (project,) = result.projects
    assert project.name == "社区养老服务补助"
    assert project.department == "市民政局"
    assert project.implementing_unit == "市社会福利中心"
    assert project.funds.annual.total == Decimal("86")
    assert [(i.level1, i.level2, i.name, i.target.text) for i in project.indicators] == EXPECTED
    assert not [f for f in result.findings if f.severity.value == "error"], result.findings


@pytest.mark.parametrize("layout", LAYOUTS, ids=[f.__name__ for f in LAYOUTS])
def test_the_report_says_how_the_table_was_read(layout):
    result = text.read(layout(HEADER + GRID).encode("utf-8"), "t.txt")
    (report,) = result.tables
    assert report.kind == "target" and report.confident
    assert report.indicators == 6
    assert report.rows_unknown == 0


def test_a_corpus_of_tables_in_every_layout_one_after_another_is_read_exactly():
    count = 140
    result = text.read(mixed_corpus(count).encode("utf-8"), "mixed.txt")
    assert len(result.projects) == count
    rng = random.Random(2023)
    for number, project in enumerate(result.projects, start=1):
        furniture(rng)
        rows = table_rows(rng, number)
        assert [(i.name, i.target.text) for i in project.indicators] == [
            (row[2], row[3]) for row in rows[5:]
        ], project.name
