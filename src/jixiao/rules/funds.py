"""Rules on the funds block (资金投入, 万元)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.core.findings import Severity
from jixiao.core.model import FundLine, Project
from jixiao.core.targets import format_decimal
from jixiao.rules.basis import COMPLETE, FUNDS
from jixiao.rules.registry import Hit, asks, rule

_COLUMNS = (("period", "实施期金额"), ("annual", "年度金额"))


def _line(project: Project, column: str) -> FundLine:
    return project.funds.period if column == "period" else project.funds.annual


def _money(value: Decimal) -> str:
    return f"{format_decimal(value)}万元"


@rule(
    "FUND-ANNUAL-MISSING",
    Severity.ERROR,
    "年度金额缺失",
    "填写本年度安排的资金总额（万元）。",
    COMPLETE,
)
def annual_missing(project: Project) -> Iterator[Hit]:
    """年度金额是绩效目标与预算资金对应的依据，不能为空。"""
    if project.funds.annual.total is None and asks(project, "funds."):
        yield Hit(f"项目“{project.name}”没有填写年度金额", project.source_of("funds.annual.total"))


@rule(
    "FUND-SUM",
    Severity.ERROR,
    "资金构成之和与总额不一致",
    "核对金额：财政拨款 + 其他资金 应等于该列的资金总额。",
    FUNDS,
)
def parts_add_up(project: Project) -> Iterator[Hit]:
    """财政拨款与其他资金之和应等于资金总额；空白的其他资金按 0 计。"""
    for column, label in _COLUMNS:
        line = _line(project, column)
        if line.total is None or (line.fiscal is None and line.other is None):
            continue
        parts = (line.fiscal or Decimal(0)) + (line.other or Decimal(0))
        if parts != line.total:
            yield Hit(
                f"{label}{_money(line.total)}，而财政拨款{_money(line.fiscal or Decimal(0))}"
                f"与其他资金{_money(line.other or Decimal(0))}之和为{_money(parts)}",
                project.source_of(f"funds.{column}.total"),
            )


@rule(
    "FUND-ANNUAL-EXCEEDS",
    Severity.ERROR,
    "年度金额大于实施期金额",
    "年度金额是实施期金额的一部分：核对两列是否填反或有误。",
    FUNDS,
)
def annual_exceeds_period(project: Project) -> Iterator[Hit]:
    """一年的资金不能多于整个实施期的资金。"""
    period, annual = project.funds.period, project.funds.annual
    for part, label in (("total", "资金总额"), ("fiscal", "财政拨款"), ("other", "其他资金")):
        p, a = getattr(period, part), getattr(annual, part)
        if p is not None and a is not None and a > p:
            yield Hit(
                f"年度{label}{_money(a)}大于实施期{label}{_money(p)}",
                project.source_of(f"funds.annual.{part}"),
            )


@rule(
    "FUND-NEGATIVE",
    Severity.ERROR,
    "金额为负数",
    "资金投入填写正数（万元）。",
    FUNDS,
)
def negative(project: Project) -> Iterator[Hit]:
    """资金投入不能为负数。"""
    for column, label in _COLUMNS:
        line = _line(project, column)
        for part, part_label in (
            ("total", ""),
            ("fiscal", "其中财政拨款"),
            ("other", "其中其他资金"),
        ):
            value = getattr(line, part)
            if value is not None and value < 0:
                yield Hit(
                    f"{label}{part_label}为负数：{_money(value)}",
                    project.source_of(f"funds.{column}.{part}"),
                )


@rule(
    "FUND-ZERO",
    Severity.WARNING,
    "年度金额为零",
    "没有年度资金的项目一般不需要申报年度绩效目标；请核对金额。",
    FUNDS,
)
def zero(project: Project) -> Iterator[Hit]:
    """年度金额为 0 的项目没有可以衡量绩效的资金。"""
    if project.funds.annual.total == 0:
        yield Hit(f"项目“{project.name}”的年度金额为 0", project.source_of("funds.annual.total"))


@rule(
    "FUND-ONE-YEAR",
    Severity.WARNING,
    "一年期项目的实施期金额与年度金额不同",
    "实施期只有一个预算年度时，实施期金额应等于年度金额；核对两列金额。",
    FUNDS,
)
def one_year_period(project: Project) -> Iterator[Hit]:
    """实施期不超过一个自然年（如 2023年1月至2023年12月）时，整个实施期的资金就是本年度的资金。"""
    start, end = project.period.start, project.period.end
    if start is None or end is None or start.year != end.year:
        return
    period, annual = project.funds.period.total, project.funds.annual.total
    if period is not None and annual is not None and period != annual:
        yield Hit(
            f"实施期“{project.period.text}”只有一年，但实施期金额{_money(period)}与年度金额{_money(annual)}不同",
            project.source_of("funds.period.total"),
        )


RULES = (annual_missing, parts_add_up, annual_exceeds_period, negative, zero, one_year_period)
