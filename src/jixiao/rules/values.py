"""Rules on target values (指标值)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.core import framework
from jixiao.core.findings import Severity
from jixiao.core.model import Indicator, Project
from jixiao.core.targets import Kind, Operator
from jixiao.rules.basis import COMPLETE, COST, QUANTIFY, SATISFY, VALUE
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
    "促进",
    "推动",
    "巩固",
    "优化",
    "加快",
)
# A direction word not negated: "不增加群众负担", "无明显负面影响" say there is none.
_VAGUE = re.compile("(?<![不无未没零])(?:" + "|".join(VAGUE_WORDS) + ")")
_STANDARD_WORDS = re.compile(r"标准|规定|要求|验收|合同|规范|批复|预算")


def is_vague(text: str) -> bool:
    """Only a direction ("降低", "有效提高", "群众安全感进一步增强"): a short text, or a
    sentence without a number or a standard, with a direction word not negated."""
    text = text.strip()
    if not _VAGUE.search(text):
        return False
    if len(text) <= 8:
        return True
    return len(text) <= 20 and not _DIGIT.search(text) and not _STANDARD_WORDS.search(text)


# Measurable names: rates, counts, durations.
_MEASURABLE = re.compile(
    r"(率|比例|比率|占比|数量|次数|人数|户数|个数|时间|时长|天数|年限|金额|成本)$"
)
# Names of things where less is better.
_NEGATIVE = re.compile(
    r"(故障|事故|投诉|差错|失误|不合格|返工|违规|超支|损耗|发生|死亡|伤亡|空置)率?$|(故障|事故|投诉|差错|不合格|违规)率"
)
_RATE = re.compile(r"(率|比例|比率|占比|覆盖面)$")


def _is_timeliness(indicator: Indicator) -> bool:
    return indicator.category2 == framework.TIMELINESS


# Under 满意度 but counting something else (安全事件发生数): misplaced, not a satisfaction.
_COUNTED = re.compile(r"(数|次数|起数|件数|发生数|人次)$")


_SATISFIED = re.compile(r"满意(度|率)")
_DIGIT = re.compile(r"\d")


def _is_satisfaction(indicator: Indicator) -> bool:
    if _SATISFIED.search(indicator.name):
        return True
    if "投诉" in indicator.name or indicator.target.unit in ("件", "起", "次", "个"):
        return False  # a count of complaints or incidents under 满意度: misplaced, not a rate
    return indicator.category1 == framework.SATISFACTION and not _COUNTED.search(
        name_key(indicator.name)
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
        if indicator.target.kind is Kind.UNRECOGNIZED and not _PLACEHOLDER.search(
            indicator.target.text
        ):
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
        if target.kind is Kind.QUALITATIVE and is_vague(target.text):
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
        if target.kind is not Kind.QUALITATIVE or is_vague(target.text):
            continue  # vague values are reported by VAL-VAGUE
        if _WORDED_TIME.search(target.text.strip()):
            continue  # "每月1次", "10个工作日内": a measure in words
        if _is_timeliness(indicator) and not _DIGIT.search(target.text):
            continue  # reported by VAL-TIME-NO-DEADLINE
        if _is_economic_cost(indicator):
            continue  # reported by COST-NO-AMOUNT
        if framework.canonical(indicator.name) is not None:
            continue  # a category word as the name: IND-NAME-MISSING
        if _MEASURABLE.search(name_key(indicator.name)):
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}可以量化，但指标值“{target.text.strip()}”是定性的",
            )


# Grades and phrases nobody can judge at year end without a stated standard: a grade,
# a "long-term" or "strong support", a result written as the target, a yes/no where a
# measure is expected, a goal as the value.  A value that names its standard
# (符合国家标准, 通过验收, 按合同约定) is judgeable and is not reported.
_UNJUDGEABLE = re.compile(
    r"(?:优|优良|优秀|良|良好|较好|好|很好|较高|高|长期|长远|持久|有力保障|有效保障|正面支撑|"
    r"积极|积极影响|是|否|有|无|已完成|完成|全部完成|基本完成|已实施|及时|按时|"
    r"健全|基本健全|完善|基本完善|规范|到位)"
    r"(?:以上|等级|水平|完成)?"
)
_GOAL_VALUE = re.compile(r"\S{0,6}(?:增收|致富|脱贫|发展|和谐|稳定)")
_TEXT_MARKS = re.compile(r"[\s。.,，;；、!！]+")


# Rows whose good value is "none": negative effects, incidents, complaints.
_NEGATIVE_EFFECT = re.compile(r"负面|不利|影响|污染|事故|投诉|违规|违纪|纠纷|信访|隐患|损失|风险")


def unjudgeable(text: str, indicator: Indicator | None = None) -> str | None:
    """Why a qualitative value cannot be judged at year end, or None."""
    key = _TEXT_MARKS.sub("", text)
    if (
        key in ("无", "否", "没有", "未发生")
        and indicator is not None
        and (
            indicator.category2 in (framework.SOCIAL_COST, framework.ECOLOGICAL_COST)
            or _NEGATIVE_EFFECT.search(indicator.name)
        )
    ):
        return None  # "对生态环境的影响: 无": none is the judgeable target
    if _UNJUDGEABLE.fullmatch(key):
        if key in ("已完成", "完成", "全部完成", "基本完成", "已实施"):
            return "写的是结果而不是目标"
        if key in ("是", "否", "有", "无"):
            return "只有“是/否”，没有可衡量的标准"
        return "没有说明评判的标准"
    if len(key) <= 8 and _GOAL_VALUE.fullmatch(key):
        return "写的是目标而不是指标值"
    return None


@rule(
    "VAL-QUAL-NO-CRITERION",
    Severity.WARNING,
    "定性指标值无法评判",
    "写明评判标准（如“优秀：……；良好：……”），或改为定量指标（如“≥95%”“≤10个工作日”）。",
    QUANTIFY,
)
def qualitative_without_criterion(project: Project) -> Iterator[Hit]:
    """“优良”“良好”“较好”“长期”“有力保障”这样的等级和说法，“已完成”这样写成结果的目标，
    需要衡量的地方写“是/否”，把目标（“农民增收”）当作指标值——年终都无法据以打分。
    写明了标准的定性值（“符合国家标准”“通过验收”）不报告；表中的指标解释或备注
    写了评判标准时也不报告。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUALITATIVE or indicator.note.strip():
            continue
        if is_vague(target.text):
            continue  # reported by VAL-VAGUE, which is stronger
        if _MEASURABLE.search(name_key(indicator.name)) or _is_timeliness(indicator):
            continue  # reported by VAL-QUAL-FOR-MEASURABLE or VAL-TIME-NO-DEADLINE
        why = unjudgeable(target.text, indicator)
        if why:
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}的指标值“{target.text.strip()}”{why}，年终无法评判是否完成",
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
        if target.value == 0 and not target.unit:
            continue  # "0": a zero rate needs no unit
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


