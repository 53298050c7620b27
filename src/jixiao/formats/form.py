"""The official layout as data: a layout (JSON, a cell map) + a project → a grid of cells.

Every writer (XLSX, DOCX, PDF, HTML) renders the same ``Form``, so a
province's variant of the table is a new layout file, not new code.  A
layout names header cells by field ("name", "funds.annual.total") and the
indicator grid's columns ("level1", "level2", "name", "target", or the split
"nature" | "value" | "unit" and "note").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jixiao.core.model import FundLine, Project
from jixiao.core.targets import Kind, Operator, Target, format_decimal

TITLE = "本级预算项目绩效目标表"
MONEY_NOTE = "单位：万元"


@dataclass(frozen=True)
class HeaderCell:
    text: str = ""
    field: str = ""
    span: int = 1
    rows: int = 1


@dataclass(frozen=True)
class GridColumn:
    header: str
    field: str
    span: int = 1
    group: str = ""  # a heading over consecutive columns (偏差原因分析 over 经费保障 | …)


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    description: str
    widths: tuple[int, ...]  # column widths in characters of a CJK font
    header: tuple[tuple[HeaderCell, ...], ...]
    grid: tuple[GridColumn, ...]
    footer: tuple[tuple[HeaderCell, ...], ...] = ()  # rows after the grid (总分, 评价等级)
    form_title: str = ""  # the title printed on the form; the target table's by default

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def heading_rows(self) -> int:
        """The grid's heading: two rows where columns are grouped under a common heading."""
        return 2 if any(column.group for column in self.grid) else 1


@dataclass(frozen=True)
class Cell:
    """One cell of the form; ``kind`` tells writers how to style it."""

    row: int
    col: int
    text: str
    kind: str  # label | value | money | goal | head | category | indicator | target
    rowspan: int = 1
    colspan: int = 1
    number: Decimal | None = None  # money cells keep the exact amount


@dataclass(frozen=True)
class Form:
    """A project laid out: title lines, then the header block, then the indicator grid."""

    layout: Layout
    project: Project
    title: str
    year_line: str
    filing_line: str
    header: tuple[Cell, ...]  # rows 0 .. header_rows-1
    header_rows: int
    grid: tuple[Cell, ...]  # the first ``heading_rows`` rows are the grid's column headings
    grid_rows: int
    heading_rows: int = 1


TARGET_LAYOUTS = ("standard", "split")  # the 绩效目标表 forms
MONITORING_LAYOUTS = ("monitoring", "monitoring-half-year")  # the 监控表 forms
LAYOUT_NAMES = (*TARGET_LAYOUTS, "self-evaluation", "adjusted", *MONITORING_LAYOUTS)
DEFAULT_LAYOUT = "standard"


@cache
def load_layout(name: str) -> Layout:
    """A shipped layout by name (``jixiao/layouts/NAME.json``)."""
    if name not in LAYOUT_NAMES:
        raise KeyError(name)
    text = resources.files("jixiao").joinpath(f"layouts/{name}.json").read_text("utf-8")
    return layout_from_json(json.loads(text))


def layout_has_notes(name: str) -> bool:
    return any(column.field == "note" for column in load_layout(name).grid)


