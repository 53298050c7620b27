"""One table's findings so far, put together into a ``Project`` at the end.

Amounts are read here: in 万元 by default, in 元 where the page, the section or the
cell says so ("1,250,000元", "单位：元", "项目资金(元)"), "86万元", "2.6亿元"; always
exactly (Decimal), the text as printed kept in the finding when it is no number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.core.findings import Finding, make_finding
from jixiao.core.model import (
    Evaluation,
    Execution,
    FundLine,
    Funds,
    Goals,
    Indicator,
    Monitoring,
    Period,
    Project,
    Scope,
    Spending,
)
from jixiao.core.source import Source
from jixiao.core.targets import format_decimal
from jixiao.formats.reading.checks import AMOUNT_UNREADABLE, YUAN_CONVERTED

_FUND_NAMES = {
    "funds.period.total": "实施期金额",
    "funds.annual.total": "年度金额",
    "funds.period.fiscal": "实施期金额其中：财政拨款",
    "funds.annual.fiscal": "年度金额其中：财政拨款",
    "funds.period.other": "实施期金额其中：其他资金",
    "funds.annual.other": "年度金额其中：其他资金",
}
_AMOUNT = re.compile(
    r"^[(（][^()（）]*[)）]|^(?:合计|总计|计)"  # a leading note "(提前下达)", "合计"
)
_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)$")
_NO_AMOUNT = frozenset({"", "-", "—", "——", "/", "无", "－", "/万元"})
_SCALE = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}


@dataclass
class Context:
    """Page furniture that applies to the tables after it."""

    year: int | None = None
    money_in_yuan: bool = False
    filing_unit: str = ""
    title: str = ""


def _in_yuan(text: str, in_yuan: bool) -> bool:
    compact = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", text))
    if compact.endswith("万元") or compact.endswith("亿元") or compact.endswith("万"):
        return False
    return compact.endswith("元") or in_yuan


@lru_cache(maxsize=16384)  # pure; the same amounts recur (the funds block repeats them)
def parse_amount(text: str, in_yuan: bool) -> tuple[Decimal | None, bool]:
    """(amount in 万元, readable).  An empty cell or "—" is (None, True)."""
    compact = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", text))
    compact = _AMOUNT.sub("", compact).lstrip(":：")
    if compact in _NO_AMOUNT or re.fullmatch(r"[\u4e00-\u9fff]{1,3}[:：]", compact):
        return None, True  # empty, or a template's "市:" / "县:" left unfilled
    scale = Decimal("0.0001") if in_yuan else Decimal(1)
    for unit, factor in _SCALE.items():
        if compact.endswith(unit) and _NUMBER.match(compact[: -len(unit)]):
            compact, scale = compact[: -len(unit)], factor
            break
    if not _NUMBER.match(compact):
        return None, False
    try:
        value = Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None, False
    return value * scale if scale != 1 else value, True


@dataclass
class TableBuilder:
    path: str
    start: Source
    context: Context
    fields: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    amounts: dict[str, Decimal | None] = field(default_factory=dict)
    fund_sources: list[tuple[str, Decimal | None]] = field(default_factory=list)
    fund_columns: dict[str, int] = field(default_factory=dict)
    # Amounts whose column (实施期 or 年度) is decided at the end: (part, text, source, column).
    fund_entries: list[tuple[str, str, Source, int | None]] = field(default_factory=list)
    goal_columns: dict[str, int] = field(default_factory=dict)
    goal_parts: dict[str, list[str]] = field(
        default_factory=lambda: {"period": [], "annual": [], "expected": [], "achieved": []}
    )
    attributes: list[tuple[str, str]] = field(default_factory=list)
    department_rank: int = 99
    indicators: list[Indicator] = field(default_factory=list)
    money_in_yuan: bool = False
    scope: str = Scope.PROJECT
    budget: dict[str, dict[str, object]] = field(default_factory=dict)  # row → column → value
    total_reported: Decimal | None = None
    grade_reported: str = ""
    evaluation: bool = False  # the table is a 自评表
    monitoring: bool = False  # the table has a monitoring report's budget block (1–N月执行数)
    month: int | None = None  # N of "1-N月", where a heading says it
    converted: bool = False  # an amount in 元 was converted (said once per table)
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.fields.get("name", "")

    @property
    def has_content(self) -> bool:
        return bool(self.fields.get("name") or self.indicators)

    def set_field(self, key: str, value: str, source: Source, rank: int = 0) -> None:
        if key == "department":
            if rank > self.department_rank:
                return
            self.department_rank = rank
        elif self.fields.get(key):
            return
        self.fields[key] = value
        self.sources[key] = source

    def amount(self, text: str, source: Source, key: str) -> Decimal | None:
        value, readable = parse_amount(text, self.money_in_yuan)
        if (
            value is not None
            and not self.converted
            and (self.money_in_yuan or "元" in text)
            and _in_yuan(text, self.money_in_yuan)
        ):
            self.converted = True
            self.findings.append(
                make_finding(
                    YUAN_CONVERTED,
                    f"金额以元填写，已换算为万元：“{_FUND_NAMES.get(key, key)}” {text} → "
                    f"{format_decimal(value)} 万元",
                    source,
                    project=self.fields.get("name"),
                )
            )
        if not readable:
            self.findings.append(
                make_finding(
                    AMOUNT_UNREADABLE,
                    f"“{_FUND_NAMES.get(key, key)}”的金额“{text}”不是数字",
                    source,
                    project=self.fields.get("name"),
                )
            )
        return value

    def set_amount(self, key: str, text: str, source: Source) -> None:
        value = self.amount(text, source, key)
        if key in self.amounts and self.amounts[key] is not None and value is None:
            return
        self.amounts[key] = value
        self.sources[key] = source

    def _resolve_funds(self) -> None:
        """资金总额 / 其中：财政拨款 without 实施期 or 年度 in the label: by column, then by order."""
        for _, text, source, _ in [e for e in self.fund_entries if e[0] == "total"]:
            annual = self.amounts.get("funds.annual.total")
            period_free = "funds.period.total" not in self.amounts
            key = (
                "funds.period.total" if annual is not None and period_free else "funds.annual.total"
            )
            self.set_amount(key, text, source)
        has_period = self.amounts.get("funds.period.total") is not None
        annual_column = self.fund_columns.get("annual")
        for part in ("fiscal", "other"):
            items = [e for e in self.fund_entries if e[0] == part]
            for number, (_, text, source, column) in enumerate(items):
                if not has_period:
                    scope = "annual"
                elif column is not None and annual_column is not None:
                    scope = "annual" if column >= annual_column else "period"
                elif len(items) >= 2:
                    scope = "period" if number == 0 else "annual"
                else:
                    scope = "period" if f"funds.annual.{part}" in self.amounts else "annual"
                self.set_amount(f"funds.{scope}.{part}", text, source)
        self.fund_entries.clear()

    def build(self) -> Project:
        self._resolve_funds()

        def line(column: str) -> FundLine:
            return FundLine(
                total=self.amounts.get(f"funds.{column}.total"),
                fiscal=self.amounts.get(f"funds.{column}.fiscal"),
                other=self.amounts.get(f"funds.{column}.other"),
                sources=tuple(self.fund_sources) if column == "annual" else (),
            )

        goals = Goals(
            period="".join(self.goal_parts["period"]) or self.fields.get("goals.period", ""),
            annual="".join(self.goal_parts["annual"]) or self.fields.get("goals.annual", ""),
        )
        evaluation = self._evaluation()
        if evaluation is not None and not goals.annual and evaluation.goal_expected:
            goals = replace(goals, annual=evaluation.goal_expected)
        elif self.monitoring and not goals.annual and self.goal_parts["expected"]:
            goals = replace(goals, annual="".join(self.goal_parts["expected"]))  # 年初目标
        name = self.fields.get("name", "")
        return Project(
            name=name,
            department=self.fields.get("department", ""),
            implementing_unit=self.fields.get("implementing_unit", ""),
            period=Period.parse(self.fields.get("period", "")),
            funds=Funds(period=line("period"), annual=line("annual")),
            goals=goals,
            indicators=tuple(self.indicators),
            year=self.context.year,
            filing_unit=self.fields.get("filing_unit", "") or self.context.filing_unit,
            source=self.start,
            sources=tuple(sorted(self.sources.items())),
            title=self.context.title,
            scope=self.scope,
            attributes=tuple(self.attributes),
            evaluation=evaluation,
            monitoring=self._monitoring(),
        )

    def _monitoring(self) -> Monitoring | None:
        if not self.monitoring:
            return None

        def spending(row: str) -> Spending:
            cells = self.budget.get(row, {})

            def number(key: str) -> Decimal | None:
                value = cells.get(key)
                return value if isinstance(value, Decimal) else None

            reason = cells.get("reason")
            return Spending(
                planned=number("planned") if number("planned") is not None else number("budget"),
                executed=number("to_date"),
                predicted=number("predicted"),
                reason=reason if isinstance(reason, str) else "",
            )

        return Monitoring(
            goal_progress="".join(self.goal_parts["achieved"]),
            month=self.month,
            total=spending("total"),
            fiscal=spending("fiscal"),
            other=spending("other"),
        )

    def _evaluation(self) -> Evaluation | None:
        if not self.evaluation:
            return None

        def execution(row: str) -> Execution:
            cells = self.budget.get(row, {})

            def number(key: str) -> Decimal | None:
                value = cells.get(key)
                return value if isinstance(value, Decimal) else None

            rate = cells.get("rate")
            return Execution(
                planned=number("planned"),
                budget=number("budget"),
                executed=number("executed"),
                weight=number("weight"),
                rate_reported=rate if isinstance(rate, str) else "",
                score=number("score"),
            )

        return Evaluation(
            total=execution("total"),
            fiscal=execution("fiscal"),
            carryover=execution("carryover"),
            other=execution("other"),
            goal_expected="".join(self.goal_parts["expected"]),
            goal_actual="".join(self.goal_parts["achieved"]),
            total_reported=self.total_reported,
            grade_reported=self.grade_reported,
        )
