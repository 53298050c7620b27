"""Import service: a path or bytes in, projects and findings out (never a traceback).

One import, one ``Budget`` (``jixiao.formats.limits``): every reader works within its
limits and deadline, and a file over any limit is refused with a message that says which.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.formats import archive, text
from jixiao.formats.base import ReadResult, refused, unreadable
from jixiao.formats.limits import DEFAULT, Budget, LimitExceeded, Limits
from jixiao.formats.registry import readers


def read_bytes(data: bytes, path: str = "", limits: Limits = DEFAULT) -> ReadResult:
    budget = Budget(limits)
    try:
        budget.require("file_bytes", len(data))
        for reader in readers():
            if reader.identify(data):
                result: ReadResult = reader.read(data, path, budget)
                return result
        if data.startswith((archive.ZIP_MAGIC, archive.OLE_MAGIC)):
            # An Office file nobody claims: corrupt, encrypted, legacy, over the limits, or
            # not Office at all.
            suffix = Path(path).suffix.lower()
            kind, extension = (
                ("Word", ".docx") if suffix in (".docx", ".doc") else ("Excel", ".xlsx")
            )
            return unreadable(
                path, archive.problem(data, kind, extension, budget) or "无法识别的 Office 文件。"
            )
    except LimitExceeded as error:
        return refused(path, error)
    # Nothing claims it: let the most tolerant reader explain what is wrong.
    fallback: ReadResult = text.read(data, path, budget)
    return fallback


def read_path(path: str | Path, limits: Limits = DEFAULT) -> ReadResult:
    name = str(path)
    file = Path(path)
    try:
        if not file.exists():
            return unreadable(name, "文件不存在。")
        if file.is_dir():
            return unreadable(name, "这是一个文件夹，不是文件。")
        size = file.stat().st_size
        if size > limits.file_bytes:
            return refused(name, LimitExceeded("file_bytes", size, limits))
        data = file.read_bytes()
    except PermissionError:
        return unreadable(name, "没有读取该文件的权限。")
    except OSError as error:
        return unreadable(name, f"无法读取文件：{error.strerror or error}")
    return read_bytes(data, name, limits)
