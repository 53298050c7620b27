"""Safety checks for Office files (zip containers) before a library opens them.

A hostile or broken upload must end in a clear Chinese message: not a zip, a
truncated or corrupt zip, a zip bomb (bounded decompressed size and ratio),
an encrypted (password-protected) or legacy binary Office file.
"""

from __future__ import annotations

import io
import zipfile
import zlib

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200
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


def zip_names(data: bytes) -> set[str]:
    """The member names of a zip, or an empty set when it is not a readable zip."""
    if not data.startswith(ZIP_MAGIC):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except _ZIP_ERRORS:
        return set()


def problem(data: bytes, kind: str, extension: str) -> str | None:
    """Why ``data`` cannot be opened as a ``kind`` file (Excel/Word), or None if it can."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            return f"{kind}文件有密码保护（已加密），无法读取。请在{kind}中取消密码后另存为 {extension} 再导入。"
        return f"这是旧版{kind}格式（.xls/.doc），请在{kind}中另存为 {extension} 后再导入。"
    if not data.startswith(ZIP_MAGIC):
        return f"这不是 {extension} 文件（{extension} 是 zip 格式的 Office 文档）。"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > MAX_UNZIPPED:
                return f"文件解压后超过 {MAX_UNZIPPED // 1024 // 1024} MB，疑似压缩炸弹，已拒绝。"
            for info in infos:
                if (
                    info.compress_size
                    and info.file_size / info.compress_size > MAX_RATIO
                    and info.file_size > 10 * 1024 * 1024
                ):
                    return "文件中有压缩比异常高的内容，疑似压缩炸弹，已拒绝。"
            broken = archive.testzip()
            if broken is not None:
                return f"文件已损坏：其中的“{broken}”校验失败。请重新导出或从原始来源再取一份。"
    except _ZIP_ERRORS as error:
        return f"文件已损坏或不完整（{type(error).__name__}），无法作为 {extension} 打开。请重新保存后再导入。"
    return None
