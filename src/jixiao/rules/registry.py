"""Rules are small functions with an id and a severity, grouped in rule sets.

A rule takes a project and yields ``Hit`` values (message, where, optional
indicator and fix); the engine turns them into findings with the severity the
chosen rule set gives the rule.  A rule that crashes becomes an ``INTERNAL``
finding and the other rules still run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from jixiao.core.findings import Check, Finding, Severity, make_finding
from jixiao.core.model import Indicator, Project
from jixiao.core.source import Source


@dataclass(frozen=True)
class Hit:
    message: str
    source: Source
    indicator: str | None = None
    fix: str | None = None


RuleFunction = Callable[[Project], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    check: Check
    function: RuleFunction

    @property
    def id(self) -> str:
        return self.check.id


def rule(
    id: str,
    severity: Severity,
    title: str,
    fix: str,
    basis: str = "",
    explanation: str = "",
) -> Callable[[RuleFunction], Rule]:
    """Wrap a function as a ``Rule``.  Registers nothing: modules list their rules."""

    def wrap(function: RuleFunction) -> Rule:
        doc = explanation or (function.__doc__ or "").strip()
        return Rule(Check(id, severity, title, fix, basis, doc), function)

    return wrap


def q(name: str) -> str:
    """A name quoted for a message: “…”, or 「…」 when the name has quotation marks of its own."""
    return f"「{name}」" if ("“" in name or "”" in name) else f"“{name}”"


def asks(project: Project, *keys: str) -> bool:
    """Whether the project's form has a field for one of ``keys`` (a prefix such as
    ``funds.`` names a group).  A table read from a file has the labels it printed, even
    empty ones; a project made in the editor or from JSON has every field."""
    where = project.source
    read_from_a_table = any(v is not None for v in (where.line, where.cell, where.row, where.page))
    if not project.sources and not read_from_a_table:
        return True
    return any(name.startswith(keys) for name, _ in project.sources)


def indicator_hit(indicator: Indicator, message: str, fix: str | None = None) -> Hit:
    return Hit(message, indicator.source, indicator.name, fix)


INTERNAL = Check(
    id="INTERNAL",
    severity=Severity.ERROR,
    title="审核规则运行出错",
    fix="这是 jixiao 的缺陷，不是表格的问题：请把提示和表格一起报告给维护者。",
    explanation="某条规则在检查这个项目时出错；其他规则照常运行，结果仍然有效。",
)


@dataclass(frozen=True)
class RuleSet:
    """A named selection of rules with the severity each has in this set, in force for
    the budget years ``first_year``..``last_year`` (None: open)."""

    name: str
    title: str
    description: str
    rules: tuple[tuple[Rule, Severity], ...]
    first_year: int | None = None
    last_year: int | None = None

    def severity_of(self, rule_id: str) -> Severity | None:
        for item, severity in self.rules:
            if item.id == rule_id:
                return severity
        return None

    def for_year(self, year: int | None) -> RuleSet:
        """A version is itself whatever the year (chosen explicitly)."""
        return self

    @property
    def years(self) -> str:
        if self.first_year and self.last_year:
            return f"{self.first_year}–{self.last_year} 年度"
        if self.first_year:
            return f"{self.first_year} 年度起"
        if self.last_year:
            return f"{self.last_year} 年度及以前"
        return "各年度"


@dataclass(frozen=True)
class Family:
    """Rule sets of one kind (local, central) by budget year: a table is reviewed by the
    version in force for the year it states, the newest when it states none."""

    name: str
    title: str
    description: str
    versions: tuple[RuleSet, ...]  # oldest first, consecutive years

    def for_year(self, year: int | None) -> RuleSet:
        """The version whose years hold ``year`` (the oldest is open before, the newest after)."""
        if year is not None:
            for version in self.versions:
                if version.last_year is None or year <= version.last_year:
                    return version
        return self.versions[-1]


def run_rules(project: Project, ruleset: RuleSet) -> Iterator[Finding]:
    for item, severity in ruleset.rules:
        try:
            hits = list(item.function(project))
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            yield make_finding(
                INTERNAL,
                f"规则 {item.id} 检查项目“{project.name}”时出错：{type(error).__name__}: {error}"
                f"（{where.filename.rsplit('/', 1)[-1]}:{where.lineno}）",
                project.source,
                project=project.name,
            )
            continue
        for hit in hits:
            yield make_finding(
                item.check,
                hit.message,
                hit.source,
                project=project.name,
                indicator=hit.indicator,
                severity=severity,
                fix=hit.fix,
            )
