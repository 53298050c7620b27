"""The domain model of a 绩效目标表: plain frozen dataclasses, money as Decimal.

No I/O and no third-party imports here (a test pins this).  Every element
keeps the text as written; derived forms (canonical category, typed target,
parsed period) are computed from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core import framework
from jixiao.core.dates import PartialDate, parse_time
from jixiao.core.source import Source
from jixiao.core.targets import Target, parse_target

MONEY_UNIT = "万元"


@dataclass(frozen=True, slots=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __lt__(self, other: YearMonth) -> bool:
        return (self.year, self.month) < (other.year, other.month)

    def __le__(self, other: YearMonth) -> bool:
        return (self.year, self.month) <= (other.year, other.month)

    @classmethod
    def parse(cls, text: str | None) -> YearMonth | None:
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not match:
            return None
        return cls(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True, slots=True)
class Period:
    """项目实施期: the text as written and the months it spans, when readable."""

    text: str
    start: YearMonth | None = None
    end: YearMonth | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        start, end = parse_period(text)
        return cls(text=text, start=start, end=end)

    @property
    def months(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


_DATE = r"(\d{4})\s*(?:年|\.|-|/)\s*(?:(\d{1,2})\s*(?:月|\.|-|/)?\s*(?:(\d{1,2})\s*日?)?)?"
_PERIOD_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:至|到|~|～|-|—|–|——)\s*{_DATE}\s*$")
_PERIOD_YEARS = re.compile(r"^\s*(\d{4})\s*(?:年)?\s*(?:至|到|~|～|-|—|–)\s*(\d{4})\s*年?(度)?\s*$")
_PERIOD_ONE_YEAR = re.compile(r"^\s*(\d{4})\s*年度?\s*(?:全年)?\s*$")


def parse_period(text: str) -> tuple[YearMonth | None, YearMonth | None]:
    """ "2023年1月至2023年12月" → (2023-01, 2023-12); unreadable → (None, None)."""
    if not text.strip():
        return None, None
    match = _PERIOD_RANGE.match(text)
    if match:
        y1, m1, _, y2, m2, _ = match.groups()
        start = _year_month(y1, m1 or "1")
        end = _year_month(y2, m2 or "12")
        if start and end:
            return start, end
    match = _PERIOD_YEARS.match(text)
    if match:
        return _year_month(match.group(1), "1"), _year_month(match.group(2), "12")
    match = _PERIOD_ONE_YEAR.match(text)
    if match:
        return _year_month(match.group(1), "1"), _year_month(match.group(1), "12")
    return _period_from_dates(text)


def _period_from_dates(text: str) -> tuple[YearMonth | None, YearMonth | None]:
    """The other writings of a range: "2022年3月-11月", "202001-202012", "2024.03-2024.12"."""
    value = parse_time(text)
    if value is None or value.kind != "range" or value.start is None:
        return None, None

    def month_of(date: PartialDate, default: int) -> YearMonth | None:
        if date.year is None:
            return None
        return _year_month(str(date.year), str(date.month or default))

    return month_of(value.start, 1), month_of(value.end, 12)


def _year_month(year: str, month: str) -> YearMonth | None:
    y, m = int(year), int(month)
    if not (1900 <= y <= 2200 and 1 <= m <= 12):
        return None
    return YearMonth(y, m)


@dataclass(frozen=True, slots=True)
class FundLine:
    """One column of the funds block, in 万元. ``None`` means the cell was empty.

    ``sources`` is the split by source where the form gives one instead of (or besides)
    财政拨款/其他资金: ("中央资金", 40), ("市级资金", 72)…, labels as printed.
    """

    total: Decimal | None = None
    fiscal: Decimal | None = None  # 其中：财政拨款
    other: Decimal | None = None  # 其他资金
    sources: tuple[tuple[str, Decimal | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Funds:
    period: FundLine = field(default_factory=FundLine)  # 实施期金额
    annual: FundLine = field(default_factory=FundLine)  # 年度金额


@dataclass(frozen=True, slots=True)
class Goals:
    period: str = ""  # 实施期目标
    annual: str = ""  # 年度目标


@dataclass(frozen=True, slots=True)
class Progress:
    """An indicator in an in-year monitoring report (监控表), as the unit reports it."""

    achieved: Target | None = None  # 1–N月执行情况, same grammar as the target
    predicted: Target | None = None  # 全年预计完成情况
    likelihood: str = ""  # 完成目标可能性: 确定能 / 有可能 / 完全不可能 ("" not given)
    reasons: tuple[str, ...] = ()  # 偏差原因 kinds ticked: 经费保障, 制度保障, …
    reason: str = ""  # 偏差原因分析, as written
    measures: str = ""  # 整改措施 / 相关建议或举措


@dataclass(frozen=True, slots=True)
class Indicator:
    """A 三级指标 row with its 一级 and 二级 as written (merged cells filled in).

    ``level1``/``level2`` keep the category as printed ("产出指标(50分)", "项目完成指标");
    ``category1``/``category2`` are the framework's names for them.  The fields after
    ``note`` are filled where the form has them: a weight (分值/权重), the value for the
    whole 实施期 printed beside the annual one, a stated direction (正向/反向), and, in a
    self-evaluation (自评表), the actual value, the score as reported and the reason
    for a deviation.
    """

    level1: str
    level2: str
    name: str
    target: Target
    source: Source = field(default_factory=Source)
    note: str = ""  # 备注 / 指标解释
    weight: Decimal | None = None  # 分值 / 权重
    period_target: Target | None = None  # 实施期 (中期/长期) 指标值, beside the annual one
    stated_direction: str = ""  # 指标方向 as printed: 正向 / 反向
    actual: Target | None = None  # 实际完成值 (自评表), same grammar as the target
    score: Decimal | None = None  # 得分 as reported
    deviation: str = ""  # 偏差原因分析及改进措施
    progress: Progress | None = None  # in-year monitoring (监控表): 1–N月 and predicted
    planned_target: Target | None = None  # 年初指标值, where an approved adjustment changed it

    @classmethod
    def of(
        cls,
        level1: str,
        level2: str,
        name: str,
        value: str,
        source: Source | None = None,
        note: str = "",
    ) -> Indicator:
        return cls(level1, level2, name, parse_target(value), source or Source(), note)

    @property
    def category1(self) -> str | None:
        """The framework's 一级 name, or None when the text is not a known category."""
        return framework.level1_of(self.level1)

    @property
    def category2(self) -> str | None:
        return framework.level2_in_table(self.level2)


