"""What a unit types into the self-evaluation and monitoring forms, read as exact numbers:
one parser and one way back to text for both (and for the figures kept for the lists)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from jixiao.core import bounds
from jixiao.core.targets import format_decimal

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
