"""Export service: projects → the bytes of a file in a registered format and layout."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jixiao.core.findings import Finding
from jixiao.core.model import Project
from jixiao.core.summary import Summary, summarise
from jixiao.formats import html, xlsx
from jixiao.formats.form import DEFAULT_LAYOUT, load_layout
from jixiao.formats.pdf import FontMissing
from jixiao.formats.registry import EXPORT_FORMATS, SUMMARY_FORMATS, writer


class ExportError(Exception):
    """The export could not be produced (missing font, unwritable place): a Chinese message."""


def export(
    projects: Sequence[Project],
    to: str,
    layout: str = DEFAULT_LAYOUT,
    summary: Summary | None = None,
) -> bytes:
    if to not in EXPORT_FORMATS:
        raise ExportError(f"不支持的导出格式：{to}（可选：{'、'.join(EXPORT_FORMATS)}）")
    module = writer(to)
    try:
        data: bytes = module.write(list(projects), load_layout(layout), summary)
    except FontMissing as error:
        raise ExportError(str(error)) from error
    return data


def export_summary(
    projects: Sequence[Project], findings: Sequence[Finding], ruleset: str, to: str
) -> bytes:
    if to not in SUMMARY_FORMATS:
        raise ExportError(f"汇总表只能导出为 {'、'.join(SUMMARY_FORMATS)}")
    return write_summary(summarise(projects, findings, ruleset), to)


def write_summary(summary: Summary, to: str) -> bytes:
    """A summary already made, as the bytes of a file."""
    if to not in SUMMARY_FORMATS:
        raise ExportError(f"汇总表只能导出为 {'、'.join(SUMMARY_FORMATS)}")
    if to == "html":
        return html.write_summary(summary)
    return xlsx.write([], load_layout(DEFAULT_LAYOUT), summary)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file: never a half-written file."""
    temporary = target.with_name(f".{target.name}.part")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"无法写入 {target}：{error.strerror or error}") from error
