"""What a project may hold to be stored: the one write boundary.

Every path that stores a project (the editor, the API, imports of every format) asks
``problems(project)`` and stores nothing while it answers anything.  The limits are
what the database and every page and export can hold: amounts in 万元 of at most 15
significant digits (9 + 6: exact in PostgreSQL's ``numeric`` and in SQLite, which keeps 15),
years a budget can have, text without control characters
or surrogates and of a bounded length.  A stored project can therefore always be
displayed and exported.  Each problem names its field and says why, in Chinese.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from jixiao.core.model import Adjustment, Execution, FundLine, Monitoring, Progress, Project
from jixiao.core.monitoring import LIKELIHOODS, REASON_KINDS
from jixiao.core.scoring import SCHEMES
from jixiao.core.targets import Target


def _bound(value: int, doc: str) -> Any:
    return field(default=value, metadata={"doc": doc})


@dataclass(frozen=True)
class Limits:
    """The bounds, as data (the table in docs/web.md is generated from these)."""

    amount_digits: int = _bound(
        9,
        "金额（万元）整数部分的位数上限：不到 10 万亿元，大于任何一个项目；"
        "整数 9 位加小数 6 位共 15 位有效数字，PostgreSQL 和 SQLite（按 15 位保存）都精确",
    )
    amount_places: int = _bound(6, "金额（万元）的小数位数上限：精确到 0.01 元")
    first_year: int = _bound(1990, "预算年度的下限")
    last_year: int = _bound(2100, "预算年度的上限")
    short_text: int = _bound(
        300, "名称、单位、一级/二级指标、指标名称、指标值、实施期等一行文字的字数上限"
    )
    long_text: int = _bound(5000, "绩效目标、备注、偏差原因、其他表头项的内容等多行文字的字数上限")
    indicators: int = _bound(1000, "一个项目的指标数上限")
    list_items: int = _bound(100, "资金来源、其他表头项各自的项数上限")


LIMITS = Limits()


def limits_markdown(limits: Limits = LIMITS) -> str:
    """The bounds as a Markdown table, for docs/web.md."""
    rows = ["| 限制 | 值 | 含义 |", "|---|---|---|"]
    for item in fields(limits):
        rows.append(f"| `{item.name}` | {getattr(limits, item.name)} | {item.metadata['doc']} |")
    return "\n".join(rows)


@dataclass(frozen=True)
class Problem:
    field: str  # where, as the JSON path of the field ("funds.annual.total", "indicators[3].name")
    label: str  # the field as the form names it ("年度金额", "第 3 个指标的指标名称")
    message: str  # why, in Chinese, naming the field

    def __str__(self) -> str:
        return self.message


def problems(project: Project, limits: Limits = LIMITS) -> list[Problem]:
    """Everything in ``project`` that cannot be stored; empty when it can."""
    return list(_problems(project, limits))


def _problems(project: Project, limits: Limits) -> Iterator[Problem]:
    if not project.name.strip():
        yield Problem("name", "项目名称", "项目名称不能为空。")
    if project.year is not None and not limits.first_year <= project.year <= limits.last_year:
        yield Problem(
            "year",
            "预算年度",
            f"预算年度 {project.year} 不在 {limits.first_year}～{limits.last_year} 年之间。",
        )
    short = [
        ("name", "项目名称", project.name),
        ("department", "主管部门", project.department),
        ("implementing_unit", "实施单位", project.implementing_unit),
        ("filing_unit", "填报单位", project.filing_unit),
        ("period", "项目实施期", project.period.text),
        ("title", "表名", project.title),
    ]
    for path, label, text in short:
        yield from _text(path, label, text, limits.short_text, multiline=False)
    for path, label, text in (
        ("goals.period", "实施期目标", project.goals.period),
        ("goals.annual", "年度目标", project.goals.annual),
    ):
        yield from _text(path, label, text, limits.long_text, multiline=True)
    for column, label in (("period", "实施期"), ("annual", "年度")):
        line: FundLine = getattr(project.funds, column)
        yield from _fund_line(f"funds.{column}", label, line, limits)
    yield from _items("attributes", "其他表头项", project.attributes, limits)
    if len(project.indicators) > limits.indicators:
        yield Problem(
            "indicators",
            "绩效指标",
            f"一个项目最多 {limits.indicators} 个指标，这里有 {len(project.indicators)} 个。",
        )
    for number, indicator in enumerate(project.indicators[: limits.indicators], start=1):
        where, label = f"indicators[{number}]", f"第 {number} 个指标"
        for key, name, text in (
            ("level1", "一级指标", indicator.level1),
            ("level2", "二级指标", indicator.level2),
            ("name", "指标名称", indicator.name),
            ("stated_direction", "指标方向", indicator.stated_direction),
        ):
            yield from _text(f"{where}.{key}", f"{label}的{name}", text, limits.short_text, False)
        for key, name, text in (
            ("note", "备注", indicator.note),
            ("deviation", "偏差原因", indicator.deviation),
        ):
            yield from _text(f"{where}.{key}", f"{label}的{name}", text, limits.long_text, True)
        for key, name, target in (
            ("target", "指标值", indicator.target),
            ("period_target", "实施期指标值", indicator.period_target),
            ("actual", "实际完成值", indicator.actual),
        ):
            yield from _target(f"{where}.{key}", f"{label}的{name}", target, limits)
        for key, name, number_ in (
            ("weight", "分值", indicator.weight),
            ("score", "得分", indicator.score),
        ):
            yield from _amount(f"{where}.{key}", f"{label}的{name}", number_, limits)
        if indicator.progress is not None:
            yield from _progress(f"{where}.progress", label, indicator.progress, limits)
        yield from _target(
            f"{where}.planned_target", f"{label}的年初指标值", indicator.planned_target, limits
        )
    if project.evaluation is not None:
        evaluation = project.evaluation
        for key, name, execution in (
            ("total", "年度资金总额", evaluation.total),
            ("fiscal", "财政拨款", evaluation.fiscal),
            ("carryover", "上年结转资金", evaluation.carryover),
            ("other", "其他资金", evaluation.other),
        ):
            yield from _execution(f"evaluation.{key}", f"自评的{name}", execution, limits)
        for key, name, text in (
            ("goal_expected", "年度总体目标", evaluation.goal_expected),
            ("goal_actual", "实际完成情况", evaluation.goal_actual),
        ):
            yield from _text(f"evaluation.{key}", f"自评的{name}", text, limits.long_text, True)
        yield from _text(
            "evaluation.grade_reported",
            "自评的评价等级",
            evaluation.grade_reported,
            limits.short_text,
            False,
        )
        yield from _amount(
            "evaluation.total_reported", "自评的总分", evaluation.total_reported, limits
        )
        if evaluation.scheme and evaluation.scheme not in SCHEMES:
            yield Problem(
                "evaluation.scheme",
                "评分方案",
                f"评分方案“{evaluation.scheme[:40]}”不存在：可选 {'、'.join(SCHEMES)}，或不填。",
            )
    if project.monitoring is not None:
        yield from _monitoring(project.monitoring, limits)
    if project.adjustment is not None:
        yield from _adjustment(project.adjustment, limits)


def _fund_line(path: str, label: str, line: FundLine, limits: Limits) -> Iterator[Problem]:
    for key, name, value in (
        ("total", "金额", line.total),
        ("fiscal", "财政拨款", line.fiscal),
        ("other", "其他资金", line.other),
    ):
        yield from _amount(f"{path}.{key}", f"{label}{name}", value, limits)
    if len(line.sources) > limits.list_items:
        yield Problem(
            f"{path}.sources", f"{label}资金来源", f"{label}资金来源最多 {limits.list_items} 项。"
        )
    for number, (name, amount) in enumerate(line.sources[: limits.list_items], start=1):
        where = f"{path}.sources[{number}]"
        yield from _text(where, f"{label}资金来源“{name[:20]}”", name, limits.short_text, False)
        yield from _amount(where, f"{label}资金来源“{name[:20]}”的金额", amount, limits)


def _progress(path: str, label: str, progress: Progress, limits: Limits) -> Iterator[Problem]:
    for key, name, target in (
        ("achieved", "1–N月执行情况", progress.achieved),
        ("predicted", "全年预计完成情况", progress.predicted),
    ):
        yield from _target(f"{path}.{key}", f"{label}的{name}", target, limits)
    for key, name, text in (
        ("reason", "偏差原因分析", progress.reason),
        ("measures", "整改措施", progress.measures),
    ):
        yield from _text(f"{path}.{key}", f"{label}的{name}", text, limits.long_text, True)
    if progress.likelihood and progress.likelihood not in LIKELIHOODS:
        yield Problem(
            f"{path}.likelihood",
            f"{label}的完成目标可能性",
            f"{label}的完成目标可能性只能是 {'、'.join(LIKELIHOODS)}。",
        )
    unknown = [kind for kind in progress.reasons if kind not in REASON_KINDS]
    if unknown or len(set(progress.reasons)) != len(progress.reasons):
        yield Problem(
            f"{path}.reasons",
            f"{label}的偏差原因类别",
            f"{label}的偏差原因类别只能是 {'、'.join(REASON_KINDS)}，每类一次。",
        )


def _adjustment(adjustment: Adjustment, limits: Limits) -> Iterator[Problem]:
    yield from _text("adjustment.reason", "调整原因", adjustment.reason, limits.long_text, True)
    yield from _text("adjustment.goal", "年初的年度目标", adjustment.goal, limits.long_text, True)
    yield from _fund_line("adjustment.funds", "年初的年度", adjustment.funds, limits)
    if len(adjustment.removed) > limits.indicators:
        yield Problem("adjustment.removed", "取消的指标", "取消的指标太多。")
    for number, indicator in enumerate(adjustment.removed[: limits.indicators], start=1):
        where, label = f"adjustment.removed[{number}]", f"第 {number} 个取消的指标"
        yield from _text(
            f"{where}.name", f"{label}的名称", indicator.name, limits.short_text, False
        )
        yield from _target(f"{where}.target", f"{label}的指标值", indicator.target, limits)


def _monitoring(monitoring: Monitoring, limits: Limits) -> Iterator[Problem]:
    if monitoring.month is not None and not 1 <= monitoring.month <= 12:
        yield Problem("monitoring.month", "监控月份", "监控月份应在 1 到 12 之间（1–N月的 N）。")
    for key, name, line in (
        ("total", "年度资金总额", monitoring.total),
        ("fiscal", "财政拨款", monitoring.fiscal),
        ("other", "其他资金", monitoring.other),
    ):
        for amount, amount_name, value in (
            ("planned", "年初预算数", line.planned),
            ("executed", "1–N月执行数", line.executed),
            ("predicted", "全年预计执行数", line.predicted),
        ):
            yield from _amount(
                f"monitoring.{key}.{amount}", f"监控的{name}{amount_name}", value, limits
            )
        yield from _text(
            f"monitoring.{key}.reason", f"监控的{name}偏差原因", line.reason, limits.long_text, True
        )
    for key, name, text in (
        ("goal_progress", "年度总体目标执行情况", monitoring.goal_progress),
        ("reason", "偏差原因分析", monitoring.reason),
        ("measures", "相关建议或举措", monitoring.measures),
    ):
        yield from _text(f"monitoring.{key}", f"监控的{name}", text, limits.long_text, True)


def _execution(path: str, label: str, execution: Execution, limits: Limits) -> Iterator[Problem]:
    for key, name, value in (
        ("planned", "年初预算数", execution.planned),
        ("budget", "全年预算数", execution.budget),
        ("executed", "全年执行数", execution.executed),
        ("weight", "分值", execution.weight),
        ("score", "得分", execution.score),
    ):
        yield from _amount(f"{path}.{key}", f"{label}{name}", value, limits)
    yield from _text(
        f"{path}.rate_reported", f"{label}执行率", execution.rate_reported, limits.short_text, False
    )


def _items(
    path: str, label: str, items: tuple[tuple[str, str], ...], limits: Limits
) -> Iterator[Problem]:
    if len(items) > limits.list_items:
        yield Problem(path, label, f"{label}最多 {limits.list_items} 项，这里有 {len(items)} 项。")
    for number, (key, value) in enumerate(items[: limits.list_items], start=1):
        where = f"{path}[{number}]"
        yield from _text(where, f"{label}的名称", key, limits.short_text, False)
        yield from _text(where, f"{label}“{key[:20]}”", value, limits.long_text, True)


def _target(path: str, label: str, target: Target | None, limits: Limits) -> Iterator[Problem]:
    if target is None:
        return
    yield from _text(path, label, target.text, limits.short_text, multiline=False)


def _amount(path: str, label: str, value: Decimal | None, limits: Limits) -> Iterator[Problem]:
    if value is None:
        return
    if not value.is_finite():
        yield Problem(path, label, f"{label}“{value}”不是数字。")
        return
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    places = max(-exponent, 0)
    integer = len(digits) + exponent if len(digits) + exponent > 0 else 0
    if integer > limits.amount_digits:
        yield Problem(
            path,
            label,
            f"{label}太大：整数部分最多 {limits.amount_digits} 位（以万元填写），"
            f"这里有 {integer} 位。",
        )
    elif places > limits.amount_places and value != value.quantize(
        Decimal(1).scaleb(-limits.amount_places)
    ):
        yield Problem(
            path,
            label,
            f"{label}“{value}”的小数位太多：以万元填写时最多 {limits.amount_places} 位"
            "（精确到 0.01 元）。",
        )


def _text(path: str, label: str, text: str, longest: int, multiline: bool) -> Iterator[Problem]:
    if len(text) > longest:
        yield Problem(path, label, f"{label}太长：最多 {longest} 个字，这里有 {len(text)} 个字。")
    bad = bad_character(text, multiline=multiline)
    if bad is not None:
        position, character = bad
        yield Problem(
            path,
            label,
            f"{label}的第 {position} 个字符是不可见的控制字符或无效字符"
            f"（U+{ord(character):04X}），请删除后再保存。",
        )


_ALLOWED_CONTROLS = {False: frozenset("\t"), True: frozenset("\t\n\r")}


def bad_character(text: str, multiline: bool = True) -> tuple[int, str] | None:
    """(1-based position, character) of the first character that no page or file may hold:
    a control character (a line break only where the field has lines), a lone surrogate
    or a Unicode noncharacter; None when the text is clean."""
    if text.isprintable():
        return None  # the common case, at C speed: no control character at all
    allowed = _ALLOWED_CONTROLS[multiline]
    for position, character in enumerate(text, start=1):
        if character in allowed:
            continue
        category = unicodedata.category(character)
        if category in ("Cc", "Cs") or _noncharacter(character):
            return position, character
    return None


def without_bad_characters(text: str) -> tuple[str, int]:
    """``text`` without the characters ``bad_character`` finds (line breaks and tabs kept),
    and how many were removed: what every reader does to what it reads."""
    if text.isprintable():
        return text, 0
    kept = [
        c
        for c in text
        if c in "\t\n\r" or not (unicodedata.category(c) in ("Cc", "Cs") or _noncharacter(c))
    ]
    return "".join(kept), len(text) - len(kept)


def _noncharacter(character: str) -> bool:
    code = ord(character)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
