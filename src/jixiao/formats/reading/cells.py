"""What one cell says: its profile, and the cells hidden in glued or broken text.

A cell's profile (is it a category, a number, a target, an operator, a unit, a
placeholder…) is what the column alignment scores.  Two repairs happen here, both
by vocabulary: cells a page broke into pieces are joined again (a category written
one character per line, 产/出/指/标; a heading broken over two lines, 年度/指标值), and
text where the page lost the separators is split into its cells (a label glued to
its value, 项目名称农村义务…; a row glued together, 质量指标校舍维修改造质量合格率100%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.core import framework
from jixiao.core.targets import Kind, parse_target
from jixiao.formats.reading.rows import label_key
from jixiao.formats.reading.vocabulary import lookup, vocabulary

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_OPERATOR = re.compile(r"[<>=≥≤≧≦＞＜＝═]{1,2}|>=|<=|大于等于|小于等于|大于|小于|等于")
_NATURE = frozenset({"定性", "定量", "正向", "反向"})
_PLACEHOLDER = re.compile(r"^(?:指标\d*[:：]?|…+|\.{3,}|——|—|-|\*+|\d+[、.])$")
_CATEGORY_LIKE = re.compile(r"^[\u4e00-\u9fff、]{2,10}(?:指标|类指标)$")
_DIRECTION = frozenset({"正向", "反向", "正向指标", "反向指标"})
_EMPTY_MARKS = frozenset({"", "-", "—", "——", "/", "／", "\\", "无"})


@dataclass(frozen=True, slots=True)
class Profile:
    """The kinds of content a cell could be, for scoring its fit to a column."""

    empty: bool
    level1: bool  # a framework 一级 or one of its synonyms / score-noted forms
    level2: bool  # a framework 二级
    category_like: bool  # an unknown "…指标" heading (过程管理指标, 计划管理指标)
    number: bool  # a bare number ("10", "9.3", "20%")
    target: bool  # a quantitative or time target ("≥30次", "2023年12月底前")
    qualitative: bool  # a short qualitative value (提高, 及时, 良好)
    operator: bool  # ≥, =, 定性, 定量
    unit: bool  # 人, %, 万元
    direction: bool  # 正向 / 反向
    placeholder: bool  # 指标2, ……
    sentence: bool  # prose: a reason or an explanation, not a name ("已完工,剩余3%尾款未付。")
    length: int

    @property
    def category(self) -> bool:
        return self.level1 or self.level2


@lru_cache(maxsize=65536)  # pure; tables repeat their values
def profile(text: str) -> Profile:
    key = label_key(text)
    empty = key in _EMPTY_MARKS if key != "无" else False
    target = parse_target(text) if key else None
    level1 = framework.level1_of(text) is not None
    level2 = framework.level2_of(text) is not None
    number = bool(_NUMBER.fullmatch(key))
    kind = target.kind if target else Kind.MISSING
    v = vocabulary()
    return Profile(
        empty=empty,
        level1=level1,
        level2=level2,
        category_like=not (level1 or level2) and bool(_CATEGORY_LIKE.match(key)),
        number=number,
        target=kind in (Kind.QUANTITATIVE, Kind.TIME) and not number,
        qualitative=kind is Kind.QUALITATIVE and len(key) <= 12,
        operator=bool(_OPERATOR.fullmatch(key)) or key in ("定性", "定量"),
        unit=key in v.units or _unit_with_note(key),
        direction=key in _DIRECTION,
        placeholder=bool(_PLACEHOLDER.match(key)),
        sentence=len(key) > 40 or bool(re.search(r"[。；;！]", key)) or key.count(",") >= 2,
        length=len(key),
    )


def _unit_with_note(key: str) -> bool:
    match = re.fullmatch(r"(.+?)\((.+)\)", key)
    return bool(match and match.group(1) in vocabulary().units)


# --- joining cells a page broke apart ------------------------------------------------


@lru_cache(maxsize=65536)
def is_known_heading(text: str) -> bool:
    """A label, section, column heading or category the vocabulary knows."""
    if framework.is_category(text):
        return True
    return any(
        lookup(table, text) is not None
        for table in ("labels", "funds", "sections", "goals", "grid", "budget_columns")
    )


def join_broken(texts: list[str]) -> list[tuple[int, int]]:
    """Spans (start, end) of neighbouring texts to join into one cell.

    Characters written one per line (产/出/指/标 → 产出指标), and headings broken over
    lines (年度/指标值, 偏差原因/分析及/改进措施, 一级/指标): joined when the joined text
    is a word the vocabulary knows and the first piece alone is not a whole heading
    that the next piece would follow anyway.
    """
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(texts):
        best = None
        for size in (4, 3, 2):
            if i + size > len(texts):
                continue
            pieces = texts[i : i + size]
            if any(not p for p in pieces):
                continue
            joined = "".join(pieces)
            if is_known_heading(joined) and not _stands_alone(pieces):
                best = size
                break
        if best is None and _single_characters(texts, i) >= 2:
            best = _single_characters(texts, i)
        if best:
            spans.append((i, i + best))
            i += best
        else:
            i += 1
    return spans


def _stands_alone(pieces: list[str]) -> bool:
    """Each piece is a whole heading by itself ("一级指标", "二级指标"): nothing to join."""
    return all(is_known_heading(p) and label_key(p) not in vocabulary().fragments for p in pieces)


def _single_characters(texts: list[str], start: int) -> int:
    """How many neighbouring cells from ``start`` hold one CJK character each (产/出/指/标)."""
    count = 0
    while start + count < len(texts) and re.fullmatch(
        r"[\u4e00-\u9fff]", label_key(texts[start + count])
    ):
        count += 1
    return count if count >= 2 else 0


# --- splitting text glued together ----------------------------------------------------

_LABEL_TABLES = ("labels", "funds", "goals", "sections")


def _prefix_words() -> tuple[str, ...]:
    """Every label, section and category long enough to be found inside glued text."""
    return _prefixes()


@lru_cache(maxsize=1)
def _prefixes() -> tuple[str, ...]:
    v = vocabulary()
    words: set[str] = set()
    for table in (*_LABEL_TABLES, "grid", "budget_columns", "budget_rows"):
        words.update(k for k in v.tables[table] if len(k) >= 4 and not k.isdigit())
    words.update(framework.LEVEL1)
    words.update(framework.LEVEL2_PARENT)
    return tuple(sorted(words, key=len, reverse=True))


_LABEL_COLON = re.compile(r"^([^:：]{2,16}?)\s*[:：]\s*(.+)$")


@lru_cache(maxsize=65536)  # pure; called for every cell of every row
def split_label_prefix(text: str) -> tuple[str, str] | None:
    """ "项目名称农村义务教育…" / "项目名称：测试" → (label, rest): a label glued to its value."""
    key = text.strip()
    if key.startswith("其中"):
        key = re.sub(r"^其中\s*[:：]?\s*", "", key)
    match = _LABEL_COLON.match(key) if (":" in key or "：" in key) else None
    if match and any(lookup(t, match.group(1)) for t in _LABEL_TABLES):
        if lookup("funds", match.group(1)) and not re.search(r"\d", match.group(2)):
            return None  # "事业收入:指事业单位…取得的收入。": a definition, not an amount
        return match.group(1), match.group(2)
    compact = key if " " not in key else re.sub(r"\s+", "", key)
    found = _label_prefix().match(compact)
    if found and len(compact) > found.end():
        word = found.group(0)
        rest = _after(key, len(word))
        if rest and not re.match(r"^[(（]", rest):
            return word, rest
    return None


@lru_cache(maxsize=1)
def _label_prefix() -> re.Pattern[str]:
    """The labels (not categories or headings) that may start glued text, longest first."""
    words = [
        w
        for w in _prefix_words()
        if lookup("labels", w) or lookup("funds", w) or lookup("goals", w)
    ]
    return re.compile("|".join(re.escape(w) for w in words))


def _after(text: str, characters: int) -> str:
    """``text`` after its first ``characters`` non-space characters."""
    seen = 0
    for index, ch in enumerate(text):
        if seen == characters:
            return text[index:].lstrip(" :：")
        if not ch.isspace():
            seen += 1
    return ""


def split_headings(text: str) -> list[str] | None:
    """ "绩效指标一级指标二级指标指标内容指标值" → the headings, when the whole text is
    nothing but known headings glued together (at least two)."""
    compact = re.sub(r"\s+", "", text)
    if len(compact) < 6 or len(compact) > 120:
        return None
    words = _heading_words()
    best: list[list[str] | None] = [None] * (len(compact) + 1)
    best[0] = []
    for end in range(1, len(compact) + 1):
        for start in range(max(0, end - 16), end):
            before = best[start]
            piece = compact[start:end]
            if before is not None and piece in words:
                candidate = [*before, piece]
                if best[end] is None or len(candidate) < len(best[end] or []):
                    best[end] = candidate
    found = best[len(compact)]
    return found if found is not None and len(found) >= 2 else None


@lru_cache(maxsize=1)
def _heading_words() -> frozenset[str]:
    v = vocabulary()
    words = {k for t in ("grid", "budget_columns", "sections", "goals") for k in v.tables[t]}
    return frozenset(w for w in words if len(w) >= 2)


def category_prefix(text: str) -> tuple[str, str] | None:
    """ "质量指标校舍维修改造质量合格率100%" → ("质量指标", rest); spaces inside the category
    ("产 出 指 标数量 指标…") allowed, since a glued page keeps the cell's line breaks."""
    if not _alternation(_category_words()).match(re.sub(r"\s+", "", text[:40])):
        return None
    compact_positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = "".join(text[i] for i in compact_positions)
    found = _alternation(_category_words()).match(compact)
    if found:
        word = found.group(0)
        if len(compact) > len(word):
            end = compact_positions[len(word) - 1] + 1
            note = re.match(r"\s*[(（]?\d+(?:\.\d+)?分?[)）]", text[end:])
            if note:
                end += note.end()
            return text[:end], text[end:].strip()
    return None


