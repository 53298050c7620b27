"""Target values (指标值): the grammar that turns "≥30次" into a typed target.

A target always keeps the text as written.  From it we derive the kind
(quantitative, time, qualitative, missing, or unrecognized), the operator, the
number as ``Decimal``, the upper bound of a range, the unit and the
direction.  A time target (a deadline, a date, a date range) keeps its dates
as partial ISO texts (``jixiao.core.dates``).  ``render`` prints a canonical text that parses back to an equal
target, so "不低于95%" prints as "≥95%".

Parsing never raises: a text that looks numeric but follows no known form is
an ``UNRECOGNIZED`` target whose ``problem`` says why, and the review turns
that into a finding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from jixiao.core.dates import PartialDate, TimeValue, parse_time, render_time


class Kind(StrEnum):
    QUANTITATIVE = "quantitative"
    TIME = "time"  # a deadline, a date, or a date range
    QUALITATIVE = "qualitative"
    MISSING = "missing"
    UNRECOGNIZED = "unrecognized"


class Operator(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="
    RANGE = "range"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    Operator.GE: "≥",
    Operator.GT: ">",
    Operator.LE: "≤",
    Operator.LT: "<",
    Operator.EQ: "=",
    Operator.RANGE: "-",
}


class Direction(StrEnum):
    HIGHER = "higher"  # 正向: higher is better
    LOWER = "lower"  # 反向: lower is better
    EXACT = "exact"  # 等于 or within a range


PERCENT_UNITS = frozenset({"%", "百分比", "百分点"})


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    kind: Kind
    operator: Operator | None = None
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str = ""
    relative: str = ""  # "较上年提高": the value is a change against a baseline
    each: bool = False  # "各1次": the value applies to each item
    problem: str = ""  # why an UNRECOGNIZED text could not be read
    tolerance: bool = False  # "±5%以内": the deviation, either way, is at most the value
    start: str = ""  # TIME: the first date of a range ("2023-03"), partial ISO
    end: str = ""  # TIME: the date of a deadline or a point, or the last date of a range

    @property
    def direction(self) -> Direction | None:
        if self.kind is Kind.TIME:
            return Direction.LOWER if self.operator is Operator.LE else Direction.EXACT
        if self.kind is not Kind.QUANTITATIVE or self.operator is None:
            return None
        if self.relative:
            falling = any(word in self.relative for word in _FALLING)
            if self.operator in (Operator.GE, Operator.GT):
                return Direction.LOWER if falling else Direction.HIGHER
            if self.operator in (Operator.LE, Operator.LT):
                return Direction.HIGHER if falling else Direction.LOWER
            return Direction.EXACT
        if self.operator in (Operator.GE, Operator.GT):
            return Direction.HIGHER
        if self.operator in (Operator.LE, Operator.LT):
            return Direction.LOWER
        return Direction.EXACT

    @property
    def is_percent(self) -> bool:
        return self.unit in PERCENT_UNITS

    def render(self) -> str:
        """A canonical text equivalent to the original (parses to an equal target)."""
        if self.kind is Kind.MISSING:
            return self.unit  # "万亩": a unit with no number is still a missing value
        if self.kind is Kind.TIME:
            return _render_time(self)
        if self.kind is not Kind.QUANTITATIVE:
            return self.text.strip()
        assert self.value is not None and self.operator is not None
        number = format_decimal(self.value)
        if self.tolerance:
            return f"±{number}{self.unit}"
        each = "各" if self.each else ""
        if self.operator is Operator.RANGE:
            assert self.upper is not None
            return (
                f"{self.relative}{each}{number}{self.unit}-{format_decimal(self.upper)}{self.unit}"
            )
        if self.operator is Operator.EQ or (self.relative and self.operator is Operator.GE):
            sign = ""
        else:
            sign = self.operator.symbol
        return f"{self.relative}{each}{sign}{number}{self.unit}"


def format_decimal(value: Decimal) -> str:
    """Plain notation, never exponent: Decimal('1E+3') → '1000'."""
    text = format(value, "f")
    return text


# --- grammar ---------------------------------------------------------------

_RISING = ("提高", "提升", "增长", "增加", "上升", "增幅")
_FALLING = ("下降", "降低", "减少", "降幅", "压缩")

_SIGN_OPERATORS: tuple[tuple[str, Operator], ...] = (
    (">=", Operator.GE),
    ("=>", Operator.GE),
    ("≥", Operator.GE),
    ("≧", Operator.GE),
    ("⩾", Operator.GE),
    ("<=", Operator.LE),
    ("=<", Operator.LE),
    ("≤", Operator.LE),
    ("≦", Operator.LE),
    ("⩽", Operator.LE),
    (">", Operator.GT),
    ("<", Operator.LT),
    ("=", Operator.EQ),
)

_WORD_OPERATORS: tuple[tuple[str, Operator], ...] = (
    ("大于等于", Operator.GE),
    ("大于或等于", Operator.GE),
    ("小于等于", Operator.LE),
    ("小于或等于", Operator.LE),
    ("不低于", Operator.GE),
    ("不少于", Operator.GE),
    ("不小于", Operator.GE),
    ("不短于", Operator.GE),
    ("至少", Operator.GE),
    ("达到", Operator.GE),
    ("不高于", Operator.LE),
    ("不超过", Operator.LE),
    ("不多于", Operator.LE),
    ("不大于", Operator.LE),
    ("不长于", Operator.LE),
    ("最多", Operator.LE),
    ("控制在", Operator.LE),
    ("大于", Operator.GT),
    ("高于", Operator.GT),
    ("超过", Operator.GT),
    ("多于", Operator.GT),
    ("小于", Operator.LT),
    ("低于", Operator.LT),
    ("少于", Operator.LT),
    ("等于", Operator.EQ),
)

# "以上/以内" include the number itself in Chinese legal usage.
_SUFFIX_OPERATORS: tuple[tuple[str, Operator], ...] = (
    ("及以上", Operator.GE),
    ("以上", Operator.GE),
    ("及以下", Operator.LE),
    ("以下", Operator.LE),
    ("以内", Operator.LE),
    ("之内", Operator.LE),
)

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUMBER_RE = re.compile(_NUMBER)
_RELATIVE_RE = re.compile(
    r"^(?P<base>较上年|比上年|较去年|比去年|同比|环比|较上年度|比上年度|较\d{4}年|比\d{4}年)"
    r"(?P<verb>" + "|".join(_RISING + _FALLING) + r")"
)
_RANGE_RE = re.compile(
    rf"^(?P<low>{_NUMBER})(?P<unit1>[^\d~\-—–至到]*?)\s*(?:~|-|—|–|至|到)\s*"
    rf"(?P<high>{_NUMBER})(?P<unit2>.*)$"
)
_SINGLE_RE = re.compile(rf"^(?P<number>{_NUMBER})(?P<unit>.*)$")
# A year ("2023年", "2021.3"), a month ("10月底前", "7月") or a month range ("1-6月"),
# possibly after "完成时间为": read as a date before anything else ("10" 月底前 is no unit).
_LOOKS_LIKE_DATE = re.compile(
    r"(?:完成时间为|完成时间|完成时限为?|截至|截止到?|于|在|计划于|预计)?"
    r"(?:(?:19|20|21)\d{2}(?:年|\.|-|/|\d{2}-)|(?:1[0-2]|0?[1-9])(?:月(?!份?[^底末初前之以内日号至到~\-\d])|-(?:1[0-2]|0?[1-9])月))"
)
# A unit written with no number ("万亩", "座"): the value is missing, not qualitative.
_UNIT_ONLY = re.compile(
    r"%|百分比|(?:万|千|亿)?(?:元|人次|人|户|亩|公顷|平方米|立方米|公里|千米|米|吨|次|个|件|项|台|套"
    r"|座|所|家|场|期|篇|份|处|条|批|册|本|张|部|支|名|间|辆|株|头|只|天|小时|分钟|个月|工作日|倍|分"
    r"|单|组|例|种|类|村|校|班|栋|块|页|幅|宗|棵|口|眼|盏|根|片|趟|课时|学时)"
)
_MISSING_TEXTS = frozenset({"", "-", "--", "—", "——", "/", "／", "\\", "空"})
_BAD_UNIT = re.compile(r"[\d<>=≥≤≧≦~]")
_LOOKS_NUMERIC = re.compile(r"^[\d.,]|[<>=≥≤≧≦⩾⩽]")
# Template placeholders left in place of a number: "**元/人·月", "X%".
_PLACEHOLDER = re.compile(r"^[*＊]+|^[xX]{1,3}(?=%|次|个|元|万|人|天|小时|年|家|件|户)")


_FOLD = str.maketrans({"﹪": "%", "，": ",", "～": "~", "═": "=", "〓": "="})


def normalise_text(text: str) -> str:
    """Fold full-width forms (＞ → >, ９５％ → 95%, ═ → =) and drop every space."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD)
    compact = re.sub(r"\s+", "", folded)
    # "A´" folds to "A", a space and a combining accent: without the space they compose.
    return compact if compact.isascii() else unicodedata.normalize("NFC", compact)


