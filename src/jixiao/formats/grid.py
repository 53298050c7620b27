"""Rows of cells → projects: the reading logic shared by every format.

Every reader (text, XLSX, DOCX, PDF, HTML) turns its input into rows of cell
texts, merged cells given once on their first row and left empty below, as in
text extracted from the published tables.  This module reads those rows: a
table starts at its "项目名称" row; the header rows are label/value pairs; the
indicator grid follows its "一级指标 … 三级指标" row.

Cells are classified by the framework's vocabulary rather than by position
alone, because extracted rows are often shifted by one column and merged
cells appear only on their first row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.findings import Check, Finding, Severity, make_finding
from jixiao.core.model import FundLine, Funds, Goals, Indicator, Period, Project
from jixiao.core.source import Source
from jixiao.core.targets import parse_target
from jixiao.formats.base import ReadResult, unreadable

AMOUNT_UNREADABLE = Check(
    id="READ-AMOUNT",
    severity=Severity.ERROR,
    title="金额不是数字",
    fix="金额以万元填写数字，例如“102.9”；没有的金额留空。",
    explanation="资金投入中的金额必须是数字；无法识别时该金额按“未填写”处理，原文写在提示中。",
)
UNKNOWN_ROW = Check(
    id="READ-UNKNOWN-ROW",
    severity=Severity.WARNING,
    title="无法识别的行",
    fix="检查该行是否属于表格；若是指标行，请把一级、二级、三级指标和指标值放在各自的列中。",
    explanation="表格内既不是表头、资金、目标，也不是指标的行。该行内容不会丢失，而是原样写在提示中。",
)
EXTRA_CELLS = Check(
    id="READ-EXTRA-CELLS",
    severity=Severity.WARNING,
    title="指标行有多余的单元格",
    fix="每个指标行只填写一级、二级、三级指标、指标值（和备注）；多余的内容请移入备注。",
    explanation="指标值之后还有不属于任何列的内容：这些内容被保存为该指标的备注。",
)
EMPTY_CATEGORY = Check(
    id="READ-EMPTY-CATEGORY",
    severity=Severity.WARNING,
    title="指标类别下没有三级指标",
    fix="为该类别填写至少一个三级指标和指标值，或删除空的类别行。",
    explanation="一行只有一级或二级指标名称，而它下面没有任何三级指标。",
)
IGNORED_LINE = Check(
    id="READ-IGNORED-LINE",
    severity=Severity.INFO,
    title="表格之外的内容未读取",
    fix="如果这段内容属于某张绩效目标表，请把它放进该表的相应单元格。",
    explanation="在“项目名称”行之前、不是标题、年度、单位等页面信息的文字。",
)

CHECKS: tuple[Check, ...] = (
    AMOUNT_UNREADABLE,
    UNKNOWN_ROW,
    EXTRA_CELLS,
    EMPTY_CATEGORY,
    IGNORED_LINE,
)

# --- cells and labels --------------------------------------------------------------

_SPACE = re.compile(r"[\s\u3000\u00a0\ufeff]+")


def clean_cell(cell: str) -> str:
    cell = cell.strip()
    if cell.isprintable() and "  " not in cell and "\u3000" not in cell and "\u00a0" not in cell:
        return cell
    return _SPACE.sub(" ", cell).strip()


@lru_cache(maxsize=8192)  # pure; labels and category names repeat in every table
def label_key(cell: str) -> str:
    """Normalise a cell for label matching: NFKC, no spaces, no colons."""
    return re.sub(r"[\s:：]+", "", unicodedata.normalize("NFKC", cell))


# label key → field
_LABELS: dict[str, str] = {
    "项目名称": "name",
    "项目实施期": "period",
    "实施期限": "period",
    "项目期限": "period",
    "实施周期": "period",
    "项目周期": "period",
    "项目实施周期": "period",
    "主管部门": "department",
    "主管部门及代码": "department",
    "主管部门名称": "department",
    "实施单位": "implementing_unit",
    "项目实施单位": "implementing_unit",
    "实施单位名称": "implementing_unit",
    "实施期金额": "funds.period.total",
    "实施期资金总额": "funds.period.total",
    "实施期资金": "funds.period.total",
    "实施期总金额": "funds.period.total",
    "年度金额": "funds.annual.total",
    "年度资金总额": "funds.annual.total",
    "年度资金": "funds.annual.total",
    "本年度金额": "funds.annual.total",
    "其中财政拨款": "funds.*.fiscal",
    "财政拨款": "funds.*.fiscal",
    "其中财政资金": "funds.*.fiscal",
    "其他资金": "funds.*.other",
    "其中其他资金": "funds.*.other",
    "实施期目标": "goals.period",
    "实施期绩效目标": "goals.period",
    "中长期目标": "goals.period",
    "长期目标": "goals.period",
    "中期目标": "goals.period",
    "年度目标": "goals.annual",
    "年度绩效目标": "goals.annual",
}
_SECTION_RE = re.compile(
    r"^(资金投入|项目资金|资金情况|项目资金情况|资金)(\((万元|元)\))?$|^(绩效目标|总体目标)$"
)
_MONEY_UNIT_RE = re.compile(r"^(金额)?单位[:：]?\s*(万元|元)$")
_YEAR_RE = re.compile(r"^[(（]?\s*(\d{4})\s*年度?\s*[)）]?$")
_TITLE_RE = re.compile(r"绩效目标(申报)?表|绩效目标表")
_FOOTER_RE = re.compile(r"^(填报人|联系电话|审核人|单位负责人|财务负责人|填报日期|制表人|联系人)")

_GRID_COLUMNS: dict[str, str] = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "年度指标值": "value",
    "指标值": "value",
    "目标值": "value",
    "年度目标值": "value",
    "绩效指标值": "value",
    "指标值(年度)": "value",
    "指标性质": "nature",
    "度量单位": "unit",
    "计量单位": "unit",
    "备注": "note",
    "指标解释": "note",
    "评分标准": "note",
    "评判标准": "note",
}


def _furniture(key: str) -> tuple[str, str] | None:
    """(kind, value) when a cell is page furniture rather than table content."""
    if _TITLE_RE.search(key) and len(key) <= 40:
        return ("title", key)
    year = _YEAR_RE.match(key)
    if year:
        return ("year", year.group(1))
    money = _MONEY_UNIT_RE.match(key)
    if money:
        return ("money", money.group(2))
    if key.startswith("填报单位"):
        return ("filing", re.sub(r"^填报单位|[(（]盖章[)）]", "", key).strip())
    if _FOOTER_RE.match(key):
        return ("footer", key)
    return None


@dataclass
class Row:
    """One table row as cells, with where it came from (the row, and each cell if known)."""

    cells: list[str]
    source: Source
    cell_sources: list[Source] | None = None
    free_text: bool = False  # a paragraph outside any table (DOCX, HTML, PDF): never a table row
    filled: list[tuple[int, str]] = field(init=False)

    def __post_init__(self) -> None:
        self.filled = [(i, c) for i, c in enumerate(self.cells) if c]

    def at(self, col: int) -> Source:
        if self.cell_sources is not None and 0 <= col < len(self.cell_sources):
            return self.cell_sources[col]
        return self.source

    @property
    def blank(self) -> bool:
        return not self.filled

    @property
    def joined(self) -> str:
        return " | ".join(c for c in self.cells if c)


@dataclass
class _Context:
    """Page furniture that applies to the tables after it."""

    year: int | None = None
    money_in_yuan: bool = False
    filing_unit: str = ""


@dataclass
class _Grid:
    level1: int | None = None
    level2: int | None = None
    name: int | None = None
    value: int | None = None
    nature: int | None = None
    unit: int | None = None
    note: int | None = None

    @property
    def split(self) -> bool:
        return self.nature is not None or self.unit is not None


@dataclass
class _TableBuilder:
    path: str
    start: Source
    context: _Context
    fields: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    amounts: dict[str, Decimal | None] = field(default_factory=dict)
    fund_columns: dict[str, int] = field(default_factory=dict)
    goal_columns: dict[str, int] = field(default_factory=dict)
    goal_parts: dict[str, list[str]] = field(default_factory=lambda: {"period": [], "annual": []})
    in_goals: bool = False
    grid: _Grid | None = None
    level1: str = ""
    level2: str = ""
    pending_category: tuple[Source, str] | None = None
    indicators: list[Indicator] = field(default_factory=list)
    money_in_yuan: bool = False

    def build(self) -> Project:
        def line(column: str) -> FundLine:
            return FundLine(
                total=self.amounts.get(f"funds.{column}.total"),
                fiscal=self.amounts.get(f"funds.{column}.fiscal"),
                other=self.amounts.get(f"funds.{column}.other"),
            )

        funds = Funds(period=line("period"), annual=line("annual"))
        goals = Goals(
            period="".join(self.goal_parts["period"]) or self.fields.get("goals.period", ""),
            annual="".join(self.goal_parts["annual"]) or self.fields.get("goals.annual", ""),
        )
        return Project(
            name=self.fields.get("name", ""),
            department=self.fields.get("department", ""),
            implementing_unit=self.fields.get("implementing_unit", ""),
            period=Period.parse(self.fields.get("period", "")),
            funds=funds,
            goals=goals,
            indicators=tuple(self.indicators),
            year=self.context.year,
            filing_unit=self.context.filing_unit,
            source=self.start,
            sources=tuple(sorted(self.sources.items())),
        )


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.context = _Context()
        self.table: _TableBuilder | None = None
        self.projects: list[Project] = []
        self.findings: list[Finding] = []

    # -- driver --
    def run(self, lines: Iterable[Row]) -> None:
        for line in lines:
            if line.blank:
                continue
            self.feed(line)
        self.close_table()

    def feed(self, line: Row) -> None:
        first = label_key(line.filled[0][1])
        if _LABELS.get(first) == "name":
            self.close_table()
            self.table = _TableBuilder(
                path=self.path,
                start=line.source,
                context=replace(self.context),
                money_in_yuan=self.context.money_in_yuan,
            )
            self.header_row(line)
            return
        if self.furniture(line):
            return
        if self.table is None or line.free_text:
            self.findings.append(
                make_finding(
                    IGNORED_LINE,
                    f"表格之外的内容未读取：“{_shorten(line.joined)}”",
                    line.source,
                )
            )
            return
        if self.is_grid_header(line):
            self.table.grid = self.grid_columns(line)
            self.table.in_goals = False
            return
        if self.table.grid is not None or self.starts_with_category(line):
            if self.table.grid is None:
                self.table.grid = _Grid(level1=0, level2=1, name=2, value=3)
            self.indicator_row(line)
            return
        if self.has_labels(line):
            self.header_row(line)
            return
        if self.table.in_goals:
            self.goal_text(line)
            return
        self.unknown_row(line)

    def close_table(self) -> None:
        table = self.table
        if table is None:
            return
        self.flush_pending_category()
        self.projects.append(table.build())
        self.table = None

    # -- furniture --
    def furniture(self, line: Row) -> bool:
        """Title, year, money unit, 填报单位, signatures: each cell of the row, or the row whole."""
        if len(line.filled) > 2:
            return False
        pieces = [_furniture(label_key(c)) for _, c in line.filled]
        if not all(pieces):
            joined = _furniture(label_key(" ".join(c for _, c in line.filled)))
            if joined is None:
                return False
            pieces = [joined]
        for kind, value in (p for p in pieces if p is not None):
            if kind == "year":
                self.context.year = int(value)
            elif kind == "money":
                self.context.money_in_yuan = value == "元"
            elif kind == "filing":
                self.context.filing_unit = value
        return True

    # -- header rows --
    def has_labels(self, line: Row) -> bool:
        return any(
            label_key(c) in _LABELS or _SECTION_RE.match(label_key(c)) for _, c in line.filled
        )

    def header_row(self, line: Row) -> None:
        table = self.table
        assert table is not None
        marks: list[tuple[int, str]] = []
        for col, cell in line.filled:
            key = label_key(cell)
            if key in _LABELS:
                marks.append((col, _LABELS[key]))
            else:
                section = _SECTION_RE.match(key)
                if section:
                    marks.append((col, "section"))
                    if section.group(3) == "元":
                        table.money_in_yuan = True
                    elif section.group(3) == "万元":
                        table.money_in_yuan = False
                    if section.group(4):
                        table.in_goals = True
        if not marks:
            self.unknown_row(line)
            return
        for index, (col, target) in enumerate(marks):
            end = marks[index + 1][0] if index + 1 < len(marks) else len(line.cells)
            values = [(c, line.cells[c]) for c in range(col + 1, end) if line.cells[c]]
            if target == "section":
                continue
            if target.startswith("goals."):
                table.goal_columns[target] = col
                table.in_goals = True
                if values:
                    table.fields[target] = " ".join(v for _, v in values)
                    table.sources[target] = line.source
                continue
            if target.startswith("funds."):
                self.fund_cell(line, col, target, values)
                continue
            table.fields[target] = " ".join(v for _, v in values)
            table.sources[target] = line.source

    def fund_cell(self, line: Row, col: int, target: str, values: list[tuple[int, str]]) -> None:
        table = self.table
        assert table is not None
        if target.endswith(".total"):
            table.fund_columns[target.split(".")[1]] = col
            keys = [target]
        else:
            part = target.rsplit(".", 1)[1]
            annual_col = table.fund_columns.get("annual")
            if len(values) >= 2:
                keys = [f"funds.period.{part}", f"funds.annual.{part}"]
            elif (annual_col is not None and col >= annual_col) or (
                annual_col is None and f"funds.period.{part}" in table.amounts
            ):
                keys = [f"funds.annual.{part}"]
            else:
                keys = [f"funds.period.{part}"]
        if not values:
            for key in keys:
                table.amounts.setdefault(key, None)
                table.sources.setdefault(key, line.source)
            return
        for key, (_, text) in zip(keys, values, strict=False):
            table.amounts[key] = self.amount(text, line, key)
            table.sources[key] = line.source

    def amount(self, text: str, line: Row, key: str) -> Decimal | None:
        table = self.table
        assert table is not None
        compact = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", text))
        if compact in ("", "-", "—", "——", "/", "无"):
            return None
        try:
            if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", compact):
                raise InvalidOperation(compact)
            value = Decimal(compact)
        except InvalidOperation:
            self.findings.append(
                make_finding(
                    AMOUNT_UNREADABLE,
                    f"“{_FUND_NAMES.get(key, key)}”的金额“{text}”不是数字",
                    line.source,
                    project=table.fields.get("name"),
                )
            )
            return None
        if table.money_in_yuan:
            value = value / Decimal(10000)
        return value

    def goal_text(self, line: Row) -> None:
        table = self.table
        assert table is not None
        annual_col = table.goal_columns.get("goals.annual")
        period_col = table.goal_columns.get("goals.period")
        for col, text in line.filled:
            if annual_col is not None and (col >= annual_col or period_col is None):
                part = "annual"
            else:
                part = "period"
            table.goal_parts[part].append(text)
            table.sources.setdefault(f"goals.{part}", line.source)

    def unknown_row(self, line: Row) -> None:
        table = self.table
        self.findings.append(
            make_finding(
                UNKNOWN_ROW,
                f"无法识别的行：“{_shorten(line.joined)}”",
                line.source,
                project=table.fields.get("name") if table else None,
            )
        )

    # -- indicator grid --
    def is_grid_header(self, line: Row) -> bool:
        keys = {label_key(c) for _, c in line.filled}
        return "一级指标" in keys and ("三级指标" in keys or "二级指标" in keys)

    def grid_columns(self, line: Row) -> _Grid:
        grid = _Grid()
        for col, cell in line.filled:
            role = _GRID_COLUMNS.get(label_key(cell))
            if role and getattr(grid, role) is None:
                setattr(grid, role, col)
        if grid.value is None and grid.name is not None:
            # "三级指标 | | 年度指标值" with the value header lost: next column.
            grid.value = grid.name + 1
        return grid

    def starts_with_category(self, line: Row) -> bool:
        return self.is_category_cell(line.filled[0][1], line.filled[0][0], _Grid(name=2))

    @staticmethod
    def is_category_cell(cell: str, col: int, grid: _Grid) -> bool:
        """A category name; short forms ("效益") only left of the 三级指标 column,
        so that an indicator called "满意度" stays an indicator."""
        if not framework.is_category(cell):
            return False
        return framework.normalise(cell).endswith("指标") or col < (grid.name or 2)

    def indicator_row(self, line: Row) -> None:
        table = self.table
        assert table is not None and table.grid is not None
        grid = table.grid
        level1 = level2 = None
        rest: list[tuple[int, str]] = []
        for col, cell in line.filled:
            if not rest and self.is_category_cell(cell, col, grid):
                first_level = framework.level1_of(cell) is not None and (
                    framework.level2_of(cell) is None or col <= (grid.level1 or 0)
                )
                if first_level and level1 is None and level2 is None:
                    level1 = cell
                    continue
                if level2 is None:
                    level2 = cell
                    continue
            rest.append((col, cell))
        level1, level2 = self.labels_by_position(rest, grid, level1, level2)

        if level1 is not None:
            self.flush_pending_category()
            if (
                level1 != table.level1
            ):  # the same 一级 repeated (each row, or a cut cell) keeps its 二级
                table.level2 = ""
            table.level1 = level1
        if level2 is not None:
            self.flush_pending_category()
            parents = framework.parents_of(level2)
            if level1 is None and parents and framework.level1_of(table.level1) not in parents:
                # The merged 一级 cell was lost: take it from the framework.
                table.level1 = parents[0]
            table.level2 = level2
        if not rest:
            table.pending_category = (line.source, level2 or level1 or "")
            return
        table.pending_category = None
        name, target_text, note = self.split_cells(line, rest)
        table.indicators.append(
            Indicator(
                level1=table.level1,
                level2=table.level2,
                name=name,
                target=parse_target(target_text),
                source=line.at(next((col for col, cell in rest if cell == name), grid.name or 0)),
                note=note,
            )
        )

    @staticmethod
    def labels_by_position(
        rest: list[tuple[int, str]], grid: _Grid, level1: str | None, level2: str | None
    ) -> tuple[str | None, str | None]:
        """Category cells the framework does not know ("质量类") are taken by column:
        when more cells than a name and a value stand left of the 三级指标 column."""
        name_col = grid.name if grid.name is not None else 2
        while rest and rest[0][0] < name_col and len([c for c in rest if c[0] != grid.note]) > 2:
            col, cell = rest[0]
            if level1 is None and level2 is None and col <= (grid.level1 or 0):
                level1 = cell
            elif level2 is None:
                level2 = cell
            else:
                break
            rest.pop(0)
        return level1, level2

    def split_cells(self, line: Row, rest: list[tuple[int, str]]) -> tuple[str, str, str]:
        table = self.table
        assert table is not None and table.grid is not None
        grid = table.grid
        note_parts: list[str] = []
        if grid.note is not None:
            note_parts = [c for col, c in rest if col == grid.note]
            rest = [(col, c) for col, c in rest if col != grid.note]
        if grid.split:
            name = " ".join(
                c for col, c in rest if grid.value is None or col < (grid.nature or grid.value)
            )
            pieces = [
                c
                for col, c in rest
                if col >= (grid.nature or grid.value or 0)
                and not (col == grid.nature and label_key(c) in ("定性", "定量"))
            ]
            return name, "".join(pieces), " ".join(note_parts)
        value_col = grid.value if grid.value is not None else 3
        if len(rest) == 1 and rest[0][0] >= value_col:
            name, target, extra = "", rest[0][1], []
        else:
            name = rest[0][1]
            target = rest[1][1] if len(rest) > 1 else ""
            extra = [c for _, c in rest[2:]]
        if extra:
            self.findings.append(
                make_finding(
                    EXTRA_CELLS,
                    f"指标“{name}”的指标值之后还有内容“{_shorten(' | '.join(extra))}”，已作为备注保存",
                    line.source,
                    project=table.fields.get("name"),
                    indicator=name,
                )
            )
            note_parts.extend(extra)
        return name, target, " ".join(note_parts)

    def flush_pending_category(self) -> None:
        table = self.table
        if table is None or table.pending_category is None:
            return
        number, label = table.pending_category
        table.pending_category = None
        self.findings.append(
            make_finding(
                EMPTY_CATEGORY,
                f"“{label}”下没有三级指标",
                number,
                project=table.fields.get("name"),
            )
        )


_FUND_NAMES = {
    "funds.period.total": "实施期金额",
    "funds.annual.total": "年度金额",
    "funds.period.fiscal": "实施期金额其中：财政拨款",
    "funds.annual.fiscal": "年度金额其中：财政拨款",
    "funds.period.other": "实施期金额其中：其他资金",
    "funds.annual.other": "年度金额其中：其他资金",
}


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_rows(rows: Iterable[Row], path: str = "", kind: str = "文件") -> ReadResult:
    """Read every table in ``rows``; no table at all makes the input unreadable."""
    reader = _Reader(path)
    reader.run(rows)
    if not reader.projects:
        return unreadable(
            path,
            f"{kind}中没有找到绩效目标表：没有“项目名称”行。请确认这是本级预算项目绩效目标表。",
        )
    return ReadResult(projects=tuple(reader.projects), findings=tuple(reader.findings))
