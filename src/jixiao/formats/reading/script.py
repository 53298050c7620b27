"""Traditional characters and mirror-site pinyin: read as the simplified text.

Tables republished by mirror sites come in traditional characters, sometimes with
the pinyin of a character inserted after it ("學(xué)校").  The reader reads such
a table as simplified text (產出指標 → 产出指标): the vocabulary, the rules and the
exports all work on simplified Chinese.  The file itself is never changed; the
reader reports the conversion once.  Whether a text is traditional is decided on
the whole input, so that a simplified table with one rare character is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜǹḿ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]*)\)"
)
_TONES = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜǹḿ]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # a dependency of reading only: loaded the first time a table needs it

    return opencc.OpenCC("t2s")


def strip_pinyin(text: str) -> str:
    """ "學(xué)校" → "學校": the pinyin a mirror site inserted after characters."""
    if "(" not in text or not _TONES.search(text):
        return text
    return _PINYIN.sub("", text)


def has_pinyin(text: str) -> bool:
    return "(" in text and bool(_PINYIN.search(text))


def to_simplified(text: str) -> str:
    if not _CJK.search(text):
        return text
    converted: str = _converter().convert(text)
    return converted


def is_traditional(sample: str) -> bool:
    """Many characters change when converted: the text is written in traditional characters."""
    sample = strip_pinyin(sample)
    cjk = len(_CJK.findall(sample))
    if cjk == 0:
        return False
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
    return changed >= 3 and changed * 50 >= cjk
