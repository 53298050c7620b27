"""Rows → tables → projects: where each table starts, and reading one table.

A table starts at its first label (项目名称, 部门名称, 专项名称…, or any header label
when no table is open), at an indicator grid or a budget block with no header
before it, or at a heading of a target list (一、产出指标).  It ends where the next
one starts, at a form title after its indicators, or at a footer (填报人, 注:…).
Page furniture (site navigation, 索引号, 扫一扫, the title, the year, the money unit)
is never a project or an indicator: the year, the unit and the title apply to the
table after them, the rest is reported as not read.

Reading a table walks its rows: labels and their values, the funds block, goals,
then the indicator grid (``columns`` reads its heading, ``align`` its rows,
``indicators`` turns them into indicators), a self-evaluation's budget block
(``evaluation``), a list of targets in text (``prose``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.core import framework
from jixiao.core.findings import Finding, make_finding
from jixiao.core.model import FundLine, Funds, Goals, Monitoring, Progress, Project
from jixiao.core.monitoring import LIKELIHOODS, likelihood_of
from jixiao.core.source import Source
from jixiao.core.targets import Kind, Target, parse_target
from jixiao.formats.reading import evaluation, header, prose, signals
from jixiao.formats.reading.align import Column, GridCell, align
from jixiao.formats.reading.builder import Context, TableBuilder, parse_amount
from jixiao.formats.reading.cells import (
    is_known_heading,
    join_broken,
    profile,
    split_glued_row,
    unglue,
)
from jixiao.formats.reading.checks import IGNORED_LINE, LOW_CONFIDENCE, NO_GRID, UNKNOWN_ROW
from jixiao.formats.reading.columns import GridHeading, is_grid_section, read_heading
from jixiao.formats.reading.evaluation import month_in
from jixiao.formats.reading.furniture import NUMBERED
from jixiao.formats.reading.indicators import IndicatorRows, shorten
from jixiao.formats.reading.region import Region, label_of, split_prefixed
from jixiao.formats.reading.rows import Row, label_key
from jixiao.formats.reading.vocabulary import vocabulary

_TITLE_SUFFIX = re.compile(
    r"(?:支出)?(?:绩效目标(?:申报|自评|设定|情况)?表?|绩效自评表|绩效运行监控报告|绩效评价报告"
    r"|绩效目标设定|绩效目标|自评表|监控表)(?:\(.*\))?$"
)
# A grid with no heading: 一级 | 二级 | 三级 | 指标值, and a fifth cell read as the actual value.
_ENDS_TEXT = re.compile(
    r"^(?:\d{1,2}[.、．]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)"
)
_DEFAULT_GRID = ("level1", "level2", "name", "value", "actual")
_VALUE_ROLES = ("value", "period_value", "actual", "weight", "score", "converted_score")


# The end of a letter: an attachment line, the unit that signs it, the date.
SIGN_OFF = re.compile(
    r"^附件|^\S{2,24}(局|委员会|委|厅|办公室|办|院|中心|政府|公司|站|所|部)$"
    r"|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"
)


@dataclass
class TableReport:
    """How one table was read: for ``--verbose`` and the low-confidence check."""

    number: int
    source: Source
    name: str
    kind: str  # target / self-evaluation / monitoring
    scope: str
    layout: str  # the separators the table's rows had ("tab", "pipe", "line", …)
    rows_used: int
    rows_unknown: int
    rows_ignored: int
    indicators: int
    columns: tuple[str, ...] = ()
    confident: bool = True

    def describe(self) -> str:
        kinds = {"target": "目标表", "self-evaluation": "自评表", "monitoring": "监控表"}
        columns = "、".join(self.columns) if self.columns else "无"
        return (
            f"表{self.number}（{self.source}）：{kinds.get(self.kind, self.kind)}，"
            f"项目“{self.name or '（无名称）'}”，版式 {self.layout}，"
            f"读取 {self.rows_used} 行、未识别 {self.rows_unknown} 行、忽略 {self.rows_ignored} 行，"
            f"{self.indicators} 个指标；指标列：{columns}"
        )


# --- the signals of one row, for finding where tables start and end ---------------------


def opens_table(row: Row) -> bool:
    """A row that can begin a table when none is open."""
    found = signals.of(row)
    if found.labels or found.prose is not None or found.heading:
        return True
    if row.loose and unglue(row.texts[0]) is not None:
        return True
    if row.loose and found.category:
        return framework.level1_of(row.texts[0]) is not None  # "项目完成指标": a grid's first cell
    return found.category and len(row.filled) >= 3


# --- reading one table ------------------------------------------------------------------


@dataclass
class TableRead:
    projects: list[Project]  # one, or several for a list of projects in one table
    findings: list[Finding]
    report: TableReport


@dataclass
class TableReader:
    rows: list[Row]
    context: Context
    path: str
    number: int
    region: Region = field(init=False)
    indicators: IndicatorRows = field(init=False)
    ignored: int = 0
    columns: list[Column] = field(default_factory=list)
    unknown: list[Row] = field(default_factory=list)
    prose_level: bool = False
    numbering: dict[str, bool] = field(default_factory=dict)  # numbering style → heads 一级
    trailing: bool = False  # the grid ended where prose began: what follows is not the table
    after: list[Row] = field(default_factory=list)

    def __post_init__(self) -> None:
        rows = _repair(self.rows)
        start = rows[0].source if rows else Source(self.path)
        table = TableBuilder(
            path=self.path,
            start=start,
            context=replace(self.context),
            money_in_yuan=self.context.money_in_yuan,
        )
        self.region = Region(rows, table)
        self.indicators = IndicatorRows(project="")

    def read(self) -> TableRead:
        rows = self.region.rows
        index = 0
        while index < len(rows):
            index = self.step(index)
        self.indicators.finish()
        return self.finish()

    def step(self, index: int) -> int:
        rows = self.region.rows
        row = rows[index]
        if row.blank:
            return index + 1
        found = signals.of(row)
        furniture = found.furniture
        if furniture is not None and furniture[0] == "footer" and found.labels and not self.columns:
            furniture = None  # "联系电话 | 1992…" among the header labels: a field, not a footer
        if furniture is not None:
            self.furniture(*furniture)
            if furniture[0] in ("site", "footer"):
                self.ignored += 1
            else:
                self.region.used += 1
            return index + 1
        if (found.total or found.grade) and self.total(row):
            return index + 1
        heading = (
            read_heading(rows, index) if found.heading or found.heading_part or row.loose else None
        )
        if heading is not None:
            return self.grid(index, heading)
        if found.budget and evaluation.heading_at(self.region, index) is not None:
            return evaluation.read_block(self.region, index)
        first = row.filled[0][1]
        if found.prose is not None and (row.loose or len(row.filled) <= 2):
            return self.prose(index, found.prose)
        if found.category and (len(row.filled) >= 3 or row.loose) and not self.columns:
            positional = row.positional and not row.loose
            columns = [Column(r, r, i if positional else None) for i, r in enumerate(_DEFAULT_GRID)]
            return self.grid(index, GridHeading(columns, 0))
        inline = self.inline_category(row) if found.any_category else None
        if inline is not None:
            if inline > 0:
                head = Row(
                    row.cells[:inline], row.source, row.cell_sources, positional=row.positional
                )
                self.region.rows[index] = head
                header.read_labels(self.region, index)
                self.region.rows[index] = row
                self.region.used -= 1
            return self.inline_items(index, inline)
        if found.labels:
            self.region.in_goals = self.region.in_goals and label_of(first) is None
            return header.read_labels(self.region, index)
        if self.region.in_goals:
            self.goal_text(row)
            return index + 1
        if self.prose_level and (NUMBERED.match(label_key(first)) or SIGN_OFF.match(first)):
            # "二、绩效运行开展情况", or the letter's sign-off (附件, the unit, the date):
            # the list of targets has ended
            self.prose_level = False
        if self.prose_level and row.loose:
            self.prose_items(first, row.source)
            self.region.used += 1
            return index + 1
        if self.trailing:
            self.ignored += 1  # the text after a table's end: reported once, not row by row
            self.after.append(row)
        else:
            self.unknown.append(row)
        return index + 1

    # -- furniture and totals --
    def furniture(self, kind: str, value: str) -> None:
        table = self.region.table
        if kind == "year":
            table.context.year = int(value)
        elif kind == "money_unit":
            table.money_in_yuan = value == "元"
        elif kind == "filing" and value:
            table.context.filing_unit = value
        elif kind == "title":
            table.context.title = value
            year = re.search(r"((?:19|20)\d{2})年", value)
            if year and table.context.year is None:
                table.context.year = int(year.group(1))

    def total(self, row: Row) -> bool:
        v = vocabulary()
        cells = [c for _, c in row.filled]
        first = cells[0]
        split = split_prefixed(first) if not v.is_total(first) else None
        if v.is_total(first) or (split and v.is_total(split[0])):
            text = cells[1] if len(cells) > 1 else (split[1] if split else "")
            number = re.match(r"\s*(\d+(?:\.\d+)?)", text)
            if number:
                self.region.table.total_reported = Decimal(number.group(1))
            self.region.used += 1
            return True
        if v.is_grade(first) and len(cells) > 1:
            self.region.table.grade_reported = cells[1]
            self.region.used += 1
            return True
        return False

    # -- the indicator grid --
    def grid(self, index: int, heading: GridHeading) -> int:
        rows = self.region.rows
        self.columns = heading.columns
        self.indicators.level1_position = next(
            (c.position for c in heading.columns if c.role == "level1"), None
        )
        self.region.used += heading.rows
        flat = heading.rows == 1 and rows[index].layout == "glued"
        values = sum(1 for c in heading.columns if c.role in _VALUE_ROLES)
        cells: list[GridCell] = []
        position = index + heading.rows
        while position < len(rows):
            row = rows[position]
            if row.blank:
                if row.loose:  # an empty cell of a table copied cell by cell
                    cells.append(GridCell("", row.source, position, 0, False, False, row.gap))
                position += 1
                continue
            if self.ends_grid(row, position):
                break
            if signals.of(row).furniture is not None or (
                len(row.filled) == 1 and is_grid_section(row.texts[0])
            ):
                position += 1  # a page break: furniture, or the grid's section name again
                continue
            signs = signals.of(row)
            again = (
                read_heading(rows, position)
                if signs.heading or signs.heading_part or row.loose
                else None
            )
            if again is not None:
                if [c.role for c in again.columns] != [c.role for c in self.columns]:
                    break
                position += again.rows
                self.region.used += again.rows
                continue
            more = self.grid_cells(row, position, flat, values)
            if cells and _continues(row, cells[-1]):
                # "7 7" on a line of its own: the end of a row whose long cell wrapped
                row_index = cells[-1].row
                more = [replace(cell, row=row_index, position=cell.position + 100) for cell in more]
            cells.extend(more)
            self.region.used += 1
            position += 1
        for aligned in align(cells, self.columns):
            self.indicators.add(aligned)
        return position

    def grid_cells(self, row: Row, index: int, flat: bool, values: int) -> list[GridCell]:
        if (flat or row.layout == "glued") and row.loose:
            pieces = split_glued_row(row.cells[0], max(values, 1))
            return [
                GridCell(
                    text,
                    row.source,
                    index,
                    n,
                    hard=False,
                    positional=False,
                    gap=row.gap if n == 0 else 0,
                )
                for n, text in enumerate(pieces)
            ]
        if row.loose:
            text = row.cells[0] if row.cells else ""
            return [
                GridCell(
                    text,
                    row.source,
                    index,
                    0,
                    hard=False,
                    positional=False,
                    gap=row.gap,
                    ends=row.ends,
                    begins=row.begins,
                )
            ]
        sources = row.cell_sources
        source, positional, gap = row.source, row.positional, row.gap
        if sources is None:
            return [GridCell(t, source, index, c, True, positional, gap) for c, t in row.filled]
        return [GridCell(t, sources[c], index, c, True, positional, gap) for c, t in row.filled]

    def label_as_indicator(self, row: Row) -> bool:
        """A header label used as an indicator's name inside the grid ("项目总投资 ≤120万元",
        "项目实施周期 12个月"): in the name column with the category columns left empty, or
        followed by a target with a comparison sign or a date."""
        column, _ = row.filled[0]
        if row.positional and column > 0 and self.columns:
            return True
        if len(row.filled) < 2:
            return False
        target = parse_target(row.filled[1][1])
        return target.kind is Kind.TIME or (
            target.kind is Kind.QUANTITATIVE
            and target.operator is not None
            and bool(re.match(r"\s*[≥≤><≧≦]", target.text))
        )

    def ends_grid(self, row: Row, index: int) -> bool:
        first = row.filled[0][1]
        found = signals.of(row)
        furniture = found.furniture
        if furniture is not None and furniture[0] in (
            "title",
            "year",
            "money_unit",
            "filing",
            "site",
        ):
            return False  # a page break inside the grid: the rows go on after it
        if furniture is not None or found.total or found.grade:
            return True
        if found.ends_grid and (len(row.filled) <= 2 or row.loose):
            return True
        if found.labels and not self.label_as_indicator(row):
            label = label_of(first)
            if label is not None and label[0] in ("field", "fund") and not found.category:
                return True
        if found.prose is not None and (row.loose or len(row.filled) <= 2):
            return True
        if row.loose and _ENDS_TEXT.match(first) and profile(first).sentence:
            self.trailing = True  # "2.部门绩效评价结果。": the document goes on after the table
            return True
        return found.budget and evaluation.heading_at(self.region, index) is not None

    # -- targets as text --
    def prose(self, index: int, found: tuple[str, str]) -> int:
        category, rest = found
        self.prose_level = True
        self.set_category(category)
        row = self.region.rows[index]
        if rest:
            self.prose_items(rest, row.source)
        for position, text in row.filled[1:]:
            self.prose_items(text, row.at(position))
        self.region.used += 1
        return index + 1

    def set_category(self, category: str) -> None:
        source = self.region.rows[0].source
        style = prose.numbering_style(category)
        first = prose.is_first_level(category) or bool(framework.synonym_of(category))
        if prose.both_levels(category) and style in self.numbering:
            first = self.numbering[style]  # 成本指标 is either: as the headings numbered alike
        if style:
            self.numbering.setdefault(style, first)
        if first:
            self.indicators.add(
                [(Column("level1", ""), GridCell(category, source, 0, 0, False, False))]
            )
        else:
            self.indicators.add(
                [(Column("level2", ""), GridCell(category, source, 0, 0, False, False))]
            )

    def prose_items(self, text: str, source: Source) -> None:
        for name, value in prose.items(text):
            self.indicators.add(
                [
                    (Column("name", ""), GridCell(name, source, 0, 0, False, False)),
                    (Column("value", ""), GridCell(value, source, 0, 1, False, False)),
                ]
            )

    def inline_category(self, row: Row) -> int | None:
        """The column of a category followed by targets written in one cell, or None:
        "年度绩效总目标 | 产出指标 | 开展文物安全巡查频次8次;编制文物宣传资料数量3个;…"."""
        if row.loose or self.columns:
            return None
        filled = row.filled
        for number, (col, text) in enumerate(filled[:-1]):
            following = filled[number + 1][1]
            if (
                framework.is_category(text)
                and not framework.is_category(following)
                and (len(prose.items(following)) >= 2 or bool(prose.split_value(following)[1]))
            ):
                return col
        return None

    def inline_items(self, index: int, column: int) -> int:
        row = self.region.rows[index]
        self.set_category(row.cells[column])
        for col, text in row.filled:
            if col > column:
                self.prose_items(text, row.at(col))
        self.region.used += 1
        return index + 1

    # -- goals --
    def goal_text(self, row: Row) -> None:
        table = self.region.table
        columns = table.goal_columns
        order = sorted(columns.items(), key=lambda item: item[1])
        for number, (col, text) in enumerate(row.filled):
            if row.positional and order:
                part = order[0][0]
                for name, start in order:
                    if col >= start or (len(order) == 2 and number > 0 and not row.positional):
                        part = name
            elif len(order) >= 2:
                part = order[min(number, len(order) - 1)][0]
            elif order:
                part = order[0][0]
            else:
                part = "annual"
            table.goal_parts[part].append(text)
            table.sources.setdefault(f"goals.{part}", row.source)
        self.region.used += 1

    # -- the result --
    def finish(self) -> TableRead:
        table = self.region.table
        table.indicators = self.indicators.indicators
        project = table.build()
        if not project.name and table.context.title:
            name = _name_from_title(table.context.title)
            if name:
                project = replace(project, name=name)
        if not project.title and table.context.title:
            project = replace(project, title=table.context.title)
        if self.kind(project) == "monitoring":
            month = table.month or next(
                (m for c in self.columns if (m := month_in(c.label or "")) is not None), None
            )
            project = as_monitoring(project, month)
        named = project.name or None
        findings = [replace(f, project=f.project or named) for f in table.findings]
        findings += [replace(f, project=f.project or named) for f in self.indicators.findings]
        for row in self.unknown:
            findings.append(
                make_finding(
                    UNKNOWN_ROW, f"无法识别的行：“{shorten(row.joined)}”", row.source, project=named
                )
            )
        if self.after:
            first = self.after[0]
            findings.append(
                make_finding(
                    IGNORED_LINE,
                    f"表格之后的内容未读取（共 {len(self.after)} 行）：“{shorten(first.joined)}”",
                    first.source,
                )
            )
        projects = self.listed(project) if self.indicators.starts else [project]
        report = self.report(project)
        report.indicators = sum(len(p.indicators) for p in projects)
        if len(projects) > 1:
            report.name = "、".join(p.name for p in projects)
        for item in projects:
            findings.extend(self.confidence(item, report))
        return TableRead(projects, findings, report)

    def listed(self, table: Project) -> list[Project]:
        """单位名称 | 项目名称 | 预算数 | 年度目标 | 指标…: one project per name in the list."""
        starts = self.indicators.starts
        indicators = list(table.indicators)
        projects: list[Project] = []
        if starts[0].first > 0:
            projects.append(replace(table, indicators=tuple(indicators[: starts[0].first])))
        for number, start in enumerate(starts):
            end = starts[number + 1].first if number + 1 < len(starts) else len(indicators)
            amount, _ = parse_amount(start.funds, self.region.table.money_in_yuan)
            projects.append(
                replace(
                    table,
                    name=start.name,
                    department=start.unit or table.department,
                    funds=Funds(annual=FundLine(total=amount)),
                    goals=Goals(annual=start.goal),
                    indicators=tuple(indicators[start.first : end]),
                    source=start.source,
                    sources=(("name", start.source),),
                )
            )
        return projects

    def kind(self, project: Project) -> str:
        title = project.title
        if "监控" in title:
            return "monitoring"
        if project.evaluation is not None or "自评" in title:
            return "self-evaluation"
        return "target"

    def report(self, project: Project) -> TableReport:
        layouts: dict[str, int] = {}
        for row in self.region.rows:
            if row.layout:
                layouts[row.layout] = layouts.get(row.layout, 0) + 1
        layout = "、".join(k for k, _ in sorted(layouts.items(), key=lambda kv: -kv[1])[:3]) or "—"
        return TableReport(
            number=self.number,
            source=project.source,
            name=project.name,
            kind=self.kind(project),
            scope=project.scope,
            layout=layout,
            rows_used=self.region.used,
            rows_unknown=len(self.unknown),
            rows_ignored=self.ignored + self.indicators.ignored,
            indicators=len(project.indicators),
            columns=tuple(c.label or c.role for c in self.columns),
        )

    def confidence(self, project: Project, report: TableReport) -> list[Finding]:
        reasons: list[str] = []
        if not project.name.strip():
            reasons.append("没有项目名称")
        if report.rows_unknown > max(2, report.rows_used):
            reasons.append(f"{report.rows_unknown} 行无法识别，只读出 {report.rows_used} 行")
        indicators = project.indicators
        empty = [
            i
            for i in indicators
            if i.target.kind is Kind.MISSING
            and i.weight is None
            and not i.stated_direction
            and (i.actual is None or i.actual.kind is Kind.MISSING)
        ]
        if len(indicators) >= 3 and len(empty) * 2 > len(indicators):
            reasons.append(f"{len(empty)}/{len(indicators)} 个指标没有指标值")
        findings: list[Finding] = []
        if reasons:
            report.confident = False
            findings.append(
                make_finding(
                    LOW_CONFIDENCE,
                    f"表{report.number}没有可靠地读出：{'；'.join(reasons)}。读出的内容不能直接当作结果",
                    project.source,
                    project=project.name or None,
                )
            )
        if not indicators and project.name:
            findings.append(
                make_finding(
                    NO_GRID,
                    f"项目“{project.name}”没有读出任何绩效指标",
                    project.source,
                    project=project.name,
                )
            )
        return findings


def _continues(row: Row, last: GridCell) -> bool:
    """A line of nothing but a value or two after a row of words split at spaces."""
    return (
        row.layout in ("words", "spaces", "line")
        and last.hard
        and not row.positional
        and len(row.filled) <= 3
        and all(profile(text).number or profile(text).target for text in row.texts)
    )


_GENERIC = re.compile(
    r"^(?:(?:19|20)\d{2}年度?)?(?:本级|县级|区级|市级|省级|部门|单位|整体|预算|项目|支出|专项资金|专项|一般性"
    r"|[(（][^()（）]*[)）])*$"
)


def _name_from_title(title: str) -> str:
    """A title that names the project ("同心县2025年设施农业技术培训项目绩效目标设定") gives
    the name of a table that has no 项目名称; a form's generic title ("本级预算项目绩效目标表")
    gives none."""
    name = _TITLE_SUFFIX.sub("", re.sub(r"\s+|^附件\d*[:：]", "", title))
    name = re.sub(r"项目项目$", "项目", name)
    return "" if _GENERIC.match(name) else name


def _repair(rows: list[Row]) -> list[Row]:
    """Glued lines split into their cells; pieces of one cell joined again."""
    repaired: list[Row] = []
    for row in rows:
        if row.loose and row.filled and not is_known_heading(row.cells[0]):
            pieces = unglue(row.cells[0])
            if pieces is not None:
                for cells in pieces:
                    if len(cells) == 1:
                        repaired.append(
                            Row(cells, row.source, loose=True, gap=row.gap, layout="glued")
                        )
                    else:
                        repaired.append(
                            Row(cells, row.source, positional=False, gap=row.gap, layout="glued")
                        )
                continue
        repaired.append(row)
    return _join_loose(repaired)


def _join_loose(rows: list[Row]) -> list[Row]:
    result: list[Row] = []
    index = 0
    while index < len(rows):
        if not rows[index].loose:
            result.append(rows[index])
            index += 1
            continue
        end = index
        while end < len(rows) and rows[end].loose:
            end += 1
        run = rows[index:end]
        texts = [r.cells[0] if r.cells else "" for r in run]
        spans = dict(join_broken(texts))
        position = 0
        while position < len(run):
            stop = spans.get(position)
            if stop is None:
                result.append(run[position])
                position += 1
                continue
            joined = "".join(texts[position:stop])
            first = run[position]
            result.append(
                Row(
                    [joined],
                    first.source,
                    loose=True,
                    gap=first.gap,
                    ends=run[stop - 1].ends,
                    layout=first.layout,
                )
            )
            position = stop
        index = end
    return result


_REASON_LABEL = re.compile(r"偏差|原因")
_MEASURES_LABEL = re.compile(r"建议|举措|措施|整改")


def as_monitoring(project: Project, month: int | None) -> Project:
    """A 监控表 as a monitoring report: its 1–N月 column, read as ``actual``, is each
    indicator's progress to date; the rows 偏差或不能完成目标原因分析 and 相关建议或举措 are
    the project's reason and measures."""
    monitoring = project.monitoring or Monitoring()
    if monitoring.month is None:
        monitoring = replace(monitoring, month=month)
    attributes, reason, measures = [], [], []
    for label, value in project.attributes:
        if _REASON_LABEL.search(label):
            reason.append(value)
        elif _MEASURES_LABEL.search(label):
            measures.append(value)
        else:
            attributes.append((label, value))
    monitoring = replace(
        monitoring,
        reason=monitoring.reason or "\n".join(v for v in reason if v),
        measures=monitoring.measures or "\n".join(v for v in measures if v),
    )
    indicators = []
    for indicator in project.indicators:
        progress = indicator.progress or Progress()
        if indicator.actual is not None:
            progress = replace(progress, achieved=indicator.actual)
        indicators.append(replace(indicator, actual=None, progress=_anchored(progress)))
    return replace(
        project,
        monitoring=monitoring,
        indicators=tuple(indicators),
        attributes=tuple(attributes),
    )


def _anchored(progress: Progress) -> Progress:
    """A 确定能 / 有可能 / 不可能 read in the 执行情况 or 预计 column (the cells before it
    were empty and the row lost their places) is the 完成目标可能性: never a value."""

    def word(value: Target | None) -> str:
        if value is None or value.text.strip().strip("√✓✔") not in (*LIKELIHOODS, "不可能"):
            return ""
        return likelihood_of(value.text)

    if not progress.likelihood and word(progress.achieved):
        progress = replace(progress, achieved=None, likelihood=word(progress.achieved))
    if not progress.likelihood and word(progress.predicted):
        progress = replace(progress, predicted=None, likelihood=word(progress.predicted))
    return progress
