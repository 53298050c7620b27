"""The write boundary: what a project may hold to be stored, each problem named in Chinese."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.bounds import LIMITS, bad_character, problems
from jixiao.core.model import Evaluation, Execution, FundLine, Funds, Indicator, Project
from jixiao.core.targets import parse_target
from jixiao.formats import text
from tests.conftest import SEED

SEED_PROJECTS = text.read(SEED.read_bytes(), "seed.txt").projects


def _with_annual(amount: str) -> Project:
    return Project("测试项目", year=2023, funds=Funds(annual=FundLine(total=Decimal(amount))))


def test_every_seed_project_can_be_stored():
    assert all(problems(p) == [] for p in SEED_PROJECTS)


@pytest.mark.parametrize(
    "amount", ["1000000000", "123456789012345", "1e15", "1E30", "-1234567890.5"]
)
def test_an_amount_beyond_nine_integer_digits_is_refused(amount):
    found = problems(_with_annual(amount))
    assert [p.field for p in found] == ["funds.annual.total"]
    assert "年度金额太大" in found[0].message and "9 位" in found[0].message


@pytest.mark.parametrize("amount", ["999999999.999999", "0.000001", "102.9", "1.5000000", "0"])
def test_amounts_the_database_holds_are_accepted(amount):
    assert problems(_with_annual(amount)) == []


def test_more_decimal_places_than_a_hundredth_of_a_yuan_are_refused():
    found = problems(_with_annual("1.0000001"))
    assert [p.field for p in found] == ["funds.annual.total"] and "小数位太多" in found[0].message


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_an_amount_that_is_no_number_is_refused(amount):
    assert "不是数字" in problems(_with_annual(amount))[0].message


@pytest.mark.parametrize("year", [10**30, -3, 0, 1989, 2101])
def test_a_year_out_of_range_is_refused(year):
    found = problems(Project("测试项目", year=year))
    assert [p.field for p in found] == ["year"] and str(year) in found[0].message


@pytest.mark.parametrize("bad", ["\x01", "\x00", "\x7f", "\x85", "\ud800", "\ufffe", "\U0001ffff"])
def test_control_characters_surrogates_and_noncharacters_are_refused_with_their_place(bad):
    found = problems(Project(f"测试{bad}项目", year=2023))
    assert [p.field for p in found] == ["name"]
    assert "第 3 个字符" in found[0].message and f"U+{ord(bad):04X}" in found[0].message


def test_line_breaks_belong_in_long_text_not_in_names():
    project = Project("测\n试", year=2023, goals=replace(Project("x").goals, annual="一、\n二、"))
    assert [p.field for p in problems(project)] == ["name"]


def test_too_long_texts_and_too_many_indicators_are_refused():
    indicator = Indicator("产出指标", "数量指标", "培训人数", parse_target("≥100人"))
    project = Project(
        "名" * (LIMITS.short_text + 1),
        year=2023,
        indicators=(indicator,) * (LIMITS.indicators + 1),
    )
    fields = [p.field for p in problems(project)]
    assert fields == ["name", "indicators"]


def test_problems_inside_indicators_and_self_evaluations_name_their_row():
    indicator = Indicator(
        "产出指标", "数量指标", "培训\x01人数", parse_target("≥100人"), score=Decimal("1e20")
    )
    evaluation = Evaluation(total=Execution(executed=Decimal("1e16")))
    found = problems(Project("测试项目", year=2023, indicators=(indicator,), evaluation=evaluation))
    assert [p.field for p in found] == [
        "indicators[1].name",
        "indicators[1].score",
        "evaluation.total.executed",
    ]
    assert found[0].message.startswith("第 1 个指标的指标名称")


def test_an_empty_name_is_refused():
    assert [p.field for p in problems(Project("  ", year=2023))] == ["name"]


@settings(max_examples=300)
@given(st.text(max_size=50))
def test_the_character_check_agrees_with_what_xml_and_utf8_can_hold(value):
    bad = bad_character(value, multiline=True)
    if bad is None:
        value.encode("utf-8")  # no lone surrogate
        assert all(ch in "\t\n\r" or ord(ch) >= 0x20 for ch in value)
        assert not any(0x7F <= ord(ch) <= 0x9F for ch in value)
    else:
        position, character = bad
        assert value[position - 1] == character


@settings(max_examples=200)
@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_any_decimal_either_fits_the_database_or_is_named(amount):
    found = problems(_with_annual(str(amount)))
    if not found:
        assert amount.is_finite()
        assert abs(amount) < Decimal(10) ** LIMITS.amount_digits
        assert amount == amount.quantize(Decimal("0.000001"))