def left_out(projects: list[Project] | tuple[Project, ...], name: str) -> list[str]:
    """What the projects hold that the layout ``name`` has no place for, in words with a
    count ("12 个指标的分值"): read from a 自评表 or a richer form, kept in JSON only."""
    indicators = [i for p in projects for i in p.indicators]
    evaluating = any(column.field == "actual" for column in load_layout(name).grid)
    monitoring = name in MONITORING_LAYOUTS
    counts = [
        (
            "个指标的备注",
            0 if layout_has_notes(name) else sum(1 for i in indicators if i.note),
        ),
        (
            "个指标的分值",
            0 if evaluating else sum(1 for i in indicators if i.weight is not None),
        ),
        ("个指标的实施期指标值", sum(1 for i in indicators if i.period_target is not None)),
        (
            "个指标的实际完成值、得分或偏差原因",
            0
            if evaluating
            else sum(1 for i in indicators if i.actual or i.score is not None or i.deviation),
        ),
        (
            "个项目的自评（预算执行、总分）",
            0 if evaluating else sum(1 for p in projects if p.evaluation),
        ),
        (
            "个项目的资金来源明细",
            sum(1 for p in projects if p.funds.annual.sources or p.funds.period.sources),
        ),
        ("个项目的其他表头项（项目属性、类别等）", sum(1 for p in projects if p.attributes)),
        (
            "个项目的运行监控（1–N月执行情况、预计、完成目标可能性）",
            0 if monitoring else sum(1 for p in projects if p.monitoring),
        ),
        (
            "个项目的目标调整（年初的值）",
            0 if name == "adjusted" else sum(1 for p in projects if p.adjustment),
        ),
    ]
    return [f"{count} {what}" for what, count in counts if count]


def layout_from_json(data: dict[str, Any]) -> Layout:
    header = tuple(tuple(HeaderCell(**cell) for cell in row) for row in data["header"])
    grid = tuple(GridColumn(**column) for column in data["grid"])
    footer = tuple(tuple(HeaderCell(**cell) for cell in row) for row in data.get("footer", ()))
    layout = Layout(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        widths=tuple(data["widths"]),
        header=header,
        grid=grid,
        footer=footer,
        form_title=data.get("form_title", ""),
    )
    if sum(c.span for c in grid) != layout.columns:
        raise ValueError(f"layout {layout.name}: grid spans {sum(c.span for c in grid)} columns")
    return layout


# --- the fields ------------------------------------------------------------------


