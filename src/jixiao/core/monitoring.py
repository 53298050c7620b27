"""In-year monitoring (绩效运行监控, "双监控", 财预〔2019〕136号): the warning light of each
indicator and of a project's budget execution, with its reason in Chinese.

The thresholds are data (``Thresholds``; the table in docs/monitoring.md is generated from
them).  A light compares what was achieved by the end of month N with the annual target
prorated to N/12 (quantity and benefit indicators), with the target itself (quality,
timeliness, cost, satisfaction, lower-is-better), or, where nothing can be compared, takes
the unit's own judgement of 完成目标可能性.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum

from jixiao.core import framework
from jixiao.core.model import Indicator, Monitoring, Project
from jixiao.core.scoring import comparable_values, money
from jixiao.core.targets import Kind, Operator, Target, format_decimal

TWELVE = Decimal(12)


class Light(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"  # ahead of time by far: the target may have been set too low
    NONE = "none"  # nothing to judge by

    @property
    def label(self) -> str:
        return {
            "red": "红灯",
            "yellow": "黄灯",
            "green": "绿灯",
            "blue": "蓝灯",
            "none": "无法判断",
        }[self.value]

    @property
    def rank(self) -> int:
        """How much it calls for attention: the project shows its worst light."""
        return {"red": 4, "yellow": 3, "blue": 2, "none": 1, "green": 0}[self.value]


LIKELIHOODS = ("确定能", "有可能", "完全不可能")
REASON_KINDS = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")


@dataclass(frozen=True)
class Thresholds:
    """The warning rules' numbers, as data."""

    red_below: Decimal = field(
        default=Decimal("0.6"),
        metadata={
            "doc": "数量、效益指标：完成进度（1–N月完成值 ÷ 年度指标值 × 12/N）低于此值为红灯"
        },
    )
    yellow_below: Decimal = field(
        default=Decimal("0.8"),
        metadata={"doc": "低于此值（且不低于红灯线）为黄灯；以上为绿灯"},
    )
    blue_from: Decimal = field(
        default=Decimal("1.2"),
        metadata={"doc": "达到此值为蓝灯：进度远超时间进度，年度指标值可能定得过低"},
    )
    execution: tuple[tuple[int, Decimal], ...] = field(
        default=(
            (4, Decimal("0.25")),
            (6, Decimal("0.40")),
            (8, Decimal("0.60")),
            (10, Decimal("0.80")),
        ),
        metadata={"doc": "预算执行率的底线（截至该月末）：低于为红灯"},
    )
    execution_yellow: Decimal = field(
        default=Decimal("0.9"),
        metadata={"doc": "预算执行率低于时间进度（N/12）的这个比例（但不低于底线）为黄灯"},
    )

    def floor(self, month: int) -> tuple[int, Decimal] | None:
        """The execution floor that applies by the end of ``month``."""
        reached = [(m, rate) for m, rate in self.execution if m <= month]
        return reached[-1] if reached else None

    @classmethod
    def rows(cls) -> list[tuple[str, str, str]]:
        """(name, default, meaning) of each threshold, for the generated docs."""
        default = cls()
        result = []
        for item in fields(cls):
            value = getattr(default, item.name)
            shown = (
                "、".join(f"{m}月 {_percent(r)}" for m, r in value)
                if isinstance(value, tuple)
                else _percent(value)
            )
            result.append((item.name, shown, item.metadata["doc"]))
        return result


DEFAULT = Thresholds()


@dataclass(frozen=True)
class Signal:
    """A light and why, in Chinese."""

    light: Light
    reason: str
    indicator: Indicator | None = None
    ratio: Decimal | None = None  # progress against the time (quantity, benefit)


@dataclass(frozen=True)
class Report:
    """The lights of one project's monitoring report."""

    project: str
    month: int
    execution: Signal
    indicators: tuple[Signal, ...]

    @property
    def light(self) -> Light:
        return max(
            (s.light for s in (self.execution, *self.indicators)), key=lambda light: light.rank
        )

    def count(self, light: Light) -> int:
        return sum(1 for s in (self.execution, *self.indicators) if s.light is light)


def _percent(value: Decimal) -> str:
    return f"{money(value * 100)}%"


def time_progress(month: int) -> Decimal:
    return Decimal(month) / TWELVE


def report(
    project: Project, month: int | None = None, thresholds: Thresholds = DEFAULT
) -> Report | None:
    """The lights of ``project``'s monitoring report through ``month`` (default: the month
    the report states), or None when the project has no monitoring report or no month."""
    monitoring = project.monitoring
    if monitoring is None:
        return None
    month = month or monitoring.month
    if month is None or not 1 <= month <= 12:
        return None
    return Report(
        project.name,
        month,
        execution_light(monitoring, month, thresholds),
        tuple(indicator_light(i, month, thresholds) for i in project.indicators),
    )