@lru_cache(maxsize=16384)  # pure, and the result is immutable: tables repeat "100%", "≥95%"
def parse_target(text: str) -> Target:
    """Parse a 指标值 cell.  Never raises."""
    original = text
    compact = normalise_text(text)
    if compact in _MISSING_TEXTS:
        return Target(text=original, kind=Kind.MISSING)

    if compact[:1] == "±" or compact.startswith("误差"):
        tolerance = _parse_tolerance(original, compact)
        if tolerance is not None:
            return tolerance
    if _UNIT_ONLY.fullmatch(compact):
        return Target(text=original, kind=Kind.MISSING, unit=compact)
    if _LOOKS_LIKE_DATE.match(compact):
        time = _parse_time_target(original, compact)
        if time is not None:
            return time

    rest = compact
    relative = ""
    match = _RELATIVE_RE.match(rest)
    if match:
        relative = match.group(0)
        rest = rest[match.end() :]

    each = False
    operator: Operator | None = None
    if rest.startswith("各"):
        each, rest = True, rest[1:]
    operator, rest = _take_prefix_operator(rest)
    if not each and rest.startswith("各"):
        each, rest = True, rest[1:]

    parsed = _parse_number_part(rest, operator)
    if parsed is not None:
        op, value, upper, unit = parsed
        if relative and operator is None and op is Operator.EQ:
            op = Operator.GE  # "较上年提高5%": at least 5% more
        return Target(
            text=original,
            kind=Kind.QUANTITATIVE,
            operator=op,
            value=value,
            upper=upper,
            unit=unit,
            relative=relative,
            each=each,
        )

    if _PLACEHOLDER.search(rest):
        return Target(
            text=original, kind=Kind.UNRECOGNIZED, problem="指标值是模板占位符，没有填写实际数值"
        )
    if (relative and not rest.strip()) or (
        (relative or operator is not None) and _WORDS_ONLY.fullmatch(rest)
    ):
        # "达到国家相关标准", "不超过预算", "较上年提高": a standard or a direction in words
        return Target(text=original, kind=Kind.QUALITATIVE)
    if relative or operator is not None or _LOOKS_NUMERIC.search(compact):
        return Target(
            text=original,
            kind=Kind.UNRECOGNIZED,
            problem=_explain(compact, rest, operator),
        )
    return Target(text=original, kind=Kind.QUALITATIVE)


