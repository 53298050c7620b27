"""Import service: a path or bytes in, projects and findings out (never a traceback)."""

from __future__ import annotations

from pathlib import Path

from jixiao.formats import archive, text
from jixiao.formats.base import ReadResult, unreadable
from jixiao.formats.registry import readers

MAX_FILE_BYTES = text.MAX_BYTES


def read_bytes(data: bytes, path: str = "") -> ReadResult:
    if len(data) > MAX_FILE_BYTES:
        return unreadable(
            path,
            f"文件过大（{len(data) // 1024 // 1024} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。",
        )
    for reader in readers():
        if reader.identify(data):
            result: ReadResult = reader.read(data, path)
            return result
    if data.startswith((archive.ZIP_MAGIC, archive.OLE_MAGIC)):
        # An Office file nobody claims: corrupt, encrypted, legacy, or not Office at all.
        suffix = Path(path).suffix.lower()
        kind, extension = ("Word", ".docx") if suffix in (".docx", ".doc") else ("Excel", ".xlsx")
        return unreadable(
            path, archive.problem(data, kind, extension) or "无法识别的 Office 文件。"
        )
    # Nothing claims it: let the most tolerant reader explain what is wrong.
    fallback: ReadResult = text.read(data, path)
    return fallback


def read_path(path: str | Path) -> ReadResult:
    name = str(path)
    file = Path(path)
    try:
        if not file.exists():
            return unreadable(name, "文件不存在。")
        if file.is_dir():
            return unreadable(name, "这是一个文件夹，不是文件。")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return unreadable(
                name,
                f"文件过大（{size // 1024 // 1024} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。",
            )
        data = file.read_bytes()
    except PermissionError:
        return unreadable(name, "没有读取该文件的权限。")
    except OSError as error:
        return unreadable(name, f"无法读取文件：{error.strerror or error}")
    return read_bytes(data, name)
