"""Rules on target values (指标值)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.core import framework
from jixiao.core.findings import Severity
from jixiao.core.model import Indicator, Project
from jixiao.core.targets import Kind, Operator
from jixiao.rules.basis import COMPLETE, QUANTIFY, SATISFY, VALUE
from jixiao.rules.indicators import name_key
from jixiao.rules.registry import Hit, indicator_hit, q, rule

HUNDRED = Decimal(100)

# Qualitative values that state only a direction or an intensity, with no
# baseline and no measure: nobody can tell at year end whether they were met.
VAGUE_WORDS = (
    "降低",
    "下降",
    "减少",
    "提升",
    "提高",
    "增强",
    "增加",
    "改善",
    "加强",
    "明显",
    "显著",
    "有效",
    "逐步",
    "进一步",
    "持续",
)
_VAGUE = re.compile("|".join(VAGUE_WORDS))

# Measurable names: rates, counts, durations.
_MEASURABLE = re.compile(
    r"(率|比例|比率|占比|数量|次数|人数|户数|个数|时间|时长|天数|年限|金额|成本)$"
)
# Names of things where less is better.
_NEGATIVE = re.compile(
    r"(故障|事故|投诉|差错|失误|不合格|返工|违规|超支|损耗|发生|死亡|伤亡|空置)率?$|(故障|事故|投诉|差错|不合格|违规)率"
)
_RATE = re.compile(r"(率|比例|比率|占比|覆盖面)$")


def _is_satisfaction(indicator: Indicator) -> bool:
    return indicator.category1 == framework.SATISFACTION or bool(
        re.search(r"满意(度|率)", indicator.name)
    )


@rule(
    "VAL-MISSING",
    Severity.ERROR,
    "指标值缺失",
    "填写指标值：定量指标写比较符号、数值和单位（如“≥95%”），定性指标写可判断的标准。",
    COMPLETE,
)
def missing(project: Project) -> Iterator[Hit]:
    """没有指标值的指标无法审核，年终也无法判断是否完成。"""
    for indicator in project.indicators:
        if indicator.target.kind is Kind.MISSING and indicator.name.strip():
            yield indicator_hit(indicator, f"指标{q(indicator.name)}没有填写指标值")


@rule(
    "VAL-UNRECOGNIZED",
    Severity.ERROR,
    "指标值无法识别",
    "按“比较符号 + 数值 + 单位”填写，如“≥30次”“≤24小时”“90%-95%”“较上年提高5%”。",
    VALUE,
)
def unrecognized(project: Project) -> Iterator[Hit]:
    """指标值看起来是数值，但符号、数字和单位的写法无法读懂。"""
    for indicator in project.indicators:
        if indicator.target.kind is Kind.UNRECOGNIZED:
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}的指标值“{indicator.target.text}”无法识别：{indicator.target.problem}",
            )


@rule(
    "VAL-VAGUE",
    Severity.WARNING,
    "定性指标值只有方向，没有基准和尺度",
    "写成可衡量的形式，如“较上年下降x%”“≤x起”“≥x%”，或写明判断达成的标准。",
    QUANTIFY,
)
def vague(project: Project) -> Iterator[Hit]:
    """“降低”“提升”“有效提高”之类只说了方向：降低多少、与什么比，年终都无法判断是否达成。"""
    for indicator in project.indicators:
        target = indicator.target
        if (
            target.kind is Kind.QUALITATIVE
            and _VAGUE.search(target.text)
            and len(target.text.strip()) <= 8
        ):
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}的指标值“{target.text.strip()}”只说明了方向，没有基准和幅度，无法衡量是否完成",
                fix=_vague_fix(indicator),
            )


def _vague_fix(indicator: Indicator) -> str:
    text = indicator.target.text
    if any(word in text for word in ("降低", "下降", "减少")):
        return f"改为可衡量的形式，如“较上年下降x%”或“≤x%”（{q(indicator.name)}）。"
    return f"改为可衡量的形式，如“较上年提高x%”或“≥x%”，或写明评判“{text.strip()}”的标准。"


@rule(
    "VAL-QUAL-FOR-MEASURABLE",
    Severity.WARNING,
    "可量化的指标用了定性值",
    "率、数量、次数、时间等指标应写定量值，如“≥95%”“≥30次”“≤24小时”。",
    QUANTIFY,
)
def qualitative_for_measurable(project: Project) -> Iterator[Hit]:
    """名称是“……率”“……数量”“……时间”的指标本身就是数值，却写了“良好”“及时”之类的定性值。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUALITATIVE or _VAGUE.search(target.text):
            continue  # vague values are reported by VAL-VAGUE
        if _MEASURABLE.search(name_key(indicator.name)):
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}可以量化，但指标值“{target.text.strip()}”是定性的",
            )