@lru_cache(maxsize=1)
def _category_words() -> tuple[str, ...]:
    words = set(framework.LEVEL1) | set(framework.LEVEL2_PARENT) | set(framework.SYNONYMS)
    words |= {
        "社会公众或服务对象满意度指标",
        "服务对象满意度指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
    }
    return tuple(sorted(words, key=len, reverse=True))


_VALUE_TOKEN = re.compile(
    r"(?:[≥≤><=≧≦＞＜]=?|不低于|不少于|不超过|不高于|大于等于|小于等于)?"
    r"(?:0|[1-9]\d*)(?:\.\d+)?"
)
_RANGE_END = re.compile(r"[-~—～至](?:0|[1-9]\d*)(?:\.\d+)?")


def _token_end(text: str, position: int) -> int | None:
    """The end of one number with its unit at ``position`` ("90%", "90%-95%"), or None."""
    match = _VALUE_TOKEN.match(text, position)
    if not match:
        return None
    end = match.end()
    end += len(_unit_at(text, end))
    upper = _RANGE_END.match(text, end)
    if upper:  # a range: "90%-95%"
        end = upper.end()
        end += len(_unit_at(text, end))
    return end


def value_run(text: str, start: int, count: int) -> int | None:
    """The end of ``count`` values glued together from ``start`` ("100%100%" → two), or None."""
    position = start
    numbers = 0
    for _ in range(count):
        end = _token_end(text, position)
        if end is not None:
            position = end
            numbers += 1
            continue
        word = _qualitative_at(text, position)
        if word is None:
            return None
        position += len(word)
    return position if numbers else None