@dataclass(frozen=True, slots=True)
class Execution:
    """One row of a self-evaluation's budget block (年度资金总额, 其中:财政拨款…), in 万元.

    The execution rate is computed from the amounts, never taken from the form; the
    rate and score the form printed are kept as reported, for the review to compare.
    """

    planned: Decimal | None = None  # 年初预算数
    budget: Decimal | None = None  # 全年预算数 (调整后)
    executed: Decimal | None = None  # 全年执行数
    weight: Decimal | None = None  # 分值
    rate_reported: str = ""  # 执行率 as printed ("86%", "0.958")
    score: Decimal | None = None  # 得分 as reported

    @property
    def rate(self) -> Decimal | None:
        """全年执行数 ÷ 全年预算数 (or the 年初预算数 where no 全年 figure is given)."""
        base = self.budget if self.budget is not None else self.planned
        if base is None or self.executed is None or base == 0:
            return None
        return self.executed / base

    @property
    def empty(self) -> bool:
        return self == Execution()


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A self-evaluation (绩效自评) of one project for one year, as the 自评表 reports it."""

    total: Execution = field(default_factory=Execution)  # 年度资金总额
    fiscal: Execution = field(default_factory=Execution)  # 其中：财政拨款
    carryover: Execution = field(default_factory=Execution)  # 上年结转资金
    other: Execution = field(default_factory=Execution)  # 其他资金
    goal_expected: str = ""  # 年度总体目标：预期目标
    goal_actual: str = ""  # 年度总体目标：实际完成情况
    total_reported: Decimal | None = None  # 总分 as reported
    grade_reported: str = ""  # 评价等级 as reported
    scheme: str = ""  # the scoring scheme the evaluation declares (``core.scoring.SCHEMES``)


@dataclass(frozen=True, slots=True)
class Spending:
    """One row of a monitoring report's budget block, in 万元."""

    planned: Decimal | None = None  # 年初预算数
    executed: Decimal | None = None  # 1–N月执行数
    predicted: Decimal | None = None  # 全年预计执行数
    reason: str = ""  # 偏差原因分析

    @property
    def rate(self) -> Decimal | None:
        """1–N月执行数 ÷ 年初预算数."""
        if self.planned is None or self.executed is None or self.planned == 0:
            return None
        return self.executed / self.planned

    @property
    def predicted_rate(self) -> Decimal | None:
        if self.planned is None or self.predicted is None or self.planned == 0:
            return None
        return self.predicted / self.planned


