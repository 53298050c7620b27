"""Rules on an in-year monitoring report (监控表): the warning lights of ``core.monitoring``
(thresholds as data, ``core.monitoring.Thresholds``) and what a reviewer asks of a unit
whose project is off track.  They apply only to a project that carries a monitoring report.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.core.monitoring import Light, Report, report
from jixiao.core.targets import Kind, Operator
from jixiao.rules.basis import MONITORING
from jixiao.rules.registry import Hit, indicator_hit, q, rule


def _report(project: Project) -> Report | None:
    return report(project)


def _lights(project: Project, light: Light) -> Iterator[Hit]:
    lights = _report(project)
    if lights is None:
        return
    for signal in lights.indicators:
        if signal.light is light and signal.indicator is not None:
            yield indicator_hit(signal.indicator, f"{q(signal.indicator.name)}{signal.reason}")


@rule(
    "MON-RED",
    Severity.WARNING,
    "指标红灯：严重偏离绩效目标",
    "分析偏差原因，制定整改措施；确实无法完成的，按程序申请调整目标。",
    MONITORING,
)
def red(project: Project) -> Iterator[Hit]:
    """数量、效益指标的完成进度低于时间进度的 60%；质量、时效、成本、满意度指标和“≤”上限类指标
    未达到指标值；无法比较时完成目标可能性为“完全不可能”。阈值见 docs/monitoring.md。"""
    yield from _lights(project, Light.RED)


@rule(
    "MON-YELLOW",
    Severity.INFO,
    "指标黄灯：进度偏慢",
    "关注进度，说明原因。",
    MONITORING,
)
def yellow(project: Project) -> Iterator[Hit]:
    """完成进度为时间进度的 60%–80%，或完成目标可能性为“有可能”。"""
    yield from _lights(project, Light.YELLOW)


@rule(
    "MON-BLUE",
    Severity.INFO,
    "指标蓝灯：进度远超时间进度，目标可能定得过低",
    "核实完成值；目标明显偏低的，下一年度设定目标时提高。",
    MONITORING,
)
def blue(project: Project) -> Iterator[Hit]:
    """数量、效益指标的完成进度达到时间进度的 120% 以上。"""
    yield from _lights(project, Light.BLUE)


@rule(
    "MON-NO-PROGRESS",
    Severity.WARNING,
    "没有填写执行情况",
    "填写该指标 1–N月的执行情况，或至少判断完成目标可能性。",
    MONITORING,
)
def no_progress(project: Project) -> Iterator[Hit]:
    """既没有 1–N月执行情况，也没有完成目标可能性，无法判断。"""
    yield from _lights(project, Light.NONE)


@rule(
    "MON-EXECUTION-BEHIND",
    Severity.WARNING,
    "预算执行进度低于底线",
    "分析资金执行慢的原因（采购、合同、拨付），加快执行；确实用不完的及时调整预算。",
    MONITORING,
)
def execution_behind(project: Project) -> Iterator[Hit]:
    """截至 4、6、8、10 月末预算执行率应分别达到 25%、40%、60%、80%（阈值可调）。"""
    lights = _report(project)
    if lights is not None and lights.execution.light is Light.RED:
        yield Hit(lights.execution.reason, project.source_of("monitoring.total"))


@rule(
    "MON-EXECUTION-SLOW",
    Severity.INFO,
    "预算执行慢于时间进度",
    "关注资金执行进度。",
    MONITORING,
)
def execution_slow(project: Project) -> Iterator[Hit]:
    """预算执行率低于时间进度（N/12）的 90%，但不低于底线。"""
    lights = _report(project)
    if lights is not None and lights.execution.light is Light.YELLOW:
        yield Hit(lights.execution.reason, project.source_of("monitoring.total"))


@rule(
    "MON-IMPOSSIBLE-NO-REASON",
    Severity.ERROR,
    "“完全不可能”完成却没有说明原因",
    "选择偏差原因类别（经费、制度、人员、硬件条件、其他）并写明原因和整改措施。",
    MONITORING,
)
def impossible_without_reason(project: Project) -> Iterator[Hit]:
    """完成目标可能性为“完全不可能”的指标，必须说明偏差原因。"""
    if project.monitoring is None:
        return
    overall = project.monitoring.reason.strip()
    for indicator in project.indicators:
        progress = indicator.progress
        if progress is None or progress.likelihood != "完全不可能":
            continue
        if progress.reasons or progress.reason.strip() or overall:
            continue
        yield indicator_hit(
            indicator, f"{q(indicator.name)}完成目标可能性为“完全不可能”，没有说明偏差原因"
        )


@rule(
    "MON-PREDICTED-SHORT",
    Severity.WARNING,
    "预计全年完不成目标，没有整改措施",
    "写明整改措施；确实无法完成的，按程序申请调整目标。",
    MONITORING,
)
def predicted_short(project: Project) -> Iterator[Hit]:
    """全年预计完成值低于年度指标值（“≤”类高于上限）而没有填写整改措施。"""
    if project.monitoring is None:
        return
    overall = project.monitoring.measures.strip()
    for indicator in project.indicators:
        progress = indicator.progress
        if progress is None or progress.predicted is None or progress.measures.strip() or overall:
            continue
        target, predicted = indicator.target, progress.predicted
        if (
            target.kind is not Kind.QUANTITATIVE
            or predicted.kind is not Kind.QUANTITATIVE
            or target.value is None
            or predicted.value is None
            or (predicted.unit and target.unit and predicted.unit != target.unit)
        ):
            continue
        lower = target.operator in (Operator.LE, Operator.LT)
        short = predicted.value > target.value if lower else predicted.value < target.value
        if short:
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}全年预计完成 {predicted.text}，达不到指标值 "
                f"{target.text}，没有整改措施",
            )


@rule(
    "MON-NO-MONTH",
    Severity.INFO,
    "不知道监控截至几月",
    "写明监控期间（如“1-7月执行数”），或用 jixiao monitor --month N 指定。",
    MONITORING,
)
def no_month(project: Project) -> Iterator[Hit]:
    """表头没有写明 1–N月，无法计算时间进度和预警灯。"""
    if project.monitoring is not None and project.monitoring.month is None:
        yield Hit("监控表没有写明截至几月，没有计算预警灯", project.source)


RULES = (
    red,
    yellow,
    blue,
    no_progress,
    execution_behind,
    execution_slow,
    impossible_without_reason,
    predicted_short,
    no_month,
)
