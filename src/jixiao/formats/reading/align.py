"""Cells → the columns of a grid: the best reading of rows whose shape the page lost.

The indicator grid's heading says which columns there are, in which order (一级 |
二级 | 三级 | 指标值…, or 指标 | 权重 | 计量单位 | 指标性质 | 指标值).  Published rows
rarely fill them all: a merged 一级/二级 cell is given only on its first row, empty
cells vanish when a table is copied as text, one cell per line loses the rows
altogether.  So each cell is scored for how well it fits each column (a category
fits 一级/二级, a number fits 分值, "≥95%" fits 指标值, "定性" fits 指标性质…) and a
dynamic programme (Viterbi) chooses the reading with the best total: cells in column
order within a row, rows starting where a category or a name can start, a column
left out costing what its absence is worth.  Real row boundaries, where the input
has them, are kept; a cell's own column, where the input keeps columns, counts in
favour of that column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from jixiao.core import framework
from jixiao.core.source import Source
from jixiao.formats.reading.cells import Profile, profile
from jixiao.formats.reading.rows import label_key
from jixiao.formats.reading.vocabulary import vocabulary

ROLES = (
    "level1",
    "level2",
    "name",
    "value",
    "period_value",
    "nature",
    "unit",
    "weight",
    "actual",
    "score",
    "converted_score",
    "deviation",
    "note",
    "direction",
    "project_unit",
    "project_name",
    "project_funds",
    "project_goal",
)

# What a row loses when the column has no cell: at the start of a row (merged cells
# above), in the middle, and at the end.
_SKIP_START = {
    "level1": 0.1,
    "level2": 0.2,
    "name": 3.0,
    "project_unit": 0.05,
    "project_name": 0.05,
    "project_funds": 0.05,
    "project_goal": 0.05,
}
_SKIP = {
    "level1": 2.0,
    "level2": 2.0,
    "name": 3.0,
    "value": 1.5,
    "period_value": 0.3,
    "nature": 0.4,
    "unit": 0.4,
    "weight": 0.7,
    "actual": 0.9,
    "score": 0.7,
    "converted_score": 0.3,
    "deviation": 0.05,
    "note": 0.05,
    "direction": 0.3,
    "project_unit": 0.1,
    "project_name": 0.3,
    "project_funds": 0.1,
    "project_goal": 0.1,
}
EXTRA = "extra"


@dataclass(frozen=True)
class Column:
    role: str
    label: str
    position: int | None = None  # the heading's physical column, where rows keep columns
    period: bool = False  # a column of the 实施期/长期 grid beside the annual one


@dataclass(slots=True)
class GridCell:
    text: str
    source: Source
    row: int  # which input row it came from
    position: int  # its physical column in that row
    hard: bool  # the input row is a real row (not one loose cell of a lost row)
    positional: bool  # ``position`` is a real column (merged cells kept as empty cells)
    gap: int = 0  # blank lines before it
    ends: bool = False  # the input says the row ends after it
    begins: bool = False  # the input says a row begins with it


def emission(
    cell: Profile, role: str, shifted: bool = False, repeated: bool = False, named: bool = False
) -> float:
    """How well a cell fits a column: positive fits, negative does not.

    ``shifted``: the table's 一级 column holds headings outside the framework (实施效果指标,
    过程管理指标) with the framework's 一级 names (产出指标, 效益指标) one level down.
    ``repeated``: the cell repeats the category just before it (满意度指标 | 满意度指标): the
    second is the 二级.  ``named``: the cell says its category again in short words
    (服务对象满意度指标 | 服务对象满意度): it is the indicator's name.
    """
    if (shifted or repeated) and cell.level1 and not cell.level2 and role in ("level1", "level2"):
        return 6.0 if role == "level2" else 2.0
    if named and role in ("level2", "name"):
        # "服务对象满意度指标 | 服务对象满意度": under its category, the same words name
        # the indicator
        return 2.5 if role == "name" else -3.0
    if role == EXTRA:
        return 0.0 if cell.empty else -1.5
    if cell.empty:
        return {"name": -2.5, "value": -0.3}.get(role, 0.0)
    category = cell.level1 or cell.level2
    if role == "level1":
        if cell.level1:
            return 6.0
        if cell.category_like:
            return 4.2  # an unknown heading first heads the others (过程管理指标 → 计划管理指标)
        if cell.level2:
            return -2.0
        return -1.0 if _short_word(cell) else -9.0
    if role == "level2":
        if cell.level2:
            return 6.0
        if cell.category_like:
            return 4.0
        if cell.level1:
            return 2.0
        return -1.0 if _short_word(cell) else -9.0
    if role == "name":
        if category:
            return -5.0
        if cell.category_like:
            return 0.5
        if cell.operator:
            return -7.0
        if cell.unit:
            return -4.0
        if cell.number:
            return -4.0
        if cell.target:
            return -1.5
        if cell.placeholder:
            return 2.0
        if cell.sentence:
            return 1.0
        return 2.5 if cell.length <= 60 else 1.0
    if role in ("value", "period_value", "actual"):
        if category:
            return -7.0
        if cell.target:
            return 4.0
        if cell.number:
            return 3.0
        if cell.operator:
            return -3.0
        if cell.unit:
            return -2.0
        if cell.qualitative:
            return 1.5
        if cell.placeholder:
            return -3.0
        return 0.5 if cell.length <= 60 else -0.5
    if role == "nature":
        return 5.0 if cell.operator else (4.0 if cell.direction else -7.0)
    if role == "unit":
        if cell.unit:
            return 5.0
        short_word = cell.length <= 3 and not (cell.number or cell.target or cell.operator)
        return 1.0 if short_word and not category else -7.0
    if role == "direction":
        return 5.0 if cell.direction else -7.0
    if role in ("project_name", "project_unit"):
        if category or cell.number or cell.target or cell.operator:
            return -6.0
        return 2.0 if not cell.sentence else 0.5
    if role == "project_funds":
        return 4.0 if cell.number or cell.target else -6.0
    if role == "project_goal":
        return -6.0 if category else (2.0 if cell.sentence or cell.length > 12 else 0.5)
    if role in ("weight", "score", "converted_score"):
        if cell.number:
            return 4.0
        return -7.0
    # deviation, note: free text
    if category:
        return -5.0
    if cell.placeholder:
        return -3.0
    if cell.sentence:
        return 2.5
    return 0.3 if cell.number or cell.target else 1.0


def _short_word(cell: Profile) -> bool:
    """A short word that may be a category the framework does not know ("质量类"): only
    its place in the row can tell."""
    return cell.length <= 8 and not (cell.number or cell.target or cell.operator or cell.sentence)


def _skip(columns: list[Column], start: int, end: int, table: dict[str, float]) -> float:
    """What leaving out columns ``start``…``end - 1`` costs (the 实施期 grid: next to nothing)."""
    return sum(
        0.05 if columns[c].period else table.get(columns[c].role, _SKIP.get(columns[c].role, 0.5))
        for c in range(start, end)
    )


def align(cells: list[GridCell], columns: list[Column]) -> list[list[tuple[Column, GridCell]]]:
    """The cells as rows of (column, cell), in reading order."""
    rows: list[list[tuple[Column, GridCell]]] = []
    shifted = _shifted(cells)
    where: dict[int | None, Column] = {c.position: c for c in columns if c.position is not None}
    for segment in _segments(cells):
        fast = None if shifted or not where else _by_position(segment, where)
        rows.extend(fast if fast is not None else _viterbi(segment, columns, shifted))
    return rows


_PLAIN = re.compile(r"^[\u4e00-\u9fff][^<>=≥≤≧≦＞＜＝]{1,59}$")


@lru_cache(maxsize=65536)
def _fits(text: str, role: str) -> bool:
    """In its heading's column the cell fits; a short category word in the name column
    ("服务对象满意度") is the name there.  Plain words are judged without the full profile."""
    if role in ("level1", "level2"):
        return framework.is_category(text) and emission(profile(text), role) > 0
    category = framework.is_category(text)
    if role == "name":
        if category:
            return not label_key(text).endswith("指标")
        if _PLAIN.match(text) and text not in vocabulary().units:
            return True  # a name in words: no number, no operator, no unit
    if role == "value" and not category and _PLAIN.match(text) and text not in vocabulary().units:
        return len(text) <= 60 and not profile(text).placeholder
    return emission(profile(text), role) > 0


def _shifted(cells: list[GridCell]) -> bool:
    """A heading outside the framework followed by a framework 一级 (实施效果指标 → 产出指标)."""
    filled = [profile(c.text) for c in cells if c.text.endswith("指标") or "指标" in c.text[-6:]]
    if not any(p.category_like for p in filled):
        return False
    filled = [profile(c.text) for c in cells if c.text]
    return any(a.category_like and b.level1 for a, b in pairwise(filled))


def _segments(cells: list[GridCell]) -> list[list[GridCell]]:
    """Runs of cells that may share rows: a hard row alone, or a run of loose cells."""
    segments: list[list[GridCell]] = []
    for cell in cells:
        if segments:
            last = segments[-1][-1]
            same_hard_row = cell.hard and last.hard and cell.row == last.row
            both_loose = not cell.hard and not last.hard
            if same_hard_row or both_loose:
                segments[-1].append(cell)
                continue
        segments.append([cell])
    return segments


def _by_position(
    segment: list[GridCell], where: dict[int | None, Column]
) -> list[list[tuple[Column, GridCell]]] | None:
    """A real row whose cells sit in their headings' columns and fit them: no search needed."""
    if not segment[0].hard or not segment[0].positional:
        return None
    row: list[tuple[Column, GridCell]] = []
    for cell in segment:
        column = where.get(cell.position)
        if column is None or not _fits(cell.text, column.role):
            return None
        row.append((column, cell))
    return [row]


