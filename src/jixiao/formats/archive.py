"""Safety checks for Office files (zip containers) before a library opens them.

A hostile or broken upload must end in a clear Chinese message: not a zip, a
truncated or corrupt zip, an encrypted (password-protected) or legacy binary
Office file, a document type definition (entity expansion), or a file over the
limits of the import (``jixiao.formats.limits``).

The limits are checked from what the archive declares, before anything is
decompressed: the number of members (from the end record, before ``zipfile`` reads
the central directory), their decompressed sizes, each part's and the whole file's
compression ratio, the number of worksheets.  ``zipfile`` never inflates a member
beyond its declared size (a member that lies fails its CRC check), so these bounds
hold.  Then every member is decompressed once, in chunks, to check its CRC, and the
XML parts are streamed through a parser that builds nothing and counts: elements
(``Limits.elements``; python-docx and openpyxl build objects for them), and in Excel's
worksheets the rows and cells — before openpyxl reads a single row.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from typing import Any

from jixiao.formats.limits import DEFAULT, RATIO_FLOOR, Budget

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# What zipfile raises on a damaged or unusual archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,  # a damaged deflate stream
    NotImplementedError,  # an unknown compression method or zip version
    RuntimeError,  # an encrypted zip member
    OSError,
    ValueError,
    EOFError,
)
_CHUNK = 1024 * 1024
_CENTRAL_RECORD = 300  # bytes of one member's central directory record, with a long name
_XML_PARTS = (".xml", ".rels", ".vml")
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def declared_members(data: bytes) -> int:
    """How many members the zip's end record declares, before ``zipfile`` reads them all
    (it keeps an object per member: 200,000 members took 130 MB and 11 s).

    ``zipfile`` reads as many records as the central directory's size holds, so that size
    counts too.  0 when there is no end record (``zipfile`` then fails on its own)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return 0
    entries, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and data[locator : locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if data[record : record + 4] == b"PK\x06\x06" and record + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    return max(int(entries), int(size) // _CENTRAL_RECORD)


def zip_names(data: bytes) -> set[str]:
    """The member names of a zip, or an empty set when it is not a readable zip (or declares
    more members than any import may hold: ``problem`` then says so)."""
    if not data.startswith(ZIP_MAGIC) or declared_members(data) > DEFAULT.parts:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except _ZIP_ERRORS:
        return set()


def problem(data: bytes, kind: str, extension: str, budget: Budget | None = None) -> str | None:
    """Why ``data`` cannot be opened as a ``kind`` file (Excel/Word), or None if it can.

    Raises ``LimitExceeded`` when the file is over a limit of ``budget``."""
    budget = budget or Budget()
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            return f"{kind}文件有密码保护（已加密），无法读取。请在{kind}中取消密码后另存为 {extension} 再导入。"
        return f"这是旧版{kind}格式（.xls/.doc），请在{kind}中另存为 {extension} 后再导入。"
    if not data.startswith(ZIP_MAGIC):
        return f"这不是 {extension} 文件（{extension} 是 zip 格式的 Office 文档）。"
    budget.require("parts", declared_members(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_sizes(infos, len(data), budget, kind)
            return _scan(archive, infos, budget, kind)
    except _ZIP_ERRORS as error:
        return f"文件已损坏或不完整（{type(error).__name__}），无法作为 {extension} 打开。请重新保存后再导入。"


def _check_sizes(infos: list[zipfile.ZipInfo], size: int, budget: Budget, kind: str) -> None:
    total = sum(info.file_size for info in infos)
    budget.require("unzipped_bytes", total)
    budget.require("total_ratio", total / max(size, 1) if total > RATIO_FLOOR else 0)
    for info in infos:
        where = f"{kind} 文件中的部件“{info.filename}”："
        budget.require("part_bytes", info.file_size, where)
        if info.file_size > RATIO_FLOOR:
            budget.require("part_ratio", info.file_size / max(info.compress_size, 1), where)
    budget.require("sheets", sum(1 for info in infos if _WORKSHEET.fullmatch(info.filename)))


class _DocumentType(Exception):
    """A DTD in an Office part: OOXML has none, and entities can expand a billion times."""


class _Counter:
    """An lxml parser target that builds nothing: it counts elements and refuses a DTD.

    In a worksheet (read row by row later) the rows and cells are counted against their
    limits, the rest against ``elements``: openpyxl keeps an element for every row it has
    read, and objects for every merged range or rich-text run."""

    def __init__(self, budget: Budget, where: str, worksheet: bool) -> None:
        self.budget, self.where, self.worksheet = budget, where, worksheet
        self.counts = {"elements": 0, "rows": 0, "cells": 0}
        self.pending = 0

    def start(self, tag: str | bytes, attrib: Any) -> None:
        kind = "elements"
        if self.worksheet:
            name = str(tag).rsplit("}", 1)[-1]
            kind = "rows" if name == "row" else "cells" if name == "c" else "elements"
        self.counts[kind] += 1
        self.pending += 1
        if self.pending >= 4096:
            self.flush()

    def flush(self) -> None:
        for kind, count in self.counts.items():
            if count:
                self.budget.spend(kind, count, self.where)
                self.counts[kind] = 0
        self.pending = 0

    def end(self, tag: str | bytes) -> None:
        pass

    def data(self, data: str | bytes) -> None:
        pass

    def comment(self, text: str | bytes) -> None:
        pass

    def doctype(self, *args: Any) -> None:
        raise _DocumentType

    def close(self) -> None:
        self.flush()


def _scan(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], budget: Budget, kind: str
) -> str | None:
    """Decompress every member once, in chunks: its CRC is checked at its end, the XML parts
    are counted.  A message for a corrupt member or a DTD."""
    from lxml import etree

    for info in infos:
        counter: _Counter | None = None
        parser: Any = None
        if info.filename.lower().endswith(_XML_PARTS):
            where = f"{kind} 文件中的部件“{info.filename}”："
            counter = _Counter(budget, where, bool(_WORKSHEET.fullmatch(info.filename)))
            parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True)
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    budget.check_time()
                    if parser is not None:
                        try:
                            parser.feed(chunk)
                        except etree.XMLSyntaxError:
                            parser = None  # a broken part is the library's to report
            if parser is not None and counter is not None:
                try:
                    parser.close()
                except etree.XMLSyntaxError:
                    counter.flush()
        except _DocumentType:
            return (
                f"{kind}文件中的“{info.filename}”含有文档类型定义（DTD），正常的 Office 文件没有，"
                "它可以让实体展开成极大的内容，已拒绝。请在 Office 中重新保存后再导入。"
            )
        except zipfile.BadZipFile:
            return f"文件已损坏：其中的“{info.filename}”校验失败。请重新导出或从原始来源再取一份。"
    return None
