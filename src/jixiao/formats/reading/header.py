"""The table's header: labels and their values, the funds block, the goals.

A label takes the cells after it up to the next label, within its row where the
input has real rows, and from the lines after it where each cell is on a line of
its own (one label never swallows the next: 项目名称 | X | 项目负责人 | Y gives X).
Amounts go to the 实施期 or the 年度 column by where their label stands, or by
their order when the rows were lost; a split by source (中央/省级/市级/区级…) is
kept as such.
"""

from __future__ import annotations

import re

from jixiao.core.model import Scope
from jixiao.core.source import Source
from jixiao.formats.reading.builder import TableBuilder
from jixiao.formats.reading.region import Region, label_of, split_prefixed, stops_values
from jixiao.formats.reading.rows import Row, label_key
from jixiao.formats.reading.vocabulary import Match, lookup, vocabulary

_TRANSFER_NAMES = frozenset(
    label_key(w)
    for w in ("专项名称", "专项(项目)名称", "转移支付(项目)名称", "转移支付名称", "专项资金名称")
)
_DEPARTMENT_RANK = (("县级", 1), ("区级", 1), ("市级", 2), ("地方", 3), ("省级", 4), ("中央", 5))
_SCALAR = ("field", "fund")


def has_labels(row: Row) -> bool:
    return any(
        label_of(c) is not None or split_prefixed(c) is not None for _, c in row.filled
    ) or any(label_key(c) in vocabulary().titles for _, c in row.filled)


def read_labels(region: Region, index: int) -> int:
    row = region.rows[index]
    if row.loose:
        return _loose(region, index)
    used = _hard(region, index)
    region.used += used
    return index + used


def _loose(region: Region, index: int) -> int:
    row = region.rows[index]
    text = row.filled[0][1] if row.filled else ""
    split = split_prefixed(text)
    if split is not None:
        assign(region, split[0], [split[1]], row.source, None)
        region.used += 1
        return index + 1
    found = label_of(text)
    if found is None and label_key(text) in vocabulary().titles:
        found = ("title", Match("title"))
    assert found is not None
    kind, _ = found
    values: list[str] = []
    following = index + 1
    if kind != "section":
        for position in region.loose_run(index + 1):
            value = region.rows[position].cells[0]
            if stops_values(value):
                break
            values.append(value)
            following = position + 1
            if kind in _SCALAR and (value or not region.rows[position].cells[0]):
                break
    if not values and kind == "field" and following < len(region.rows):
        below = region.rows[following]
        if (
            not below.loose
            and below.filled
            and not has_labels(below)
            and not stops_values(below.texts[0])
        ):
            # "项目类别" over "1、部门预算项目 □ 2、县直专项 ☑": the row below is its value
            values = [" ".join(below.texts)]
            following += 1
    texts = [v for v in values if v.strip()]
    stacked = _stacked_goals(region, index) if kind == "goal" and len(texts) >= 2 else []
    if len(stacked) >= 2:
        # "中期目标 / 年度目标" one per paragraph, then their texts one per paragraph: the
        # texts go to the labels in order (the last label takes what is left)
        values = texts
        count = min(len(values), len(stacked))
        labels = stacked[-count:]
        for number, label in enumerate(labels[:-1]):
            assign(region, label, [values[number]], row.source, None)
        assign(region, labels[-1], values[count - 1 :], row.source, None)
    else:
        assign(region, text, values, row.source, None)
    region.used += following - index
    return following


def _stacked_goals(region: Region, index: int) -> list[str]:
    """The goal labels printed one per paragraph right above the one at ``index`` (with no
    text between them), and that one."""
    labels = [region.rows[index].cells[0]]
    above = index - 1
    while above >= 0 and region.rows[above].loose:
        cell = region.rows[above].cells[0] if region.rows[above].cells else ""
        if not cell.strip():
            above -= 1
            continue  # an empty paragraph between them
        found = label_of(cell)
        if found is None or found[0] != "goal":
            break
        labels.insert(0, cell)
        above -= 1
    return labels


def _hard(region: Region, index: int) -> int:
    """Read a real row of labels; the rows it used (two when amounts stand in the row below)."""
    row = region.rows[index]
    marks: list[tuple[int, str, str]] = []  # (column, label, value glued to it)
    for col, cell in row.filled:
        if label_of(cell) is not None or label_key(cell) in vocabulary().titles:
            marks.append((col, cell, ""))
            continue
        split = split_prefixed(cell)
        if split is not None:
            marks.append((col, split[0], split[1]))
    if _columnar_funds(region, index, marks):
        return 2
    for number, (col, label, glued) in enumerate(marks):
        end = marks[number + 1][0] if number + 1 < len(marks) else len(row.cells)
        values = [glued] if glued else [row.cells[c] for c in range(col + 1, end) if row.cells[c]]
        assign(region, label, values, row.at(col), col)
    return 1


