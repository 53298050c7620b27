"""The unit summary (汇总表): one row per project, totals at the bottom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Summary:
    rows: tuple[SummaryRow, ...]
    ruleset: str
    totals_annual: FundLine = field(default_factory=FundLine)
    totals_indicators: tuple[int, ...] = ()
    totals_findings: tuple[int, int, int] = (0, 0, 0)

    def table(self) -> list[list[str | int | Decimal | None]]:
        """The rows under SUMMARY_HEADINGS, the totals row last; money as Decimal, None if empty."""
        rows: list[list[str | int | Decimal | None]] = [
            [
                r.number,
                r.name,
                r.period,
                r.annual.total,
                r.annual.fiscal,
                r.annual.other,
                *r.indicators,
                *r.findings,
            ]
            for r in self.rows
        ]
        totals = self.totals_annual
        rows.append(
            [
                "合计",
                f"{len(self.rows)} 个项目",
                "",
                totals.total,
                totals.fiscal,
                totals.other,
                *self.totals_indicators,
                *self.totals_findings,
            ]
        )
        return rows


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


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
    return Summary(
        rows=tuple(rows),
        ruleset=ruleset,
        totals_annual=FundLine(
            total=_sum([r.annual.total for r in rows]),
            fiscal=_sum([r.annual.fiscal for r in rows]),
            other=_sum([r.annual.other for r in rows]),
        ),
        totals_indicators=tuple(sum(r.indicators[i] for r in rows) for i in range(len(CATEGORIES))),
        totals_findings=(
            sum(r.findings[0] for r in rows),
            sum(r.findings[1] for r in rows),
            sum(r.findings[2] for r in rows),
        ),
    )


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
