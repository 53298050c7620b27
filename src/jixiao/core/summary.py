"""The unit summary (汇总表): one row per project, totals at the bottom."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core import framework
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import FundLine, Project

CATEGORIES = framework.LEVEL1  # 产出 成本 效益 满意度


@dataclass(frozen=True, slots=True)
class SummaryRow:
    number: int
    name: str
    period: str
    annual: FundLine
    indicators: tuple[int, ...]  # per 一级, in CATEGORIES order
    findings: tuple[int, int, int]  # error, warning, info


Cell = str | int | Decimal | None


@dataclass(frozen=True, slots=True)
class Summary:
    """The rows and the rule set they were reviewed by.  ``rows`` is a tuple, or an iterator
    read once: the web's 汇总表 of thousands of projects comes from the database a few
    hundred rows at a time and is written as it comes (see :meth:`table`)."""

    rows: Iterable[SummaryRow]
    ruleset: str

    def table(self) -> Iterator[list[Cell]]:
        """The rows under SUMMARY_HEADINGS, one at a time, then the totals row (added up as
        the rows pass: they are never all held); money as Decimal, None if empty."""
        count = 0
        money: list[Decimal | None] = [None, None, None]
        indicators = [0] * len(CATEGORIES)
        findings = [0, 0, 0]
        for r in self.rows:
            count += 1
            amounts = (r.annual.total, r.annual.fiscal, r.annual.other)
            for n, amount in enumerate(amounts):
                if amount is not None:
                    money[n] = amount + (money[n] or Decimal(0))
            for n, count_of in enumerate(r.indicators):
                indicators[n] += count_of
            for n, found in enumerate(r.findings):
                findings[n] += found
            yield [r.number, r.name, r.period, *amounts, *r.indicators, *r.findings]
        yield ["合计", f"{count} 个项目", "", *money, *indicators, *findings]


def summarise(projects: Sequence[Project], findings: Sequence[Finding], ruleset: str) -> Summary:
    by_project: dict[tuple[str | None, str], list[Finding]] = {}
    for finding in findings:  # grouped once: a province's summary has tens of thousands
        by_project.setdefault((finding.project, finding.source.path), []).append(finding)
    rows: list[SummaryRow] = []
    for number, project in enumerate(projects, start=1):
        mine = by_project.get((project.name, project.source.path), [])
        counts = tuple(
            sum(1 for i in project.indicators if i.category1 == category) for category in CATEGORIES
        )
        rows.append(
            SummaryRow(
                number=number,
                name=project.name,
                period=project.period.text,
                annual=project.funds.annual,
                indicators=counts,
                findings=(
                    sum(1 for f in mine if f.severity is Severity.ERROR),
                    sum(1 for f in mine if f.severity is Severity.WARNING),
                    sum(1 for f in mine if f.severity is Severity.INFO),
                ),
            )
        )
    return summary_of(rows, ruleset)


def summary_of(rows: Sequence[SummaryRow], ruleset: str) -> Summary:
    """The summary of rows already counted (the web application keeps the counts of each
    project, so that a summary of thousands of projects need not load their tables)."""
    return Summary(rows=tuple(rows), ruleset=ruleset)


SUMMARY_HEADINGS = (
    "序号",
    "项目名称",
    "项目实施期",
    "年度金额（万元）",
    "其中：财政拨款",
    "其他资金",
    *(f"{c}数" for c in CATEGORIES),
    "错误",
    "警告",
    "提示",
)