@dataclass(frozen=True, slots=True)
class Monitoring:
    """An in-year monitoring report (绩效运行监控, 1–N月) of one project."""

    month: int | None = None  # N: the report covers 1–N月
    total: Spending = field(default_factory=Spending)  # 年度资金总额
    fiscal: Spending = field(default_factory=Spending)  # 其中：财政拨款
    other: Spending = field(default_factory=Spending)  # 其他资金
    goal_progress: str = ""  # 年度总体目标：1–N月执行情况
    reason: str = ""  # 偏差或不能完成目标原因分析 (the whole project)
    measures: str = ""  # 相关建议或举措 / 整改措施 (the whole project)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """目标调整: what the approved table said at the start of the year (年初), kept when an
    approved adjustment changed it.  The project's own fields hold the adjusted (调整后)
    values; each changed indicator keeps its 年初 value in ``Indicator.planned_target``."""

    reason: str  # 调整原因
    funds: FundLine = field(default_factory=FundLine)  # 年初 年度金额
    goal: str = ""  # 年初 年度目标
    removed: tuple[Indicator, ...] = ()  # indicators the adjustment took out, as they were
    added: tuple[str, ...] = ()  # names of indicators the adjustment added (no 年初 value)


class Scope:
    """What a target table is about: a project, a department's whole budget, a transfer."""

    PROJECT = "project"  # 项目支出绩效目标表
    DEPARTMENT = "department"  # 部门整体支出绩效目标表
    TRANSFER = "transfer"  # 区域/转移支付/专项资金 绩效目标表

    ALL = (PROJECT, DEPARTMENT, TRANSFER)


@dataclass(frozen=True, slots=True)
class Project:
    name: str
    department: str = ""  # 主管部门
    implementing_unit: str = ""  # 实施单位
    period: Period = field(default_factory=lambda: Period(""))
    funds: Funds = field(default_factory=Funds)
    goals: Goals = field(default_factory=Goals)
    indicators: tuple[Indicator, ...] = ()
    year: int | None = None  # the budget year of the form, "(2023年度)"
    filing_unit: str = ""  # 填报单位
    source: Source = field(default_factory=Source)
    # Where each header field came from, keyed by its JSON path ("name", "funds.annual.total").
    sources: tuple[tuple[str, Source], ...] = ()
    title: str = ""  # the form's title as printed ("项目支出绩效目标申报表")
    scope: str = Scope.PROJECT
    # Other labelled header fields, as printed: ("项目属性", "延续"), ("项目负责人", "…").
    attributes: tuple[tuple[str, str], ...] = ()
    evaluation: Evaluation | None = None  # the self-evaluation, when the table is a 自评表
    monitoring: Monitoring | None = None  # the in-year monitoring report, for a 监控表
    adjustment: Adjustment | None = None  # 目标调整: the 年初 values an adjustment changed

    def source_of(self, key: str) -> Source:
        for name, source in self.sources:
            if name == key:
                return source
        return self.source

    @property
    def annual_total(self) -> Decimal | None:
        return self.funds.annual.total


def total_annual_funds(projects: tuple[Project, ...] | list[Project]) -> Decimal:
    return sum((p.funds.annual.total or Decimal(0) for p in projects), Decimal(0))