def _repeats(segment: list[GridCell]) -> tuple[set[int], set[int]]:
    """Cells that repeat the category cell just before them: "满意度指标 | 满意度指标" (the
    second is the 二级), "服务对象满意度指标 | 服务对象满意度" (the second is the name)."""
    found: set[int] = set()
    names: set[int] = set()
    previous: GridCell | None = None
    for cell in segment:
        if not cell.text:
            continue
        if previous is not None:
            mine, before = profile(cell.text), profile(previous.text)
            if previous.text == cell.text and mine.level1:
                found.add(id(cell))
            elif (
                mine.level2
                and before.level2
                and framework.level2_of(cell.text) == framework.level2_of(previous.text)
                and not label_key(cell.text).endswith("指标")
            ):
                names.add(id(cell))
        previous = cell
    return found, names


def _viterbi(
    segment: list[GridCell], columns: list[Column], shifted: bool = False
) -> list[list[tuple[Column, GridCell]]]:
    states = [*columns, Column(EXTRA, "")]
    count = len(states)
    last = count - 1
    start_cost = [
        _skip(columns, 0, j if j < last else len(columns), _SKIP_START) for j in range(count)
    ]
    # A row may hold only a category (the rows below it share the merged cell): cheap to end.
    end_cost = [
        0.0
        if j == last
        else min(0.5, _skip(columns, j + 1, len(columns), _SKIP))
        if states[j].role in ("level1", "level2")
        else _skip(columns, j + 1, len(columns), _SKIP)
        for j in range(count)
    ]
    hard = segment[0].hard

    repeats, names = _repeats(segment)

    def fit(cell: GridCell, j: int) -> float:
        column = states[j]
        if column.period and not cell.text:
            return 0.0  # the 实施期 grid beside the annual one is often left empty
        key = id(cell)
        score = emission(profile(cell.text), column.role, shifted, key in repeats, key in names)
        if cell.positional and cell.hard and column.position == cell.position:
            score += 1.2  # the cell stands in its heading's column
        return score

    # within a row, from column i to column j: the columns between are left out
    between = [
        [
            _skip(columns, i + 1, min(j, len(columns)), _SKIP) if j > i or j == i == last else None
            for j in range(count)
        ]
        for i in range(count)
    ]
    scores = [fit(segment[0], j) - start_cost[j] for j in range(count)]
    back: list[list[tuple[int, bool]]] = []
    for index in range(1, len(segment)):
        cell, before = segment[index], segment[index - 1]
        bonus = (
            (1.0 if cell.gap >= 2 else 0.0)
            + (1.5 if before.ends else 0.0)
            + (1.5 if cell.begins else 0.0)
        )
        new_scores: list[float] = []
        pointers: list[tuple[int, bool]] = []
        emissions = [fit(cell, j) for j in range(count)]
        # the best way to end the row before this cell, for any column it starts at
        ended = max(range(count), key=lambda i: scores[i] - end_cost[i]) if not hard else 0
        ended_score = scores[ended] - end_cost[ended] + bonus
        for j in range(count):
            best, pointer = float("-inf"), (0, False)
            for i in range(count):
                cost = between[i][j]
                if cost is not None:
                    value = scores[i] - cost
                    if value > best:
                        best, pointer = value, (i, False)
            if not hard and ended_score - start_cost[j] > best:
                best, pointer = ended_score - start_cost[j], (ended, True)
            new_scores.append(best + emissions[j])
            pointers.append(pointer)
        scores = new_scores
        back.append(pointers)
    final = [scores[j] - end_cost[j] for j in range(count)]
    path = [0] * len(segment)
    new_row = [False] * len(segment)
    path[-1] = max(range(count), key=lambda j: final[j])
    for index in range(len(segment) - 1, 0, -1):
        path[index - 1], new_row[index] = back[index - 1][path[index]]
    rows: list[list[tuple[Column, GridCell]]] = []
    for k, cell in enumerate(segment):
        if k == 0 or new_row[k]:
            rows.append([])
        rows[-1].append((states[path[k]], cell))
    return rows