def _money(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _fund(project: Project, path: str) -> FundLine:
    return project.funds.period if path.startswith("funds.period") else project.funds.annual


def _evaluation_value(project: Project, field: str) -> tuple[str, Decimal | None]:
    """``evaluation.total.executed``, ``evaluation.goal_actual``…: empty for a target table
    (the 自评表 exported from it is to be filled in)."""
    evaluation = project.evaluation
    if evaluation is None:
        return "", None
    parts = field.split(".")[1:]
    value: Any = evaluation
    for part in parts:
        value = getattr(value, part)
    if isinstance(value, Decimal):
        return _money(value), value
    return ("" if value is None else str(value)), None


def _adjustment_value(project: Project, field: str) -> tuple[str, Decimal | None]:
    """``adjustment.funds.total``, ``adjustment.goal``, ``adjustment.reason``: the 年初
    values an approved adjustment kept (the current ones where there was none)."""
    adjustment = project.adjustment
    if field.startswith("adjustment.funds."):
        line = adjustment.funds if adjustment else project.funds.annual
        amount = getattr(line, field.rsplit(".", 1)[1])
        return _money(amount), amount
    if field == "adjustment.goal":
        return (adjustment.goal if adjustment else project.goals.annual), None
    return (adjustment.reason if adjustment else ""), None


def _monitoring_value(project: Project, field: str) -> tuple[str, Decimal | None]:
    """``monitoring.total.executed``, ``monitoring.total.rate`` (a percentage, computed),
    ``monitoring.goal_progress``…: empty for a project with no monitoring report (the form
    exported from an approved table is to be filled in)."""
    monitoring = project.monitoring
    if monitoring is None:
        return "", None
    value: Any = monitoring
    for part in field.split(".")[1:]:
        value = getattr(value, part)
    if field.endswith(("rate", "predicted_rate")):
        return (
            ""
            if value is None
            else f"{format_decimal((value * 100).quantize(Decimal('0.01')).normalize())}%"
        ), None
    if isinstance(value, Decimal):
        return _money(value), value
    return ("" if value is None else str(value)), None


def header_value(project: Project, field: str) -> tuple[str, Decimal | None]:
    if field.startswith("monitoring."):
        return _monitoring_value(project, field)
    if field.startswith("evaluation."):
        return _evaluation_value(project, field)
    if field.startswith("adjustment."):
        return _adjustment_value(project, field)
    if field.startswith("funds."):
        part = field.rsplit(".", 1)[1]
        amount = getattr(_fund(project, field), part)
        return _money(amount), amount
    values = {
        "name": project.name,
        "period": project.period.text,
        "department": project.department,
        "implementing_unit": project.implementing_unit,
        "goals.period": project.goals.period,
        "goals.annual": project.goals.annual,
    }
    return values[field], None


_NATURE = {
    Operator.GE: "≥",
    Operator.GT: ">",
    Operator.LE: "≤",
    Operator.LT: "<",
    Operator.EQ: "＝",
}


def split_target(target: Target) -> tuple[str, str, str]:
    """指标性质 | 指标值 | 度量单位 for the split layout; reads back to an equal target."""
    if target.kind is Kind.MISSING:
        return "", "", ""
    if target.kind is Kind.QUALITATIVE:
        return "定性", target.text.strip(), ""
    if (
        target.kind is not Kind.QUANTITATIVE
        or target.tolerance
        or target.operator is None
        or target.value is None
    ):
        # Unrecognised text, a date (TIME), a tolerance "±5%以内": the value as written,
        # which reads back as the same target.
        return "", target.text.strip(), ""
    each = "各" if target.each else ""
    number = format_decimal(target.value)
    if target.operator is Operator.RANGE:
        assert target.upper is not None
        return "", f"{target.relative}{each}{number}-{format_decimal(target.upper)}", target.unit
    if target.relative:
        sign = "" if target.operator is Operator.GE else target.operator.symbol
        return "", f"{target.relative}{sign}{each}{number}", target.unit
    return _NATURE[target.operator], f"{each}{number}", target.unit


def indicator_value(field: str, level1: str, level2: str, indicator: Any) -> str:
    target: Target = indicator.target
    if field == "level1":
        return level1
    if field == "level2":
        return level2
    if field == "name":
        return str(indicator.name)
    if field == "target":
        return target.text.strip()
    if field == "note":
        return str(indicator.note)
    if field == "actual":
        return indicator.actual.text.strip() if indicator.actual is not None else ""
    if field in ("weight", "score"):
        value = getattr(indicator, field)
        return "" if value is None else format_decimal(value)
    if field == "deviation":
        return str(indicator.deviation)
    if field.startswith(("progress.", "reason:", "likelihood:")):
        return _progress_value(field, indicator.progress)
    if field == "planned_target":  # 年初指标值: the target itself where it was not adjusted
        planned = indicator.planned_target or target
        return str(planned.text).strip()
    nature, value, unit = split_target(target)
    return {"nature": nature, "value": value, "unit": unit}[field]


TICK = "√"


def _progress_value(field: str, progress: Any) -> str:
    """A monitoring report's cells: ``progress.achieved``…, and the ticked sub-columns
    ``reason:经费保障`` and ``likelihood:确定能``."""
    if progress is None:
        return ""
    if field.startswith("reason:"):
        return TICK if field.split(":", 1)[1] in progress.reasons else ""
    if field.startswith("likelihood:"):
        return TICK if field.split(":", 1)[1] == progress.likelihood else ""
    value = getattr(progress, field.split(".", 1)[1])
    if value is None:
        return ""
    return str(value.text).strip() if hasattr(value, "text") else str(value)


def _month_text(project: Project, text: str) -> str:
    """A label "1-{month}月执行数" with the report's month (N where none is known)."""
    if "{month}" not in text:
        return text
    month = project.monitoring.month if project.monitoring is not None else None
    return text.replace("{month}", str(month) if month else "N")


# --- building the form ---------------------------------------------------------------


def build_form(project: Project, layout: Layout) -> Form:
    header = tuple(_place_header(project, layout))
    grid = tuple(_place_grid(project, layout))
    grid_rows = layout.heading_rows + len(project.indicators)
    if layout.footer:
        footer = _place_rows(project, layout, layout.footer, "footer")
        grid += tuple(
            Cell(grid_rows + c.row, c.col, c.text, c.kind, c.rowspan, c.colspan, c.number)
            for c in footer
        )
        grid_rows += len(layout.footer)
    return Form(
        layout=layout,
        project=project,
        title=layout.form_title or TITLE,
        year_line=f"({project.year}年度)" if project.year else "",
        filing_line=f"填报单位：{project.filing_unit}"
        if project.filing_unit
        else "填报单位（盖章）",
        header=header,
        header_rows=len(layout.header),
        grid=grid,
        grid_rows=grid_rows,
        heading_rows=layout.heading_rows,
    )


def _place_header(project: Project, layout: Layout) -> list[Cell]:
    return _place_rows(project, layout, layout.header, "header")


def _place_rows(
    project: Project, layout: Layout, rows: tuple[tuple[HeaderCell, ...], ...], what: str
) -> list[Cell]:
    """Place labelled cells like an HTML table: each row skips columns still covered by a
    cell spanning down from a row above."""
    cells: list[Cell] = []
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        col = 0
        for spec in row:
            while covered.get((r, col)):
                col += 1
            if spec.field:
                text, number = header_value(project, spec.field)
                kind = (
                    "money"
                    if number is not None or spec.field.startswith("funds.")
                    else "goal"
                    if spec.field.startswith(("goals.", "evaluation.goal"))
                    else "value"
                )
            else:
                text, number, kind = _month_text(project, spec.text), None, "label"
            cells.append(Cell(r, col, text, kind, spec.rows, spec.span, number))
            for dr in range(spec.rows):
                for dc in range(spec.span):
                    covered[(r + dr, col + dc)] = True
            col += spec.span
        while covered.get((r, col)):
            col += 1
        if col != layout.columns:
            raise ValueError(
                f"layout {layout.name}: {what} row {r + 1} fills {col} of {layout.columns} columns"
            )
    return cells


def _place_grid(project: Project, layout: Layout) -> list[Cell]:
    cells: list[Cell] = []
    col = 0
    heading = layout.heading_rows
    grid = layout.grid
    for index, column in enumerate(grid):
        title = _month_text(project, column.header)
        if not column.group:
            cells.append(Cell(0, col, title, "head", heading, column.span))
        else:
            if index == 0 or grid[index - 1].group != column.group:
                width = 0
                for following in grid[index:]:
                    if following.group != column.group:
                        break
                    width += following.span
                cells.append(Cell(0, col, column.group, "head", 1, width))
            cells.append(Cell(1, col, title, "head", 1, column.span))
        col += column.span
    indicators = project.indicators
    # 一级 and 二级 merge vertically over consecutive rows with the same text.
    runs1 = _runs([i.level1 for i in indicators])
    runs2 = _runs([(i.level1, i.level2) for i in indicators])
    for index, indicator in enumerate(indicators, start=heading):
        col = 0
        for column in layout.grid:
            if column.field in ("level1", "level2"):
                runs = runs1 if column.field == "level1" else runs2
                length = runs.get(index - heading)
                if length is not None:
                    text = indicator.level1 if column.field == "level1" else indicator.level2
                    cells.append(Cell(index, col, text, "category", length, column.span))
            elif (
                column.field == "planned_target"
                and project.adjustment is not None
                and indicator.name in project.adjustment.added
            ):
                cells.append(Cell(index, col, "（新增）", "target", 1, column.span))
            else:
                text = indicator_value(column.field, indicator.level1, indicator.level2, indicator)
                kind = (
                    "target"
                    if column.field in ("target", "nature", "value", "unit")
                    else "indicator"
                )
                cells.append(Cell(index, col, text, kind, 1, column.span))
            col += column.span
    return cells


def _runs(keys: list[Any]) -> dict[int, int]:
    """Start index → length of each run of equal keys."""
    runs: dict[int, int] = {}
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs[start] = i - start
            start = i
    return runs