def execution_light(monitoring: Monitoring, month: int, thresholds: Thresholds) -> Signal:
    line = monitoring.total
    rate = line.rate
    progress = time_progress(month)
    if rate is None:
        if line.planned == 0:
            return Signal(Light.NONE, "年初预算数为 0，无法计算预算执行率")
        return Signal(Light.NONE, f"没有年初预算数或 1–{month}月执行数，无法计算预算执行率")
    shown = f"1–{month}月预算执行率 {_percent(rate)}（{money(line.executed or Decimal(0))} ÷ {money(line.planned or Decimal(0))}）"
    floor = thresholds.floor(month)
    if floor is not None and rate < floor[1]:
        return Signal(
            Light.RED, f"{shown}，低于截至 {floor[0]} 月应达到的 {_percent(floor[1])}", ratio=rate
        )
    if rate < progress * thresholds.execution_yellow:
        return Signal(
            Light.YELLOW,
            f"{shown}，慢于时间进度 {_percent(progress)}（{month}/12）",
            ratio=rate,
        )
    return Signal(Light.GREEN, f"{shown}，不慢于时间进度 {_percent(progress)}", ratio=rate)


def prorated(indicator: Indicator) -> bool:
    """Quantity and benefit indicators accumulate over the year: compared with the time
    (except rates and lifespans, which are compared with the target itself)."""
    if indicator.target.is_percent or indicator.target.unit in ("‰", "年"):
        return False  # a rate or a lifespan is a state reached, not a count accumulated
    quantity = framework.level2_in_table(indicator.level2) == framework.QUANTITY
    return quantity or indicator.category1 == framework.BENEFIT


def indicator_light(indicator: Indicator, month: int, thresholds: Thresholds) -> Signal:
    progress = indicator.progress
    achieved = progress.achieved if progress is not None else None
    if achieved is None or achieved.kind is Kind.MISSING or not achieved.text.strip():
        return _by_likelihood(indicator, f"没有填写 1–{month}月执行情况")
    target = indicator.target
    if target.kind is Kind.QUANTITATIVE and achieved.kind is Kind.QUANTITATIVE:
        values = comparable_values(target, achieved)
        if not isinstance(values, str):
            goal, value, unit = values
            return _quantitative(indicator, target, goal, value, unit, month, thresholds)
        return _by_likelihood(indicator, values)
    return _by_likelihood(
        indicator, f"执行情况“{_short(achieved.text)}”无法与指标值“{_short(target.text)}”比较"
    )


def _quantitative(
    indicator: Indicator,
    target: Target,
    goal: Decimal,
    value: Decimal,
    unit: str,
    month: int,
    thresholds: Thresholds,
) -> Signal:
    shown = f"1–{month}月完成 {format_decimal(value)}{unit}"
    if target.operator in (Operator.LE, Operator.LT):
        within = value < goal if target.operator is Operator.LT else value <= goal
        if within:
            return Signal(Light.GREEN, f"{shown}，在上限 {target.text} 之内", indicator)
        return Signal(Light.RED, f"{shown}，超过上限 {target.text}", indicator)
    if not prorated(indicator):
        met = value >= goal
        if target.operator is Operator.RANGE and target.upper is not None:
            met = goal <= value <= target.upper
        if met:
            return Signal(Light.GREEN, f"{shown}，达到指标值 {target.text}", indicator)
        return Signal(Light.RED, f"{shown}，未达到指标值 {target.text}", indicator)
    expected = goal * time_progress(month)
    if expected == 0:
        return Signal(Light.GREEN, f"{shown}，指标值为 0", indicator)
    ratio = value / expected
    why = (
        f"{shown}，按时间进度应完成 {format_decimal(goal)}{unit} × {month}/12 = "
        f"{money(expected)}{unit}，完成进度 {_percent(ratio)}"
    )
    if ratio < thresholds.red_below:
        return Signal(Light.RED, f"{why}，低于 {_percent(thresholds.red_below)}", indicator, ratio)
    if ratio < thresholds.yellow_below:
        return Signal(
            Light.YELLOW, f"{why}，低于 {_percent(thresholds.yellow_below)}", indicator, ratio
        )
    if ratio >= thresholds.blue_from:
        return Signal(
            Light.BLUE,
            f"{why}，达到 {_percent(thresholds.blue_from)} 以上：年度指标值可能定得过低",
            indicator,
            ratio,
        )
    return Signal(Light.GREEN, why, indicator, ratio)


def _by_likelihood(indicator: Indicator, why: str) -> Signal:
    likelihood = indicator.progress.likelihood if indicator.progress is not None else ""
    light = {"确定能": Light.GREEN, "有可能": Light.YELLOW, "完全不可能": Light.RED}.get(
        likelihood, Light.NONE
    )
    if light is Light.NONE:
        return Signal(Light.NONE, f"{why}，也没有填写完成目标可能性", indicator)
    return Signal(light, f"{why}；按完成目标可能性“{likelihood}”判断", indicator)


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"


def likelihood_of(text: str) -> str:
    """确定能 / 有可能 / 完全不可能 from what a form writes (不可能 is 完全不可能)."""
    key = "".join(text.split()).strip("√✓✔")
    if not key:
        return ""
    if "不可能" in key:
        return "完全不可能"
    if "有可能" in key or key in ("可能", "基本能"):
        return "有可能"
    if "确定" in key or key in ("能", "是", "可以"):
        return "确定能"
    return ""
