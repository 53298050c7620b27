"""Targets written as text: lists under headings, and items in one cell.

"一、产出指标 (一)数量指标 设施温棚种植人员(县内培训)≧300人;", "1.数量指标:吴冲路:路面硬化,
建设里程1.091公里,…", a cell "开展文物安全巡查频次8次;编制文物宣传资料数量3个;…", or
"指标1:培训场次(≥12场)": each item becomes an indicator under the heading it stands
under; its value is what ends the item (a number with its unit, an operator and
what follows, a date, or a qualitative word such as 提高, 持续改善).
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.targets import Kind, parse_target
from jixiao.formats.reading.vocabulary import vocabulary

_HEADING = re.compile(
    r"^(?P<number>[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d))\s*"
    r"(?P<category>[^:：,，;；。]{2,14}?指标)\s*[:：]?\s*(?P<rest>.*)$"
)
_OPERATOR = re.compile(
    r"[≥≤><=≧≦＞＜＝]|不低于|不少于|不超过|不高于|不小于|不大于|大于等于|小于等于|控制在|达到"
)
_ITEMS = re.compile(r"[;；。]\s*")
_PARTS = re.compile(r"[,，]\s*")
_PAREN_VALUE = re.compile(r"^(?:指标\d+[:：])?(?P<name>.+?)[(（](?P<value>[^()（）]+)[)）]$")
_CONNECTOR = re.compile(r"(?:达到?|为|是|[:：])$")


@lru_cache(maxsize=65536)
def heading(text: str) -> tuple[str, str] | None:
    """ "一、产出指标" → ("一、产出指标", ""); "1.数量指标:吴冲路…" → ("1.数量指标", "吴冲路…")."""
    match = _HEADING.match(text.strip())
    if not match:
        return None
    category = match.group("number") + match.group("category")
    if not framework.is_category(category) and not framework.is_category(match.group("category")):
        return None
    return category.strip(), match.group("rest").strip()


def numbering_style(category: str) -> str:
    """ "一、" → "一、", "(一)" → "(一)", "1." → "1." : the kind of numbering before a heading."""
    text = category.strip()
    if re.match(r"^[一二三四五六七八九十]+[、.．]", text):
        return "一、"
    if re.match(r"^[(（][一二三四五六七八九十]+[)）]", text):
        return "(一)"
    if re.match(r"^[(（]\d+[)）]", text):
        return "(1)"
    if re.match(r"^\d{1,2}[.、．]", text):
        return "1."
    return ""


def both_levels(category: str) -> bool:
    return framework.level1_of(category) is not None and framework.level2_of(category) is not None


def is_first_level(category: str) -> bool:
    """By its name, or for 成本指标 (both levels) by its numbering: 一、 heads, (一) is under."""
    first = framework.level1_of(category) is not None
    second = framework.level2_of(category) is not None
    if first and second:
        return not re.match(r"^\s*[(（]", category)
    return first


def items(text: str) -> list[tuple[str, str]]:
    """The (name, value) items of a text; an item with no value has the whole text as name."""
    found: list[tuple[str, str]] = []
    for item in _ITEMS.split(text.strip()):
        item = item.strip(" ,，、")
        if not item:
            continue
        found.extend(_item(item))
    return found


def _item(item: str) -> list[tuple[str, str]]:
    paren = _PAREN_VALUE.match(item)
    if paren and _value_like(paren.group("value")):
        return [(paren.group("name"), paren.group("value"))]
    results: list[tuple[str, str]] = []
    pending = ""
    for part in _PARTS.split(item):
        if not part:
            continue
        name, value = split_value(part)
        if value and (name or pending):
            joined = f"{pending},{name}" if pending and name else (pending or name)
            results.append((_CONNECTOR.sub("", joined).strip(), value))
            pending = ""
        else:
            pending = f"{pending},{part}" if pending else part
    if pending and (not results or not split_value(pending)[1]):
        results.append((pending, ""))
    return results


def split_value(text: str) -> tuple[str, str]:
    """(name, value) of one item: the value is what ends it."""
    text = text.strip()
    if _qualitative_phrase(text):
        return "", text
    if _value_like(text) and not re.search(
        r"[\u4e00-\u9fff]{4,}", re.sub(r"年|月|日|底|前|以上|以内", "", text)
    ):
        return "", text
    operator = _OPERATOR.search(text)
    if operator and operator.start() > 0:
        value = text[operator.start() :]
        if parse_target(value).kind in (Kind.QUANTITATIVE, Kind.TIME):
            return _CONNECTOR.sub("", text[: operator.start()]), value
    quantity = _trailing_quantity(text)
    if quantity:
        return _CONNECTOR.sub("", text[: -len(quantity)]), quantity
    for word in vocabulary().qualitative:
        if len(word) >= 2 and text.endswith(word) and len(text) > len(word) + 1:
            return _CONNECTOR.sub("", text[: -len(word)]), word
    return text, ""


def _trailing_quantity(text: str) -> str:
    for unit in (*vocabulary().units, ""):
        match = re.search(rf"(?<![\d.])(\d+(?:\.\d+)?){re.escape(unit)}(?:以上|以下|以内)?$", text)
        if (
            match
            and match.start() > 0
            and parse_target(match.group(0)).kind is Kind.QUANTITATIVE
            and (unit or not re.search(r"[\u4e00-\u9fff]\d+$", text[: match.start() + 1]))
        ):
            return match.group(0)
    return ""


def _value_like(text: str) -> bool:
    kind = parse_target(text).kind
    if kind in (Kind.QUANTITATIVE, Kind.TIME):
        return True
    return _qualitative_phrase(text)


def _qualitative_phrase(text: str) -> bool:
    """Nothing but qualitative words: 提高, 持续提高, 明显改善, 基本健全."""
    if not text:
        return False
    words = vocabulary().qualitative
    position = 0
    while position < len(text):
        word = next((w for w in words if text.startswith(w, position)), None)
        if word is None:
            return False
        position += len(word)
    return True