def _unit_at(text: str, position: int) -> str:
    for unit in vocabulary().units:
        if text.startswith(unit, position):
            return unit
    return ""


def _qualitative_at(text: str, position: int) -> str | None:
    for word in ("高", "低", "无", "是", "否", "良好", "优秀", "达标", "合格", "及时"):
        if text.startswith(word, position):
            return word
    return None


def split_glued_row(text: str, values: int) -> list[str]:
    """One line of a glued grid → its cells: categories, then a name and ``values`` values,
    again and again ("产出指标数量指标创业担保贷款发放额增长率≥10%115.25%20%20质量指标…")."""
    cells: list[str] = []
    rest = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text.strip())
    while rest:
        prefix = category_prefix(rest)
        if prefix is not None:
            cells.append(prefix[0])
            rest = prefix[1]
            continue
        following = _next_category(rest)
        found = _numeric_split(rest, values)
        if found is not None and found[0] < following:
            position, end = found
            cells.append(rest[:position].strip())
            cells.extend(_values_in(rest[position:end], values))
            rest = rest[end:].strip()
            continue
        cells.extend(_qualitative_split(rest[:following], values))
        rest = rest[following:].strip()
    return cells


def _numeric_split(text: str, values: int) -> tuple[int, int] | None:
    for position in range(1, len(text)):
        if text[position - 1].isdigit() or text[position - 1] == ".":
            continue  # never inside a number of the name ("1290.3平方米…")
        end = value_run(text, position, values)
        if end is not None and (end == len(text) or not text[end].isdigit()):
            rest = text[end:]
            if rest and len(rest) <= 3 and not re.search(r"\d", rest):
                end = len(text)  # the line ends in the last value's unit ("1081万" + "页")
            return position, end
    return None


