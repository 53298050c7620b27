"""Self-evaluation service: score cards of the projects read, as text or JSON data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.model import Project
from jixiao.core.scoring import RowScore, Scheme, ScoreCard, infer_scheme, money, score


def score_cards(projects: list[Project], scheme: Scheme | None = None) -> list[ScoreCard]:
    """The score card of each project with a self-evaluation, by ``scheme`` or, when none is
    given, by the scheme the form evidently used (``infer_scheme``)."""
    cards = (score(project, scheme or infer_scheme(project)) for project in projects)
    return [card for card in cards if card is not None]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


def _row_json(row: RowScore) -> dict[str, Any]:
    return {
        "name": row.name,
        "weight": _number(row.weight),
        "reported": _number(row.reported),
        "computed": _number(row.computed),
        "met": row.met,
        "explanation": row.explanation,
    }


def card_json(card: ScoreCard) -> dict[str, Any]:
    return {
        "project": card.project,
        "scheme": {"name": card.scheme.name, "title": card.scheme.title},
        "execution": _row_json(card.execution),
        "indicators": [_row_json(row) for row in card.rows],
        "total": {"reported": _number(card.total_reported), "computed": money(card.total)},
        "grade": {"reported": card.grade_reported or None, "computed": card.grade},
        "differences": len(card.differences),
        "notes": list(card.notes),
    }


def cards_json(cards: list[ScoreCard]) -> dict[str, Any]:
    return {"format": "jixiao-evaluate/1", "projects": [card_json(card) for card in cards]}


def _cell(value: Decimal | None) -> str:
    return "—" if value is None else money(value)


def card_text(card: ScoreCard) -> str:
    lines = [f"项目：{card.project}（评分方案：{card.scheme.title}）"]
    lines.append(f"  {'指标':<20}{'分值':>8}{'报告得分':>10}{'计算得分':>10}  说明")
    for row in (card.execution, *card.rows):
        mark = "≠" if row in card.differences else " "
        name = row.name if len(row.name) <= 18 else row.name[:17] + "…"
        lines.append(
            f"{mark} {name:<20}{_cell(row.weight):>8}{_cell(row.reported):>10}"
            f"{_cell(row.computed):>10}  {row.explanation}"
        )
    grade = card.grade_reported or "—"
    lines.append(
        f"  总分：报告 {_cell(card.total_reported)}，计算 {money(card.total)}；"
        f"等级：报告 {grade}，计算 {card.grade}"
    )
    if card.differences:
        lines.append(f"  报告得分与计算得分不同的有 {len(card.differences)} 处（以 ≠ 标出）。")
    lines += [f"  注：{note}" for note in card.notes]
    return "\n".join(lines) + "\n"


SUMMARY_HEADINGS = (
    "序号",
    "项目名称",
    "评分方案",
    "执行率",
    "执行率得分",
    "报告总分",
    "计算总分",
    "报告等级",
    "计算等级",
    "得分不同的行",
)


def summary_rows(cards: list[ScoreCard]) -> list[list[object]]:
    """A unit's self-evaluations, one row per project: execution, totals and grades."""
    rows: list[list[object]] = []
    for number, card in enumerate(cards, start=1):
        rate = card.execution.ratio
        rows.append(
            [
                number,
                card.project,
                card.scheme.name,
                "" if rate is None else f"{money(rate * 100)}%",
                card.execution.computed,
                card.total_reported,
                card.total,
                card.grade_reported,
                card.grade,
                len(card.differences),
            ]
        )
    return rows


def write_summary(cards: list[ScoreCard], to: str) -> bytes:
    """The summary of a unit's self-evaluations as an XLSX workbook or an HTML page."""
    from jixiao.formats import html, xlsx

    notes = ["得分按批准的目标和实际值计算（jixiao evaluate）；金额单位：万元"]
    writer = xlsx.write_table if to == "xlsx" else html.write_table
    return writer("项目支出绩效自评汇总表", notes, SUMMARY_HEADINGS, summary_rows(cards))