def _columnar_funds(region: Region, index: int, marks: list[tuple[int, str, str]]) -> bool:
    """资金来源 | 财政拨款 | 非税安排 | 上年结转 | 其他 over a row of amounts: pair them."""
    row = region.rows[index]
    funds = [(col, label) for col, label, glued in marks if not glued and lookup("funds", label)]
    if len(funds) < 2 or len(funds) + 1 < len(row.filled):
        return False
    rows = region.rows
    if index + 1 >= len(rows):
        return False
    below = rows[index + 1]
    amounts = [c for _, c in below.filled]
    if not amounts or any(not re.fullmatch(r"[\d.,]+(?:万元|元)?", c) for c in amounts):
        return False
    for (col, label), amount in zip(funds, amounts, strict=False):
        assign(region, label, [amount], row.at(col), None)
    return True


def assign(region: Region, label: str, values: list[str], source: Source, col: int | None) -> None:
    """Give a label's values to the field it names."""
    table = region.table
    found = label_of(label)
    text = " ".join(v for v in values if v).strip()
    if found is None:
        if label_key(label) in vocabulary().titles and text:
            table.context.title = text
        return
    kind, match = found
    if match.note in ("万元", "元"):
        table.money_in_yuan = match.note == "元"
    if kind == "section":
        region.spent = match.value == "spent"
        if match.value == "goals":
            region.in_goals = True
        return
    if kind == "goal":
        region.in_goals = True
        if col is not None:
            table.goal_columns[match.value] = col
        if text:
            table.goal_parts[match.value].append(text)
        # the label is recorded even when empty: the form asks for it (HDR/GOAL rules)
        table.sources.setdefault(f"goals.{match.value}", source)
        return
    if kind == "fund":
        if region.spent and match.value == "any.total":
            return  # "资金使用情况 合计: 109.8": the amount used (self-evaluation), not a budget
        _fund(table, label, match, [v for v in values if v] or [""], source, col)
        return
    _field(table, label, match.value, text, source)


def _field(table: TableBuilder, label: str, field: str, text: str, source: Source) -> None:
    if field == "name":
        if label_key(label) in _TRANSFER_NAMES or any(
            label_key(label) == label_key(w) for w in ("资金名称", "政策名称")
        ):
            table.scope = Scope.TRANSFER
        elif table.scope == Scope.DEPARTMENT:
            # "单位名称：X … 项目名称：Y": X filled in the form, the table is Y's
            table.scope = Scope.PROJECT
            table.fields.pop("name", None)
            table.fields.setdefault("filing_unit", table.fields.get("department", ""))
        table.set_field("name", text, source)
    elif field == "department_name":
        if "name" not in table.fields or not table.fields["name"]:
            table.set_field("name", text, source)
            table.scope = Scope.DEPARTMENT
        table.set_field("department", text, source, rank=0)
    elif field == "department":
        rank = next((r for word, r in _DEPARTMENT_RANK if word in label), 0)
        if text:
            table.set_field("department", text, source, rank=rank)
        else:  # the form asks for it: recorded, so that an empty one is reported
            table.sources.setdefault("department", source)
    elif field == "attribute":
        table.attributes.append((re.sub(r"[\s:：*＊]+", "", label), text))
    elif field in ("implementing_unit", "period", "filing_unit"):
        if text:
            table.set_field(field, text, source)
        else:  # the form asks for it: recorded, so that an empty one is reported
            table.sources.setdefault(field, source)


def _fund(
    table: TableBuilder,
    label: str,
    match: Match,
    values: list[str],
    source: Source,
    col: int | None,
) -> None:
    if match.value == "source":
        amount = table.amount(values[0], source, label)
        name = re.sub(r"^(其中)?[:：]?\s*(\d+[.、．])?", "", re.sub(r"[\s:：]+", "", label))
        table.fund_sources.append((name, amount))
        return
    scope, part = match.value.split(".")
    if scope == "any" and part != "total" and re.search(r"当年|本年", label):
        scope = "annual"
    if part == "total" and scope != "any":
        if col is not None:
            table.fund_columns[scope] = col
        table.set_amount(f"funds.{scope}.total", values[0], source)
        return
    if part == "total":
        table.fund_entries.append(("total", values[0], source, col))
        return
    if len(values) >= 2:
        table.set_amount(f"funds.period.{part}", values[0], source)
        table.set_amount(f"funds.annual.{part}", values[1], source)
        return
    if scope == "annual":
        table.set_amount(f"funds.annual.{part}", values[0], source)
        return
    table.fund_entries.append((part, values[0], source, col))
