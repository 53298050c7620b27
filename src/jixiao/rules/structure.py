"""Rules on the indicator tree: categories of 101号 and what each table must have."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.rules.basis import COST, FRAMEWORK, FRAMEWORK_OLD, OUTPUT
from jixiao.rules.registry import Hit, indicator_hit, q, rule

_REQUIRED = (framework.OUTPUT, framework.BENEFIT, framework.SATISFACTION)
# The NDRC form for 中央预算内投资 has its own 一级 (实施效果指标 / 过程管理指标, with 产出,
# 效益, 满意度 or process categories as 二级): an official framework of its own, not
# judged by the structure of 101号.
_OTHER_FRAMEWORK = re.compile(r"^(实施效果指标|过程管理指标)$")
_SATISFACTION_NAME = re.compile(r"满意(度|率)")


def categorised(project: Project) -> bool:
    """Whether the form has category columns at all (a list of indicators has none)."""
    return any(i.level1.strip() or i.level2.strip() for i in project.indicators)


@lru_cache(maxsize=1024)
def _other_framework(level1: str) -> bool:
    return bool(level1) and _OTHER_FRAMEWORK.match(framework.normalise(level1)) is not None


def own_framework(project: Project) -> bool:
    return any(_other_framework(i.level1) for i in project.indicators)


def judged(project: Project) -> bool:
    """Whether the structure rules of 101号 apply: categories printed, and 101号's."""
    return categorised(project) and not own_framework(project)


@rule(
    "STRUCT-NO-INDICATORS",
    Severity.ERROR,
    "没有绩效指标",
    "按产出、效益、满意度等类别填写三级指标和指标值。",
    FRAMEWORK,
)
def no_indicators(project: Project) -> Iterator[Hit]:
    """没有指标的目标表无法审核，也无法监控和自评。"""
    if not project.indicators:
        yield Hit(f"项目“{project.name}”没有任何绩效指标", project.source)


@rule(
    "STRUCT-L1-UNKNOWN",
    Severity.ERROR,
    "一级指标名称不规范",
    "一级指标只能是产出指标、成本指标、效益指标、满意度指标。",
    FRAMEWORK,
)
def level1_unknown(project: Project) -> Iterator[Hit]:
    """一级指标名称不在指标框架中（或没有填写）。表式没有类别栏、或用的是另一套正式框架
    （中央预算内投资的实施效果指标 / 过程管理指标）时不检查。"""
    if not judged(project):
        return
    for indicator in project.indicators:
        if indicator.category1 is None:
            shown = f"“{indicator.level1}”" if indicator.level1 else "为空"
            yield indicator_hit(
                indicator, f"指标{q(indicator.name)}的一级指标{shown}，不是框架中的一级指标"
            )


@rule(
    "STRUCT-L2-UNKNOWN",
    Severity.ERROR,
    "二级指标名称不规范",
    "二级指标使用框架中的名称，如数量指标、质量指标、时效指标、社会效益指标、服务对象满意度指标。",
    FRAMEWORK,
)
def level2_unknown(project: Project) -> Iterator[Hit]:
    """写了的二级指标名称不在指标框架中。空着的二级（表式没有二级栏、散文式的目标、
    满意度指标只有一个二级而省略）不报告。"""
    if not judged(project):
        return
    for indicator in project.indicators:
        if not indicator.level2.strip():
            continue
        if indicator.category1 is not None and indicator.category2 is None:
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}的二级指标“{indicator.level2}”，不是框架中的二级指标",
            )


