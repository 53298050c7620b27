"""Page furniture: what stands around a table and is never part of it.

Site navigation, 索引号, 发布时间, 扫一扫, 打印本页, a file's name on a sharing site,
signatures and notes (填报人, 注:) are not read; the form's own title, the year, the
money unit and the filing unit are read as the context of the table after them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.formats.reading.region import label_of
from jixiao.formats.reading.rows import label_key
from jixiao.formats.reading.vocabulary import vocabulary

NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))"
)
_LONG_SITE = re.compile(r"由会员分享|^[<〈]meta|^【#|如果您对该政策文件有疑问")
_FILE_NAME = re.compile(r"^\S+\.(?:xlsx?|docx?|pdf|wps|et)$", re.IGNORECASE)


@lru_cache(maxsize=131072)
def _furniture_kind(text: str) -> tuple[str, re.Match[str]] | None:
    """Long text is furniture only when a sharing site wrapped it ("…由会员分享…")."""
    if len(text) > 100:
        found = _LONG_SITE.search(text)
        return ("site", found) if found else None
    return vocabulary().furniture_kind(text)


def furniture_cells(cells: tuple[str, ...], loose: bool) -> tuple[str, str] | None:
    v = vocabulary()
    kinds: list[tuple[str, str]] = []
    if cells and label_key(cells[0]) in v.titles:
        rest = " ".join(cells[1:])
        return ("title", rest) if rest else None  # "标 题: | 项目支出绩效目标申报表"
    for cell in cells:
        key = label_key(cell)
        if key.startswith("填报单位") or key.startswith("项目单位(盖章)"):
            kinds.append(
                ("filing", re.sub(r"^(填报单位|项目单位)|[(（]盖章[)）]", "", key).strip())
            )
            continue
        if _FILE_NAME.match(cell.strip()):
            kinds.append(("site", cell))  # "…绩效自评表.xlsx": a file's name on a sharing site
            continue
        found = _furniture_kind(key) or _furniture_kind(cell.strip())
        if found is None:
            if kinds and kinds[0][0] in ("site", "footer") and not loose:
                continue  # "发布机构 | 原州区自然资源局": the rest of a site row
            return None
        kind, match = found
        if kind == "title" and (
            len(key) > 60
            or label_of(cell) is not None
            or NUMBERED.match(key)
            or re.search(r"[。，,；;]|[:：]$", cell.strip())
        ):
            # a numbered heading "(二)…绩效目标设定情况" is a section, and a sentence
            # ("…现将具体绩效目标设定如下:") is text: neither is the title
            return None
        value = match.group(1) if kind in ("year", "money_unit") else cell.strip()
        kinds.append((kind, value))
    if not kinds:
        return None
    for wanted in ("title", "year", "money_unit", "filing"):
        for kind, value in kinds:
            if kind == wanted:
                return kind, value
    return kinds[0]
