"""What every reader returns, and the checks shared by all readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.core.findings import Check, Finding, Severity, make_finding
from jixiao.core.model import Project
from jixiao.core.source import Source

UNREADABLE = Check(
    id="READ-UNREADABLE",
    severity=Severity.ERROR,
    title="文件无法读取为绩效目标表",
    fix="请提供绩效目标表的文本（UTF-8 或 GB18030 编码，制表符分隔）或 JSON 文件。",
    explanation="空文件、二进制文件、无法识别的编码、或找不到“项目名称”行的文本都不是绩效目标表；"
    "此时不会产生任何项目，命令以退出码 2 结束。",
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