def _parse_tolerance(original: str, compact: str) -> Target | None:
    """ "±5%", "±5%以内", "误差不超过2%", "误差±2%以内": at most this far either way."""
    match = re.fullmatch(
        rf"(?:误差(?:率)?(?:不超过|不大于|小于等于|≤|<=|控制在)?)?±?(?P<n>{_NUMBER})(?P<unit>.*?)(?:以内|之内)?",
        compact,
    )
    if not match or not (compact.startswith("±") or "误差" in compact):
        return None
    unit = _clean_unit(match.group("unit"))
    if unit is None:
        return None
    return Target(
        text=original,
        kind=Kind.QUANTITATIVE,
        operator=Operator.LE,
        value=_to_decimal(match.group("n")),
        unit=_plain_unit(unit),
        tolerance=True,
    )


_TIME_OPERATORS = {"deadline": Operator.LE, "point": Operator.EQ, "range": Operator.RANGE}


def _parse_time_target(original: str, compact: str) -> Target | None:
    if not re.search(r"年|月|日|底|\d[./]\d", compact):
        return None
    value = parse_time(compact)
    if value is None:
        return None
    return Target(
        text=original,
        kind=Kind.TIME,
        operator=_TIME_OPERATORS[value.kind],
        start=value.start.iso() if value.start else "",
        end=value.end.iso(),
    )


