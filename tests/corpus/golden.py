"""Golden files of the reading corpus: loading, validating, comparing (see README.md).

Run ``python tests/corpus/golden.py FILE.golden.json…`` to check golden files by hand.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
KINDS = ("target", "self-evaluation", "monitoring", "other")
EVALUATION_FIELDS = ("actual", "weight", "score")


def key(text: str) -> str:
    """Texts compare without whitespace and width differences."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@dataclass
class GoldenIndicator:
    level1: str
    level2: str
    name: str
    target: str
    period_target: str | None = None
    actual: str | None = None
    weight: str | None = None
    score: str | None = None


@dataclass
class GoldenProject:
    name: str
    complete: bool
    funds_total: Decimal | None
    indicators: list[GoldenIndicator] = field(default_factory=list)


@dataclass
class Golden:
    file: str
    kind: str
    projects: list[GoldenProject]
    notes: str = ""

    @property
    def table(self) -> Path:
        return HERE / self.file


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: a decimal string or null, not {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{where}: {value!r} is not a decimal") from None


def parse(data: dict[str, Any], where: str = "") -> Golden:
    problems: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            problems.append(f"{where}: {message}")

    need(isinstance(data.get("file"), str), "file: a string")
    need(data.get("kind") in KINDS, f"kind: one of {KINDS}")
    need(isinstance(data.get("projects"), list), "projects: a list")
    projects: list[GoldenProject] = []
    evaluation = data.get("kind") == "self-evaluation"
    for p, item in enumerate(data.get("projects") or []):
        at = f"projects[{p}]"
        need(isinstance(item.get("name"), str), f"{at}.name: a string")
        need(isinstance(item.get("complete"), bool), f"{at}.complete: true or false")
        try:
            total = _decimal(item.get("funds_total"), f"{at}.funds_total")
        except ValueError as error:
            problems.append(f"{where}: {error}")
            total = None
        indicators = []
        for i, row in enumerate(item.get("indicators") or []):
            here = f"{at}.indicators[{i}]"
            for name in ("level1", "level2", "name", "target"):
                need(isinstance(row.get(name), str), f"{here}.{name}: a string")
            if evaluation:
                for name in EVALUATION_FIELDS:
                    need(name in row, f"{here}.{name}: required in a self-evaluation")
            for name in ("weight", "score"):
                try:
                    _decimal(row.get(name), f"{here}.{name}")
                except ValueError as error:
                    problems.append(f"{where}: {error}")
            extra = set(row) - {
                "level1",
                "level2",
                "name",
                "target",
                "period_target",
                *EVALUATION_FIELDS,
            }
            need(not extra, f"{here}: unknown fields {sorted(extra)}")
            indicators.append(
                GoldenIndicator(
                    level1=row.get("level1", ""),
                    level2=row.get("level2", ""),
                    name=row.get("name", ""),
                    target=row.get("target", ""),
                    period_target=row.get("period_target"),
                    actual=row.get("actual"),
                    weight=row.get("weight"),
                    score=row.get("score"),
                )
            )
        projects.append(
            GoldenProject(item.get("name", ""), bool(item.get("complete")), total, indicators)
        )
    if problems:
        raise ValueError("\n".join(problems))
    return Golden(data["file"], data["kind"], projects, data.get("notes", ""))


def load(path: Path) -> Golden:
    golden = parse(json.loads(path.read_text("utf-8")), path.name)
    if not golden.table.exists() and (path.parent / golden.file).exists():
        return golden
    return golden


def load_all() -> list[Golden]:
    return [load(path) for path in sorted(HERE.glob("*.golden.json"))]


def main(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        path = Path(name)
        try:
            golden = parse(json.loads(path.read_text("utf-8")), path.name)
        except (ValueError, json.JSONDecodeError) as error:
            print(f"{path}: INVALID\n{error}")
            failed += 1
            continue
        if not (path.parent / golden.file).exists() and not (HERE / golden.file).exists():
            print(f"{path}: file {golden.file} not found beside it")
            failed += 1
            continue
        rows = sum(len(p.indicators) for p in golden.projects)
        print(f"{path}: ok ({len(golden.projects)} projects, {rows} indicators)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


# --- scoring the reader against the golden files -------------------------------------------


def same_category(a: str, b: str) -> bool:
    """Two category texts are equal when they are the same text or the same framework category."""
    from jixiao.core import framework

    if key(a) == key(b):
        return True
    ca, cb = framework.canonical(a), framework.canonical(b)
    return ca is not None and ca == cb


def _decimal_text(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass
class Score:
    """Counts over one table or the whole corpus."""

    projects: int = 0
    projects_named: int = 0
    indicators: int = 0
    indicators_exact: int = 0
    funds: int = 0
    funds_equal: int = 0
    evaluation_fields: int = 0
    evaluation_equal: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "projects",
            "projects_named",
            "indicators",
            "indicators_exact",
            "funds",
            "funds_equal",
            "evaluation_fields",
            "evaluation_equal",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    def summary(self) -> str:
        return (
            f"indicators exact {self.indicators_exact}/{self.indicators} "
            f"({self.ratio(self.indicators_exact, self.indicators):.1%}), "
            f"projects named {self.projects_named}/{self.projects}, "
            f"funds totals {self.funds_equal}/{self.funds}, "
            f"self-evaluation fields {self.evaluation_equal}/{self.evaluation_fields}"
        )


def _indicator_equal(golden: GoldenIndicator, read: Any) -> bool:
    return (
        same_category(golden.level1, read.level1)
        and same_category(golden.level2, read.level2)
        and key(golden.name) == key(read.name)
        and key(golden.target) == key(read.target.text)
    )


def _match_project(golden: GoldenProject, projects: list[Any]) -> Any | None:
    for project in projects:
        if key(project.name) == key(golden.name):
            return project
    return None


def score_table(golden: Golden, projects: list[Any], complete_only: bool) -> Score:
    """Compare the projects read from one table with its golden file."""
    score = Score()
    used: set[int] = set()
    for expected in golden.projects:
        if complete_only and not expected.complete:
            continue
        score.projects += 1
        score.indicators += len(expected.indicators)
        found = _match_project(expected, [p for p in projects if id(p) not in used])
        if found is None and len(golden.projects) == 1 and len(projects) == 1:
            found = projects[0]  # one table, one project: compare its rows even if misnamed
        elif found is not None:
            score.projects_named += 1
        if found is None:
            score.misses.append(f"{golden.file}: project “{expected.name}” not found")
            continue
        used.add(id(found))
        if (
            len(golden.projects) == 1
            and len(projects) == 1
            and key(found.name) != key(expected.name)
        ):
            score.misses.append(
                f"{golden.file}: project named “{found.name}”, expected “{expected.name}”"
            )
        score.funds += 1
        if found.funds.annual.total == expected.funds_total:
            score.funds_equal += 1
        else:
            score.misses.append(
                f"{golden.file}: funds {found.funds.annual.total}, expected {expected.funds_total}"
            )
        score.add(_score_indicators(golden, expected, list(found.indicators)))
    return score


def _score_indicators(golden: Golden, expected: GoldenProject, read: list[Any]) -> Score:
    """Indicators in order: each golden row matched to the next read row that equals it."""
    score = Score()
    position = 0
    for row in expected.indicators:
        match = None
        for index in range(position, len(read)):
            if _indicator_equal(row, read[index]):
                match = index
                break
        if match is None:
            near = read[position] if position < len(read) else None
            got = (
                f"got {near.level1}/{near.level2}/{near.name}/{near.target.text}"
                if near
                else "none"
            )
            score.misses.append(
                f"{golden.file}: {row.level1}/{row.level2}/{row.name}/{row.target} — {got}"
            )
            continue
        score.indicators_exact += 1
        position = match + 1
        if golden.kind == "self-evaluation":
            indicator = read[match]
            actual = indicator.actual.text if indicator.actual is not None else ""
            for expected_value, read_value, numeric in (
                (row.actual, actual, False),
                (row.weight, indicator.weight, True),
                (row.score, indicator.score, True),
            ):
                score.evaluation_fields += 1
                if numeric:
                    equal = _decimal_text(expected_value) == _decimal_text(read_value)
                else:
                    equal = key(expected_value or "") == key(read_value or "")
                if equal:
                    score.evaluation_equal += 1
                else:
                    score.misses.append(
                        f"{golden.file}: {row.name}: evaluation {expected_value!r} read {read_value!r}"
                    )
    return score


def score_corpus(read: Any, complete_only: bool) -> tuple[Score, dict[str, Score]]:
    """``read(path) -> ReadResult`` over every golden file."""
    total = Score()
    tables: dict[str, Score] = {}
    for golden in load_all():
        result = read(golden.table)
        score = score_table(golden, list(result.projects), complete_only)
        tables[golden.file] = score
        total.add(score)
    return total, tables