@rule(
    "VAL-QUAL-NO-CRITERION",
    Severity.INFO,
    "定性指标没有说明评判标准",
    "在备注或指标解释中写明如何判断（如“优秀：……；良好：……”），或改为定量指标。",
    QUANTIFY,
)
def qualitative_without_criterion(project: Project) -> Iterator[Hit]:
    """“良好”“优秀”“及时”这样的等级只有在写明评判标准时才能在年终打分；表中没有备注或指标解释说明如何评判。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUALITATIVE or indicator.note.strip():
            continue
        if _VAGUE.search(target.text) and len(target.text.strip()) <= 8:
            continue  # reported by VAL-VAGUE, which is stronger
        if _MEASURABLE.search(name_key(indicator.name)):
            continue  # reported by VAL-QUAL-FOR-MEASURABLE
        yield indicator_hit(
            indicator,
            f"定性指标{q(indicator.name)}的指标值“{target.text.strip()}”没有说明评判标准",
        )


@rule(
    "VAL-SATISFACTION-PERCENT",
    Severity.WARNING,
    "满意度指标值不是百分比",
    "满意度以调查的满意率表示，如“≥90%”。",
    SATISFY,
)
def satisfaction_percent(project: Project) -> Iterator[Hit]:
    """满意度通过问卷调查取得，以满意的比例（百分比）衡量。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind in (Kind.MISSING, Kind.UNRECOGNIZED) or not _is_satisfaction(indicator):
            continue
        if not (target.kind is Kind.QUANTITATIVE and target.is_percent):
            yield indicator_hit(
                indicator,
                f"满意度指标{q(indicator.name)}的指标值“{target.text.strip()}”不是百分比",
            )


@rule(
    "VAL-RATE-OVER-100",
    Severity.ERROR,
    "比率超过100%",
    "比率的取值在0到100%之间；核对数值或比较符号。",
    VALUE,
)
def rate_over_hundred(project: Project) -> Iterator[Hit]:
    """率、比例、满意度不可能超过100%，“>100%”也不可能达到。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUANTITATIVE or not target.is_percent or target.relative:
            continue
        if not (_RATE.search(name_key(indicator.name)) or _is_satisfaction(indicator)):
            continue
        top = target.upper if target.operator is Operator.RANGE else target.value
        assert top is not None
        if top > HUNDRED or (target.operator is Operator.GT and top >= HUNDRED):
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}是比率，指标值“{target.text.strip()}”超过了100%",
            )


@rule(
    "VAL-RATE-UNIT",
    Severity.WARNING,
    "比率指标的单位不是百分比",
    "“……率”的指标值写成百分比，如“≥95%”；若衡量的是数量，请改指标名称。",
    VALUE,
)
def rate_unit(project: Project) -> Iterator[Hit]:
    """名称是“……率”“……比例”的指标，指标值应为百分比；写成次、个等单位说明名称或数值有误。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUANTITATIVE or target.is_percent:
            continue
        if _RATE.search(name_key(indicator.name)):
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}是比率，但指标值“{target.text.strip()}”的单位是“{target.unit or '无'}”",
            )


@rule(
    "VAL-DIRECTION",
    Severity.WARNING,
    "指标值方向与指标含义相反",
    "故障率、事故率、投诉率等越低越好的指标用“≤”，如“≤5%”。",
    VALUE,
)
def direction(project: Project) -> Iterator[Hit]:
    """故障、事故、投诉、差错等越少越好；用“≥”“>”表示等于要求它至少达到某个数。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUANTITATIVE or target.relative:
            continue
        if target.operator not in (Operator.GE, Operator.GT):
            continue
        key = name_key(indicator.name)
        if _NEGATIVE.search(key) and not re.search(
            r"(处理|处置|整改|办结|查处|降低|下降|减少)", key
        ):
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}越低越好，指标值“{target.text.strip()}”却要求不低于该数值",
            )


RULES = (
    missing,
    unrecognized,
    vague,
    qualitative_for_measurable,
    qualitative_without_criterion,
    satisfaction_percent,
    rate_over_hundred,
    rate_unit,
    direction,
)
