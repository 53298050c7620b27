"""The indicator framework of 财预〔2021〕101号: 一级 and 二级 categories.

Category names are matched after normalisation (spaces and full-width forms
removed, known aliases folded); the text as written is always kept by the
model, the canonical name is derived here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

OUTPUT = "产出指标"
COST = "成本指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"

LEVEL1: tuple[str, ...] = (OUTPUT, COST, BENEFIT, SATISFACTION)

QUANTITY = "数量指标"
QUALITY = "质量指标"
TIMELINESS = "时效指标"
ECONOMIC_COST = "经济成本指标"
SOCIAL_COST = "社会成本指标"
ECOLOGICAL_COST = "生态环境成本指标"
ECONOMIC_BENEFIT = "经济效益指标"
SOCIAL_BENEFIT = "社会效益指标"
ECOLOGICAL_BENEFIT = "生态效益指标"
SUSTAINABILITY = "可持续影响指标"
SERVED_SATISFACTION = "服务对象满意度指标"

# 二级 → the 一级 it belongs to.  成本指标 as a 二级 under 产出指标 is the
# placement used before 101号 and still by many local forms: both are valid.
LEVEL2_PARENT: dict[str, tuple[str, ...]] = {
    QUANTITY: (OUTPUT,),
    QUALITY: (OUTPUT,),
    TIMELINESS: (OUTPUT,),
    COST: (OUTPUT,),
    ECONOMIC_COST: (COST,),
    SOCIAL_COST: (COST,),
    ECOLOGICAL_COST: (COST,),
    ECONOMIC_BENEFIT: (BENEFIT,),
    SOCIAL_BENEFIT: (BENEFIT,),
    ECOLOGICAL_BENEFIT: (BENEFIT,),
    SUSTAINABILITY: (BENEFIT,),
    SERVED_SATISFACTION: (SATISFACTION,),
}

_ALIASES: dict[str, str] = {
    "产出": OUTPUT,
    "成本": COST,
    "效益": BENEFIT,
    "满意度": SATISFACTION,
    "数量": QUANTITY,
    "质量": QUALITY,
    "时效": TIMELINESS,
    "经济成本": ECONOMIC_COST,
    "社会成本": SOCIAL_COST,
    "生态环境成本": ECOLOGICAL_COST,
    "生态成本指标": ECOLOGICAL_COST,
    "经济效益": ECONOMIC_BENEFIT,
    "社会效益": SOCIAL_BENEFIT,
    "生态效益": ECOLOGICAL_BENEFIT,
    "生态环境效益指标": ECOLOGICAL_BENEFIT,
    "可持续影响": SUSTAINABILITY,
    "可持续发展指标": SUSTAINABILITY,
    "可持续影响力指标": SUSTAINABILITY,
    "服务对象满意度": SERVED_SATISFACTION,
    "社会公众或服务对象满意度指标": SERVED_SATISFACTION,
    "服务对象或社会公众满意度指标": SERVED_SATISFACTION,
    "社会公众满意度指标": SERVED_SATISFACTION,
    "服务对象满意度指标等": SERVED_SATISFACTION,
    "受益对象满意度指标": SERVED_SATISFACTION,
    "经济效益效益指标": ECONOMIC_BENEFIT,
    "社会效益效益指标": SOCIAL_BENEFIT,
    "生态效益效益指标": ECOLOGICAL_BENEFIT,
    "环境效益": ECOLOGICAL_BENEFIT,
    "环境效益指标": ECOLOGICAL_BENEFIT,
    "生态环境效益": ECOLOGICAL_BENEFIT,
    "可持续影响力": SUSTAINABILITY,
    "生态成本": ECOLOGICAL_COST,
    "时效性指标": TIMELINESS,
    "可持续性影响指标": SUSTAINABILITY,
    "可持续性指标": SUSTAINABILITY,
    "群众满意度指标": SERVED_SATISFACTION,
    "受益群众满意度指标": SERVED_SATISFACTION,
}

# Other names printed for a framework category: read as that category, and said so
# once per table by the reader (they are not errors of the framework's vocabulary).
SYNONYMS: dict[str, str] = {
    "项目完成指标": OUTPUT,
    "预期产出指标": OUTPUT,
    "产出目标": OUTPUT,
    "项目产出指标": OUTPUT,
    "效果指标": BENEFIT,
    "项目效益指标": BENEFIT,
    "预期效益指标": BENEFIT,
    "效益目标": BENEFIT,
    "社会满意度指标": SATISFACTION,
    "满意度目标": SATISFACTION,
}

_STRIP = re.compile(r"[\s★☆*＊:：]+")
# Notes printed around a category: a score "(50分)", "(20)", "30分)", numbering "一、",
# "(一)", "1." and a template's "(必填)" / "(选填)" / "(必填硬性指标)".
_NOTES = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
    r"|[(（]?\d+(?:\.\d+)?分?[)）]$|[(（]\d+(?:\.\d+)?分?[)）]?$|(?<=指标)\d+(?:\.\d+)?分$"
    r"|[(（](?:权重)?[:：]?\d+(?:\.\d+)?%[)）]$"
    r"|[(（](?:必填|选填|必填硬性指标|选填指标|必填指标)[)）]"
)


def normalise(text: str) -> str:
    """Fold full-width forms and drop spaces and ★ marks: the key for matching."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=4096)
def strip_notes(text: str) -> str:
    """ "一、产出指标(50分)" → "产出指标": the category without its numbering and score."""
    key = normalise(text)
    for _ in range(3):
        stripped = _NOTES.sub("", key)
        if stripped == key:
            break
        key = stripped
    return key


@lru_cache(maxsize=4096)  # a pure function of a short text; tables repeat the same few names
def canonical(text: str) -> str | None:
    """The framework's name for a category text, or ``None`` if it is not one."""
    key = normalise(text)
    if key in LEVEL2_PARENT or key in LEVEL1:
        return key
    found = _ALIASES.get(key) or SYNONYMS.get(key)
    if found is None:
        stripped = strip_notes(key)
        if stripped != key and stripped:
            return canonical(stripped)
    return found


@lru_cache(maxsize=4096)
def synonym_of(text: str) -> str | None:
    """The framework's 一级 when ``text`` is a synonym for it ("项目完成指标" → 产出指标)."""
    return SYNONYMS.get(strip_notes(text))


def level1_of(text: str) -> str | None:
    name = canonical(text)
    return name if name in LEVEL1 else None


def level2_of(text: str) -> str | None:
    name = canonical(text)
    return name if name in LEVEL2_PARENT else None


@lru_cache(maxsize=4096)
def level2_in_table(text: str) -> str | None:
    """The 二级 a table's 二级 cell means: as ``level2_of``, and 满意度指标 written again as
    the 二级 (its 一级 has one 二级) is that one, 服务对象满意度指标."""
    name = canonical(text)
    if name == SATISFACTION or (name is None and "满意" in text):
        return SERVED_SATISFACTION  # 群众满意度, 受益对象满意程度…: the one 二级 of 满意度
    return level2_of(text)


def is_category(text: str) -> bool:
    return canonical(text) is not None


def parents_of(level2: str) -> tuple[str, ...]:
    name = level2_of(level2)
    return LEVEL2_PARENT.get(name, ()) if name else ()
