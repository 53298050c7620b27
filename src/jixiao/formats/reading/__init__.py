"""Reading published tables: rows of cells → projects, whatever the layout.

The stages, each a module with its own tests:

- ``lines``: text → rows (the separator found line by line) — the other formats
  (XLSX, DOCX, HTML, PDF) give rows directly;
- ``script``: traditional characters and mirror-site pinyin → simplified text;
- ``cells``: what a cell says; cells broken apart joined again, glued text split;
- ``table``: where each table starts and ends, and the walk through one table;
- ``header``, ``evaluation``, ``prose``: labels and funds, a 自评表's budget block,
  targets written as text;
- ``columns``, ``align``, ``indicators``: the indicator grid's heading, its rows
  aligned to the columns, and the indicators;
- ``vocabulary.json``: the words of all of these, as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice

from jixiao.core import collector
from jixiao.core.findings import Finding, make_finding
from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.formats.base import ReadResult, unreadable
from jixiao.formats.reading import script, signals
from jixiao.formats.reading.builder import Context
from jixiao.formats.reading.checks import CHECKS, IGNORED_LINE, TRADITIONAL
from jixiao.formats.reading.indicators import shorten
from jixiao.formats.reading.rows import Row, clean_cell, label_key
from jixiao.formats.reading.table import TableReader, TableReport, opens_table

__all__ = ["CHECKS", "Row", "TableReport", "clean_cell", "label_key", "read_rows"]

_SAMPLE_ROWS = 400


@dataclass
class _Reader:
    path: str
    context: Context = field(default_factory=Context)
    rows: list[Row] | None = None  # the open table's rows
    grid_seen: bool = False
    name_seen: bool = False
    # Only 单位名称/部门名称 so far: a 项目名称 after it names the project of the same table.
    only_unit_named: bool = False
    outside: list[Row] = field(default_factory=list)
    # Furniture after a grid (a title, the year): the next table's, or a page break inside
    # this one; the row after it decides.
    held: list[tuple[Row, tuple[str, str]]] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reports: list[TableReport] = field(default_factory=list)

    def feed(self, row: Row) -> None:
        if row.blank:
            if row.loose and self.rows is not None:
                self.rows.append(row)  # an empty cell of a table copied cell by cell
            return
        found = signals.of(row)
        furniture = found.furniture
        if self.rows is None:
            if furniture is not None:
                self.apply(furniture)
                if furniture[0] in ("site", "footer"):
                    self.outside.append(row)  # the form's own title, year and unit are read
                else:
                    self.flush_outside()
            elif not row.free_text and opens_table(row):
                self.open(row)
            else:
                self.outside.append(row)
            return
        if furniture is not None and self.grid_seen and (furniture[0] == "title" or self.held):
            self.held.append((row, furniture))
            return
        if furniture is not None and furniture[0] == "footer" and self.grid_seen:
            self.close()
            self.outside.append(row)
            return
        if row.free_text and furniture is None:
            self.close()
            self.outside.append(row)
            return
        if found.starts and (self.grid_seen or (self.name_seen and not self.only_unit_named)):
            self.close()
            self.open(row)
            return
        if self.held:  # a page break inside the table: its furniture goes with it
            self.rows.extend(r for r, _ in self.held)
            self.held.clear()
        self.rows.append(row)
        self.note(row)

    def apply(self, furniture: tuple[str, str]) -> None:
        kind, value = furniture
        if kind == "year":
            self.context.year = int(value)
        elif kind == "money_unit":
            self.context.money_in_yuan = value == "元"
        elif kind == "filing" and value:
            self.context.filing_unit = value
        elif kind == "title":
            self.context = replace(self.context, title=value)
            year = re.search(r"((?:19|20)\d{2})年", value)
            if year:
                self.context.year = int(year.group(1))

    def open(self, row: Row) -> None:
        self.flush_outside()
        self.rows = [row]
        self.grid_seen = False
        self.name_seen = False
        self.note(row)

    def note(self, row: Row) -> None:
        found = signals.of(row)
        if found.starts:
            self.only_unit_named = not found.project_name and not self.name_seen
            self.name_seen = True
        if (
            found.prose is not None
            or found.heading
            or (row.loose and row.filled and label_key(row.filled[0][1]) in ("三级指标", "指标值"))
        ):
            self.grid_seen = True

    def close(self) -> None:
        if self.rows is None:
            return
        rows, self.rows = self.rows, None
        held, self.held = self.held, []
        read = TableReader(rows, self.context, self.path, len(self.reports) + 1).read()
        self.projects.extend(read.projects)
        self.findings.extend(read.findings)
        self.reports.append(read.report)
        # A year or money unit belongs to the tables after it until another is given;
        # a title only to the table it heads.
        self.context = replace(self.context, title="")
        for row, furniture in held:
            self.apply(furniture)
            if furniture[0] in ("site", "footer"):
                self.outside.append(row)

    def flush_outside(self) -> None:
        if not self.outside:
            return
        rows, self.outside = self.outside, []
        first = rows[0]
        text = shorten(first.joined)
        if len(rows) == 1:
            message = f"表格之外的内容未读取：“{text}”"
        else:
            message = f"表格之外的内容未读取（共 {len(rows)} 行，到 {rows[-1].source}）：“{text}”…"
        self.findings.append(make_finding(IGNORED_LINE, message, first.source))

    def finish(self) -> None:
        self.close()
        self.flush_outside()


def _simplified(rows: Iterable[Row], traditional: bool, pinyin: bool) -> Iterator[Row]:
    if not traditional and not pinyin:
        yield from rows
        return
    for row in rows:
        cells = [script.strip_pinyin(c) for c in row.cells]
        if traditional:
            cells = [script.to_simplified(c) for c in cells]
        if cells != row.cells:
            row = row.with_cells(cells)
        yield row


def read_rows(rows: Iterable[Row], path: str = "", kind: str = "文件") -> ReadResult:
    """Read every table in ``rows``; no table at all makes the input unreadable."""
    with collector.paused():
        stream = iter(rows)
        head = list(islice(stream, _SAMPLE_ROWS))
        sample = " ".join(r.joined for r in head)
        traditional = script.is_traditional(sample)
        pinyin = script.has_pinyin(sample)
        reader = _Reader(path)
        for row in _simplified(chain(head, stream), traditional, pinyin):
            reader.feed(row)
        reader.finish()
    if not reader.projects:
        return unreadable(
            path,
            f"{kind}中没有找到绩效目标表：没有“项目名称”“部门名称”等表头，也没有指标表。"
            "请确认这是绩效目标表、自评表或监控表。",
        )
    findings = reader.findings
    if traditional:
        findings.insert(
            0,
            make_finding(
                TRADITIONAL,
                "表格使用繁体字（镜像网站转载），已按简体读取；原文件未改动",
                Source(path),
            ),
        )
    return ReadResult(
        projects=tuple(reader.projects), findings=tuple(findings), tables=tuple(reader.reports)
    )
