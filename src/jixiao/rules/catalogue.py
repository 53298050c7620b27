"""The rule catalogue and the rule sets built from it.

Rule sets are immutable tuples of (rule, severity), built on demand.  Adding a
locality means adding a builder here: which rules apply and how severe each is.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.core.findings import Severity
from jixiao.rules import funds, goals, header, indicators, structure, values
from jixiao.rules.registry import Rule, RuleSet


def all_rules() -> tuple[Rule, ...]:
    return (
        *header.RULES,
        *funds.RULES,
        *goals.RULES,
        *structure.RULES,
        *indicators.RULES,
        *values.RULES,
    )


def _with(overrides: dict[str, Severity | None]) -> tuple[tuple[Rule, Severity], ...]:
    chosen: list[tuple[Rule, Severity]] = []
    for item in all_rules():
        severity = overrides.get(item.id, item.check.severity)
        if severity is not None:
            chosen.append((item, severity))
    return tuple(chosen)


def central() -> RuleSet:
    return RuleSet(
        name="central",
        title="中央部门（财预〔2021〕101号）",
        description="全部规则；成本指标为必填（缺少成本指标为错误）。",
        rules=_with({}),
    )


def local() -> RuleSet:
    return RuleSet(
        name="local",
        title="地方通用（成本指标不作要求）",
        description="适用于尚未要求成本指标的地方表式（如2023年高新区的本级预算项目绩效目标表）："
        "不检查成本指标，其余规则与中央规则集相同。",
        rules=_with({"STRUCT-COST-MISSING": None}),
    )


def local_cost_advised() -> RuleSet:
    return RuleSet(
        name="local-cost-advised",
        title="地方过渡期（建议设置成本指标）",
        description="与地方通用规则集相同，但缺少成本指标时给出提示，便于向101号框架过渡。",
        rules=_with({"STRUCT-COST-MISSING": Severity.INFO}),
    )


RULESETS: dict[str, Callable[[], RuleSet]] = {
    "local": local,
    "central": central,
    "local-cost-advised": local_cost_advised,
}
DEFAULT_RULESET = "local"


def get_ruleset(name: str) -> RuleSet | None:
    builder = RULESETS.get(name)
    return builder() if builder else None
