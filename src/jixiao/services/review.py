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
    findings: list[Finding] = []
    for project in projects:
        findings.extend(run_rules(project, ruleset))
    return Review(ruleset=ruleset.name, findings=tuple(sort_findings(findings)))
