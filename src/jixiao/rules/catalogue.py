"""The rule catalogue and the rule sets built from it.

Rule sets are immutable tuples of (rule, severity), built on demand, each in force for a
range of budget years; a family (``local``, ``central``) picks the version of a table's
year.  Adding a locality or a year means adding a builder here: which rules apply and
how severe each is.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.core.findings import Severity
from jixiao.rules import (
    evaluation,
    funds,
    goals,
    header,
    indicators,
    monitoring,
    structure,
    values,
)
from jixiao.rules.registry import Family, Rule, RuleSet


def all_rules() -> tuple[Rule, ...]:
    return (
        *header.RULES,
        *funds.RULES,
        *goals.RULES,
        *structure.RULES,
        *indicators.RULES,
        *values.RULES,
        *evaluation.RULES,
        *monitoring.RULES,
    )


def _with(overrides: dict[str, Severity | None]) -> tuple[tuple[Rule, Severity], ...]:
    chosen: list[tuple[Rule, Severity]] = []
    for item in all_rules():
        severity = overrides.get(item.id, item.check.severity)
        if severity is not None:
            chosen.append((item, severity))
    return tuple(chosen)


# 财预〔2021〕101号 (issued 2021) governs the budgets from 2022: tables of 2022 on are
# reviewed by the 2022 versions, older ones by the 2015 versions (财预〔2015〕88号).
GUIDE_101_FROM = 2022


def central_2015() -> RuleSet:
    return RuleSet(
        name="central-2015",
        title="中央部门（财预〔2015〕88号，2015–2021 年度）",
        description="101号之前的中央部门表：成本指标尚非必填，缺少时只作提示；其余规则全部适用。",
        rules=_with({"STRUCT-COST-MISSING": Severity.INFO}),
        last_year=GUIDE_101_FROM - 1,
    )


def central_2022() -> RuleSet:
    return RuleSet(
        name="central-2022",
        title="中央部门（财预〔2021〕101号，2022 年度起）",
        description="全部规则；成本指标为必填（缺少成本指标为错误）。",
        rules=_with({}),
        first_year=GUIDE_101_FROM,
    )


def local_2015() -> RuleSet:
    return RuleSet(
        name="local-2015",
        title="地方通用（2015–2021 年度，成本指标不作要求）",
        description="101号之前的地方表式：不检查是否设置了成本指标，其余规则与中央规则集相同。",
        rules=_with({"STRUCT-COST-MISSING": None}),
        last_year=GUIDE_101_FROM - 1,
    )


def local_2022() -> RuleSet:
    return RuleSet(
        name="local-2022",
        title="地方通用（2022 年度起，建议设置成本指标）",
        description="101号之后的地方表式：许多地方尚未把成本指标列为必填，缺少成本指标作为警告"
        "（建议设置），其余规则与中央规则集相同。",
        rules=_with({"STRUCT-COST-MISSING": Severity.WARNING}),
        first_year=GUIDE_101_FROM,
    )


def central() -> Family:
    return Family(
        name="central",
        title="中央部门（按预算年度选用 central-2015 或 central-2022）",
        description="每张表按它标明的预算年度选用当年有效的版本；没有标明年度时用最新版本。",
        versions=(central_2015(), central_2022()),
    )


def local() -> Family:
    return Family(
        name="local",
        title="地方通用（按预算年度选用 local-2015 或 local-2022）",
        description="每张表按它标明的预算年度选用当年有效的版本；没有标明年度时用最新版本。",
        versions=(local_2015(), local_2022()),
    )


RULESETS: dict[str, Callable[[], RuleSet | Family]] = {
    "local": local,
    "central": central,
    "local-2015": local_2015,
    "local-2022": local_2022,
    "central-2015": central_2015,
    "central-2022": central_2022,
}
DEFAULT_RULESET = "local"


def get_ruleset(name: str) -> RuleSet | Family | None:
    """A family (each table reviewed by the version of its year) or one version."""
    builder = RULESETS.get(name)
    return builder() if builder else None


def versions() -> list[RuleSet]:
    """Every version of every family, for the catalogue."""
    return [s for s in (builder() for builder in RULESETS.values()) if isinstance(s, RuleSet)]