def _next_category(text: str) -> int:
    for position in range(1, len(text)):
        if category_prefix(text[position:]) is not None and text[position - 1] not in "、":
            return position
    return len(text)


def _qualitative_split(segment: str, values: int) -> list[str]:
    """ "义务教育优质均衡发展情况稳步提高" → [name, "稳步提高"]: a qualitative value at the end."""
    for word in vocabulary().qualitative:
        tail = word * values
        if segment.endswith(tail) and len(segment) > len(tail) + 1:
            return [segment[: -len(tail)], *([word] * values)]
    return [segment] if segment else []


def _values_in(text: str, count: int) -> list[str]:
    values: list[str] = []
    position = 0
    for number in range(count):
        end = _token_end(text, position)
        if end is None:
            word = _qualitative_at(text, position) or text[position:]
            end = position + len(word)
        if number == count - 1:
            end = len(text)  # the last value takes the rest: its unit
        values.append(text[position:end])
        position = end
    return values


# --- a whole page glued into lines ------------------------------------------------------


@lru_cache(maxsize=1)
def _glued_labels() -> tuple[str, ...]:
    """Labels long enough to be found inside glued text without false hits."""
    v = vocabulary()
    words: set[str] = set()
    for table in _LABEL_TABLES:
        words.update(k for k in v.tables[table] if len(k) >= 4)
    words.update(k for k in v.totals if len(k) >= 4)
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _column_words() -> tuple[str, ...]:
    v = vocabulary()
    words = {k for t in ("grid", "budget_columns") for k in v.tables[t] if len(k) >= 2}
    words |= {k for k in v.tables["goals"] if len(k) >= 4}
    words |= {k for k in v.tables["sections"] if len(k) >= 4}
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _headings_or_labels() -> re.Pattern[str]:
    return _alternation(_column_words() + _glued_labels())


