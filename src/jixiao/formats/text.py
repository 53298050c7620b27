"""Reader for tables as text: extracted from PDF/Word, or copied from a web page.

Decoding happens here (UTF-8, BOM, UTF-16, GB18030); the separators are found line
by line (``jixiao.formats.reading.lines``) and the reading of the rows is shared
with the other formats (``jixiao.formats.reading``).
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import replace

from jixiao.formats.base import ReadResult, unreadable
from jixiao.formats.intake import limited, read_guarded
from jixiao.formats.limits import Budget
from jixiao.formats.reading import CHECKS, read_rows
from jixiao.formats.reading.lines import split_lines

NAME = "text"
__all__ = ["CHECKS", "NAME", "decode", "identify", "read", "read_text", "split_lines"]

# --- decoding --------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str] | None:
    """Detect the encoding (UTF-8 with or without BOM, UTF-16 with BOM, GB18030)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    return controls > max(8, len(sample) // 100)


def identify(data: bytes) -> bool:
    decoded = decode(data[:65536] if len(data) > 65536 else data)
    if decoded is None:
        # A multi-byte character may be cut at the sample's end: decode it all.
        decoded = decode(data)
    return decoded is not None and not looks_binary(decoded[0]) and _mentions_a_table(decoded[0])


def _mentions_a_table(text: str) -> bool:
    """Words every kind of target table has somewhere: a name label or an indicator heading."""
    return any(word in text for word in _TABLE_WORDS)


_TABLE_WORDS = ("项目名称", "名称", "指标", "指標", "绩效", "績效")


def read_text(text: str, path: str = "") -> ReadResult:
    return read_rows(split_lines(text, path), path)


@limited
def read(data: bytes, path: str, budget: Budget) -> ReadResult:
    if not data.strip():
        return unreadable(path, "文件是空的，没有可以读取的绩效目标表。")
    budget.require("file_bytes", len(data))
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return unreadable(path, "这是二进制文件，不是文本格式的绩效目标表。")
    decoded = decode(data)
    if decoded is None:
        return unreadable(
            path, "无法识别文件的文字编码（支持 UTF-8、带 BOM 的 UTF-8、UTF-16 和 GB18030）。"
        )
    text, encoding = decoded
    if looks_binary(text):
        return unreadable(path, "文件中含有大量控制字符，不是文本格式的绩效目标表。")
    result = read_guarded(split_lines(text, path), path, "文件", budget)
    return replace(result, meta={"encoding": encoding})
