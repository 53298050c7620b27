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
}

_STRIP = re.compile(r"[\s★☆*＊:：]+")


def normalise(text: str) -> str:
    """Fold full-width forms and drop spaces and ★ marks: the key for matching."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=4096)  # a pure function of a short text; tables repeat the same few names
def canonical(text: str) -> str | None:
    """The framework's name for a category text, or ``None`` if it is not one."""
    key = normalise(text)
    if key in LEVEL2_PARENT or key in LEVEL1:
        return key
    return _ALIASES.get(key)


def level1_of(text: str) -> str | None:
    name = canonical(text)
    return name if name in LEVEL1 else None


def level2_of(text: str) -> str | None:
    name = canonical(text)
    return name if name in LEVEL2_PARENT else None


def is_category(text: str) -> bool:
    return canonical(text) is not None


def parents_of(level2: str) -> tuple[str, ...]:
    name = level2_of(level2)
    return LEVEL2_PARENT.get(name, ()) if name else ()
