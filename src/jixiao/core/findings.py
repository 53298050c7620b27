"""Findings: problems in user data, as values (never exceptions).

A finding names the rule (or reader check) that produced it, a severity, a
Chinese message that names the offending item, a suggested fix and where the
item came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jixiao.core.source import Source


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Check:
    """The description of one kind of finding: what a rule or a reader reports.

    ``basis`` is the official document (and article where there is one) the
    check rests on; empty for purely technical checks.
    """

    id: str
    severity: Severity
    title: str
    fix: str
    basis: str = ""
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    fix: str
    source: Source
    project: str | None = None
    indicator: str | None = None
    basis: str = ""

    def render(self) -> str:
        """``FILE:LINE: 严重程度 [RULE-ID] message`` as printed by ``jixiao check``."""
        return f"{self.source}: {self.severity.label} [{self.rule}] {self.message}"


def make_finding(
    check: Check,
    message: str,
    source: Source,
    *,
    project: str | None = None,
    indicator: str | None = None,
    severity: Severity | None = None,
    fix: str | None = None,
) -> Finding:
    return Finding(
        rule=check.id,
        severity=severity or check.severity,
        message=message,
        fix=fix if fix is not None else check.fix,
        source=source,
        project=project,
        indicator=indicator,
        basis=check.basis,
    )


def count_by_severity(findings: tuple[Finding, ...] | list[Finding]) -> dict[Severity, int]:
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def sort_findings(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    def key(f: Finding) -> tuple[tuple[str, int, int, int, int], int, str]:
        if f.source.sheet is not None:  # keep the order the sheets were read in (stable sort)
            return (f.source.sort_key(), 0, "")
        return (f.source.sort_key(), f.severity.rank, f.rule)

    return sorted(findings, key=key)
