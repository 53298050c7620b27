"""The heading of an indicator grid → its columns, in order, with their roles.

Headings are found by what they say (一级指标, 三级指标, 指标值, 计量单位, 指标性质,
分值, 实际完成值, 偏差原因分析及改进措施…, any order), over one row or several:
a heading broken over two rows (年度 / 指标值) is completed in order, a second row of
sub-headings (符号 | 单位 under 预期指标值, 得分 | 权重占比 | 折算得分 under 自评得分)
takes its parent's place.  Markers say which grid a column belongs to when a 中期/长期
grid stands beside the annual one (二级指标(长期), 指标值(年度)).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jixiao.formats.reading.align import Column
from jixiao.formats.reading.rows import Row, label_key
from jixiao.formats.reading.vocabulary import lookup, vocabulary

_PERIOD_NOTES = ("长期", "中期", "实施期", "实施周期", "中长期")
_STARTERS = frozenset({"level1", "level2", "name"})
_VALUES = frozenset({"value", "period_value", "actual"})


@dataclass(frozen=True)
class Heading:
    role: str
    period: bool


@lru_cache(maxsize=65536)  # pure given the vocabulary
def heading(text: str) -> Heading | None:
    """The column a heading cell names, or None.  Grid sections (绩效指标) are not columns."""
    match = lookup("grid", text)
    if match is None:
        return None
    period = any(note in match.note for note in _PERIOD_NOTES)
    if match.value == "period_value":
        return Heading("period_value", True)
    if period and match.value == "value":
        return Heading("period_value", True)
    return Heading(match.value, period)


def is_fragment(text: str) -> bool:
    return label_key(text) in vocabulary().fragments and heading(text) is None


def is_grid_section(text: str) -> bool:
    match = lookup("sections", text)
    return match is not None and match.value == "grid"


def looks_like_heading_row(texts: list[str]) -> bool:
    """Two or more column headings, one of them a category or name column (or a value
    column beside a weight, a unit or an actual column)."""
    return _heading_row(tuple(texts))


@lru_cache(maxsize=16384)
def _heading_row(texts: tuple[str, ...]) -> bool:
    found = [h for h in (heading(t) for t in texts) if h is not None]
    roles = {h.role for h in found}
    if roles & PROJECT_ROLES:
        # 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | …: a list of projects, when
        # the indicator headings are there too.
        found = [h for h in found if h.role not in PROJECT_ROLES]
        roles -= PROJECT_ROLES
        if len(found) < 3:
            return False
    if len(found) < 2:
        return False
    if roles & _STARTERS:
        return True
    return bool(roles & _VALUES) and bool(roles & {"weight", "unit", "nature", "actual", "score"})


PROJECT_ROLES = frozenset({"project_name", "project_unit", "project_funds", "project_goal"})


@lru_cache(maxsize=65536)
def heading_like(text: str) -> bool:
    """An indicator column's heading, a piece of one, or the grid's section name.  A list's
    project columns (项目名称, 预算数…) count only beside indicator headings."""
    found = heading(text)
    if found is not None:
        return found.role not in PROJECT_ROLES
    return is_fragment(text) or is_grid_section(text)


@dataclass
class GridHeading:
    columns: list[Column]
    rows: int  # how many input rows the heading took


def read_heading(rows: list[Row], start: int) -> GridHeading | None:
    """The grid heading starting at ``rows[start]``, or None when there is none."""
    first = rows[start]
    if first.loose:
        return _loose_heading(rows, start)
    texts = [c for _, c in first.filled]
    if not looks_like_heading_row(texts) and not _begins_heading(rows, start, texts):
        return None
    columns = _columns(first)
    used = 1
    while start + used < len(rows):
        following = rows[start + used]
        cells = [c for _, c in following.filled]
        if not cells or not all(heading_like(c) for c in cells):
            break
        columns = _merge(columns, following)
        used += 1
    return GridHeading(_list_columns(_pending_fragments(columns)), used)


def _list_columns(columns: list[Column]) -> list[Column]:
    """Project columns make a list of projects only beside a 项目名称 column; otherwise
    they are the grid's section name ("年度绩效目标(80分)" spanning its rows)."""
    if any(c.role == "project_name" for c in columns):
        return columns
    return [c for c in columns if c.role not in PROJECT_ROLES]


def _begins_heading(rows: list[Row], start: int, texts: list[str]) -> bool:
    """ "绩效指标 | 一级 指标 |" over "二级指标 | 三级指标 | …": a heading broken over two rows."""
    if not texts or not all(heading_like(t) for t in texts) or start + 1 >= len(rows):
        return False
    following = [c for _, c in rows[start + 1].filled]
    return any(heading(t) for t in texts) and looks_like_heading_row(texts + following)


def _columns(row: Row) -> list[Column]:
    columns: list[Column] = []
    for position, text in row.filled:
        found = heading(text)
        if found is not None:
            columns.append(
                Column(found.role, text, position if row.positional else None, found.period)
            )
        elif is_fragment(text):
            columns.append(Column("fragment", text, position if row.positional else None))
    return columns


