"""What a whole row says, worked out once per distinct row: is it furniture, does it
start a table, is it a grid heading, a budget heading, a target-list heading, a total…

Every stage asks these questions of the same rows; the answers depend only on the
row's texts (and whether it is one loose cell), so they are computed once and kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jixiao.core import framework
from jixiao.formats.reading import prose
from jixiao.formats.reading.columns import heading, heading_like, looks_like_heading_row
from jixiao.formats.reading.furniture import furniture_cells
from jixiao.formats.reading.region import label_of, split_prefixed
from jixiao.formats.reading.rows import Row, label_key
from jixiao.formats.reading.vocabulary import lookup, vocabulary


@dataclass(frozen=True, slots=True)
class Signals:
    furniture: tuple[str, str] | None
    starts: bool  # a name label: 项目名称, 部门名称, 专项名称…
    project_name: bool  # a project's name label (not 部门名称 / 单位名称)
    labels: bool  # any header label (or a label glued to its value)
    heading: bool  # an indicator grid heading row
    heading_part: bool  # nothing but headings: maybe the first part of a broken heading row
    budget: bool  # a cell of a self-evaluation's budget headings
    prose: tuple[str, str] | None  # "一、产出指标": a heading of a target list
    category: bool  # the first cell is a category of the framework
    any_category: bool  # some cell is
    total: bool  # 总分 / 得分合计
    grade: bool
    ends_grid: bool  # 偏差原因分析, 预算执行率, 说明…


_EMPTY = Signals(
    None, False, False, False, False, False, False, None, False, False, False, False, False
)


def of(row: Row) -> Signals:
    found = row.signals
    if found is None:
        found = row.signals = _signals(row.texts, row.loose) if row.texts else _EMPTY
    return found  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class _Cell:
    """What one cell says, for the row's signals; worked out once per distinct text."""

    label: bool
    starts: bool
    project_name: bool
    heading: bool
    heading_like: bool
    budget: bool
    category: bool


@lru_cache(maxsize=131072)
def _cell(text: str) -> _Cell:
    found = label_of(text)
    if found is None:
        split = split_prefixed(text)
        found = label_of(split[0]) if split else None
    starts = (
        found is not None and found[0] == "field" and found[1].value in ("name", "department_name")
    )
    title = found is None and bool(text) and label_key(text) in vocabulary().titles
    return _Cell(
        label=found is not None or title,
        starts=starts,
        project_name=starts and found is not None and found[1].value == "name",
        heading=heading(text) is not None,
        heading_like=heading_like(text),
        budget=lookup("budget_columns", text) is not None,
        category=framework.is_category(text),
    )


@lru_cache(maxsize=65536)
def _signals(texts: tuple[str, ...], loose: bool) -> Signals:
    v = vocabulary()
    first = texts[0]
    cells = [_cell(t) for t in texts]
    furniture = furniture_cells(texts, loose)
    if furniture is None and 1 < len(texts) <= 3:
        furniture = furniture_cells((" ".join(texts),), True)
    split = split_prefixed(first)
    return Signals(
        furniture=furniture,
        starts=any(c.starts for c in cells),
        project_name=any(c.project_name for c in cells),
        labels=any(c.label for c in cells),
        heading=sum(c.heading for c in cells) >= 2 and looks_like_heading_row(list(texts)),
        heading_part=all(c.heading_like for c in cells) and any(c.heading for c in cells),
        budget=any(c.budget for c in cells),
        prose=prose.heading(first),
        category=cells[0].category,
        any_category=any(c.category for c in cells),
        total=v.is_total(first) or bool(split and v.is_total(split[0])),
        grade=v.is_grade(first),
        ends_grid=v.ends_grid(first),
    )
