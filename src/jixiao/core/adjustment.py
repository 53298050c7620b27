"""目标调整: an approved project's targets or funds changed by an approved request, with the
values of the start of the year (年初) kept beside the adjusted ones (调整后)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from jixiao.core.model import Adjustment, Indicator, Project
from jixiao.core.targets import format_decimal


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def adjust(approved: Project, proposed: Project, reason: str) -> Project:
    """``proposed`` as the adjusted project: the 年初 funds, goal and each changed or removed
    indicator of ``approved`` kept.  Adjusting an adjusted project keeps the first 年初
    values: 年初 is what was approved with the budget."""
    before = approved.adjustment
    planned: dict[str, Indicator] = {}
    for indicator in approved.indicators:
        original = indicator.planned_target or indicator.target
        planned.setdefault(_key(indicator.name), replace(indicator, target=original))
    for earlier in before.removed if before else ():
        planned.setdefault(_key(earlier.name), earlier)
    indicators = []
    kept: set[str] = set()
    for indicator in proposed.indicators:
        key = _key(indicator.name)
        was = planned.get(key)
        kept.add(key)
        if was is not None and _key(was.target.text) != _key(indicator.target.text):
            indicators.append(replace(indicator, planned_target=was.target))
        else:
            indicators.append(replace(indicator, planned_target=None))
    taken_out = tuple(was for key, was in planned.items() if key not in kept)
    new = tuple(i.name for i in proposed.indicators if _key(i.name) not in planned)
    adjustment = Adjustment(
        reason=reason.strip(),
        funds=before.funds if before else approved.funds.annual,
        goal=before.goal if before else approved.goals.annual,
        removed=taken_out,
        added=new,
    )
    return replace(proposed, indicators=tuple(indicators), adjustment=adjustment)


def changes(project: Project) -> list[tuple[str, str, str]]:
    """(what, 年初, 调整后) for each value an adjustment changed: funds, goal, indicators."""
    adjustment = project.adjustment
    if adjustment is None:
        return []
    rows: list[tuple[str, str, str]] = []

    def money(value: Decimal | None) -> str:
        return "" if value is None else format_decimal(value)

    for label, part in (("年度金额", "total"), ("其中：财政拨款", "fiscal"), ("其他资金", "other")):
        old, new = getattr(adjustment.funds, part), getattr(project.funds.annual, part)
        if old != new:
            rows.append((label, money(old), money(new)))
    if _key(adjustment.goal) != _key(project.goals.annual):
        rows.append(("年度目标", adjustment.goal, project.goals.annual))
    for indicator in project.indicators:
        if indicator.planned_target is not None:
            rows.append((indicator.name, indicator.planned_target.text, indicator.target.text))
    added = {_key(name) for name in adjustment.added}
    for indicator in project.indicators:
        if _key(indicator.name) in added:
            rows.append((indicator.name, "（新增）", indicator.target.text))
    for removed in adjustment.removed:
        rows.append((removed.name, removed.target.text, "（取消）"))
    return rows
