"""Rules on the 三级指标 themselves: names, duplicates, and where they are filed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.findings import Severity
from jixiao.core.model import Indicator, Project
from jixiao.core.targets import Kind, parse_target
from jixiao.rules.basis import (
    COMPLETE,
    FRAMEWORK,
    OUTPUT,
    OUTPUT_NOT_INPUT,
    SATISFY,
    SUSTAIN,
    VALUE,
)
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
    """有指标值而没有名称的指标无法理解，也无法监控和自评；名称只写了类别（“成本”
    “社会效益”）的，也等于没有名称。"""
    for indicator in project.indicators:
        if not indicator.name.strip():
            yield indicator_hit(
                indicator,
                f"“{indicator.level2 or indicator.level1}”下有一个指标没有名称（指标值“{indicator.target.text}”）",
            )
        elif framework.canonical(indicator.name) not in (
            None,
            framework.SATISFACTION,
            framework.SERVED_SATISFACTION,  # "服务对象满意度" is a name in its own right
        ):
            yield indicator_hit(
                indicator,
                f"指标名称只写了类别{q(indicator.name)}，没有说明衡量什么",
            )


@rule(
    "IND-DUPLICATE",
    Severity.WARNING,
    "同一项目内指标重复",
    "删除重复的指标，或改写名称使两个指标衡量不同的内容。",
    FRAMEWORK,
)
def duplicate(project: Project) -> Iterator[Hit]:
    """同一项目中名称相同的三级指标会重复计分，监控时也无法区分。一个项目分几个对象列指标
    （“吴冲路：建设里程…… 路面宽度……”“枫树路：建设里程…… 路面宽度……”）时，每个对象
    各有一组同名指标，不算重复。"""
    seen: dict[str, Indicator] = {}
    for indicator in project.indicators:
        key = name_key(indicator.name)
        if not key:
            continue
        if _NEW_OBJECT.match(key):
            seen = {}  # the indicators of the next object begin
        first = seen.get(key)
        if first is None:
            seen[key] = indicator
            continue
        yield indicator_hit(
            indicator,
            f"指标{q(indicator.name)}与第 {first.source.line or '?'} 行的指标重复",
        )


# "吴冲路:路面硬化,建设里程": the object the following indicators are about.
_NEW_OBJECT = re.compile(r"^[^:：,，;；]{2,15}[:：]")


# A lifespan: how long the output lasts.  A service or spending window (服务周期,
# 资金使用周期, 实施周期) is not one.
_LIFESPAN = re.compile(r"(年限|寿命)$|使用年限|使用寿命")


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
    r"|(资金|经费|预算|配套).{0,6}(到位|下达|拨付)(率|情况)?$|(预算|资金)(执行率|支出率)$"
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


# A goal or an action, not a measure: 促进…发展, 保障群众生命财产安全, 改善人居环境.  A
# name that ends in a measure (…率, …人数, …面积) is a measure whatever its first word.
_GOAL_VERB = re.compile(
    r"^(促进|推动|推进|保障|确保|改善|提升|提高|加快|助力|带动|增强|加强|巩固|维护|营造|实现|"
    r"打造|优化|完善|防范|减少|降低)"
)
_DATE_LIKE = re.compile(r"\d")
_YEAR = re.compile(r"\d{4}年度?")
_NUMBERED = re.compile(r"^指标\d+[.、:：]?")
# A result as the name: "农村人居环境明显改善", "群众生活水平得到提高".
_RESULT_END = re.compile(r"(得到|明显|显著|有效|进一步|大幅)(提高|提升|改善|增强|巩固|加强)$")
_MEASURE_END = re.compile(
    r"(率|比例|比重|占比|数|量|度|次|人|户|个|天|日|时间|时长|期限|面积|金额|成本|费用|指数|"
    r"等级|里程|长度|产值)$"
)


@rule(
    "IND-NAME-IS-GOAL",
    Severity.WARNING,
    "指标名称是目标或动作，不是衡量的对象",
    "把名称改为可衡量的对象，如“促进就业”→“带动就业人数”，“保障群众生命财产安全”→“安全事故发生起数”。",
    VALUE,
)
def name_is_goal(project: Project) -> Iterator[Hit]:
    """“促进社会和谐”“保障群众生命财产安全”“改善人居环境”是目标，不是指标：配上“100%”
    也说不清衡量的是什么。日期（“2021年度”“12月底之前完成”）也不是指标名称。"""
    for indicator in project.indicators:
        key = name_key(indicator.name)
        if not key:
            continue
        if _DATE_LIKE.search(key) and (parse_target(key).kind is Kind.TIME or _YEAR.fullmatch(key)):
            yield indicator_hit(
                indicator, f"指标名称{q(indicator.name)}是一个日期或期限，没有说明衡量什么"
            )
            continue
        if indicator.target.kind is Kind.QUANTITATIVE and not indicator.target.is_percent:
            continue  # "减少…起数 ≤3起": a count names its measure
        if (_GOAL_VERB.match(key) and not _MEASURE_END.search(key)) or _RESULT_END.search(key):
            yield indicator_hit(
                indicator, f"指标名称{q(indicator.name)}是一句目标或动作，不是可衡量的指标"
            )


# A value written in the name: "…合格率达到100%", "新增就业120人".
_VALUE_IN_NAME = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|％|人次|人|个|户|次|家|所|项|座|亩|公里|天)$"
)
_UNIT_IN_NAME = re.compile(
    r"[(（](%|％|人次|公里|平方米|立方米|千米|小时|工作日|[万千百]?[元人个次户亩天项座台套件辆吨家所册本场期批])[)）]$"
)
_SAME_UNIT = {"％": "%", "个数": "个", "千米": "公里", "km": "公里", "㎡": "平方米", "m2": "平方米"}


def _unit_key(unit: str) -> str:
    """A unit compared without its scale: "万人" and "人", "万亩" and "亩" agree."""
    unit = _SAME_UNIT.get(unit, unit)
    if len(unit) > 1 and unit[0] in "万千百亿" and unit != "千米":
        unit = _SAME_UNIT.get(unit[1:], unit[1:])
    return unit


@rule(
    "IND-NAME-VALUE-MISMATCH",
    Severity.WARNING,
    "指标名称与指标值不一致",
    "名称只写衡量的对象，数值和单位写在指标值里，并保持一致。",
    VALUE,
)
def name_value_mismatch(project: Project) -> Iterator[Hit]:
    """名称里写了“达到100%”而指标值是“≥95%”，名称写“(人)”而指标值的单位是“个”：年终按哪个
    考核说不清。"""
    for indicator in project.indicators:
        target = indicator.target
        if target.kind is not Kind.QUANTITATIVE or target.value is None or target.relative:
            continue
        key = _NUMBERED.sub("", name_key(indicator.name))  # "指标1…": a number, no value
        unit = _unit_key(target.unit)
        found = _VALUE_IN_NAME.search(key)
        if found:
            number, named_unit = Decimal(found.group(1)), _unit_key(found.group(2))
            if number != target.value or (unit and named_unit != unit):
                yield indicator_hit(
                    indicator,
                    f"指标名称{q(indicator.name)}写的是“{found.group(1)}{found.group(2)}”，"
                    f"指标值却是“{target.text.strip()}”",
                )
            continue
        bracket = _UNIT_IN_NAME.search(key)
        if bracket and unit and _unit_key(bracket.group(1)) != unit:
            named = bracket.group(1)
            yield indicator_hit(
                indicator,
                f"指标名称{q(indicator.name)}的单位是“{named}”，指标值“{target.text.strip()}”"
                f"的单位却是“{target.unit}”",
            )


# A money amount per person or per item: "≤500元/人", "300元/人·天", "≤2万元".
_MONEY_UNIT = re.compile(r"^[万千百]?元(/|每|$)")


@rule(
    "IND-COST-PLACE",
    Severity.WARNING,
    "金额标准放在了质量或时效指标下",
    "把以元计的标准（如“≤500元/人”）移到成本指标下；质量指标写达标率、合格率等。",
    OUTPUT,
)
def cost_place(project: Project) -> Iterator[Hit]:
    """“人均补助 ≤500元/人”“单位造价 ≤300元/平方米”衡量的是花多少钱，属于成本指标；放在
    质量、时效指标下，年终会按质量去考核一个金额。"""
    for indicator in project.indicators:
        if indicator.category2 not in (framework.QUALITY, framework.TIMELINESS):
            continue
        target = indicator.target
        if target.kind is Kind.QUANTITATIVE and _MONEY_UNIT.search(target.unit):
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}（{target.text.strip()}）是金额标准，应归入成本指标，"
                f"而不是{indicator.category2}",
            )


RULES = (
    name_missing,
    duplicate,
    lifespan_place,
    satisfaction_place,
    count_place,
    cost_place,
    input_as_output,
    name_is_goal,
    name_value_mismatch,
)
