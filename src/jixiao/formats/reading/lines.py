"""Lines of text → rows of cells: the separator is found line by line, not per file.

A table copied as text comes in many shapes, and one page may hold several:
tab-separated rows; pipe rows (``| a | b ||``, empty cells as ``||``); one cell per
line ending in `` |`` (a web table copied cell by cell, a bare ``|`` an empty cell);
one cell per paragraph (blank lines between cells, a line of spaces an empty cell);
runs of two or more spaces; single spaces between cells where most of the words of
the line are table words (labels, categories, values); and lines where the cells
are glued together with no separator at all (those are split later, by vocabulary,
see ``cells``).  Cells whose row was lost come out ``loose``: the table reader puts
the rows together again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.core import framework
from jixiao.core.source import Source
from jixiao.core.targets import Kind, parse_target
from jixiao.formats.reading.rows import Row, clean_cell
from jixiao.formats.reading.vocabulary import TABLES, lookup, vocabulary

_WIDE_GAP = re.compile(r"(?<=\S)(?: {2,}|\u3000+|\u00a0{2,})(?=\S)")
_OPERATOR = re.compile(r"^(?:[<>=≥≤≧≦＞＜＝]=?|>=|<=|定性|定量)$")


_PAGE_CHUNK = re.compile(r"^(\d{1,2})、")


def _join_page_chunks(lines: list[str]) -> list[str]:
    """A document-sharing site's text comes in page chunks "1、…", "2、…", "3、…", each cut
    anywhere (inside a cell, inside a number): the chunks are one text again.  The
    joined text keeps the first chunk's line; the others become empty lines."""
    result = list(lines)
    expected, into = 0, -1
    for index, line in enumerate(lines):
        match = _PAGE_CHUNK.match(line)
        long_plain = match is not None and len(line) >= 80 and "\t" not in line and "|" not in line
        if long_plain and match is not None and int(match.group(1)) == 1:
            result[index] = line[match.end() :]
            expected, into = 2, index
        elif long_plain and match is not None and int(match.group(1)) == expected and into >= 0:
            result[into] += line[match.end() :]
            result[index] = ""
            expected += 1
        elif line.strip():
            expected, into = 0, -1
    return result


def split_lines(text: str, path: str = "") -> Iterator[Row]:
    """Lines as rows, one at a time: a large file never holds every row in memory.

    Lines end at \n, \r\n or \r only: Word writes a line break inside a cell as \v, and
    a PDF's page break is \f; ``str.splitlines`` would cut the row there (both become
    spaces in the cell)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "、" in text:
        lines = _join_page_chunks(lines)
    gap = 0
    previous_pipe_end = False
    for index, raw in enumerate(lines):
        number = index + 1
        stripped = raw.strip()
        if not stripped:
            if raw and _between_blank_lines(lines, index):
                source = Source(path, number)
                # a paragraph of spaces: an empty cell
                yield Row([""], source, loose=True, gap=gap, layout="paragraph")
                gap = 0
            elif not raw:
                gap += 1
            continue
        source = Source(path, number)
        if "\t" in raw:
            yield Row([clean_cell(p) for p in raw.split("\t")], source, gap=gap, layout="tab")
        elif "|" in stripped:
            row = _pipe_row(stripped, source, previous_pipe_end, gap)
            previous_pipe_end = stripped.endswith("|")
            gap = 0
            if row is not None:
                yield row
            continue
        else:
            yield _spaced_row(stripped, source, gap)
        previous_pipe_end = False
        gap = 0


def _between_blank_lines(lines: list[str], index: int) -> bool:
    before = index > 0 and lines[index - 1] == ""
    after = index + 1 < len(lines) and lines[index + 1] == ""
    return before and after


def _pipe_row(line: str, source: Source, previous_pipe_end: bool, gap: int) -> Row | None:
    body = line[1:] if line.startswith("|") else line
    parts = [clean_cell(p) for p in body.split("|")]
    ends_row = bool(re.search(r"\|\s*\|\s*$", line))  # "… | |||": the padding of a row's end
    while parts and not parts[-1]:
        parts.pop()
    if not parts:
        if line.strip() == "|" and previous_pipe_end:
            # "|" among "cell |" lines: an empty cell
            return Row([""], source, loose=True, gap=gap, layout="line")
        return None  # a separator, or the padding of a row
    if len(parts) == 1:
        begins = line.startswith("|") and bool(parts[0])
        return Row(parts, source, loose=True, gap=gap, ends=ends_row, begins=begins, layout="line")
    return Row(parts, source, positional=False, gap=gap, layout="pipe")


def _spaced_row(line: str, source: Source, gap: int) -> Row:
    parts = [clean_cell(p) for p in _WIDE_GAP.split(line)]
    cells: list[str] = []
    layout = "spaces" if len(parts) > 1 else ""
    for part in parts:
        words = part.split(" ")
        if len(words) > 1 and _tabular(words):
            cells.extend(w for w in words if w)
            layout = "words"
        else:
            cells.append(part)
    if len(cells) == 1:
        return Row(cells, source, loose=True, gap=gap, layout="paragraph" if gap else "line")
    return Row(cells, source, positional=False, gap=gap, layout=layout)


def _tabular(words: list[str]) -> bool:
    """The single spaces separate cells: most words of the line are table words, or the
    line begins with a category or ends with two values (a grid row with long cells)."""
    flags = [_table_word(word) for word in words if word]
    table_words = sum(flags)
    if len(flags) == 2 and flags[1] and _value_word(words[-1]) and len(words[0]) <= 30:
        return True  # "服务社区数量 ≥30个": a name and its value
    if len(flags) == 2 and any(lookup(t, words[0]) for t in ("labels", "funds", "goals")):
        return True  # "主管部门 裕安区文化和旅游局": a label and its value
    if table_words < 2:
        return False
    starts = framework.is_category(words[0])
    ends = len(flags) >= 3 and flags[-1] and flags[-2]
    return table_words * 2 >= len(flags) or starts or ends


def _value_word(word: str) -> bool:
    return parse_target(word).kind in (Kind.QUANTITATIVE, Kind.TIME)


def _table_word(word: str) -> bool:
    if _OPERATOR.match(word) or framework.is_category(word):
        return True
    if any(lookup(table, word) for table in TABLES):
        return True
    kind = parse_target(word).kind
    if kind in (Kind.QUANTITATIVE, Kind.TIME):
        return True
    v = vocabulary()
    return word in v.units or word in v.qualitative or v.furniture_kind(word) is not None
