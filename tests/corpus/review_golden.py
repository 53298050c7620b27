"""The review scored against the hand-checked findings of the corpus (``*.findings.json``).

A finding is keyed by (project, rule, indicator); reading findings (READ-*) are not the
review's and are left out.  See tests/corpus/FINDINGS.md for the conventions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao.core.model import Indicator, Project
from jixiao.formats.base import ReadResult
from jixiao.rules.catalogue import DEFAULT_RULESET, get_ruleset
from jixiao.services.review import review_projects
from tests.corpus.golden import HERE, GoldenProject, key, load

Key = tuple[str, str, str | None]


@dataclass
class ReviewScore:
    tables: int = 0
    projects: int = 0
    expected: int = 0
    raised: int = 0
    true: int = 0
    same_severity: int = 0
    false_alarms: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def false_ratio(self) -> float:
        return len(self.false_alarms) / self.raised if self.raised else 0.0

    @property
    def found_ratio(self) -> float:
        return self.true / self.expected if self.expected else 1.0

    def summary(self) -> str:
        return (
            f"{self.tables} tables, {self.projects} projects: {self.raised} findings raised, "
            f"{self.true} expected ({self.same_severity} at the expected severity), "
            f"{len(self.false_alarms)} false alarms ({self.false_ratio:.1%}); "
            f"{self.expected} expected, {len(self.misses)} missed "
            f"(found {self.found_ratio:.1%})"
        )


def golden_files() -> list[Path]:
    return sorted(HERE.glob("*.findings.json"))


def _with_golden_rows(project: Project, golden: GoldenProject) -> Project:
    """The project as read, its indicator rows replaced by the golden file's (a reader's
    mistakes in the rows taken out, to score the rules alone)."""
    sources = {key(i.name): i.source for i in project.indicators}
    rows = tuple(
        Indicator.of(g.level1, g.level2, g.name, g.target, sources.get(key(g.name), project.source))
        for g in golden.indicators
    )
    return replace(project, indicators=rows)


def score_review(
    read: Callable[[Path], ReadResult],
    ruleset: str = DEFAULT_RULESET,
    golden_rows: bool = False,
) -> ReviewScore:
    """Score the review over the corpus: of the tables as read (``golden_rows=False``, the
    whole path a user takes), or with each project's rows as the golden file has them."""
    rules = get_ruleset(ruleset)
    assert rules is not None
    score = ReviewScore()
    for path in golden_files():
        golden = json.loads(path.read_text("utf-8"))
        table = HERE / golden["file"]
        result = read(table)
        score.tables += 1
        wanted = {p["name"]: p["findings"] for p in golden["projects"]}
        projects = [p for p in result.projects if p.name in wanted]
        if golden_rows:
            read_golden = {
                g.name: g
                for g in load(HERE / golden["file"].replace(".txt", ".golden.json")).projects
            }
            projects = [_with_golden_rows(p, read_golden[p.name]) for p in projects]
        score.projects += len(wanted)
        raised: dict[Key, str] = {}
        for finding in review_projects(projects, rules).findings:
            if finding.rule.startswith(("EVAL-", "MON-")):
                # the self-evaluation's arithmetic and the monitoring lights are scored apart
                # (FINDINGS.md, tests/unit/test_monitoring.py): the golden files are a review
                continue
            key = (finding.project or "", finding.rule, finding.indicator)
            raised.setdefault(key, finding.severity.value)
        expected: dict[Key, str] = {}
        for name, findings in wanted.items():
            for item in findings:
                expected[(name, item["rule"], item["indicator"])] = item["severity"]
        score.expected += len(expected)
        score.raised += len(raised)
        where = golden["file"][:3]
        for key, severity in raised.items():
            if key in expected:
                score.true += 1
                score.same_severity += severity == expected[key]
            else:
                score.false_alarms.append(f"{where} {key[1]} {key[0][:12]} {key[2] or ''}".rstrip())
        for key in expected.keys() - raised.keys():
            score.misses.append(f"{where} {key[1]} {key[0][:12]} {key[2] or ''}".rstrip())
    return score