@rule(
    "STRUCT-L2-PARENT",
    Severity.ERROR,
    "二级指标放在了错误的一级指标下",
    "把该二级指标移到它所属的一级指标下。",
    FRAMEWORK_OLD,
)
def level2_parent(project: Project) -> Iterator[Hit]:
    """每个二级指标只属于一个一级指标（成本指标可作一级，也可作产出指标下的二级）。"""
    for indicator in project.indicators:
        level1, level2 = indicator.category1, indicator.category2
        if level1 is None or level2 is None:
            continue
        parents = framework.LEVEL2_PARENT[level2]
        if level2 == framework.SERVED_SATISFACTION and _SATISFACTION_NAME.search(indicator.name):
            continue  # a 满意度 indicator filed under 效益: IND-SATISFACTION-PLACE says it once
        if level1 not in parents:
            yield indicator_hit(
                indicator,
                f"二级指标“{indicator.level2}”属于“{'、'.join(parents)}”，不应放在“{indicator.level1}”下"
                f"（指标{q(indicator.name)}）",
                fix=f"把{q(indicator.name)}移到“{parents[0]}”下的“{level2}”。",
            )


@rule(
    "STRUCT-L1-MISSING",
    Severity.ERROR,
    "缺少必备的一级指标",
    "补充缺少的一级指标及其三级指标。",
    FRAMEWORK,
)
def level1_missing(project: Project) -> Iterator[Hit]:
    """项目应当同时设置产出指标、效益指标和满意度指标。满意度指标放错了类别（IND-SATISFACTION-PLACE）
    不再重复报告；表式没有类别栏时，只按名称判断有没有满意度指标。"""
    if not project.indicators or own_framework(project):
        return
    satisfaction_named = any(_SATISFACTION_NAME.search(i.name) for i in project.indicators)
    if not categorised(project):
        if not satisfaction_named:
            yield Hit(f"项目“{project.name}”没有{framework.SATISFACTION}", project.source)
        return
    present = {indicator.category1 for indicator in project.indicators}
    for required in _REQUIRED:
        if required == framework.SATISFACTION and satisfaction_named:
            continue
        if required not in present:
            yield Hit(f"项目“{project.name}”没有{required}", project.source)


def _has_cost(project: Project) -> bool:
    return any(
        indicator.category1 == framework.COST
        or indicator.category2 == framework.COST
        or (indicator.category2 or "").endswith("成本指标")
        or (not indicator.level1.strip() and "成本" in indicator.name)
        for indicator in project.indicators
    )


@rule(
    "STRUCT-COST-MISSING",
    Severity.ERROR,
    "缺少成本指标",
    "设置成本指标，如“单位培训成本≤X元/人·天”“项目总成本≤X万元”，取值不超过预算支出标准。",
    COST,
    explanation="101号起，中央部门项目须设置成本指标；许多地方表式没有成本指标，是否必填由规则集决定。",
)
def cost_missing(project: Project) -> Iterator[Hit]:
    if project.indicators and not own_framework(project) and not _has_cost(project):
        yield Hit(f"项目“{project.name}”没有成本指标", project.source)


@rule(
    "STRUCT-OUTPUT-INCOMPLETE",
    Severity.WARNING,
    "产出指标缺少数量、质量或时效指标",
    "产出指标下分别设置数量、质量、时效指标。",
    OUTPUT,
)
def output_incomplete(project: Project) -> Iterator[Hit]:
    """产出指标应从数量、质量、时效三个方面反映预期产出。"""
    outputs = [i for i in project.indicators if i.category1 == framework.OUTPUT]
    if not outputs or not judged(project):
        return
    if any(i.level2.strip() and i.category2 is None for i in outputs):
        return  # an unknown 二级 under 产出 (STRUCT-L2-UNKNOWN) may be the one missing
    present = {i.category2 for i in outputs}
    missing = [
        name
        for name in (framework.QUANTITY, framework.QUALITY, framework.TIMELINESS)
        if name not in present
    ]
    if missing:
        yield Hit(f"项目“{project.name}”的产出指标缺少{'、'.join(missing)}", outputs[0].source)


RULES = (
    no_indicators,
    level1_unknown,
    level2_unknown,
    level2_parent,
    level1_missing,
    cost_missing,
    output_incomplete,
)