def _word_at(text: str, position: int, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` that ``text`` has at ``position``."""
    found = _alternation(words).match(text, position)
    return found.group(0) if found else None


@lru_cache(maxsize=8)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    """One expression for a list of words, longest first (Python's ``re`` takes the first)."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered))


def unglue(text: str) -> list[list[str]] | None:
    """A line with labels, headings and values glued together → rows of cells.

    A label starts a row [label, value]; two or more column headings in a run make a
    heading row; the text after a heading row is one cell (a glued grid, split later
    by ``split_glued_row`` when the columns are known).  None when nothing is glued.
    """
    compact = re.sub(r"\s+", "", text)
    if len(compact) < 6:
        return None
    marks: list[tuple[int, int, str]] = []  # (start, end, kind)
    either = _headings_or_labels()
    position = 0
    while position < len(compact):
        next_word = either.search(compact, position)
        if next_word is None:
            break  # no heading or label from here on
        position = next_word.start()
        run_end, count = position, 0
        while True:
            word = _word_at(compact, run_end, _column_words())
            if word is None:
                break
            run_end += len(word)
            count += 1
        if count >= 2:
            marks.append((position, run_end, "headings"))
            position = run_end
            continue
        word = _word_at(compact, position, _glued_labels())
        if (
            word is not None
            and lookup("funds", word)
            and not _amount_follows(compact, position + len(word))
        ):
            word = None  # "财政拨款收入:指单位从同级财政部门取得的…": a definition, not an amount
        if word is not None and re.match(
            r"(?:申报|自评|监控|汇总)?表", compact[position + len(word) :]
        ):
            word = None  # "…专项资金绩效目标自评表": a title, not the label 绩效目标
        if word is not None:
            end = position + len(word)
            note = re.match(r"[(（][^()（）]{1,12}[)）]", compact[end:])
            if note:
                end += note.end()  # "资金情况(万元)", "年度金额(提前下达)": the label's own note
            marks.append((position, end, "label"))
            position = end
            continue
        position += 1
    if not marks:
        return None
    runs = [m for m in marks if m[2] == "headings"]
    starts_glued = marks[0][0] <= _numbering_length(compact)
    long_run = any(_count_words(compact[a:b]) >= 3 for a, b, _ in runs)
    if not starts_glued and not long_run:
        return None  # a label word inside ordinary text ("…低于预算金额。") is no label
    if len(marks) == 1 and marks[0][2] == "label" and starts_glued:
        return None if marks[0][1] == len(compact) else _label_row(compact, marks)
    return _rows_from_marks(compact, marks)


def _amount_follows(text: str, position: int) -> bool:
    return bool(re.match(r"(?:[(（][^()（）]{0,8}[)）])?[:：]?\s*[-\d.,]*\d", text[position:]))


def _numbering_length(text: str) -> int:
    match = re.match(
        r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．]"
        r"|其中[:：]?)",
        text,
    )
    return match.end() if match else 0


def _count_words(text: str) -> int:
    count, position = 0, 0
    while position < len(text):
        word = _word_at(text, position, _column_words())
        if word is None:
            return count
        position += len(word)
        count += 1
    return count


def _label_row(text: str, marks: list[tuple[int, int, str]]) -> list[list[str]]:
    start, end, _ = marks[0]
    return [[text[start:end], text[end:].lstrip(":：")]]


def _rows_from_marks(text: str, marks: list[tuple[int, int, str]]) -> list[list[str]]:
    rows: list[list[str]] = []
    if marks[0][0] > 0:
        rows.append([text[: marks[0][0]]])
    for index, (start, end, kind) in enumerate(marks):
        following = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        rest = text[end:following].lstrip(":：")
        if kind == "headings":
            words: list[str] = []
            position = start
            while position < end:
                word = _word_at(text, position, _column_words())
                assert word is not None
                words.append(word)
                position += len(word)
            rows.append(words)
            if rest:
                rows.append([rest])
        else:
            label = text[start:end]
            ending = re.search(r"其中[:：]?$", rows[-1][-1]) if rows and rows[-1] else None
            if ending:  # "…其中:" before a label belongs to the label
                rows[-1][-1] = rows[-1][-1][: ending.start()]
                if not rows[-1][-1]:
                    rows[-1].pop()
                if not rows[-1]:
                    rows.pop()
            section = lookup("sections", label)
            if section is not None and section.value == "grid" and rest:
                rows.extend([[label], [rest]])  # "绩效指标" repeated on a new page: not a label
            else:
                rows.append([label, rest] if rest else [label])
    return [row for row in rows if any(row)]
