"""Review service: read files, run a rule set, return findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.core import collector
from jixiao.core.findings import Finding, sort_findings
from jixiao.core.model import Project
from jixiao.rules.registry import Family, RuleSet, run_rules


@dataclass(frozen=True)
class Review:
    ruleset: str
    findings: tuple[Finding, ...]
    versions: tuple[str, ...] = ()  # the versions used, by the projects' years


def review_projects(projects: Iterable[Project], ruleset: RuleSet | Family) -> Review:
    """Findings project by project, each project's in the order of its cells; each project
    reviewed by the version of ``ruleset`` in force for its budget year."""
    findings, versions = findings_of(projects, ruleset)
    return Review(ruleset=ruleset.name, findings=tuple(sort_findings(findings)), versions=versions)


def findings_of(
    projects: Iterable[Project], ruleset: RuleSet | Family
) -> tuple[list[Finding], tuple[str, ...]]:
    """The findings before the final sort, and the versions used: what each worker of a
    parallel check returns, so that joining them in file order then sorting once gives
    exactly what one process gives."""
    findings: list[Finding] = []
    used: dict[str, None] = {}
    with collector.paused():  # findings form no cycles: see jixiao.core.collector
        for project in projects:
            version = ruleset.for_year(project.year)
            used[version.name] = None
            mine = sorted(
                run_rules(project, version), key=lambda f: (f.source.cell_order(), f.severity.rank)
            )
            findings.extend(mine)
    return findings, tuple(used)
