"""Rules on the 三级指标 themselves: names, duplicates, and where they are filed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.findings import Severity
from jixiao.core.model import Indicator, Project
from jixiao.rules.basis import COMPLETE, FRAMEWORK, OUTPUT, OUTPUT_NOT_INPUT, SATISFY, SUSTAIN
from jixiao.rules.registry import Hit, indicator_hit, q, rule


@lru_cache(maxsize=16384)  # pure; every rule asks for the same names
def name_key(name: str) -> str:
    """An indicator name for comparison: full-width folded, no spaces or quotes."""
    return re.sub(r"[\s“”\"'‘’「」《》]+", "", unicodedata.normalize("NFKC", name))


@rule(
    "IND-NAME-MISSING",
    Severity.ERROR,
    "三级指标名称缺失",
    "填写三级指标名称，说明衡量的是什么。",
    COMPLETE,
)
def name_missing(project: Project) -> Iterator[Hit]:
    """有指标值而没有名称的指标无法理解，也无法监控和自评。"""
    for indicator in project.indicators:
        if not indicator.name.strip():
            yield indicator_hit(
                indicator,
                f"“{indicator.level2 or indicator.level1}”下有一个指标没有名称（指标值“{indicator.target.text}”）",
            )


@rule(
    "IND-DUPLICATE",
    Severity.WARNING,
    "同一项目内指标重复",
    "删除重复的指标，或改写名称使两个指标衡量不同的内容。",
    FRAMEWORK,
)
def duplicate(project: Project) -> Iterator[Hit]:
    """同一项目中名称相同的三级指标会重复计分，监控时也无法区分。"""
    seen: dict[str, Indicator] = {}
    for indicator in project.indicators:
        key = name_key(indicator.name)
        if not key:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = indicator
            continue
        yield indicator_hit(
            indicator,
            f"指标{q(indicator.name)}与第 {first.source.line or '?'} 行的指标重复",
        )


_LIFESPAN = re.compile(r"(使用|服务|设计|正常使用|运行)?(年限|寿命|周期)$|使用年限|使用寿命")


@rule(
    "IND-LIFESPAN-PLACE",
    Severity.WARNING,
    "使用年限放在了时效指标下",
    "把使用年限类指标移到效益指标下的可持续影响指标。",
    SUSTAIN,
)
def lifespan_place(project: Project) -> Iterator[Hit]:
    """时效指标衡量产出完成得是否及时；使用年限衡量产出能持续发挥作用多久，属于可持续影响指标。"""
    for indicator in project.indicators:
        if indicator.category2 == framework.TIMELINESS and _LIFESPAN.search(
            name_key(indicator.name)
        ):
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}衡量的是使用年限，不是完成时效，应归入可持续影响指标而非时效指标",
                fix=f"把{q(indicator.name)}移到“效益指标 — 可持续影响指标”下。",
            )


_SATISFACTION = re.compile(r"满意(度|率)")


@rule(
    "IND-SATISFACTION-PLACE",
    Severity.WARNING,
    "满意度指标放在了其他类别下",
    "把满意度（满意率）指标移到满意度指标 — 服务对象满意度指标下。",
    SATISFY,
)
def satisfaction_place(project: Project) -> Iterator[Hit]:
    """满意度、满意率只应出现在满意度指标下。"""
    for indicator in project.indicators:
        if indicator.category1 is None or indicator.category1 == framework.SATISFACTION:
            continue
        if _SATISFACTION.search(indicator.name):
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}是满意度指标，却放在“{indicator.level1}”下",
            )


# Names that count something: participants, households, times, pieces.
_COUNT = re.compile(r"(人数|户数|次数|人次|数量|个数|件数|场次|家数|台数|套数)$")


@rule(
    "IND-COUNT-PLACE",
    Severity.WARNING,
    "数量类指标放在了质量或时效指标下",
    "把计数类指标（人数、次数、数量）移到产出指标下的数量指标。",
    OUTPUT,
)
def count_place(project: Project) -> Iterator[Hit]:
    """数量指标衡量提供多少产品或服务；质量、时效指标衡量达到的标准和及时程度。以人数、次数、数量计的指标属于数量指标。"""
    for indicator in project.indicators:
        if indicator.category2 not in (framework.QUALITY, framework.TIMELINESS):
            continue
        if _COUNT.search(name_key(indicator.name)):
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}（{indicator.target.text}）是计数，应归入数量指标，而不是{indicator.category2}",
                fix=f"把{q(indicator.name)}移到“产出指标 — 数量指标”下；质量指标另设达标率、合格率等。",
            )


_INPUT = re.compile(
    r"(资金|经费|预算|投资|财政资金)(投入|总额|金额|规模)|投入(资金|经费|人员|人数|人力)"
    r"|(资金|经费)到位(率|情况)?$|(预算|资金)(执行率|支出率)$"
)


@rule(
    "IND-INPUT-AS-OUTPUT",
    Severity.WARNING,
    "把投入当作产出",
    "改为衡量用这笔钱提供了什么、达到了什么效果的指标；预算执行情况在监控和自评中单独考核。",
    OUTPUT_NOT_INPUT,
)
def input_as_output(project: Project) -> Iterator[Hit]:
    """资金投入、资金到位、预算执行等是投入或过程，不是项目的产出或效益。"""
    for indicator in project.indicators:
        if indicator.category1 == framework.COST or indicator.category2 == framework.COST:
            continue
        if _INPUT.search(name_key(indicator.name)):
            yield indicator_hit(indicator, f"{q(indicator.name)}衡量的是投入，不是产出或效益")


RULES = (name_missing, duplicate, lifespan_place, satisfaction_place, count_place, input_as_output)
