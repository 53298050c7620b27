"""The grammar of target values (指标值)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.core.targets import Direction, Kind, Operator, Target, parse_target

D = Decimal

# text → (kind, operator, value, upper, unit, direction)
CASES = [
    # every value form in the seed
    ("≥30次", Kind.QUANTITATIVE, Operator.GE, D(30), None, "次", Direction.HIGHER),
    ("≥1000次", Kind.QUANTITATIVE, Operator.GE, D(1000), None, "次", Direction.HIGHER),
    ("12个", Kind.QUANTITATIVE, Operator.EQ, D(12), None, "个", Direction.EXACT),
    ("≥30%", Kind.QUANTITATIVE, Operator.GE, D(30), None, "%", Direction.HIGHER),
    ("100%", Kind.QUANTITATIVE, Operator.EQ, D(100), None, "%", Direction.EXACT),
    (">75%", Kind.QUANTITATIVE, Operator.GT, D(75), None, "%", Direction.HIGHER),
    ("> 95%", Kind.QUANTITATIVE, Operator.GT, D(95), None, "%", Direction.HIGHER),
    ("≤5%", Kind.QUANTITATIVE, Operator.LE, D(5), None, "%", Direction.LOWER),
    ("≥3年", Kind.QUANTITATIVE, Operator.GE, D(3), None, "年", Direction.HIGHER),
    ("≥10万页", Kind.QUANTITATIVE, Operator.GE, D(10), None, "万页", Direction.HIGHER),
    ("≥2万人", Kind.QUANTITATIVE, Operator.GE, D(2), None, "万人", Direction.HIGHER),
    ("1个月", Kind.QUANTITATIVE, Operator.EQ, D(1), None, "个月", Direction.EXACT),
    ("≤24小时", Kind.QUANTITATIVE, Operator.LE, D(24), None, "小时", Direction.LOWER),
    ("≤30分钟", Kind.QUANTITATIVE, Operator.LE, D(30), None, "分钟", Direction.LOWER),
    ("≥936户", Kind.QUANTITATIVE, Operator.GE, D(936), None, "户", Direction.HIGHER),
    # full-width signs and spaces, other sign spellings
    ("＞ 95%", Kind.QUANTITATIVE, Operator.GT, D(95), None, "%", Direction.HIGHER),
    ("＞９５％", Kind.QUANTITATIVE, Operator.GT, D(95), None, "%", Direction.HIGHER),
    ("≧90%", Kind.QUANTITATIVE, Operator.GE, D(90), None, "%", Direction.HIGHER),
    (">=90%", Kind.QUANTITATIVE, Operator.GE, D(90), None, "%", Direction.HIGHER),
    ("<=3天", Kind.QUANTITATIVE, Operator.LE, D(3), None, "天", Direction.LOWER),
    ("＜ 2%", Kind.QUANTITATIVE, Operator.LT, D(2), None, "%", Direction.LOWER),
    ("＝100%", Kind.QUANTITATIVE, Operator.EQ, D(100), None, "%", Direction.EXACT),
    # words
    ("不低于95%", Kind.QUANTITATIVE, Operator.GE, D(95), None, "%", Direction.HIGHER),
    ("不少于20场", Kind.QUANTITATIVE, Operator.GE, D(20), None, "场", Direction.HIGHER),
    ("不超过30分钟", Kind.QUANTITATIVE, Operator.LE, D(30), None, "分钟", Direction.LOWER),
    ("不高于90万元", Kind.QUANTITATIVE, Operator.LE, D(90), None, "万元", Direction.LOWER),
    ("95%以上", Kind.QUANTITATIVE, Operator.GE, D(95), None, "%", Direction.HIGHER),
    ("95%及以上", Kind.QUANTITATIVE, Operator.GE, D(95), None, "%", Direction.HIGHER),
    ("3个工作日以内", Kind.QUANTITATIVE, Operator.LE, D(3), None, "个工作日", Direction.LOWER),
    # units
    ("≥100百分比", Kind.QUANTITATIVE, Operator.GE, D(100), None, "百分比", Direction.HIGHER),
    ("≤1200元/人·月", Kind.QUANTITATIVE, Operator.LE, D(1200), None, "元/人·月", Direction.LOWER),
    ("≥1,000次", Kind.QUANTITATIVE, Operator.GE, D(1000), None, "次", Direction.HIGHER),
    ("≥12,345.5万元", Kind.QUANTITATIVE, Operator.GE, D("12345.5"), None, "万元", Direction.HIGHER),
    ("0.5万元", Kind.QUANTITATIVE, Operator.EQ, D("0.5"), None, "万元", Direction.EXACT),
    # ranges
    ("90%-95%", Kind.QUANTITATIVE, Operator.RANGE, D(90), D(95), "%", Direction.EXACT),
    ("90%~95%", Kind.QUANTITATIVE, Operator.RANGE, D(90), D(95), "%", Direction.EXACT),
    ("90%～95%", Kind.QUANTITATIVE, Operator.RANGE, D(90), D(95), "%", Direction.EXACT),
    ("3-5年", Kind.QUANTITATIVE, Operator.RANGE, D(3), D(5), "年", Direction.EXACT),
    ("3至5年", Kind.QUANTITATIVE, Operator.RANGE, D(3), D(5), "年", Direction.EXACT),
    # relative to a baseline, each
    ("较上年提高5%", Kind.QUANTITATIVE, Operator.GE, D(5), None, "%", Direction.HIGHER),
    ("较上年下降10%", Kind.QUANTITATIVE, Operator.GE, D(10), None, "%", Direction.LOWER),
    ("同比增长3%", Kind.QUANTITATIVE, Operator.GE, D(3), None, "%", Direction.HIGHER),
    ("各1次", Kind.QUANTITATIVE, Operator.EQ, D(1), None, "次", Direction.EXACT),
    ("各≥2次", Kind.QUANTITATIVE, Operator.GE, D(2), None, "次", Direction.HIGHER),
    # qualitative
    ("降低", Kind.QUALITATIVE, None, None, None, "", None),
    ("良好", Kind.QUALITATIVE, None, None, None, "", None),
    ("有效提高", Kind.QUALITATIVE, None, None, None, "", None),
    ("达成预期指标", Kind.QUALITATIVE, None, None, None, "", None),
    ("符合GB50016标准", Kind.QUALITATIVE, None, None, None, "", None),
    ("2023年12月底前", Kind.TIME, Operator.LE, None, None, "", Direction.LOWER),
    # missing
    ("", Kind.MISSING, None, None, None, "", None),
    ("  ", Kind.MISSING, None, None, None, "", None),
    ("—", Kind.MISSING, None, None, None, "", None),
    ("/", Kind.MISSING, None, None, None, "", None),
]


@pytest.mark.parametrize(("text", "kind", "operator", "value", "upper", "unit", "direction"), CASES)
def test_a_value_is_typed_from_its_text(text, kind, operator, value, upper, unit, direction):
    target = parse_target(text)
    assert target.text == text, "the original text is always kept"
    assert (target.kind, target.operator, target.value, target.upper, target.unit) == (
        kind,
        operator,
        value,
        upper,
        unit,
    )
    assert target.direction == direction


def test_relative_and_each_are_kept():
    assert parse_target("较上年提高5%").relative == "较上年提高"
    assert parse_target("各1次").each is True
    assert parse_target("1次").each is False


def test_a_percent_is_recognised_in_either_spelling():
    assert parse_target("≥95%").is_percent
    assert parse_target("≥100百分比").is_percent
    assert not parse_target("≥95次").is_percent


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("≥", "比较符号后没有数字"),
        ("≥abc", "比较符号后没有数字"),
        ("**元/人·月", "指标值是模板占位符，没有填写实际数值"),
        ("≥X%", "指标值是模板占位符，没有填写实际数值"),
        ("≥.", "比较符号后没有数字"),
        ("30次左右≥", "数值、符号和单位的写法无法识别"),
        ("≥95%以下", "数值、符号和单位的写法无法识别"),
        ("1,5次", "数值、符号和单位的写法无法识别"),
    ],
)
def test_an_unknown_form_keeps_its_text_and_says_why(text, problem):
    target = parse_target(text)
    assert target.kind is Kind.UNRECOGNIZED
    assert target.text == text
    assert target.problem == problem


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("不低于95%", "≥95%"),
        ("＞ 95%", ">95%"),
        ("≥1,000次", "≥1000次"),
        ("95%以上", "≥95%"),
        ("90%~95%", "90%-95%"),
        ("较上年提高5%", "较上年提高5%"),
        ("各1次", "各1次"),
        ("良好", "良好"),
        ("", ""),
    ],
)
def test_printing_gives_a_canonical_equivalent_text(text, printed):
    assert parse_target(text).render() == printed


UNITS = ["", "%", "次", "个", "万元", "元/人·月", "小时", "年", "万页", "百分比", "个工作日", "户"]
numbers = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def quantitative_targets(draw):
    """Targets built from their parts, as a form might type them."""
    unit = draw(st.sampled_from(UNITS))
    value = draw(numbers)
    relative = draw(st.sampled_from(["", "较上年提高", "较上年下降", "同比增长"]))
    each = draw(st.booleans()) if not relative else False
    if draw(st.booleans()) and not relative:
        upper = draw(numbers.filter(lambda u: u >= value))
        return Target("", Kind.QUANTITATIVE, Operator.RANGE, value, upper, unit, "", each)
    operators = [Operator.GE, Operator.GT, Operator.LE, Operator.LT, Operator.EQ]
    operator = draw(st.sampled_from(operators if not relative else [Operator.GE, Operator.LE]))
    return Target("", Kind.QUANTITATIVE, operator, value, None, unit, relative, each)


def _typed(target: Target) -> tuple:
    return (
        target.kind,
        target.operator,
        target.value,
        target.upper,
        target.unit,
        target.relative,
        target.each,
    )


@given(quantitative_targets())
def test_a_printed_target_parses_back_to_the_same_target(target):
    printed = target.render()
    again = parse_target(printed)
    assert _typed(again) == _typed(target), printed
    assert again.render() == printed


@given(st.text(max_size=30))
@example("≥≥95%")
@example("较上年")
@example("\x00")
@example("0A\xb4")  # the accent folds to a space and a combining mark, composed once unspaced
def test_parsing_never_raises_and_always_keeps_the_text(text):
    target = parse_target(text)
    assert target.text == text
    assert target.kind in Kind
    if target.kind is Kind.QUANTITATIVE:
        assert target.value is not None and target.operator is not None
        assert parse_target(target.render()).render() == target.render()


def test_every_seed_value_is_understood(seed):
    kinds = [i.target.kind for p in seed.projects for i in p.indicators]
    assert Kind.UNRECOGNIZED not in kinds
    assert kinds.count(Kind.MISSING) == 1  # 装备利用率
    assert kinds.count(Kind.QUALITATIVE) == 10
    assert kinds.count(Kind.QUANTITATIVE) == 55


# --- time, tolerance, and the other writings of real tables ----------------------------------

TIME_CASES = [
    # date ranges in every common writing
    ("2019年3月--2019年10月", Operator.RANGE, "2019-03", "2019-10"),
    ("2021.2.1-2021.11.30", Operator.RANGE, "2021-02-01", "2021-11-30"),
    ("2022年3月-11月", Operator.RANGE, "2022-03", "2022-11"),
    ("2024.03-2024.12", Operator.RANGE, "2024-03", "2024-12"),
    ("2023年3月至6月", Operator.RANGE, "2023-03", "2023-06"),
    ("2022年1月—12月", Operator.RANGE, "2022-01", "2022-12"),
    ("1-6月", Operator.RANGE, "--01", "--06"),
    # dates and deadlines
    ("2023年6月30日", Operator.EQ, "", "2023-06-30"),
    ("2021年底之前", Operator.LE, "", "2021-12-31"),
    ("10月底前", Operator.LE, "", "--10-31"),
    ("2025年10月底前", Operator.LE, "", "2025-10-31"),
    ("9月前", Operator.LE, "", "--09"),
    ("12月底之前完成", Operator.LE, "", "--12-31"),
    ("完成时间为2022年12月30日", Operator.EQ, "", "2022-12-30"),
    ("2020年", Operator.EQ, "", "2020"),
    ("7月", Operator.EQ, "", "--07"),
]


@pytest.mark.parametrize(("text", "operator", "start", "end"), TIME_CASES)
def test_dates_deadlines_and_date_ranges_are_time_targets(text, operator, start, end):
    target = parse_target(text)
    assert target.text == text
    assert (target.kind, target.operator, target.start, target.end) == (
        Kind.TIME,
        operator,
        start,
        end,
    )
    assert parse_target(target.render()).render() == target.render()


def test_a_deadline_is_not_a_number_with_a_unit():
    target = parse_target("10月底前")
    assert target.kind is Kind.TIME and target.value is None and target.unit == ""


@pytest.mark.parametrize("text", ["═100%", "＝100%", "=100%"])
def test_every_equals_sign_is_equals(text):
    target = parse_target(text)
    assert (target.kind, target.operator, target.value, target.unit) == (
        Kind.QUANTITATIVE,
        Operator.EQ,
        D(100),
        "%",
    )


@pytest.mark.parametrize(
    ("text", "value"), [("±5%以内", D(5)), ("误差不超过2%", D(2)), ("±2%", D(2))]
)
def test_a_tolerance_is_a_bound_on_the_deviation_either_way(text, value):
    target = parse_target(text)
    assert (target.kind, target.operator, target.value, target.unit, target.tolerance) == (
        Kind.QUANTITATIVE,
        Operator.LE,
        value,
        "%",
        True,
    )
    assert target.render() == f"±{value}%"


def test_a_rate_per_period_keeps_its_unit():
    target = parse_target("≤80万元/月")
    assert (target.operator, target.value, target.unit) == (Operator.LE, D(80), "万元/月")


@pytest.mark.parametrize("text", ["万亩", "座", "%", "人次"])
def test_a_unit_with_no_number_is_a_missing_value_not_a_qualitative_one(text):
    target = parse_target(text)
    assert (target.kind, target.unit) == (Kind.MISSING, text)
    assert parse_target(target.render()) == target


def test_a_unit_followed_by_its_own_explanation_is_that_unit():
    target = parse_target(">=98%(百分比)")
    assert (target.operator, target.value, target.unit, target.is_percent) == (
        Operator.GE,
        D(98),
        "%",
        True,
    )


years = st.integers(min_value=2000, max_value=2099)
months = st.integers(min_value=1, max_value=12)
days = st.integers(min_value=1, max_value=28)


@st.composite
def time_targets(draw):
    """A deadline, a date or a range, written the way tables write them."""
    year, month, day = draw(years), draw(months), draw(days)
    form = draw(st.sampled_from(["deadline", "point", "range", "month-range"]))
    if form == "deadline":
        return f"{year}年{month}月{day}日前"
    if form == "point":
        return f"{year}年{month}月"
    if form == "range":
        end = draw(st.integers(min_value=month, max_value=12))
        return f"{year}.{month}.{day}-{year}.{end}.{day}"
    end = draw(st.integers(min_value=month, max_value=12))
    return f"{year}年{month}月-{end}月"


@given(time_targets())
def test_a_printed_time_target_parses_back_to_the_same_target(text):
    target = parse_target(text)
    assert target.kind is Kind.TIME, text
    again = parse_target(target.render())
    assert (again.kind, again.operator, again.start, again.end) == (
        target.kind,
        target.operator,
        target.start,
        target.end,
    )


@given(numbers, st.sampled_from(["%", "个", "万元", ""]))
def test_a_printed_tolerance_parses_back_to_the_same_target(value, unit):
    target = parse_target(f"±{value}{unit}")
    again = parse_target(target.render())
    assert _typed(again) == _typed(target) and again.tolerance
