"""What one import may cost, as data: the limits, and the budget that enforces them.

Every reader gets a ``Budget``: the ``Limits`` and a deadline.  Readers check sizes
and counts *before* a library parses anything where the file declares them (a zip's
central directory), and count as they stream where it does not (rows, cells, PDF
pages and the objects on a page); the deadline is checked between rows, sheets,
pages and chunks — never a signal.  Exceeding a limit raises ``LimitExceeded``, whose
text is the Chinese message the user sees: which limit, the file's value, what to do.

``docs/formats.md`` lists the limits generated from ``Limits`` (``python -m jixiao.docgen``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

MiB = 1024 * 1024
# Compression ratios are judged only from this decompressed size on: a small part may
# compress very well (an empty sheet) without costing anything.
RATIO_FLOOR = 1 * MiB

_BYTES, _SECONDS, _RATIO = "MB", "秒", "倍"


def _limit(default: float, what: str, unit: str, advice: str, about: str = "") -> Any:
    """A limit: its default, its name in messages, unit, advice, and what it counts (docs)."""
    metadata = {"what": what, "unit": unit, "advice": advice, "about": about or what}
    return field(default=default, metadata=metadata)


_SPLIT = "请把文件拆成几个较小的文件，或只保留绩效目标表后再导入。"
_RESAVE = "疑似压缩炸弹，已拒绝。如果这是正常的文件，请在 Excel/Word 中重新保存后再导入。"
_COMPLEX = "这一页不像绩效目标表。请提供 Excel/Word 文件，或只导出绩效目标表所在的页。"


@dataclass(frozen=True)
class Limits:
    """The limits of one import.  The defaults hold every real target table with room to
    spare (a department's workbook of 200 projects is about 60,000 cells; a table of 10,000
    indicators is read in every format) and keep the memory of one import under about
    300 MB (``tests/integration/test_hostile_files.py``)."""

    file_bytes: int = _limit(20 * MiB, "文件大小", _BYTES, _SPLIT)
    seconds: float = _limit(
        60,
        "导入用时",
        _SECONDS,
        "文件过大或过于复杂，已停止读取。请拆成几个文件后再导入。",
        "一次导入的用时（在行、工作表、页和数据块之间检查）",
    )
    parts: int = _limit(
        10_000,
        "Office 文件中的部件数",
        "个",
        _RESAVE,
        "Office 文件（zip）中的部件数，在读取目录之前",
    )
    unzipped_bytes: int = _limit(64 * MiB, "Office 文件解压后的总大小", _BYTES, _RESAVE)
    part_bytes: int = _limit(
        32 * MiB, "解压后的大小", _BYTES, _RESAVE, "Office 文件中一个部件解压后的大小"
    )
    part_ratio: int = _limit(
        200,
        "压缩比",
        _RATIO,
        _RESAVE,
        f"Office 文件中一个部件的压缩比（解压后超过 {RATIO_FLOOR // MiB} MB 时）",
    )
    total_ratio: int = _limit(
        100,
        "Office 文件整体的压缩比",
        _RATIO,
        _RESAVE,
        f"Office 文件整体的压缩比（解压后超过 {RATIO_FLOOR // MiB} MB 时）",
    )
    elements: int = _limit(
        1_000_000,
        "元素数",
        "个",
        _SPLIT,
        "Office 文件中 XML 的元素数（Excel 工作表里的行和单元格另计）、网页的标签数、"
        "JSON 的对象和数组数",
    )
    sheets: int = _limit(200, "Excel 工作表数", "个", _SPLIT)
    rows: int = _limit(50_000, "行数", "行", _SPLIT, "一个文件的行数（Excel 各工作表合计，含空行）")
    cells: int = _limit(
        500_000,
        "单元格数",
        "个",
        _SPLIT,
        "一个文件的单元格数（含行中间的空单元格；合并单元格按展开计）",
    )
    pdf_pages: int = _limit(500, "PDF 页数", "页", "请把 PDF 拆成几个文件后再导入。")
    pdf_stream_bytes: int = _limit(
        32 * MiB, "PDF 中一个数据流解压后的大小", _BYTES, "疑似压缩炸弹，已拒绝。"
    )
    pdf_decoded_bytes: int = _limit(
        96 * MiB,
        "PDF 中数据流解压后的总大小",
        _BYTES,
        "请只导出绩效目标表所在的页，或提供 Excel/Word 文件。",
    )
    pdf_page_objects: int = _limit(
        50_000,
        "文字和图形数",
        "个",
        _COMPLEX,
        "PDF 一页上的文字和图形数（重复绘制的图形每次都计）",
    )
    pdf_page_crossings: int = _limit(
        10_000, "表格线的交点数", "个", _COMPLEX, "PDF 一页上横线数 × 竖线数（合并相接的线段后）"
    )


DEFAULT = Limits()


def describe(name: str) -> dict[str, str]:
    """The Chinese name, unit and advice of a limit."""
    for item in fields(Limits):
        if item.name == name:
            return dict(item.metadata)
    raise KeyError(name)


def shown(value: float, unit: str) -> str:
    """A value of a limit for a message: bytes in MB (KB below 1 MB), ratios whole."""
    if unit == _BYTES:
        number, scale = (value / MiB, "MB") if value >= MiB else (value / 1024, "KB")
        digits = f"{number:,.0f}" if number >= 100 else f"{number:,.1f}".removesuffix(".0")
        return f"{digits} {scale}"
    if unit == _SECONDS:
        return f"{value:,.0f} 秒"
    whole = unit == _RATIO or float(value).is_integer()
    return f"{value:,.0f} {unit}" if whole else f"{value:,.1f} {unit}"


class LimitExceeded(Exception):
    """A limit of ``Limits`` was exceeded; ``str()`` is the message for the user."""

    def __init__(
        self, name: str, value: float, limits: Limits, where: str = "", at_least: bool = False
    ) -> None:
        self.name, self.value, self.where, self.at_least = name, value, where, at_least
        self.limit = getattr(limits, name)
        super().__init__(self.message())

    def message(self) -> str:
        spec = describe(self.name)
        unit = spec["unit"]
        limit = shown(self.limit, unit)
        if self.name == "seconds":
            said = f"超过了上限 {limit}"
        elif self.at_least:  # counted while reading: stopped just past the limit
            value = shown(self.value, unit)
            said = f"超过了上限 {limit}（读到 {value}{' ' if unit == _BYTES else ''}时停止）"
        else:
            said = f"为 {shown(self.value, unit)}，超过了上限 {limit}"
        return f"{self.where}{spec['what']}{said}。{spec['advice']}"


class Budget:
    """One import: its limits, its deadline, and running totals (``spend``).

    Not shared between imports or threads.  ``tick()`` is cheap enough to call for every
    row or chunk: the clock is read every 64 ticks."""

    def __init__(
        self, limits: Limits = DEFAULT, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self._clock = clock
        self.started = clock()
        self._ticks = 0
        self._spent: dict[str, float] = {}
        # The first limit exceeded, kept even if a library catches the exception.
        self.exceeded: LimitExceeded | None = None

    def require(self, name: str, value: float, where: str = "", at_least: bool = False) -> None:
        """Raise ``LimitExceeded`` if ``value`` is over the limit ``name``."""
        if value > getattr(self.limits, name):
            error = LimitExceeded(name, value, self.limits, where, at_least)
            self.exceeded = self.exceeded or error
            raise error

    def spend(self, name: str, amount: float, where: str = "") -> None:
        """Add to this import's running total of ``name``, within its limit."""
        total = self._spent.get(name, 0) + amount
        self._spent[name] = total
        self.require(name, total, where, at_least=True)

    def spent(self, name: str) -> float:
        return self._spent.get(name, 0)

    def check_time(self) -> None:
        elapsed = self._clock() - self.started
        if elapsed > self.limits.seconds:
            error = LimitExceeded("seconds", elapsed, self.limits)
            self.exceeded = self.exceeded or error
            raise error

    def tick(self) -> None:
        self._ticks += 1
        if not self._ticks & 63:
            self.check_time()


def find_limit(error: BaseException | None) -> LimitExceeded | None:
    """The ``LimitExceeded`` behind ``error``, when a library wrapped it in its own exception."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, LimitExceeded):
            return error
        inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else None
        error = inner or error.__cause__ or error.__context__
        seen += 1
    return None
