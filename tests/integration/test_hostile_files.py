"""Hostile files (built by ``benchmarks/hostile.py``, nothing large committed): each one is
read through the real import path in a child process, and is refused — or read — with a
Chinese message that names what is wrong, within bounds of memory and time.

The memory bound is the child's own peak resident memory above a child that read a
one-line file (generous, so that a loaded CI machine passes); the time bound only
catches a hang (the import's own time budget is 60 s).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.hostile import HOSTILE, ROOT, measure

MEMORY_BOUND_MB = 300
HANG_SECONDS = 240
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# What each file must come to: the first finding's rule and words of its message, and the
# number of projects read (0: refused).
EXPECTED: dict[str, tuple[str, str, int]] = {
    "zip-bomb.xlsx": ("READ-LIMIT", "解压后的总大小为 1,000 MB，超过了上限 64 MB", 0),
    "deflate-bomb.xlsx": ("READ-LIMIT", "解压后的总大小为 1,024 MB", 0),
    "lying-sizes.xlsx": ("READ-UNREADABLE", "“xl/sharedStrings.xml”校验失败", 0),
    "many-sheets.xlsx": ("READ-LIMIT", "解压后的总大小为 189 MB", 0),
    "many-cells.xlsx": ("READ-LIMIT", "行数超过了上限 50,000 行", 0),
    "million-rows.xlsx": ("READ-LIMIT", "工作表“表1”：行数超过了上限 50,000 行", 0),
    "many-members.xlsx": ("READ-LIMIT", "部件数为 200,005 个，超过了上限 10,000 个", 0),
    "entity-bomb.xlsx": ("READ-UNREADABLE", "文档类型定义（DTD）", 0),
    "deep-merge.docx": ("READ-PLACEHOLDER-ROW", "", 1),
    "xml-elements.docx": ("READ-LIMIT", "“word/document.xml”：元素数超过了上限 1,000,000 个", 0),
    "pdf-bomb.pdf": ("READ-LIMIT", "PDF 中一个数据流解压后的大小超过了上限 32 MB", 0),
    "many-pages.pdf": ("READ-LIMIT", "PDF 页数超过了上限 500 页", 0),
    "many-chars.pdf": ("READ-LIMIT", "PDF 第 1 页：文字和图形数超过了上限 50,000 个", 0),
    "ruling-grid.pdf": ("READ-LIMIT", "PDF 第 1 页：表格线的交点数为 22,500 个", 0),
    "xobject-repeat.pdf": ("READ-LIMIT", "PDF 第 1 页：文字和图形数超过了上限", 0),
    "many-tags.html": ("READ-LIMIT", "元素数为 6,333,341 个", 0),
    "spans.html": ("READ-LIMIT", "网页的表1：单元格数超过了上限 500,000 个", 0),
    "many-lines.txt": ("READ-LIMIT", "行数超过了上限 50,000 行", 0),
    "control-chars.json": ("READ-INVISIBLE-CHARACTERS", "第一处在 projects/0/name", 1),
    "control-chars.txt": ("READ-INVISIBLE-CHARACTERS", "第一处在 control-chars.txt:13", 9),
    "huge-name.txt": ("", "", 9),
}


def test_every_hostile_file_has_an_expectation():
    assert set(EXPECTED) == set(HOSTILE)


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory) -> float:
    path = tmp_path_factory.mktemp("baseline") / "one-line.txt"
    path.write_text("项目名称\t测试\n", encoding="utf-8")
    return measure(path, ENV, HANG_SECONDS, 4 * 1024).peak_mb


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_or_read_with_a_message_within_bounds(
    name, baseline_mb, tmp_path
):
    path: Path = tmp_path / name
    path.write_bytes(HOSTILE[name][1]())
    got = measure(path, ENV, HANG_SECONDS, baseline_mb + 4 * MEMORY_BOUND_MB)
    assert not got.killed, got.killed
    assert got.result is not None, got.stderr
    assert "Traceback" not in got.stderr
    rule, words, projects = EXPECTED[name]
    result = got.result
    assert (result["rule"], result["projects"]) == (rule, projects), result
    assert words in result["message"], result["message"]
    if result["fatal"]:
        assert CHINESE.search(result["message"])
    assert got.peak_mb - baseline_mb < MEMORY_BOUND_MB, f"{got.peak_mb - baseline_mb:.0f} MB"