# An inequality, in signs or words ("=" and "＝" give no direction: "＝90%" is the same
# defect as "90%").
_SIGN_WORDS = re.compile(
    r"[≥≤><≧≦]|以上|以下|不低于|不少于|不高于|不超过|至少|达到|大于|小于|高于|低于|以内"
)


@rule(
    "VAL-SATISFACTION-NO-SIGN",
    Severity.WARNING,
    "满意度指标值没有比较符号",
    "满意度目标是下限，写成“≥85%”。",
    SATISFY,
)
def satisfaction_no_sign(project: Project) -> Iterator[Hit]:
    """满意度是调查得到的比例，目标是“不低于”某个数：只写“85%”时，实际 90% 算不算完成
    说不清。"""
    for indicator in project.indicators:
        target = indicator.target
        if not _is_satisfaction(indicator) or target.kind is not Kind.QUANTITATIVE:
            continue
        if (
            target.is_percent
            and target.operator is Operator.EQ
            and target.value != HUNDRED  # "100%": nothing lies above it
            and not _SIGN_WORDS.search(target.text)
            and "正向" not in indicator.stated_direction  # a direction column says ≥
        ):
            yield indicator_hit(
                indicator,
                f"满意度指标{q(indicator.name)}的指标值“{target.text.strip()}”没有比较符号"
                f"（满意度目标是下限）",
                fix=f"改为“≥{target.text.strip()}”。",
            )


