"""Rules on a self-evaluation (自评表): the arithmetic a reviewer checks by hand.

Each rule compares what the form reports with what ``core.scoring`` computes from the
approved targets and the actual values (the default scheme, 财预〔2020〕10号).  They
apply only to a project that carries a self-evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.core.scoring import ScoreCard, grade_of, infer_scheme, money, score
from jixiao.rules.basis import EVALUATION
from jixiao.rules.registry import Hit, indicator_hit, q, rule

TOLERANCE = Decimal("0.5")  # points: rounding in the form is not a finding
TOO_EASY = Decimal("1.3")  # actual ≥ 130% of the target: the target was set too low


def _card(project: Project) -> ScoreCard | None:
    return score(project, infer_scheme(project)) if project.evaluation is not None else None


@rule(
    "EVAL-SCORE-DIFF",
    Severity.WARNING,
    "报告的得分与按目标和实际值计算的得分不一致",
    "按评分规则重新计算得分：达到目标得满分，未达到按实际值与目标值之比计分。",
    EVALUATION,
)
def score_differs(project: Project) -> Iterator[Hit]:
    """实际低于“≥”目标仍给满分、超过“≤”上限也给满分、达到目标却扣分——自评表里常见的算术错误。
    计算方法和每一步见 `jixiao evaluate`；相差 0.5 分以内（四舍五入）不报告。"""
    card = _card(project)
    if card is None:
        return
    for row in (card.execution, *card.rows):
        if row.reported is None or row.computed is None:
            continue
        if abs(row.reported - row.computed) > TOLERANCE:
            where = (
                row.indicator.source if row.indicator else project.source_of("funds.annual.total")
            )
            yield Hit(
                f"{q(row.name)}报告得分 {money(row.reported)} 分，按目标和实际值应为 "
                f"{money(row.computed)} 分：{row.explanation}",
                where,
                row.name if row.indicator else None,
            )


@rule(
    "EVAL-SCORE-OVER-WEIGHT",
    Severity.ERROR,
    "得分高于分值",
    "得分不能超过该指标的分值。",
    EVALUATION,
)
def score_over_weight(project: Project) -> Iterator[Hit]:
    """一个指标的得分不可能超过它的分值（10.3 分对 10 分的分值）。"""
    if project.evaluation is None:
        return
    for indicator in project.indicators:
        scored, weight = indicator.score, indicator.weight
        if scored is not None and weight is not None and scored > weight:
            yield indicator_hit(
                indicator,
                f"{q(indicator.name)}得分 {money(scored)} 分，高于分值 {money(weight)} 分",
            )


@rule(
    "EVAL-WEIGHTS-SUM",
    Severity.WARNING,
    "分值合计不是 100 分",
    "预算执行率与各指标的分值合计应为 100 分。",
    EVALUATION,
)
def weights_sum(project: Project) -> Iterator[Hit]:
    """表中给出了每个指标的分值时，连同预算执行率的分值应合计 100 分。"""
    evaluation = project.evaluation
    if evaluation is None or not project.indicators:
        return
    if any(i.weight is None for i in project.indicators) or evaluation.total.weight is None:
        return
    total = evaluation.total.weight + sum(
        (i.weight or Decimal(0) for i in project.indicators), Decimal(0)
    )
    if abs(total - 100) > Decimal("0.01"):
        yield Hit(f"分值合计 {money(total)} 分，不是 100 分", project.source)


def _reported_rate(text: str) -> tuple[Decimal, bool] | None:
    """(rate as a fraction, written as a fraction) from "86%", "0.958", "102.59%"."""
    match = re.search(r"\d+(?:\.\d+)?", text)
    if match is None:
        return None
    try:
        number = Decimal(match.group())
    except InvalidOperation:
        return None
    if "%" in text or "％" in text:
        return number / 100, False
    return (number, True) if number <= 1 else (number / 100, False)


@rule(
    "EVAL-RATE",
    Severity.WARNING,
    "执行率填写有误",
    "执行率 = 全年执行数 ÷ 全年预算数，以百分比填写（如 95.86%）。",
    EVALUATION,
)
def execution_rate(project: Project) -> Iterator[Hit]:
    """执行率写成小数（0.958）、与执行数 ÷ 预算数不符、或超过 100%（执行数大于预算数）。"""
    evaluation = project.evaluation
    if evaluation is None:
        return
    line = evaluation.total
    where = project.source_of("funds.annual.total")
    rate = line.rate
    if rate is not None and rate > 1:
        yield Hit(f"执行数大于预算数，执行率为 {money(rate * 100)}%，超过 100%", where)
    reported = _reported_rate(line.rate_reported) if line.rate_reported else None
    if reported is None:
        return
    value, fraction = reported
    if fraction:
        yield Hit(f"执行率写成了小数“{line.rate_reported}”，应以百分比填写", where)
    if rate is not None and abs(value - rate) > Decimal("0.005"):
        yield Hit(
            f"报告的执行率“{line.rate_reported}”与执行数 ÷ 预算数 = {money(rate * 100)}% 不符",
            where,
        )


@rule(
    "EVAL-NO-REASON",
    Severity.WARNING,
    "未完成目标没有说明原因",
    "在“偏差原因分析及改进措施”中说明未完成的原因和改进措施。",
    EVALUATION,
)
def no_reason(project: Project) -> Iterator[Hit]:
    """没有达到目标的指标，应说明偏差原因和改进措施。"""
    card = _card(project)
    if card is None:
        return
    for row in card.rows:
        indicator = row.indicator
        if indicator is None or row.met is not False or indicator.deviation.strip():
            continue
        if indicator.actual is None or not indicator.actual.text.strip():
            continue  # EVAL-ACTUAL-MISSING
        yield indicator_hit(
            indicator,
            f"{q(indicator.name)}没有达到目标（实际 {indicator.actual.text}，目标 "
            f"{indicator.target.text}），没有说明原因",
        )


@rule(
    "EVAL-TOO-EASY",
    Severity.INFO,
    "实际值远超目标",
    "实际达到目标的 130% 以上：说明原因，明年的目标应据实提高。",
    EVALUATION,
)
def too_easy(project: Project) -> Iterator[Hit]:
    """实际达到目标的 130% 以上又没有说明原因，多半是目标定得太低。"""
    card = _card(project)
    if card is None:
        return
    for row in card.rows:
        indicator = row.indicator
        if indicator is None or row.ratio is None or row.ratio < TOO_EASY:
            continue
        if indicator.deviation.strip():
            continue
        yield indicator_hit(
            indicator,
            f"{q(indicator.name)}实际 {indicator.actual.text if indicator.actual else ''} 是目标 "
            f"{indicator.target.text} 的 {money(row.ratio * 100)}%，目标可能定得太低",
        )


@rule(
    "EVAL-ACTUAL-MISSING",
    Severity.ERROR,
    "没有实际完成值",
    "填写每个指标的实际完成值。",
    EVALUATION,
)
def actual_missing(project: Project) -> Iterator[Hit]:
    """没有实际完成值的指标无法评价。"""
    if project.evaluation is None:
        return
    for indicator in project.indicators:
        if not re.search(r"\w", indicator.name):
            continue  # "……": a template's placeholder row, not an indicator
        if indicator.actual is None or not indicator.actual.text.strip():
            yield indicator_hit(indicator, f"{q(indicator.name)}没有填写实际完成值")


_PARENT = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CHILD = re.compile(r"^\d+[、.．)）]")


@rule(
    "EVAL-DOUBLE-COUNT",
    Severity.WARNING,
    "上级和下级指标重复计分",
    "只给最末一级的指标计分，或只给上级指标计分。",
    EVALUATION,
)
def double_count(project: Project) -> Iterator[Hit]:
    """“一、示范区建立”与其下的“1、…”“2、…”都给了得分，同一项工作计了两次分。"""
    if project.evaluation is None:
        return
    rows = project.indicators
    for number, parent in enumerate(rows):
        if parent.score is None or not _PARENT.match(parent.name):
            continue
        children = []
        for child in rows[number + 1 :]:
            if not _CHILD.match(child.name):
                break
            children.append(child)
        if any(child.score is not None for child in children):
            yield indicator_hit(
                parent,
                f"{q(parent.name)}与其下的 {len(children)} 个指标都计了分（{money(parent.score)} 分"
                f"与 {money(sum((c.score or Decimal(0) for c in children), Decimal(0)))} 分）",
            )


@rule(
    "EVAL-TOTAL",
    Severity.ERROR,
    "总分与各项得分之和不符",
    "总分 = 预算执行率得分 + 各指标得分。",
    EVALUATION,
)
def total_sum(project: Project) -> Iterator[Hit]:
    """报告的总分应等于报告的各项得分之和。"""
    evaluation = project.evaluation
    if evaluation is None or evaluation.total_reported is None:
        return
    scores = [i.score for i in project.indicators]
    if any(s is None for s in scores):
        return
    total = sum((s or Decimal(0) for s in scores), Decimal(0)) + (
        evaluation.total.score or Decimal(0)
    )
    if abs(total - evaluation.total_reported) > TOLERANCE:
        yield Hit(
            f"总分 {money(evaluation.total_reported)} 分，各项得分之和是 {money(total)} 分",
            project.source,
        )


@rule(
    "EVAL-GRADE",
    Severity.WARNING,
    "评价等级与总分不符",
    "90 分（含）以上为优，80–90 分为良，60–80 分为中，60 分以下为差。",
    EVALUATION,
)
def grade(project: Project) -> Iterator[Hit]:
    """等级按总分确定：优 ≥ 90，良 80–90，中 60–80，差 < 60。"""
    evaluation = project.evaluation
    if evaluation is None or evaluation.total_reported is None or not evaluation.grade_reported:
        return
    expected = grade_of(evaluation.total_reported)
    if evaluation.grade_reported.strip()[:1] != expected:
        yield Hit(
            f"总分 {money(evaluation.total_reported)} 分应为“{expected}”，报告的等级是"
            f"“{evaluation.grade_reported}”",
            project.source,
        )


RULES = (
    score_differs,
    score_over_weight,
    weights_sum,
    execution_rate,
    no_reason,
    too_easy,
    actual_missing,
    double_count,
    total_sum,
    grade,
)
