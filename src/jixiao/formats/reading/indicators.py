"""The rows of an indicator grid → indicators, with their categories carried down.

A row of the aligned grid (``align``) gives, by column, the 一级 and 二级 category
(merged cells: given on the first row of the block, inherited below; a lost 一级 is
taken from the framework's parent of the 二级), the name, and the value, whole or in
parts (指标性质/计算符号 | 指标值 | 度量单位, joined as operator + value + unit, the
words 定性/定量 dropped).  A self-evaluation's columns (实际完成值, 分值, 得分, 偏差原因)
land on the indicator too.  A row with a category and nothing else waits for the
rows below it; a template's placeholder row (指标2, ……) is no indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from jixiao.core import framework
from jixiao.core.findings import Finding, make_finding
from jixiao.core.model import Indicator, Progress
from jixiao.core.monitoring import likelihood_of
from jixiao.core.source import Source
from jixiao.core.targets import Kind, Target, parse_target
from jixiao.formats.reading.align import EXTRA, Column, GridCell
from jixiao.formats.reading.checks import (
    EMPTY_CATEGORY,
    EXTRA_CELLS,
    PLACEHOLDER_ROW,
    SUBTOTAL_ROW,
    SYNONYM_CATEGORY,
    UNIT_CONFLICT,
)
from jixiao.formats.reading.rows import label_key

_PLACEHOLDER = re.compile(r"^(?:指标\d*[:：]?|…+|\.{3,}|……)$")
_NATURE_WORDS = frozenset({"定性", "定量"})
_DIRECTIONS = {"正向": "正向", "反向": "反向", "正向指标": "正向", "反向指标": "反向"}


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Categories:
    """The 一级 and 二级 in force: carried down from the rows above."""

    level1: str = ""
    level2: str = ""
    pending: tuple[Source, str] | None = None
    # (first indicator, the 一级 printed above, the framework's 一级) of a 二级 block whose
    # 一级 is in doubt until the next category is seen.
    undecided: tuple[int, str, str] | None = None
    synonyms_reported: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ProjectStart:
    """Where a project of a list (单位名称 | 项目名称 | 预算数 | 年度目标 | 指标…) begins."""

    first: int  # its first indicator
    name: str
    unit: str
    funds: str
    goal: str
    source: Source


_KEEP_EMPTY = frozenset({"name", "value"})
_LEVEL1, _LEVEL1_PERIOD = ("level1", False), ("level1", True)
_LEVEL2, _LEVEL2_PERIOD = ("level2", False), ("level2", True)
_NAME, _NAME_PERIOD = ("name", False), ("name", True)
_VALUE, _VALUE_PERIOD = ("value", False), ("value", True)
_PERIOD_VALUE = ("period_value", True)
_NATURE, _UNIT, _DIRECTION = ("nature", False), ("unit", False), ("direction", False)
_WEIGHT, _SCORE, _ACTUAL = ("weight", False), ("score", False), ("actual", False)
_NOTE, _NOTE_PERIOD = ("note", False), ("note", True)
_CONVERTED, _DEVIATION, _EXTRA = ("converted_score", False), ("deviation", False), (EXTRA, False)
_PROJECT_NAME, _PROJECT_UNIT = ("project_name", False), ("project_unit", False)
_PREDICTED, _LIKELIHOOD = ("predicted", False), ("likelihood", False)
_MEASURES, _REASON = ("measures", False), ("progress_reason", False)
_TICK = re.compile(r"^[√✓✔☑]|^是$")

_SUBTOTAL = re.compile(r"^(?:合计|小计|总计|共计)|(?:合计|小计)$")


@dataclass
class IndicatorRows:
    """Turns aligned rows into indicators, reporting what it had to decide."""

    project: str
    categories: Categories = field(default_factory=Categories)
    indicators: list[Indicator] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    ignored: int = 0
    level1_position: int | None = None  # the 一级 column's place, where rows keep columns
    starts: list[ProjectStart] = field(default_factory=list)

    def add(self, row: list[tuple[Column, GridCell]]) -> None:
        parts: dict[tuple[str, bool], list[GridCell]] = {}
        for column, cell in row:
            if cell.text or column.role in _KEEP_EMPTY:
                key = (column.role, column.period)
                found = parts.get(key)
                if found is None:
                    parts[key] = [cell]
                else:
                    found.append(cell)
        first_source = row[0][1].source
        if (_PROJECT_NAME in parts or _PROJECT_UNIT in parts) and not self._project(
            parts, first_source
        ):
            return
        texts = {key: _text(cells) for key, cells in parts.items()}
        text = texts.get
        level1 = text(_LEVEL1) or text(_LEVEL1_PERIOD) or ""
        level2_cells = parts.get(_LEVEL2) or parts.get(_LEVEL2_PERIOD) or []
        level2 = _text(level2_cells)
        if level1 or level2:
            first_column = bool(
                level2_cells
                and level2_cells[0].positional
                and self.level1_position is not None
                and level2_cells[0].position == self.level1_position
            )
            self._categories(level1, level2, first_source, first_column)
        name_cells = parts.get(_NAME) or parts.get(_NAME_PERIOD) or []
        name = _text(name_cells)
        content = [
            cell
            for (role, _), cells in parts.items()
            if role != "level1" and role != "level2"
            for cell in cells
            if cell.text
        ]
        if not content:
            if level1 or level2:
                self.categories.pending = (first_source, level2 or level1)
            return
        if _PLACEHOLDER.match(label_key(name)) and all(
            cell in name_cells or not cell.text.strip("…. ") for cell in content
        ):
            self.ignored += 1
            self.findings.append(
                make_finding(
                    PLACEHOLDER_ROW,
                    f"模板的占位行“{name}”没有填写内容，未作为指标读取",
                    name_cells[0].source if name_cells else first_source,
                    project=self.project or None,
                )
            )
            return
        self.categories.pending = None
        value_cells = parts.get(_VALUE)
        source = name_cells[0].source if name_cells else (value_cells or content)[0].source
        if _NATURE in parts or _UNIT in parts:
            target = self._target(texts, name, source)
        else:
            target = parse_target(text(_VALUE) or "")
        weight_cells = parts.get(_WEIGHT, [])
        notes = self._notes(parts, texts, weight_cells, name, source)
        period_value = text(_PERIOD_VALUE) or text(_VALUE_PERIOD)
        actual_cells = parts.get(_ACTUAL)
        stated = text(_DIRECTION) or text(_NATURE)
        self.indicators.append(
            Indicator(
                level1=self.categories.level1,
                level2=self.categories.level2,
                name=name,
                target=target,
                source=source,
                note=notes,
                weight=_first_number(weight_cells) if weight_cells else None,
                period_target=parse_target(period_value) if period_value else None,
                stated_direction=_DIRECTIONS.get(label_key(stated), "") if stated else "",
                actual=parse_target(_text(actual_cells)) if actual_cells is not None else None,
                score=_first_number(parts[_SCORE]) if _SCORE in parts else None,
                deviation=text(_DEVIATION) or "",
                progress=_progress(
                    text(_PREDICTED),
                    text(_LIKELIHOOD),
                    _ticks(texts),
                    text(_MEASURES),
                    text(_REASON),
                ),
            )
        )

    def _notes(
        self,
        parts: dict[tuple[str, bool], list[GridCell]],
        texts: dict[tuple[str, bool], str],
        weight_cells: list[GridCell],
        name: str,
        source: Source,
    ) -> str:
        """备注/指标解释, text found where a weight should be, 折算得分, and extra cells."""
        keys = (_NOTE, _NOTE_PERIOD, _CONVERTED, _EXTRA)
        if not weight_cells and not any(key in parts for key in keys):
            return ""
        notes = [c.text for c in parts.get(_NOTE, []) + parts.get(_NOTE_PERIOD, [])]
        notes += [c.text for c in weight_cells if c.text and _number(c.text) is None]
        converted = texts.get(_CONVERTED)
        if converted:
            notes.append(f"折算得分：{converted}")
        extra = [cell.text for cell in parts.get(_EXTRA, []) if cell.text]
        if extra:
            self.findings.append(
                make_finding(
                    EXTRA_CELLS,
                    f"指标“{name}”的指标值之后还有内容“{shorten(' | '.join(extra))}”，已作为备注保存",
                    source,
                    project=self.project or None,
                    indicator=name,
                )
            )
            notes.extend(extra)
        return " ".join(n for n in notes if n)

    def _project(self, parts: dict[tuple[str, bool], list[GridCell]], source: Source) -> bool:
        """A list's project columns: a name starts a project; a 合计/小计 row is skipped."""
        name = _text(parts.get(("project_name", False)))
        unit = _text(parts.get(("project_unit", False)))
        if _SUBTOTAL.search(label_key(name or unit)):
            self.ignored += 1
            self.findings.append(
                make_finding(
                    SUBTOTAL_ROW, f"合计行“{name or unit}”未作为项目读取", source, project=None
                )
            )
            return False
        if name:
            self.flush()
            if not unit and self.starts:
                unit = self.starts[-1].unit  # a merged 单位名称 cell over several projects
            self.starts.append(
                ProjectStart(
                    first=len(self.indicators),
                    name=name,
                    unit=unit,
                    funds=_text(parts.get(("project_funds", False))),
                    goal=_text(parts.get(("project_goal", False))),
                    source=parts[("project_name", False)][0].source,
                )
            )
            self.categories.level1 = self.categories.level2 = ""
        return True

    def _categories(
        self, level1: str, level2: str, source: Source, in_first_column: bool = False
    ) -> None:
        current = self.categories
        if level1 or level2:
            self._decide(level1, level2)
        if level1:
            self.flush()
            if label_key(level1) != label_key(current.level1):
                current.level2 = (
                    ""  # the same 一级 repeated (each row, or a cut cell) keeps its 二级
                )
            current.level1 = level1
            self._synonym(level1, source)
        if level2:
            self.flush()
            parents = framework.parents_of(level2)
            known = framework.level1_of(current.level1)
            if (
                not level1
                and parents
                and known not in parents
                and not _variant(current.level1)
                and not _old_template(current.level1, level2)
            ):
                if known is None or in_first_column:
                    # The 一级 cell was lost (no 一级 above, or the 二级 stands in its
                    # column): take it from the framework.
                    current.level1 = parents[0]
                else:
                    # A 二级 the framework puts under another 一级: the table misplaced it,
                    # or the 一级 cell of a new block was lost.  The rows after it decide.
                    current.undecided = (len(self.indicators), current.level1, parents[0])
            current.level2 = level2

    def _decide(self, level1: str, level2: str) -> None:
        """A block in doubt is settled by the next category: a 二级 that belongs to the
        printed 一级 means the block was misplaced under it (kept, for the review to
        judge); anything else means the block's own 一级 cell was lost."""
        undecided = self.categories.undecided
        same = not level1 and label_key(level2) == label_key(self.categories.level2)
        if undecided is None or same:
            return
        self.categories.undecided = None
        first, printed, framework_level1 = undecided
        back = not level1 and framework.level1_of(printed) in framework.parents_of(level2)
        if back:
            return
        self._regroup(first, framework_level1)

    def _regroup(self, first: int, level1: str) -> None:
        for index in range(first, len(self.indicators)):
            self.indicators[index] = replace(self.indicators[index], level1=level1)
        self.categories.level1 = level1

    def finish(self) -> None:
        """The end of the grid: a block still in doubt had its 一级 cell lost."""
        undecided = self.categories.undecided
        if undecided is not None:
            self.categories.undecided = None
            self._regroup(undecided[0], undecided[2])
        self.flush()

    def _synonym(self, level1: str, source: Source) -> None:
        mapped = framework.synonym_of(level1)
        if mapped is None or mapped in self.categories.synonyms_reported:
            return
        self.categories.synonyms_reported.add(mapped)
        self.findings.append(
            make_finding(
                SYNONYM_CATEGORY,
                f"一级指标“{level1}”按“{mapped}”理解（原文保留）",
                source,
                project=self.project or None,
            )
        )

    def _target(self, texts: dict[tuple[str, bool], str], name: str, source: Source) -> Target:
        value = texts.get(_VALUE, "")
        nature = texts.get(_NATURE, "")
        unit = texts.get(_UNIT, "")
        operator = (
            "" if label_key(nature) in _NATURE_WORDS or label_key(nature) in _DIRECTIONS else nature
        )
        if not value:
            return parse_target("")
        text = value
        if unit:
            parsed = parse_target(value)
            if (
                parsed.kind is Kind.QUANTITATIVE
                and parsed.unit
                and label_key(parsed.unit) != label_key(unit)
            ) or (parsed.kind is Kind.QUALITATIVE and not value.endswith(unit)):
                self._conflict(name, value, unit, source)
            elif not parsed.unit and not value.endswith(unit):
                text = value + unit
        if operator and not re.match(r"^[<>=≥≤≧≦＞＜＝═]", label_key(text)):
            text = operator + text
        return parse_target(text)

    def _conflict(self, name: str, value: str, unit: str, source: Source) -> None:
        self.findings.append(
            make_finding(
                UNIT_CONFLICT,
                f"指标“{name}”的度量单位“{unit}”与指标值“{value}”不符，已只保留指标值",
                source,
                project=self.project or None,
                indicator=name,
            )
        )

    def flush(self) -> None:
        pending = self.categories.pending
        if pending is None:
            return
        self.categories.pending = None
        where, label = pending
        self.findings.append(
            make_finding(
                EMPTY_CATEGORY, f"“{label}”下没有三级指标", where, project=self.project or None
            )
        )


