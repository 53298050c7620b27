"""What every reader returns, the checks shared by all readers, and the one text filter
every writer uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jixiao.core.findings import Check, Finding, Severity, make_finding
from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.formats.limits import LimitExceeded

UNREADABLE = Check(
    id="READ-UNREADABLE",
    severity=Severity.ERROR,
    title="文件无法读取为绩效目标表",
    fix="请提供绩效目标表的文本（UTF-8 或 GB18030 编码，制表符分隔）或 JSON 文件。",
    explanation="空文件、二进制文件、无法识别的编码、或找不到“项目名称”行的文本都不是绩效目标表；"
    "此时不会产生任何项目，命令以退出码 2 结束。",
)
LIMIT = Check(
    id="READ-LIMIT",
    severity=Severity.ERROR,
    title="文件超过了导入的上限",
    fix="按提示拆分或精简文件后再导入；压缩炸弹一类的文件会被直接拒绝。",
    explanation="每次导入都有大小、数量和时间的上限（文件大小、解压后的大小和压缩比、工作表数、"
    "行数、单元格数、PDF 页数、导入用时等，见 docs/formats.md 的“导入的上限”）。"
    "上限在解析之前按文件声明的大小检查，或在读取的过程中逐行、逐页计数；超过任何一项就停止读取，"
    "说明是哪一项、文件的数值和上限，不产生任何项目，命令以退出码 2 结束。",
)
INVISIBLE = Check(
    id="READ-INVISIBLE-CHARACTERS",
    severity=Severity.WARNING,
    title="单元格中有控制字符或无效字符，已删除",
    fix="请检查这些单元格的文字；控制字符通常是从别的系统复制时带进来的。",
    explanation="控制字符（如 U+0001、U+0085；制表符和换行除外）、单独的代理码位（U+D800–U+DFFF）和"
    "非字符（U+FDD0–U+FDEF、U+FFFE、U+FFFF 等）不能写入 Excel、Word、网页等文件，也不能保存；"
    "读取时删除，并指出第一处的位置。",
)


@dataclass(frozen=True)
class ReadResult:
    projects: tuple[Project, ...] = ()
    findings: tuple[Finding, ...] = ()
    fatal: bool = False  # nothing could be read: exit code 2
    meta: dict[str, str] = field(default_factory=dict)  # e.g. {"encoding": "gb18030"}
    # How each table was read (``jixiao.formats.reading.TableReport``), for --verbose.
    tables: tuple[Any, ...] = ()


def unreadable(path: str, reason: str) -> ReadResult:
    finding = make_finding(UNREADABLE, reason, Source(path=path))
    return ReadResult(findings=(finding,), fatal=True)


def refused(path: str, error: LimitExceeded) -> ReadResult:
    """A file that exceeded a limit of the import: nothing read, the limit said."""
    finding = make_finding(LIMIT, str(error), Source(path=path))
    return ReadResult(findings=(finding,), fatal=True)


# XML 1.0 allows tab, newline, carriage return and U+0020..U+D7FF, U+E000..U+FFFD,
# U+10000..U+10FFFF.  Everything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) makes
# lxml, openpyxl and reportlab raise, and cannot be encoded as UTF-8 (surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


def writable(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD.

    The one filter of every writer (XLSX, DOCX, PDF, HTML, JSON) and of every reader's
    rows: such characters are never written, so no export can fail on them."""
    if text.isprintable() or not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(REPLACEMENT, text)


def shortened(text: str, limit: int, holder: str) -> str:
    """``text`` cut to ``limit`` characters with a note saying so, when it is longer than
    what ``holder`` (an Excel cell, a PDF page) can hold."""
    if len(text) <= limit:
        return text
    space = " " if holder[:1].isascii() else ""
    note = f"……（以下 {{:,}} 字超出{space}{holder}的容量，未写入；完整内容见 JSON 导出）"
    kept = limit - len(note.format(len(text)))
    return text[:kept] + note.format(len(text) - kept)