# A deadline, a duration or a frequency in words: "年底前完成", "收到资金后10个工作日内",
# "每月10日前", "每季度1次".
_WORDED_TIME = re.compile(
    r"^(年底|年末|年内|当年|本年度?)(前|内|之前)?|\d+\s*个?(工作日|日|天|小时|周|个?月)|"
    r"(每|按)(月|季度?|年|周|半年)"
)


@rule(
    "VAL-TIME-NO-DEADLINE",
    Severity.WARNING,
    "时效指标没有期限",
    "写明完成的期限或时长，如“2023年6月底前”“≤10个工作日”“按期完成率100%”。",
    QUANTIFY,
)
def time_no_deadline(project: Project) -> Iterator[Hit]:
    """时效指标衡量是否按期完成：“及时”“按时”“在计划时间内完成”没有期限，只有数字没有
    单位（“180”）也说不清是天还是小时。"""
    for indicator in project.indicators:
        if not _is_timeliness(indicator):
            continue
        target = indicator.target
        if target.kind is Kind.QUALITATIVE and not _DIGIT.search(target.text):
            if is_vague(target.text) or _WORDED_TIME.search(target.text.strip()):
                continue  # reported by VAL-VAGUE, or a deadline in words
            yield indicator_hit(
                indicator,
                f"时效指标{q(indicator.name)}的指标值“{target.text.strip()}”没有写明期限或时长",
            )
        elif (
            target.kind is Kind.QUANTITATIVE
            and not target.unit
            and not target.relative
            and not _RATE.search(name_key(indicator.name))  # a rate: VAL-RATE-UNIT
        ):
            yield indicator_hit(
                indicator,
                f"时效指标{q(indicator.name)}的指标值“{target.text.strip()}”只有数字，"
                "没有单位（天、小时、月或%）",
            )


# A unit in the name: "保障在职职工人数(人)", "覆盖面积（亩）".
_UNIT_IN_NAME = re.compile(r"[(（]([^()（）]{1,6})[)）]$")
# Names whose number has no unit by nature: indices, scores, grades, ratios written as x.
_UNITLESS = re.compile(
    r"(指数|系数|评分|分数|得分|分值|等级|星级|级别|倍数|比值|比|密度|"
    r"人数|户数|次数|人次|天数|个数|期数|场次|村数|家数|台数|套数|件数|项数|所数|校数)$"
)