def _render_time(target: Target) -> str:
    end = PartialDate.from_iso(target.end)
    if end is None:
        return target.text.strip()
    start = PartialDate.from_iso(target.start) if target.start else None
    kind = {Operator.LE: "deadline", Operator.RANGE: "range"}.get(
        target.operator or Operator.EQ, "point"
    )
    return render_time(TimeValue(kind, start, end))


def _take_prefix_operator(text: str) -> tuple[Operator | None, str]:
    for token, operator in _SIGN_OPERATORS:
        if text.startswith(token):
            return operator, text[len(token) :]
    for token, operator in _WORD_OPERATORS:
        if text.startswith(token):
            return operator, text[len(token) :]
    return None, text


def _take_suffix_operator(unit: str) -> tuple[Operator | None, str]:
    for token, operator in _SUFFIX_OPERATORS:
        if unit.endswith(token):
            return operator, unit[: -len(token)]
    return None, unit


def _to_decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def _clean_unit(unit: str) -> str | None:
    unit = unit.rstrip("。.;；")
    if _BAD_UNIT.search(unit) and not re.fullmatch(r"[A-Za-z]+\d", unit):
        return None
    return _plain_unit(unit)


_EXPLAINED_UNIT = re.compile(r"(.+?)\((百分比|百分数|比例|比率|人|次|个|元|万元)\)")


def _plain_unit(unit: str) -> str:
    """ "%(百分比)": a unit followed by its own explanation is that unit."""
    if not unit.endswith(")"):
        return unit
    match = _EXPLAINED_UNIT.fullmatch(unit)
    return match.group(1) if match else unit


def _parse_number_part(
    text: str, operator: Operator | None
) -> tuple[Operator, Decimal, Decimal | None, str] | None:
    negative = False
    if operator is not None and text.startswith("-") and len(text) > 1 and text[1].isdigit():
        negative, text = True, text[1:]

    range_match = _RANGE_RE.match(text)
    if range_match and operator is None:
        unit1 = range_match.group("unit1")
        unit2 = _clean_unit(range_match.group("unit2"))
        if unit2 is not None and unit1 in ("", unit2):
            low = _to_decimal(range_match.group("low"))
            high = _to_decimal(range_match.group("high"))
            if low <= high:
                return Operator.RANGE, low, high, unit2

    single = _SINGLE_RE.match(text)
    if not single:
        return None
    suffix_operator, unit_text = _take_suffix_operator(single.group("unit"))
    unit = _clean_unit(unit_text)
    if unit is None:
        return None
    if suffix_operator is not None and operator is not None and suffix_operator is not operator:
        return None
    value = _to_decimal(single.group("number"))
    if negative:
        value = -value
    return operator or suffix_operator or Operator.EQ, value, None, unit


# Words after a sign that name a standard or a baseline, or only a direction: no number is
# missing, the value is qualitative ("达到国家相关标准", "≤批复预算", "较上年提高").
_WORDS_ONLY = re.compile(
    r"[\u4e00-\u9fff（）()、，,]*(?:标准|要求|规定|预算|上年|去年|同期|计划|水平|范围|合同|设计|"
    r"验收|批复|规范|目标|平均|限额|定额|提高|提升|增加|增长|降低|下降|减少|改善)[\u4e00-\u9fff（）()、，,]*"
)


def _explain(compact: str, rest: str, operator: Operator | None) -> str:
    if operator is not None and not _NUMBER_RE.search(rest):
        return "比较符号后没有数字"
    if not _NUMBER_RE.search(compact):
        return "没有可识别的数值"
    return "数值、符号和单位的写法无法识别"
