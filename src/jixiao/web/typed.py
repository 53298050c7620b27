"""What a unit types into the self-evaluation and monitoring forms: numbers read exactly
(one parser and one way back to text for both, and the rates kept for the lists), and rows
typed for an approved table that the targets' adjustment may since have changed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from jixiao.core import bounds
from jixiao.core.model import Project as CoreProject
from jixiao.core.targets import format_decimal
from jixiao.web.mapping import to_core

Row = TypeVar("Row")

RATE_PLACES = Decimal("0.0001")


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def number(text: str, where: str, label: str, problems: list[bounds.Problem]) -> Decimal | None:
    """The typed amount (万元) or weight as a Decimal, None when empty; text that is not a
    number becomes a problem naming its field (the write boundary bounds the rest)."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned[:60])
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or len(cleaned) > 60:
        problems.append(bounds.Problem(where, label, f"{label}“{text[:30]}”不是数字。"))
        return None
    return value


def stored_rate(value: Decimal | None) -> Decimal | None:
    """A rate rounded for the lists' column; None for one too large to mean anything."""
    if value is None:
        return None
    try:
        rounded = value.quantize(RATE_PLACES)
    except InvalidOperation:
        return None
    return rounded if rounded.adjusted() < 20 else None


def aligned(
    typed_for: list[str], rows: list[Row], names: list[str], empty: Callable[[], Row]
) -> list[Row]:
    """``rows`` typed for the indicators ``typed_for``, for the indicators ``names``: each row
    follows its indicator by name (an added indicator gets an ``empty`` row, a removed one's
    row drops out).  Rows stored without names are taken as they are when the count fits."""
    if typed_for == names or (not typed_for and len(rows) == len(names)):
        return rows
    by_name = dict(zip(typed_for, rows, strict=False))
    return [by_name[name] if name in by_name else empty() for name in names]


def stale(data: dict[str, Any], base: CoreProject) -> bool:
    """A stored form (jixiao/1) written for other targets than the project's current ones."""
    stored = to_core(data)
    return [(i.name, i.target.text) for i in stored.indicators] != [
        (i.name, i.target.text) for i in base.indicators
    ]
