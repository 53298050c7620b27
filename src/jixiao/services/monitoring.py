"""Monitoring service: the lights of the monitoring reports read, as text or JSON data, and
the bureau's summary of a round (projects × lights, execution against time)."""

from __future__ import annotations

from typing import Any

from jixiao.core.model import Project
from jixiao.core.monitoring import DEFAULT, Light, Report, Signal, Thresholds, report, time_progress
from jixiao.core.scoring import money

LIGHT_MARKS = {
    Light.RED: "●红",
    Light.YELLOW: "●黄",
    Light.GREEN: "●绿",
    Light.BLUE: "●蓝",
    Light.NONE: "○—",
}


def reports(
    projects: list[Project], month: int | None = None, thresholds: Thresholds = DEFAULT
) -> list[Report]:
    """The report of each project that has a monitoring report and a month."""
    found = (report(p, month, thresholds) for p in projects)
    return [r for r in found if r is not None]


def reported(
    projects: list[Project], month: int | None = None, thresholds: Thresholds = DEFAULT
) -> tuple[list[Report], list[Project]]:
    """The reports and, in the same order, the projects they belong to."""
    pairs = [(report(p, month, thresholds), p) for p in projects]
    kept = [(r, p) for r, p in pairs if r is not None]
    return [r for r, _ in kept], [p for _, p in kept]


def _signal_json(signal: Signal) -> dict[str, Any]:
    return {
        "indicator": signal.indicator.name if signal.indicator is not None else None,
        "light": signal.light.value,
        "label": signal.light.label,
        "reason": signal.reason,
        "progress": None if signal.ratio is None else money(signal.ratio * 100) + "%",
    }


def report_json(item: Report) -> dict[str, Any]:
    return {
        "project": item.project,
        "month": item.month,
        "time_progress": money(time_progress(item.month) * 100) + "%",
        "light": item.light.value,
        "execution": _signal_json(item.execution),
        "indicators": [_signal_json(s) for s in item.indicators],
        "counts": {light.value: item.count(light) for light in Light},
    }


def reports_json(items: list[Report]) -> dict[str, Any]:
    return {"format": "jixiao-monitor/1", "projects": [report_json(r) for r in items]}


def report_text(item: Report) -> str:
    lines = [
        f"项目：{item.project}（1–{item.month}月，时间进度 {money(time_progress(item.month) * 100)}%）"
        f" 项目：{LIGHT_MARKS[item.light]}",
        f"  预算执行 {LIGHT_MARKS[item.execution.light]}  {item.execution.reason}",
    ]
    for signal in item.indicators:
        name = signal.indicator.name if signal.indicator is not None else ""
        name = name if len(name) <= 18 else name[:17] + "…"
        lines.append(f"  {LIGHT_MARKS[signal.light]}  {name}：{signal.reason}")
    counts = "，".join(f"{light.label} {item.count(light)}" for light in Light if item.count(light))
    lines.append(f"  合计：{counts}")
    return "\n".join(lines) + "\n"


SUMMARY_HEADINGS = (
    "序号",
    "项目名称",
    "单位",
    "截至",
    "预算执行率",
    "时间进度",
    "预算执行",
    "红灯",
    "黄灯",
    "绿灯",
    "蓝灯",
    "无法判断",
    "项目",
)


def summary_rows(items: list[Report], projects: list[Project]) -> list[list[object]]:
    """One row per report; ``projects`` are the reports' projects, in the same order (names
    are unique only within a unit and year: never matched by name)."""
    rows: list[list[object]] = []
    for number, (item, project) in enumerate(zip(items, projects, strict=True), start=1):
        rate = project.monitoring.total.rate if project.monitoring else None
        rows.append(
            [
                number,
                item.project,
                project.implementing_unit or project.department,
                f"{item.month}月",
                "" if rate is None else f"{money(rate * 100)}%",
                f"{money(time_progress(item.month) * 100)}%",
                item.execution.light.label,
                item.count(Light.RED),
                item.count(Light.YELLOW),
                item.count(Light.GREEN),
                item.count(Light.BLUE),
                item.count(Light.NONE),
                item.light.label,
            ]
        )
    return rows


def write_summary(items: list[Report], projects: list[Project], to: str) -> bytes:
    """The summary of a monitoring round as an XLSX workbook or an HTML page."""
    from jixiao.formats import html, xlsx

    notes = [
        "预警灯按 jixiao 的监控规则计算（docs/monitoring.md）；预算执行率 = 1–N月执行数 ÷ 年初预算数"
    ]
    writer = xlsx.write_table if to == "xlsx" else html.write_table
    return writer(
        "项目支出绩效运行监控汇总表", notes, SUMMARY_HEADINGS, summary_rows(items, projects)
    )
