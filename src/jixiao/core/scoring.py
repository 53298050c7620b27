"""Scoring a self-evaluation (绩效自评): the score each row earns, computed from the approved
target and the actual value, with its explanation in Chinese.

Pure and exact (``Decimal``).  The schemes are data (``SCHEMES``): the weights of budget
execution and of the indicator categories, the bands of qualitative results, the grades.
The default follows 财预〔2020〕10号 (预算执行率 10, 产出 50, 效益 30, 满意度 10); two
published local variants are included.  Nothing here trusts the scores a form reports:
they are kept beside the computed ones so that the review can compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from jixiao.core import framework
from jixiao.core.model import Evaluation, Indicator, Project
from jixiao.core.targets import Kind, Operator, Target, format_decimal

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Band:
    """A qualitative result and the share of the weight it earns (from, to)."""

    name: str
    low: Decimal
    high: Decimal
    words: tuple[str, ...]


BANDS = (
    Band(
        "达成",
        Decimal("0.8"),
        ONE,
        (
            "达成",
            "已达成",
            "完成",
            "已完成",
            "全部完成",
            "达到",
            "已达到",
            "是",
            "良好",
            "优",
            "优秀",
            "好",
            "合格",
            "通过",
            "实现",
            "已实现",
        ),
    ),
    Band(
        "部分达成",
        Decimal("0.6"),
        Decimal("0.8"),
        ("部分达成", "基本达成", "基本完成", "部分完成", "基本实现", "较好", "一般", "基本合格"),
    ),
    Band(
        "未达成",
        ZERO,
        Decimal("0.6"),
        ("未达成", "未完成", "没有完成", "否", "差", "未实现", "不合格"),
    ),
)
NOT_APPLICABLE = ("不适用", "无此项", "不涉及", "/", "—", "-")
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (ZERO, "差"))


@dataclass(frozen=True)
class Scheme:
    """How a self-evaluation is scored: the weight of budget execution, of each category of
    indicators (spread evenly over a category's rows where the form gives no weights), and
    whether an explanation is required below an execution rate."""

    name: str
    title: str
    description: str
    execution: Decimal
    categories: tuple[tuple[str, Decimal], ...]  # 一级 → its total weight; () = all rows alike
    indicators: Decimal  # the total of the indicators' weights
    explain_below: Decimal | None = None  # an execution rate below which a reason is required

    def category_weight(self, level1: str | None) -> Decimal | None:
        for name, weight in self.categories:
            if name == level1:
                return weight
        return None


SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        Scheme(
            name="caiyu-2020-10",
            title="财预〔2020〕10号（默认）",
            description="预算执行率 10 分（10 × 执行数 ÷ 预算数，不超过 10 分）；产出指标 50 分、效益指标 30 分、"
            "满意度指标 10 分，表中没有分值时在各类的三级指标间平均分配；成本指标计入产出。",
            execution=Decimal(10),
            categories=(
                (framework.OUTPUT, Decimal(50)),
                (framework.COST, ZERO),
                (framework.BENEFIT, Decimal(30)),
                (framework.SATISFACTION, Decimal(10)),
            ),
            indicators=Decimal(90),
        ),
        Scheme(
            name="execution-10-indicators-90",
            title="预算执行 10 分 + 绩效指标 90 分（地方）",
            description="预算执行率 10 分；绩效指标共 90 分，表中没有分值时在全部三级指标间平均分配；"
            "执行率低于 90% 时必须说明原因。",
            execution=Decimal(10),
            categories=(),
            indicators=Decimal(90),
            explain_below=Decimal("0.9"),
        ),
        Scheme(
            name="execution-20",
            title="预算执行 20 分（地方，20 分 × 执行率）",
            description="预算执行率 20 分（20 × 执行数 ÷ 预算数）；绩效指标共 80 分：产出 40、效益 30、"
            "满意度 10，表中没有分值时在各类的三级指标间平均分配。",
            execution=Decimal(20),
            categories=(
                (framework.OUTPUT, Decimal(40)),
                (framework.COST, ZERO),
                (framework.BENEFIT, Decimal(30)),
                (framework.SATISFACTION, Decimal(10)),
            ),
            indicators=Decimal(80),
        ),
    )
}
DEFAULT_SCHEME = "caiyu-2020-10"


@dataclass(frozen=True)
class RowScore:
    """One scored row: the weight used, the score reported and computed, and why."""

    name: str
    weight: Decimal | None
    reported: Decimal | None
    computed: Decimal | None  # None: not scored (not applicable, or nothing to compare)
    explanation: str
    met: bool | None = None  # the target reached (None: unknown)
    ratio: Decimal | None = None  # actual ÷ target, where both are numbers
    indicator: Indicator | None = None


@dataclass(frozen=True)
class ScoreCard:
    """The self-evaluation of one project scored by one scheme."""

    project: str
    scheme: Scheme
    execution: RowScore
    rows: tuple[RowScore, ...]
    total_reported: Decimal | None
    total: Decimal
    grade_reported: str
    grade: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def differences(self) -> tuple[RowScore, ...]:
        """Rows whose reported score differs from the computed one by more than 0.01."""
        return tuple(
            row
            for row in (self.execution, *self.rows)
            if row.reported is not None
            and row.computed is not None
            and abs(row.reported - row.computed) > CENT
        )


def infer_scheme(project: Project) -> Scheme:
    """The scheme the evaluation declares, else the one a form evidently used: where it prints no weight for budget execution but
    its execution score is 20 × the rate ("20分*执行率"), the 20-point scheme; else the
    default."""
    default = SCHEMES[DEFAULT_SCHEME]
    evaluation = project.evaluation
    if evaluation is None:
        return default
    if evaluation.scheme in SCHEMES:  # declared (chosen in the web form)
        return SCHEMES[evaluation.scheme]
    line = evaluation.total
    rate = line.rate
    if line.weight is not None or line.score is None or rate is None:
        return default
    for scheme in SCHEMES.values():
        if abs(scheme.execution * min(rate, ONE) - line.score) <= CENT:
            return scheme
    return default


def _round(value: Decimal, places: Decimal = CENT) -> Decimal:
    """``value`` rounded to ``places``; an absurd value (beyond what a budget holds, only in a
    hostile file) is left as it is rather than failing."""
    try:
        return value.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def money(value: Decimal) -> str:
    return format_decimal(_round(value).normalize())


def grade_of(total: Decimal) -> str:
    for floor, grade in GRADES:
        if total >= floor:
            return grade
    return "差"


def score(project: Project, scheme: Scheme | None = None) -> ScoreCard | None:
    """The score card of a project's self-evaluation, or None when it has none."""
    evaluation = project.evaluation
    if evaluation is None:
        return None
    scheme = scheme or SCHEMES[DEFAULT_SCHEME]
    execution = _execution(evaluation, scheme)
    shares, notes = weights(project.indicators, scheme)
    rows = tuple(_row(i, w) for i, w in zip(project.indicators, shares, strict=True))
    rows, rescaled = _rescaled(rows, scheme)
    notes = (*notes, *rescaled)
    if scheme.explain_below is not None:
        rate = evaluation.total.rate
        if rate is not None and rate < scheme.explain_below:
            notes = (
                *notes,
                f"执行率 {_percent(rate)} 低于 {_percent(scheme.explain_below)}，须说明原因。",
            )
    total = sum((r.computed or ZERO for r in (execution, *rows)), ZERO)
    total = _round(total)
    return ScoreCard(
        project=project.name,
        scheme=scheme,
        execution=execution,
        rows=rows,
        total_reported=evaluation.total_reported,
        total=total,
        grade_reported=evaluation.grade_reported,
        grade=grade_of(total),
        notes=notes,
    )


def _percent(rate: Decimal) -> str:
    return f"{format_decimal(_round(rate * HUNDRED).normalize())}%"


def _execution(evaluation: Evaluation, scheme: Scheme) -> RowScore:
    line = evaluation.total
    weight = line.weight if line.weight is not None else scheme.execution  # the form's 分值
    rate = line.rate
    if rate is None:
        return RowScore(
            "预算执行率", weight, line.score, None, "没有预算数或执行数，无法计算执行率"
        )
    capped = min(rate, ONE)
    computed = _round(weight * capped)
    base = line.budget if line.budget is not None else line.planned
    assert base is not None and line.executed is not None
    why = (
        f"执行率 = {money(line.executed)} ÷ {money(base)} = {_percent(rate)}，"
        f"得 {format_decimal(weight)} × {'100%' if rate >= ONE else _percent(rate)} = "
        f"{money(computed)} 分"
    )
    if rate > ONE:
        why += "（执行率超过 100% 按 100% 计）"
    return RowScore("预算执行率", weight, line.score, computed, why, met=rate >= ONE, ratio=rate)


def spread(total: Decimal, count: int) -> list[Decimal]:
    """``total`` points over ``count`` rows in cents, the first rows taking the odd cents
    (50 over 6: 8.34, 8.34, 8.33, 8.33, 8.33, 8.33), so that they add up to ``total`` as the
    printed weights of a form do."""
    if count <= 0:
        return []
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    odd = int((total - share * count) / CENT)
    return [share + CENT if n < odd else share for n in range(count)]


def weights(
    indicators: tuple[Indicator, ...], scheme: Scheme
) -> tuple[list[Decimal | None], tuple[str, ...]]:
    """The weight of each row: the form's where it gives them, else the scheme's category
    weight spread evenly (in cents) over the category's rows (成本 rows share 产出's)."""
    if indicators and all(i.weight is not None for i in indicators):
        return [i.weight for i in indicators], ()
    if any(i.weight is not None for i in indicators):
        # the form weighs some rows and not others ("其中…" sub-rows): only the weighed count
        return [i.weight for i in indicators], (
            "表中部分指标没有分值（多为“其中”一类的子项），这些指标不计分。",
        )
    if not scheme.categories:
        return list(spread(scheme.indicators, len(indicators))), (
            f"表中没有分值：{format_decimal(scheme.indicators)} 分在 {len(indicators)} 个指标间平均分配。",
        )

    def group(indicator: Indicator) -> str | None:
        level1 = indicator.category1
        return framework.OUTPUT if level1 == framework.COST else level1

    members: dict[str | None, int] = {}
    for indicator in indicators:
        members[group(indicator)] = members.get(group(indicator), 0) + 1
    shares = {
        name: iter(spread(total, members[name]))
        for name in members
        if (total := scheme.category_weight(name)) is not None
    }
    result: list[Decimal | None] = [
        next(shares[group(i)]) if group(i) in shares else None for i in indicators
    ]
    described = "、".join(
        f"{name} {format_decimal(weight)} 分" for name, weight in scheme.categories if weight
    )
    return result, (
        f"表中没有分值：按 {scheme.title} 的类别分值（{described}）在各类指标间平均分配。",
    )


def _rescaled(
    rows: tuple[RowScore, ...], scheme: Scheme
) -> tuple[tuple[RowScore, ...], tuple[str, ...]]:
    """Rows not applicable are dropped and the weights of the rest rescaled to the total."""
    dropped = [r for r in rows if r.computed is None and r.explanation.startswith("不适用")]
    if not dropped:
        return rows, ()
    kept = sum((r.weight or ZERO for r in rows if r not in dropped), ZERO)
    if kept == 0:
        return rows, ()
    factor = (kept + sum((r.weight or ZERO for r in dropped), ZERO)) / kept
    scaled = tuple(
        r
        if r in dropped or r.computed is None or r.weight is None
        else RowScore(
            r.name,
            r.weight * factor,
            r.reported,
            _round(r.computed * factor),
            f"{r.explanation}；按比例折算 ×{format_decimal(_round(factor, Decimal('0.0001')).normalize())}",
            r.met,
            r.ratio,
            r.indicator,
        )
        for r in rows
    )
    return scaled, (f"{len(dropped)} 个指标不适用，其余指标的分值按比例折算。",)


_YUAN_SCALE = {"元": ONE, "万元": Decimal(10000), "亿元": Decimal(100000000), "千元": Decimal(1000)}


def comparable_values(target: Target, actual: Target) -> tuple[Decimal, Decimal, str] | str:
    """(target value, actual value, unit) in one unit, or why they cannot be compared."""
    assert target.value is not None and actual.value is not None
    unit_t, unit_a = target.unit, actual.unit
    if not unit_a or unit_a == unit_t or not unit_t:
        return target.value, actual.value, unit_t or unit_a
    if unit_t in _YUAN_SCALE and unit_a in _YUAN_SCALE:
        factor = _YUAN_SCALE[unit_a] / _YUAN_SCALE[unit_t]
        return target.value, actual.value * factor, unit_t
    return f"单位不一致：目标是“{unit_t}”，实际是“{unit_a}”，无法换算"


def _row(indicator: Indicator, weight: Decimal | None) -> RowScore:
    name, reported = indicator.name, indicator.score
    actual, target = indicator.actual, indicator.target

    def result(
        computed: Decimal | None, why: str, met: bool | None = None, ratio: Decimal | None = None
    ) -> RowScore:
        value = None if computed is None else _round(computed)
        return RowScore(name, weight, reported, value, why, met, ratio, indicator)

    if weight is None:
        return result(None, "没有分值，不计分")
    if actual is None or actual.kind is Kind.MISSING or not actual.text.strip():
        return result(ZERO, "没有实际完成值，得 0 分", met=False)
    if actual.text.strip() in NOT_APPLICABLE:
        return result(None, "不适用，不计分")
    full = f"满分 {money(weight)} 分"
    if _same_text(actual.text, target.text):
        return result(weight, f"实际与目标相同（“{_short(actual.text)}”），{full}", met=True)
    if target.kind is Kind.QUANTITATIVE and actual.kind is Kind.QUANTITATIVE:
        return _quantitative(target, actual, weight, full, result)
    if target.kind is Kind.TIME and actual.kind is Kind.TIME:
        on_time = bool(actual.end and target.end and actual.end[: len(target.end)] <= target.end)
        if on_time:
            return result(weight, f"实际 {actual.text} 在期限 {target.text} 之内，{full}", met=True)
        return result(ZERO, f"实际 {actual.text} 晚于期限 {target.text}，得 0 分", met=False)
    band = _band(actual.text)
    if band is None:
        return result(
            None, f"实际“{_short(actual.text)}”无法与目标“{_short(target.text)}”比较，未计分"
        )
    low, high = weight * band.low, weight * band.high
    if reported is not None and low <= reported <= high:
        return result(
            reported,
            f"定性：{band.name}（分值的 {_percent(band.low)}–{_percent(band.high)}，"
            f"即 {money(low)}–{money(high)} 分），报告的 {money(reported)} 分在区间内",
            met=band.name == "达成",
        )
    computed = high if band.name == "达成" else (low + high) / 2
    return result(
        computed,
        f"定性：{band.name}（分值的 {_percent(band.low)}–{_percent(band.high)}），"
        f"取 {money(computed)} 分",
        met=band.name == "达成",
    )


def _same_text(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return re.sub(r"[\s。.,，;；、]+", "", text)

    return bool(key(a)) and key(a) == key(b)


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"


def _band(text: str) -> Band | None:
    key = re.sub(r"[\s。.,，]+", "", text)
    for band in sorted(BANDS, key=lambda b: -max(len(w) for w in b.words)):
        if any(key == word or (len(word) >= 3 and word in key) for word in band.words):
            return band
    return None


def _quantitative(
    target: Target, actual: Target, weight: Decimal, full: str, result: Callable[..., RowScore]
) -> RowScore:
    comparable = comparable_values(target, actual)
    if isinstance(comparable, str):
        return result(None, comparable)
    goal, value, unit = comparable
    shown_actual = f"{format_decimal(value)}{unit}"
    operator = target.operator
    if operator is Operator.RANGE and target.upper is not None:
        if goal <= value <= target.upper:
            return result(
                weight, f"实际 {shown_actual} 在 {target.text} 之内，{full}", met=True, ratio=ONE
            )
        if value < goal:
            part = value / goal
            why = _ratio_text(shown_actual, target.text, value, goal, weight, part)
        else:
            part = target.upper / value
            why = _ratio_text(shown_actual, target.text, target.upper, value, weight, part, True)
        return result(weight * part, why, met=False, ratio=part)
    lower_is_better = operator in (Operator.LE, Operator.LT)
    if operator in (Operator.GE, Operator.GT, None) or (
        operator is Operator.EQ and not lower_is_better
    ):
        met = value > goal if operator is Operator.GT else value >= goal
        if operator is Operator.EQ:
            met = value >= goal  # "100%" met by 100%; above an exact target is not a shortfall
        if met:
            return result(
                weight,
                f"实际 {shown_actual} ≥ 目标 {target.text}，{full}",
                met=True,
                ratio=value / goal if goal else None,
            )
        if goal == 0:
            return result(ZERO, f"实际 {shown_actual} 未达到目标 {target.text}，得 0 分", met=False)
        part = max(value, ZERO) / goal
        return result(
            weight * part,
            _ratio_text(shown_actual, target.text, value, goal, weight, part),
            met=False,
            ratio=part,
        )
    met = value < goal if operator is Operator.LT else value <= goal
    if met:
        return result(
            weight,
            f"实际 {shown_actual} ≤ 目标 {target.text}，{full}",
            met=True,
            ratio=value / goal if goal else None,
        )
    part = goal / value if value else ZERO
    return result(
        weight * part,
        _ratio_text(shown_actual, target.text, goal, value, weight, part, lower=True),
        met=False,
        ratio=part,
    )


def _ratio_text(
    actual: str,
    target: str,
    top: Decimal,
    bottom: Decimal,
    weight: Decimal,
    part: Decimal,
    lower: bool = False,
) -> str:
    sign = ">" if lower else "<"
    earned = money(weight * part)
    return (
        f"实际 {actual} {sign} 目标 {target}，得 {format_decimal(top)}÷{format_decimal(bottom)}"
        f"×{money(weight)} = {earned} 分"
    )
