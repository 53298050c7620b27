"""Rules on the goals (实施期目标, 年度目标)."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.rules.basis import COMPLETE, GOALS
from jixiao.rules.registry import Hit, rule

MIN_GOAL_CHARS = 10


@rule(
    "GOAL-ANNUAL-MISSING",
    Severity.ERROR,
    "年度目标缺失",
    "用一两句话写明本年度要完成的产出和达到的效果。",
    COMPLETE,
)
def annual_missing(project: Project) -> Iterator[Hit]:
    """年度目标是年度指标的概括，也是年终自评对照的“预期目标”。"""
    if not project.goals.annual.strip():
        yield Hit(f"项目“{project.name}”没有填写年度目标", project.source_of("goals.annual"))


@rule(
    "GOAL-PERIOD-MISSING",
    Severity.WARNING,
    "实施期目标缺失",
    "写明整个实施期要完成的产出和效果；一年期项目可与年度目标相同。",
    COMPLETE,
)
def period_missing(project: Project) -> Iterator[Hit]:
    """实施期目标描述整个实施期的预期产出和效果。"""
    if not project.goals.period.strip():
        yield Hit(f"项目“{project.name}”没有填写实施期目标", project.source_of("goals.period"))


@rule(
    "GOAL-TOO-SHORT",
    Severity.WARNING,
    "绩效目标过于笼统",
    "写明做什么、做多少、达到什么效果，例如“完成30次安全培训，隐患整改及时率不低于98%”。",
    GOALS,
)
def too_short(project: Project) -> Iterator[Hit]:
    """不足十个字的目标（如“做好工作”）无法反映项目的产出和效果。"""
    for part, label in (("period", "实施期目标"), ("annual", "年度目标")):
        text = getattr(project.goals, part).strip()
        if text and len(text) < MIN_GOAL_CHARS:
            yield Hit(f"{label}“{text}”过于笼统", project.source_of(f"goals.{part}"))


RULES = (annual_missing, period_missing, too_short)
