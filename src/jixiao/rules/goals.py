"""Rules on the goals (实施期目标, 年度目标)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.rules.basis import COMPLETE, GOALS
from jixiao.rules.registry import Hit, asks, rule

MIN_GOAL_CHARS = 10


@rule(
    "GOAL-ANNUAL-MISSING",
    Severity.ERROR,
    "年度目标缺失",
    "用一两句话写明本年度要完成的产出和达到的效果。",
    COMPLETE,
)
def annual_missing(project: Project) -> Iterator[Hit]:
    """年度目标是年度指标的概括，也是年终自评对照的“预期目标”。表式没有这一栏、或目标栏里
    直接写了各项指标时不报告。"""
    if project.goals.annual.strip() or not asks(project, "goals.annual"):
        return
    label = project.source_of("goals.annual")
    if label.line is not None and any(i.source.line == label.line for i in project.indicators):
        return  # the goal cell holds the indicator statements themselves (a prose goal)
    yield Hit(f"项目“{project.name}”没有填写年度目标", label)


@rule(
    "GOAL-PERIOD-MISSING",
    Severity.WARNING,
    "实施期目标缺失",
    "写明整个实施期要完成的产出和效果；一年期项目可与年度目标相同。",
    COMPLETE,
)
def period_missing(project: Project) -> Iterator[Hit]:
    """实施期目标描述整个实施期的预期产出和效果。"""
    if not project.goals.period.strip() and asks(project, "goals.period"):
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


# Outputs a goal text names that an indicator should count: the words are searched in
# the goal and in every indicator (name, value, note).
OUTPUT_WORDS = (
    "培训",
    "改造",
    "维修",
    "修缮",
    "采购",
    "购置",
    "体检",
    "检测",
    "监测",
    "宣传",
    "救助",
    "补贴",
    "种植",
    "养殖",
    "就业",
    "示范",
    "演练",
    "巡查",
    "造林",
    "绿化",
    "整治",
    "安置",
)


# A document cited in the goal ("依据《关于做好…应急演练工作的通知》") is not a goal.
_CITED = re.compile(r"《[^》]*》|〔[^〕]*〕|[(（][^)）]*[)）]")


# Words an indicator uses for the same output ("参训人数" counts 培训).
SAME_OUTPUT = {
    "培训": ("培训", "参训", "训练", "培养"),
    "改造": ("改造", "改建", "修缮", "维修", "提升"),
    "维修": ("维修", "修缮", "维护", "修复", "改造"),
    "修缮": ("修缮", "维修", "修复", "改造"),
    "采购": ("采购", "购置", "购买", "配备"),
    "购置": ("购置", "采购", "购买", "配备"),
    "体检": ("体检", "健康检查", "检查"),
    "检测": ("检测", "检验", "监测"),
    "监测": ("监测", "检测", "观测"),
    "补贴": ("补贴", "补助", "奖补", "发放"),
    "救助": ("救助", "补助", "帮扶"),
    "巡查": ("巡查", "巡护", "巡逻", "巡检"),
    "宣传": ("宣传", "宣讲", "知晓"),
    "就业": ("就业", "务工", "用工"),
    "造林": ("造林", "植树", "营造林"),
    "绿化": ("绿化", "植树", "种植"),
}


@rule(
    "GOAL-NOT-COVERED",
    Severity.INFO,
    "绩效目标中的产出没有指标衡量",
    "为目标中提到的产出设置指标（如目标写了培训，设“培训人次”“培训合格率”）。",
    GOALS,
)
def not_covered(project: Project) -> Iterator[Hit]:
    """年度目标写了要做的事（培训、改造、就业……），指标里却没有一个衡量它：年终自评时
    这部分目标无从对照。只作提示，并列出没有对应指标的词；目标里引用的文件名不算。"""
    goal = _CITED.sub("", project.goals.annual or project.goals.period)
    if not goal.strip() or not project.indicators:
        return
    measured = "".join(f"{i.name}{i.target.text}{i.note}{i.level2}" for i in project.indicators)
    missing = [word for word in OUTPUT_WORDS if word in goal and word not in measured]
    if missing:
        source = project.source_of("goals.annual" if project.goals.annual else "goals.period")
        yield Hit(f"绩效目标提到“{'、'.join(missing)}”，但没有指标衡量", source)


RULES = (annual_missing, period_missing, too_short, not_covered)
