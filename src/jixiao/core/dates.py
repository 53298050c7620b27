"""Dates as written in the tables: deadlines, date points and date ranges.

"2023年6月30日", "2021年底之前", "10月底前", "2019年3月--2019年10月",
"2021.2.1-2021.11.30", "2022年3月-11月", "2024.03-2024.12", "2023年3月至6月",
"202001-202012".  A date is kept as a partial ISO text: "2023-06-30", "2023-06",
"2023", or "--10" for a month with no year.  "底"/"末" mean the last day of the
year or month; "初" the first.  Parsing never raises: an unreadable text is ``None``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_YEAR = r"(?P<{p}y>(?:19|20|21)\d{{2}})"
_SEP = r"(?:年|\.|/|-)"


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int | None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.year is None:
            if self.day is not None:
                return f"--{self.month:02d}-{self.day:02d}"
            return f"--{self.month:02d}"
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def chinese(self) -> str:
        text = f"{self.year}年" if self.year is not None else ""
        if self.month is not None:
            text += f"{self.month}月"
        if self.day is not None:
            text += f"{self.day}日"
        return text

    @classmethod
    def from_iso(cls, text: str) -> PartialDate | None:
        match = re.fullmatch(r"(?:(\d{4})|-)(?:-(\d{2}))?(?:-(\d{2}))?", text or "")
        if not match:
            return None
        year, month, day = match.groups()
        return cls(
            int(year) if year else None, int(month) if month else None, int(day) if day else None
        )


# one date: 2023年6月30日 / 2023年6月 / 2023年 / 2023.6.30 / 2023-06 / 2023/6 / 6月30日 / 10月,
# each optionally followed by 底/末/初 ("the end of", "the start of").
_ONE = re.compile(
    r"(?:(?P<y>(?:19|20|21)\d{2})(?:年度?|(?=[./-]\d)|(?=$|底|末|初|前|之前|以前|内|至|到|~|-|—))"
    r"[./-]?)?"
    r"(?:(?P<m>1[0-2]|0?[1-9])(?:月份?|(?=[./-]\d)|(?=$|底|末|初|前|之前|以前|至|到|~|-|—))"
    r"[./-]?)?"
    r"(?:(?P<d>3[01]|[12]\d|0?[1-9])(?:日|号)?)?"
    r"(?P<edge>底|末|初)?"
)
_COMPACT_MONTH = re.compile(r"(?P<y>(?:19|20|21)\d{2})(?P<m>0[1-9]|1[0-2])")
_RANGE_WORDS = r"(?:--|—+|–|-|~|至|到)"
# "前" and what is to be done by then: "10月底前完成招标", "6月30日前拨付到位".
_DEADLINE_SUFFIX = re.compile(r"(?:之前|以前|前|内|以内)[\u4e00-\u9fff]{0,8}$|(?:前)?完成$")
# A date and what happens then: "2023年9月开工", "2023年12月竣工验收".
_ACTION_SUFFIX = re.compile(
    r"(?:开工|启动|动工|开始|竣工|完工|建成|验收|投用|投入使用)[\u4e00-\u9fff]{0,6}$"
)
_PREFIX = re.compile(r"^(?:完成时间为|完成时间|完成时限为?|截至|截止到?|于|在|计划于|预计)")
_FOLD = str.maketrans({"—": "-", "–": "-", "－": "-", "～": "~"})


def fold(text: str) -> str:
    """NFKC, no spaces, one spelling for dashes and tildes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_FOLD)


def _date(text: str, year: int | None = None) -> PartialDate | None:
    """The whole of ``text`` as one date, or None.  ``year`` fills a missing year."""
    if not text:
        return None
    compact = _COMPACT_MONTH.fullmatch(text)
    if compact:
        return PartialDate(int(compact.group("y")), int(compact.group("m")))
    match = _ONE.fullmatch(text)
    if not match or not any(match.group(k) for k in ("y", "m")):
        return None
    y, m, d, edge = match.group("y"), match.group("m"), match.group("d"), match.group("edge")
    if d is not None and m is None:
        return None  # "2023年30" is no date
    if y is None and m is not None and not re.search(r"月", text) and d is None:
        return None  # a bare number is not a month
    if y is not None and m is None and d is None and not re.search(r"年|底|末|初", text):
        return None  # "2023" alone is a number, not a date
    date = PartialDate(int(y) if y else year, int(m) if m else None, int(d) if d else None)
    if edge in ("底", "末"):
        date = _end_of(date)
    elif edge == "初":
        date = PartialDate(date.year, date.month or 1, 1 if date.month else None)
    return date


def _end_of(date: PartialDate) -> PartialDate:
    if date.month is None:
        return PartialDate(date.year, 12, 31)
    if date.day is not None:
        return date
    if date.year is None:
        return PartialDate(None, date.month, _last_day(2001, date.month))
    return PartialDate(date.year, date.month, _last_day(date.year, date.month))


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A date expression: ``kind`` is "deadline" (by a date), "point" or "range"."""

    kind: str
    start: PartialDate | None
    end: PartialDate


@lru_cache(maxsize=4096)
def parse_time(text: str) -> TimeValue | None:
    """A deadline, a date point or a date range; None when the text is no date."""
    folded = fold(text)
    folded = _PREFIX.sub("", folded)
    if not folded or not re.search(r"\d", folded):
        return None
    ranged = _range(re.sub(r"(?:完成|完工|竣工|实施完毕)$", "", folded))
    if ranged is not None:
        return ranged
    suffix = _DEADLINE_SUFFIX.search(folded)
    end = suffix or (None if suffix else _ACTION_SUFFIX.search(folded))
    body = folded[: end.start()] if end is not None else folded
    date = _date(body)
    if date is None:
        return None
    if suffix:
        return TimeValue("deadline", None, date)
    return TimeValue("point", None, date)


def _range(text: str) -> TimeValue | None:
    for match in re.finditer(_RANGE_WORDS, text):
        left, right = text[: match.start()], text[match.end() :]
        start = _date(left)
        if start is None and re.fullmatch(r"1[0-2]|0?[1-9]", left) and "月" in right:
            end_month = _date(right)  # "1-6月": months of one (unnamed) year
            if end_month is not None:
                start = PartialDate(end_month.year, int(left))
        if start is None:
            continue
        end = _date(right, start.year)
        if end is None and start.year is not None:
            # "2022年3月-11月": the end is a month of the same year
            end = _date(right.rstrip("份"), start.year)
        if end is None:
            continue
        if start.year is None and end.year is not None:
            start = PartialDate(end.year, start.month, start.day)
        if _later(start, end):
            return TimeValue("range", start, end)
    return None


def _later(start: PartialDate, end: PartialDate) -> bool:
    """``end`` is not before ``start`` (missing parts compare as equal)."""
    a: tuple[int, ...] = (start.year or 0, start.month or 0, start.day or 0)
    b: tuple[int, ...] = (end.year or 0, end.month or 0, end.day or 0)
    if start.year is None or end.year is None:
        a, b = a[1:], b[1:]
    return a <= b


def render_time(value: TimeValue) -> str:
    """Canonical Chinese text; parses back to the same value."""
    if value.kind == "range":
        assert value.start is not None
        return f"{value.start.chinese()}至{value.end.chinese()}"
    if value.kind == "deadline":
        return f"{value.end.chinese()}前"
    return value.end.chinese()