def _old_template(level1: str, level2: str) -> bool:
    """Before 101号, 满意度 was a 二级 under 效益指标 ("效益指标 | 社会公众或服务对象满意度指标")."""
    return (
        framework.level1_of(level1) == framework.BENEFIT
        and framework.level2_of(level2) == framework.SERVED_SATISFACTION
    )


def _variant(text: str) -> bool:
    """A 一级 outside the framework that heads framework categories (实施效果指标)."""
    return bool(text) and framework.level1_of(text) is None and label_key(text).endswith("指标")


def _text(cells: list[GridCell] | None) -> str:
    if not cells:
        return ""
    if len(cells) == 1:
        return cells[0].text
    return " ".join(cell.text for cell in cells if cell.text).strip()


def _first_number(cells: list[GridCell]) -> Decimal | None:
    for cell in cells:
        number = _number(cell.text)
        if number is not None:
            return number
    return None


def _number(text: str) -> Decimal | None:
    compact = re.sub(r"[\s分%％]", "", text)
    if not re.fullmatch(r"-?(?:\d+(?:\.\d*)?|\.\d+)", compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def _ticks(texts: dict[tuple[str, bool], str]) -> list[str]:
    """The ticked sub-columns of the central monitoring form: ``reason:经费保障`` …"""
    return [
        role
        for (role, _), text in texts.items()
        if role.startswith(("reason:", "likelihood:")) and _TICK.match(text.strip())
    ]


def _progress(
    predicted: str | None,
    likelihood: str | None,
    ticked: list[str],
    measures: str | None,
    reason: str | None,
) -> Progress | None:
    """A monitoring table's 全年预计完成情况, 完成目标可能性 (a word, or a tick in its
    sub-column), the ticked 偏差原因 and the 整改措施 (the 1–N月 column is read as ``actual``
    and moved into the progress when the table turns out to be a 监控表)."""
    chosen = [role.split(":", 1)[1] for role in ticked if role.startswith("likelihood:")]
    reasons = tuple(role.split(":", 1)[1] for role in ticked if role.startswith("reason:"))
    if not predicted and not likelihood and not ticked and not measures and not reason:
        return None
    return Progress(
        predicted=parse_target(predicted) if predicted else None,
        likelihood=likelihood_of(likelihood or "") or (chosen[0] if chosen else ""),
        reasons=reasons,
        measures=measures or "",
        # a judgement the three words do not name is kept, as written
        reason=reason
        or ("" if not likelihood or likelihood_of(likelihood) else f"完成目标可能性：{likelihood}"),
    )