def _merge(columns: list[Column], row: Row) -> list[Column]:
    """A further heading row: completes broken headings, replaces parents, or adds columns."""
    pieces = [(p, c) for p, c in row.filled]
    result = list(columns)
    if result and pieces:
        joined = result[-1].label + pieces[0][1]
        found = heading(joined)
        if (found is not None and heading(pieces[0][1]) is None) or (
            found is not None and label_key(pieces[0][1]) == "指标"
        ):
            # "一级" at the end of one row, "指标" at the start of the next: one heading
            assert found is not None
            result[-1] = Column(found.role, joined, result[-1].position, found.period)
            pieces = pieces[1:]
    fragments = [i for i, c in enumerate(result) if c.role == "fragment"]
    remaining: list[tuple[int, str]] = []
    for position, text in pieces:
        if fragments:
            index = fragments.pop(0)
            joined = result[index].label + text
            found = heading(joined)
            if found is not None:
                result[index] = Column(found.role, joined, result[index].position, found.period)
                continue
        remaining.append((position, text))
    new = [heading(t) for _, t in remaining]
    roles = {c.role for c in result}
    sub = [(p, t, h) for (p, t), h in zip(remaining, new, strict=True) if h is not None]
    if any(h.role.startswith(_TICKED) for _, _, h in sub):
        return _ticked(result, sub, row)
    if any(h.role in roles for _, _, h in sub):
        return _sub_headings(result, sub)
    for position, text, found in sub:
        result.append(Column(found.role, text, position if row.positional else None, found.period))
    return result


_TICKED = ("reason:", "likelihood:")
_PARENTS = {"reason:": "deviation", "likelihood:": "likelihood"}


def _ticked(columns: list[Column], sub: list[tuple[int, str, Heading]], row: Row) -> list[Column]:
    """偏差原因分析 over 经费保障 | 制度保障 | … and 完成目标可能性 over 确定能 | 有可能 |
    完全不可能 (the central monitoring form): the parent heading gives way to its ticked
    sub-columns; the other sub-headings are added as usual."""
    result = list(columns)
    for prefix, parent in _PARENTS.items():
        ticked = [(p, t, h) for p, t, h in sub if h.role.startswith(prefix)]
        if not ticked:
            continue
        at = next((i for i, c in enumerate(result) if c.role == parent), None)
        start = result[at].position if at is not None else None
        # The sub-columns sit under their parent, in order: the second heading row's own
        # positions do not count the cells spanning down from the first.
        children = [
            Column(
                h.role,
                t,
                (start + k if start is not None else p) if row.positional else None,
                h.period,
            )
            for k, (p, t, h) in enumerate(ticked)
        ]
        if at is None:
            result.extend(children)
        else:
            result[at : at + 1] = children
    for position, text, found in sub:
        if not found.role.startswith(_TICKED) and found.role not in {c.role for c in result}:
            result.append(
                Column(found.role, text, position if row.positional else None, found.period)
            )
    return result


def _sub_headings(columns: list[Column], sub: list[tuple[int, str, Heading]]) -> list[Column]:
    """符号 | 单位 go round the value; a score family (得分, 权重占比, 折算得分) replaces the
    parent score heading."""
    result = list(columns)
    value_index = next((i for i, c in enumerate(result) if c.role == "value"), None)
    scores = [
        Column(h.role, t) for _, t, h in sub if h.role in ("score", "weight", "converted_score")
    ]
    for _, text, found in sub:
        if value_index is None:
            break
        if found.role == "nature":
            result.insert(value_index, Column("nature", text))
            value_index += 1
        elif found.role == "unit":
            result.insert(value_index + 1, Column("unit", text))
    if scores:
        parent = max((i for i, c in enumerate(result) if c.role == "score"), default=None)
        if parent is not None:
            result[parent : parent + 1] = scores
        else:
            result.extend(scores)
    return result


def _pending_fragments(columns: list[Column]) -> list[Column]:
    """A broken heading never completed ("年度" alone) is read as the value it begins."""
    result = []
    for column in columns:
        if column.role == "fragment":
            role = "actual" if label_key(column.label) in ("实际", "年终", "年终完") else "value"
            column = Column(role, column.label, column.position)
        result.append(column)
    return result


def _loose_heading(rows: list[Row], start: int) -> GridHeading | None:
    """Headings one per line: take them while they are headings (or grid sections)."""
    texts: list[str] = []
    index = start
    while index < len(rows) and rows[index].loose:
        text = rows[index].cells[0] if rows[index].cells else ""
        if not text:
            if texts:
                index += 1
                continue
            return None
        if not heading_like(text):
            break
        texts.append(text)
        index += 1
    if not looks_like_heading_row(texts):
        return None
    columns = [
        Column(h.role, t, None, h.period) for t in texts for h in [heading(t)] if h is not None
    ]
    return GridHeading(_list_columns(columns), index - start)