@rule(
    "VAL-NO-UNIT",
    Severity.WARNING,
    "指标值只有数字，没有单位",
    "写上计量单位，如“≥8期”“≥120人”；单位写在名称里的（“培训人数(人)”）不必重复。",
    VALUE,
)
def no_unit(project: Project) -> Iterator[Hit]:
    """“培训班次 8”“180”：没有单位，8 是期、次还是天，年终核对时会有分歧。比率另见
    VAL-RATE-UNIT，时效指标另见 VAL-TIME-NO-DEADLINE。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUANTITATIVE or target.unit or target.relative:
            continue
        key = name_key(indicator.name)
        if (
            _is_timeliness(indicator)
            or _is_economic_cost(indicator)  # COST-NO-AMOUNT says it
            or _RATE.search(key)
            or _is_satisfaction(indicator)
            or _UNIT_IN_NAME.search(key)
            or _UNITLESS.search(key)
        ):
            continue
        yield indicator_hit(
            indicator,
            f"指标{q(indicator.name)}的指标值“{target.text.strip()}”只有数字，没有计量单位",
        )


# A template's placeholders: "(≥**%)", "XX", "××", "＊＊".
_PLACEHOLDER = re.compile(r"\*\*|＊＊|[Xx×]{2,}|[Xx×](?=%|％|个|人|次|元|万元|天)|…{2,}|\.{4,}")


@rule(
    "VAL-PLACEHOLDER",
    Severity.ERROR,
    "模板的占位符没有填写",
    "把“**”“XX”之类的占位符换成实际的数值或名称。",
    COMPLETE,
)
def placeholder(project: Project) -> Iterator[Hit]:
    """表格模板里的“(≥**%)”“XX”是要填写的位置，留在名称或指标值里说明没有填完。"""
    for indicator in project.indicators:
        for part, text in (("名称", indicator.name), ("指标值", indicator.target.text)):
            found = _PLACEHOLDER.search(text)
            if found:
                yield indicator_hit(
                    indicator,
                    f"指标{q(indicator.name)}的{part}里有模板的占位符“{found.group()}”，没有填写",
                )
                break


_MONEY_NAME = re.compile(r"资金|金额|成本|费|补助|补贴|投资|收入|产值|价|奖励|奖补")
_MONEY_WITHOUT_YUAN = re.compile(r"^(万|亿|千|百万|千万)(/|每|$)")


@rule(
    "VAL-MONEY-UNIT",
    Severity.WARNING,
    "金额没有写“元”",
    "金额写全单位，如“≤8万元”“≤300万元/年”。",
    VALUE,
)
def money_unit(project: Project) -> Iterator[Hit]:
    """“8万”“≤300万/年”：是万元还是万人、万次，只能猜；金额应写明“元”或“万元”。"""
    for indicator in project.indicators:
        target = indicator.target
        money = _is_economic_cost(indicator) or _MONEY_NAME.search(indicator.name)
        if money and target.kind is Kind.QUANTITATIVE and _MONEY_WITHOUT_YUAN.search(target.unit):
            yield indicator_hit(
                indicator,
                f"指标{q(indicator.name)}的指标值“{target.text.strip()}”的单位“{target.unit}”"
                "没有写“元”",
            )


_AMOUNT_IN_TEXT = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿|千)?元")


def _is_economic_cost(indicator: Indicator) -> bool:
    level2 = indicator.category2
    if level2 in (framework.ECONOMIC_COST, framework.COST):
        return True
    return indicator.category1 == framework.COST and level2 is None


@rule(
    "COST-NO-AMOUNT",
    Severity.WARNING,
    "成本指标没有金额",
    "成本指标写成金额，如“单位培训成本≤500元/人·天”“项目总成本≤85万元”，取值不超过支出标准。",
    COST,
)
def cost_no_amount(project: Project) -> Iterator[Hit]:
    """（经济）成本指标衡量花多少钱：“成本控制率100%”“在预算范围内”没有金额，无法与支出
    标准比较。社会成本、生态环境成本可以是定性的，不报告。"""
    for indicator in project.indicators:
        if not _is_economic_cost(indicator):
            continue
        target = indicator.target
        if target.kind in (Kind.MISSING, Kind.UNRECOGNIZED):
            continue
        if (target.kind is Kind.QUANTITATIVE and "元" in target.unit) or _AMOUNT_IN_TEXT.search(
            target.text
        ):
            continue  # "≤500元/人", "每人每月300元", "人均不超过200元"
        if target.kind is Kind.QUANTITATIVE and _MONEY_WITHOUT_YUAN.search(target.unit):
            continue  # reported by VAL-MONEY-UNIT
        yield indicator_hit(
            indicator,
            f"成本指标{q(indicator.name)}的指标值“{target.text.strip()}”不是金额",
        )


@rule(
    "COST-ZERO",
    Severity.WARNING,
    "成本为零",
    "写出实际需要的成本上限；确实不花钱的事项不必设成本指标。",
    COST,
)
def cost_zero(project: Project) -> Iterator[Hit]:
    """成本“≤0元”“0万元”：花钱的项目成本不会是零，多半是没有认真填写。"""
    for indicator in project.indicators:
        target = indicator.target
        if (
            _is_economic_cost(indicator)
            and target.kind is Kind.QUANTITATIVE
            and "元" in target.unit
            and not re.search(r"超支|超预算|超出|超标", indicator.name)
            and target.value == 0
            and target.operator in (Operator.LE, Operator.LT, Operator.EQ)
            and not target.relative
        ):
            yield indicator_hit(
                indicator, f"成本指标{q(indicator.name)}的指标值“{target.text.strip()}”为零"
            )


RULES = (
    missing,
    unrecognized,
    placeholder,
    vague,
    qualitative_for_measurable,
    qualitative_without_criterion,
    satisfaction_percent,
    rate_over_hundred,
    rate_unit,
    direction,
    satisfaction_no_sign,
    time_no_deadline,
    no_unit,
    money_unit,
    cost_no_amount,
    cost_zero,
)
