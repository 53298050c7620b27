"""Review service: read files, run a rule set, return findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.core.findings import Finding, sort_findings
from jixiao.core.model import Project
from jixiao.rules.registry import RuleSet, run_rules


@dataclass(frozen=True)
class Review:
    ruleset: str
    findings: tuple[Finding, ...]


def review_projects(projects: Iterable[Project], ruleset: RuleSet) -> Review:
    """Findings project by project, each project's in the order of its cells."""
    findings: list[Finding] = []
    for project in projects:
        mine = sorted(
            run_rules(project, ruleset), key=lambda f: (f.source.cell_order(), f.severity.rank)
        )
        findings.extend(mine)
    return Review(ruleset=ruleset.name, findings=tuple(sort_findings(findings)))
