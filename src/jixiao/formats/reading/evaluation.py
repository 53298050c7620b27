"""A self-evaluation's budget block and its goal columns.

The block has column headings (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 |
得分, or 预算数(A) | 执行数(B) | 执行率(B/A) | 得分(20分*执行率)) and rows named
年度资金总额 / 其中：财政拨款 / 上年结转资金 / 其他资金.  Each row's figures are read in
the order of the headings (by column where the input keeps columns); labels repeated
inside a row (预算数 6.84 到位数 6.84 执行数 6.84) are skipped.  Amounts are 万元,
exactly; the rate is kept as printed, for the review to compare with the amounts.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.formats.reading.builder import parse_amount
from jixiao.formats.reading.region import Region, label_of
from jixiao.formats.reading.rows import Row
from jixiao.formats.reading.vocabulary import lookup

_MONEY = ("planned", "budget", "executed", "to_date", "predicted")
# "1-7月执行数", "1～7月执行情况", "半年度…": the month a monitoring report runs to.
_MONTH = re.compile(r"1\s*[-－—~～至到]\s*(1[0-2]|[1-9])\s*月")


def month_in(text: str) -> int | None:
    """N of "1-N月" in a heading, 6 for 半年; None when the text names no month."""
    found = _MONTH.search(text)
    if found is not None:
        return int(found.group(1))
    return 6 if "半年" in text else None


_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)%?$")


@lru_cache(maxsize=65536)
def _budget_heading(text: str) -> str | None:
    found = lookup("budget_columns", text)
    return found.value if found is not None else None


def heading_at(region: Region, index: int) -> tuple[list[tuple[str, int | None]], int] | None:
    """The block's column headings starting at ``index`` ((role, column), rows used), or None."""
    row = region.rows[index]
    if not any(_budget_heading(c) for _, c in row.filled):
        return None
    if row.loose:
        roles: list[tuple[str, int | None]] = []
        position = index
        for position in region.loose_run(index):
            text = region.rows[position].cells[0]
            role = _budget_heading(text) if text else "skip"
            if role is None:
                break
            if role not in ("skip", "label"):
                roles.append((role, None))
        else:
            position += 1
        used = position - index
    else:
        roles = []
        for col, text in row.filled:
            role = _budget_heading(text)
            if role is not None and role != "label":
                roles.append((role, col if row.positional else None))
        used = 1
        # a heading broken over two rows ("项目资金 (万元) |" then the headings)
        if not roles and index + 1 < len(region.rows) and len(row.filled) == 1:
            return None
    kinds = {role for role, _ in roles}
    if len(roles) < 2 or not kinds & set(_MONEY):
        return None
    return roles, used


def read_block(region: Region, index: int) -> int:
    """Read the block from its headings on; the index of the first row after it."""
    found = heading_at(region, index)
    assert found is not None
    roles, used = found
    table = region.table
    table.evaluation = table.evaluation or any(r in ("executed", "rate", "score") for r, _ in roles)
    table.monitoring = table.monitoring or any(r in ("to_date", "predicted") for r, _ in roles)
    for _, text in rows_texts(region, index, used):
        table.month = table.month or month_in(text)
    region.used += used
    position = index + used
    rows = region.rows
    while position < len(rows):
        row = rows[position]
        if row.blank:
            position += 1
            continue
        texts: list[tuple[int | None, str]]
        if row.loose:
            texts = [(None, rows[p].cells[0]) for p in _loose_cells(region, position)]
            consumed = max(1, len(texts))
        else:
            texts = [(col if row.positional else None, text) for col, text in row.filled]
            consumed = 1
        label_index = next(
            (i for i, (_, text) in enumerate(texts) if lookup("budget_rows", text) is not None),
            None,
        )
        if label_index is None or label_index > 1:
            break
        name = lookup("budget_rows", texts[label_index][1])
        assert name is not None
        _read_row(region, name.value, texts[label_index + 1 :], roles, row)
        region.used += consumed
        position += consumed
    return position


def rows_texts(region: Region, index: int, used: int) -> list[tuple[int, str]]:
    """The filled cells of rows ``index`` to ``index + used``."""
    return [cell for row in region.rows[index : index + max(used, 1)] for cell in row.filled]


def _loose_cells(region: Region, start: int) -> list[int]:
    """A row label and the values after it, one per line, up to the next label."""
    cells = [start]
    for position in region.loose_run(start + 1):
        text = region.rows[position].cells[0]
        if lookup("budget_rows", text) is not None or (text and label_of(text) is not None):
            break
        if text and not _NUMBER.match(re.sub(r"[\s,万元]", "", text)) and text not in "—-/":
            break
        cells.append(position)
    return cells


def _read_row(
    region: Region,
    name: str,
    cells: list[tuple[int | None, str]],
    roles: list[tuple[str, int | None]],
    row: Row,
) -> None:
    table = region.table
    values = [(col, text) for col, text in cells if not lookup("budget_rows", text)]
    values = [(col, t) for col, t in values if not lookup("budget_columns", t)]
    by_column = {col: role for role, col in roles if col is not None}
    figures: dict[str, object] = table.budget.setdefault(name, {})
    ordered = iter(role for role, _ in roles)
    has_rate = any(role == "rate" for role, _ in roles)
    for col, text in values:
        if not has_rate and text.strip().endswith(("%", "％")) and (col is None or not by_column):
            figures["rate"] = text.strip()  # the 执行率 heading was lost: a percentage is the rate
            continue
        role = by_column.get(col) if col is not None and by_column else next(ordered, None)
        if role is None:
            continue
        if role in _MONEY:
            amount, readable = parse_amount(text, table.money_in_yuan)
            if readable and amount is not None:
                figures[role] = amount
        elif role == "rate":
            if text.strip() not in ("", "—", "-", "/"):
                figures["rate"] = text.strip()
        elif role == "reason":
            figures["reason"] = text.strip()
        elif role in ("weight", "score"):
            number = _decimal(text)
            if number is not None:
                figures[role] = number
    if name == "total":
        total = figures.get("budget", figures.get("planned"))
        if isinstance(total, Decimal) and table.amounts.get("funds.annual.total") is None:
            table.amounts["funds.annual.total"] = total
            table.sources["funds.annual.total"] = row.source
    elif name == "fiscal":
        fiscal = figures.get("budget", figures.get("planned"))
        if isinstance(fiscal, Decimal) and table.amounts.get("funds.annual.fiscal") is None:
            table.amounts["funds.annual.fiscal"] = fiscal
            table.sources["funds.annual.fiscal"] = row.source


def _decimal(text: str) -> Decimal | None:
    compact = re.sub(r"[\s分%]", "", text)
    if not re.fullmatch(r"-?(?:\d+(?:\.\d*)?|\.\d+)", compact):
        return None
    return Decimal(compact)
