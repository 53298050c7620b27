"""The canonical JSON (open data): ``{"format": "jixiao/1", "projects": [...]}``.

Money is written as decimal strings in 万元 (never JSON numbers, which many
readers turn into binary floats); an empty cell is ``null``, not zero.  A
target's ``text`` is the truth: the typed fields are derived from it, and a
reader that finds them disagreeing reports it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from jixiao.core.bounds import without_bad_characters
from jixiao.core.findings import Check, Finding, Severity, make_finding
from jixiao.core.model import (
    MONEY_UNIT,
    Adjustment,
    Evaluation,
    Execution,
    FundLine,
    Funds,
    Goals,
    Indicator,
    Monitoring,
    Period,
    Progress,
    Project,
    Scope,
    Spending,
    YearMonth,
)
from jixiao.core.monitoring import Report, Signal, report, time_progress
from jixiao.core.scoring import RowScore, ScoreCard, infer_scheme, score
from jixiao.core.source import Source
from jixiao.core.targets import Target, format_decimal, parse_target
from jixiao.formats.base import INVISIBLE, ReadResult, unreadable, writable
from jixiao.formats.intake import limited
from jixiao.formats.limits import Budget

NAME = "json"
FORMAT = "jixiao/1"
EXTENSION = ".json"
MEDIA_TYPE = "application/json"

TARGET_MISMATCH = Check(
    id="READ-JSON-TARGET",
    severity=Severity.WARNING,
    title="JSON 中指标值的分解与原文不一致",
    fix="以指标值原文（text）为准；请修正产生该 JSON 的程序，使 operator、value、unit 与原文一致。",
    explanation="导入 JSON 时，指标值按原文重新解析；若文件中给出的运算符、数值或单位与原文不符，以原文为准并给出提示。",
)
CHECKS: tuple[Check, ...] = (TARGET_MISMATCH,)


def schema() -> dict[str, Any]:
    text = resources.files("jixiao").joinpath("schema/jixiao-1.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# --- writing ---------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


RATE_PLACES = Decimal("0.000001")


def _fund_line(line: FundLine) -> dict[str, Any]:
    data: dict[str, Any] = {
        "total": _money(line.total),
        "fiscal": _money(line.fiscal),
        "other": _money(line.other),
    }
    if line.sources:
        data["sources"] = [{"label": label, "amount": _money(a)} for label, a in line.sources]
    return data


def target_to_json(target: Target) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": target.text,
        "kind": target.kind.value,
        "operator": target.operator.value if target.operator else None,
        "value": _money(target.value),
        "upper": _money(target.upper),
        "unit": target.unit or None,
        "direction": target.direction.value if target.direction else None,
    }
    if target.relative:
        data["relative"] = target.relative
    if target.each:
        data["each"] = True
    if target.problem:
        data["problem"] = target.problem
    if target.tolerance:
        data["tolerance"] = True
    if target.start:
        data["start"] = target.start
    if target.end:
        data["end"] = target.end
    return data


def indicator_to_json(
    indicator: Indicator,
    evaluation: bool = False,
    computed: RowScore | None = None,
    signal: Signal | None = None,
) -> dict[str, Any]:
    """An indicator; a self-evaluation's carries ``actual``, ``weight``, ``score``, ``deviation``
    and the score computed from its target and actual (``score_computed``, never read back)."""
    data: dict[str, Any] = {
        "level1": indicator.level1,
        "level2": indicator.level2,
        "name": indicator.name,
        "target": target_to_json(indicator.target),
        "source": indicator.source.to_json(),
    }
    if indicator.note:
        data["note"] = indicator.note
    if indicator.weight is not None or evaluation:
        data["weight"] = _money(indicator.weight)
    if indicator.period_target is not None:
        data["period_target"] = target_to_json(indicator.period_target)
    if indicator.stated_direction:
        data["stated_direction"] = indicator.stated_direction
    if indicator.actual is not None or evaluation:
        data["actual"] = target_to_json(indicator.actual) if indicator.actual is not None else None
    if indicator.score is not None or evaluation:
        data["score"] = _money(indicator.score)
    if indicator.deviation or evaluation:
        data["deviation"] = indicator.deviation
    if computed is not None:
        data["score_computed"] = _money(computed.computed)
        data["score_explanation"] = computed.explanation
    if indicator.progress is not None:
        data["progress"] = progress_to_json(indicator.progress, signal)
    if indicator.planned_target is not None:
        data["planned_target"] = target_to_json(indicator.planned_target)
    return data


def adjustment_to_json(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "reason": adjustment.reason,
        "funds": _fund_line(adjustment.funds),
        "goal": adjustment.goal,
        "removed": [indicator_to_json(i) for i in adjustment.removed],
        "added": list(adjustment.added),
    }


def adjustment_from_json(data: dict[str, Any] | None) -> Adjustment | None:
    if data is None:
        return None
    return Adjustment(
        reason=data.get("reason") or "",
        funds=_fund_line_from(data.get("funds") or {}),
        goal=data.get("goal") or "",
        removed=tuple(indicator_from_json(i) for i in data.get("removed") or ()),
        added=tuple(data.get("added") or ()),
    )


def _target_or_none(target: Target | None) -> dict[str, Any] | None:
    return target_to_json(target) if target is not None else None


def progress_to_json(progress: Progress, signal: Signal | None = None) -> dict[str, Any]:
    """An indicator's line in a monitoring report, with its light (``light``/``light_reason``
    computed, never read back)."""
    return {
        "achieved": _target_or_none(progress.achieved),
        "predicted": _target_or_none(progress.predicted),
        "likelihood": progress.likelihood or None,
        "reasons": list(progress.reasons),
        "reason": progress.reason,
        "measures": progress.measures,
        "light": signal.light.value if signal is not None else None,
        "light_reason": signal.reason if signal is not None else None,
    }


def _spending(line: Spending) -> dict[str, Any]:
    rate, predicted = line.rate, line.predicted_rate
    return {
        "planned": _money(line.planned),
        "executed": _money(line.executed),
        "predicted": _money(line.predicted),
        "rate": None if rate is None else _rate(rate),
        "predicted_rate": None if predicted is None else _rate(predicted),
        "reason": line.reason,
    }


def monitoring_to_json(monitoring: Monitoring, lights: Report | None = None) -> dict[str, Any]:
    return {
        "month": monitoring.month,
        "budget": {
            "total": _spending(monitoring.total),
            "fiscal": _spending(monitoring.fiscal),
            "other": _spending(monitoring.other),
        },
        "goal_progress": monitoring.goal_progress,
        "reason": monitoring.reason,
        "measures": monitoring.measures,
        "computed": None
        if lights is None
        else {
            "month": lights.month,
            "time_progress": _rate(time_progress(lights.month)),
            "light": lights.light.value,
            "execution_light": lights.execution.light.value,
            "execution_reason": lights.execution.reason,
        },
    }


def _rate(rate: Decimal) -> str | None:
    """The computed rate to six places; None for an absurd one (only from a hostile file)."""
    try:
        return format_decimal(rate.quantize(RATE_PLACES))
    except InvalidOperation:
        return None


def _execution(line: Execution) -> dict[str, Any]:
    rate = line.rate
    return {
        "planned": _money(line.planned),
        "budget": _money(line.budget),
        "executed": _money(line.executed),
        "weight": _money(line.weight),
        "score": _money(line.score),
        "rate_reported": line.rate_reported or None,
        "rate": None if rate is None else _rate(rate),
    }


def evaluation_to_json(evaluation: Evaluation, card: ScoreCard | None = None) -> dict[str, Any]:
    computed = None
    if card is not None:
        computed = {
            "scheme": card.scheme.name,
            "execution_score": _money(card.execution.computed),
            "total": _money(card.total),
            "grade": card.grade,
        }
    return {
        "computed": computed,
        "budget": {
            "total": _execution(evaluation.total),
            "fiscal": _execution(evaluation.fiscal),
            "carryover": _execution(evaluation.carryover),
            "other": _execution(evaluation.other),
        },
        "goals": {"expected": evaluation.goal_expected, "achieved": evaluation.goal_actual},
        "total_reported": _money(evaluation.total_reported),
        "grade_reported": evaluation.grade_reported,
        "scheme": evaluation.scheme or None,
    }


def project_to_json(project: Project) -> dict[str, Any]:
    card = score(project, infer_scheme(project)) if project.evaluation is not None else None
    lights = report(project)
    signals = lights.indicators if lights is not None else [None] * len(project.indicators)
    data = {
        "name": project.name,
        "year": project.year,
        "department": project.department,
        "implementing_unit": project.implementing_unit,
        "filing_unit": project.filing_unit,
        "period": {
            "text": project.period.text,
            "start": str(project.period.start) if project.period.start else None,
            "end": str(project.period.end) if project.period.end else None,
        },
        "funds": {
            "unit": MONEY_UNIT,
            "period": _fund_line(project.funds.period),
            "annual": _fund_line(project.funds.annual),
        },
        "goals": {"period": project.goals.period, "annual": project.goals.annual},
        "indicators": [
            indicator_to_json(i, card is not None, row, signal)
            for i, row, signal in zip(
                project.indicators,
                card.rows if card is not None else [None] * len(project.indicators),
                signals,
                strict=True,
            )
        ],
        "source": project.source.to_json(),
        "sources": {key: source.to_json() for key, source in project.sources},
        "title": project.title,
        "scope": project.scope,
        "attributes": [{"label": label, "value": value} for label, value in project.attributes],
        "evaluation": (
            evaluation_to_json(project.evaluation, card) if project.evaluation is not None else None
        ),
    }
    if project.monitoring is not None:
        data["monitoring"] = monitoring_to_json(project.monitoring, lights)
    if project.adjustment is not None:
        data["adjustment"] = adjustment_to_json(project.adjustment)
    return data


def to_document(projects: tuple[Project, ...] | list[Project]) -> dict[str, Any]:
    return {"format": FORMAT, "projects": [project_to_json(p) for p in projects]}


def dumps(projects: tuple[Project, ...] | list[Project]) -> str:
    """The canonical JSON.  Control characters stay, escaped (\\u0001) as JSON requires; a
    lone surrogate, which UTF-8 cannot hold, becomes U+FFFD (``base.writable``)."""
    return writable(json.dumps(to_document(projects), ensure_ascii=False, indent=2)) + "\n"


def write(projects: Sequence[Project], layout: object = None, summary: object = None) -> bytes:
    """The canonical JSON; a layout and a summary mean nothing here."""
    del layout, summary
    return dumps(list(projects)).encode("utf-8")


# --- reading ---------------------------------------------------------------------


def identify(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and FORMAT.encode() in data[:65536]


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _fund_line_from(data: dict[str, Any]) -> FundLine:
    return FundLine(
        total=_decimal(data.get("total")),
        fiscal=_decimal(data.get("fiscal")),
        other=_decimal(data.get("other")),
        sources=tuple((s["label"], _decimal(s.get("amount"))) for s in data.get("sources") or ()),
    )


def _execution_from(data: dict[str, Any] | None) -> Execution:
    data = data or {}
    return Execution(
        planned=_decimal(data.get("planned")),
        budget=_decimal(data.get("budget")),
        executed=_decimal(data.get("executed")),
        weight=_decimal(data.get("weight")),
        rate_reported=data.get("rate_reported") or "",
        score=_decimal(data.get("score")),
    )


def evaluation_from_json(data: dict[str, Any] | None) -> Evaluation | None:
    if data is None:
        return None
    budget = data.get("budget") or {}
    goals = data.get("goals") or {}
    return Evaluation(
        total=_execution_from(budget.get("total")),
        fiscal=_execution_from(budget.get("fiscal")),
        carryover=_execution_from(budget.get("carryover")),
        other=_execution_from(budget.get("other")),
        goal_expected=goals.get("expected", ""),
        goal_actual=goals.get("achieved", ""),
        total_reported=_decimal(data.get("total_reported")),
        grade_reported=data.get("grade_reported") or "",
        scheme=data.get("scheme") or "",
    )


def _mismatch(given: dict[str, Any], derived: Target) -> list[str]:
    expected = target_to_json(derived)
    return [
        key
        for key in ("kind", "operator", "value", "upper", "unit")
        if key in given
        and given[key] != expected[key]
        and not (key in ("value", "upper") and _same_number(given[key], expected[key]))
    ]


def _same_number(a: object, b: object) -> bool:
    try:
        return a is not None and b is not None and Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return False


def indicator_from_json(item: dict[str, Any], path: str = "") -> Indicator:
    """An indicator of the schema's shape; its target parsed again from its text."""
    source = Source.from_json(item.get("source"))
    if not source.path and path:
        source = replace(source, path=path)
    actual = item.get("actual")
    period_target = item.get("period_target")
    return Indicator(
        level1=item["level1"],
        level2=item["level2"],
        name=item["name"],
        target=parse_target(item["target"]["text"]),
        source=source,
        note=item.get("note", ""),
        weight=_decimal(item.get("weight")),
        period_target=parse_target(period_target["text"]) if period_target else None,
        stated_direction=item.get("stated_direction", ""),
        actual=parse_target(actual["text"]) if actual else None,
        score=_decimal(item.get("score")),
        deviation=item.get("deviation", ""),
        progress=progress_from_json(item.get("progress")),
        planned_target=_parsed(item.get("planned_target")),
    )


def _parsed(data: dict[str, Any] | None) -> Target | None:
    return parse_target(data["text"]) if data else None


def progress_from_json(data: dict[str, Any] | None) -> Progress | None:
    if data is None:
        return None
    return Progress(
        achieved=_parsed(data.get("achieved")),
        predicted=_parsed(data.get("predicted")),
        likelihood=data.get("likelihood") or "",
        reasons=tuple(data.get("reasons") or ()),
        reason=data.get("reason") or "",
        measures=data.get("measures") or "",
    )


def _spending_from(data: dict[str, Any] | None) -> Spending:
    data = data or {}
    return Spending(
        planned=_decimal(data.get("planned")),
        executed=_decimal(data.get("executed")),
        predicted=_decimal(data.get("predicted")),
        reason=data.get("reason") or "",
    )


def monitoring_from_json(data: dict[str, Any] | None) -> Monitoring | None:
    if data is None:
        return None
    budget = data.get("budget") or {}
    return Monitoring(
        month=data.get("month"),
        total=_spending_from(budget.get("total")),
        fiscal=_spending_from(budget.get("fiscal")),
        other=_spending_from(budget.get("other")),
        goal_progress=data.get("goal_progress") or "",
        reason=data.get("reason") or "",
        measures=data.get("measures") or "",
    )


def project_from_json(data: dict[str, Any], path: str, findings: list[Finding]) -> Project:
    indicators = []
    for item in data.get("indicators", []):
        indicator = indicator_from_json(item, path)
        wrong = _mismatch(item["target"], indicator.target)
        if wrong:
            findings.append(
                make_finding(
                    TARGET_MISMATCH,
                    f"指标“{item['name']}”的指标值“{indicator.target.text}”与文件中的 {', '.join(wrong)} 不一致，已按原文解析",
                    indicator.source,
                    project=data.get("name"),
                    indicator=item["name"],
                )
            )
        indicators.append(indicator)
    period = data.get("period") or {}
    funds = data.get("funds") or {}
    goals = data.get("goals") or {}
    period_text = period.get("text", "")
    parsed = Period.parse(period_text)
    start = YearMonth.parse(period.get("start")) or parsed.start
    end = YearMonth.parse(period.get("end")) or parsed.end
    return Project(
        name=data["name"],
        year=data.get("year"),
        department=data.get("department", ""),
        implementing_unit=data.get("implementing_unit", ""),
        filing_unit=data.get("filing_unit", ""),
        period=Period(text=period_text, start=start, end=end),
        funds=Funds(
            period=_fund_line_from(funds.get("period") or {}),
            annual=_fund_line_from(funds.get("annual") or {}),
        ),
        goals=Goals(period=goals.get("period", ""), annual=goals.get("annual", "")),
        indicators=tuple(indicators),
        source=Source.from_json(data.get("source")),
        sources=tuple(
            sorted((k, Source.from_json(v)) for k, v in (data.get("sources") or {}).items())
        ),
        title=data.get("title", ""),
        scope=data.get("scope") or Scope.PROJECT,
        attributes=tuple((a["label"], a["value"]) for a in data.get("attributes") or ()),
        evaluation=evaluation_from_json(data.get("evaluation")),
        monitoring=monitoring_from_json(data.get("monitoring")),
        adjustment=adjustment_from_json(data.get("adjustment")),
    )


@limited
def read(data: bytes, path: str, budget: Budget) -> ReadResult:
    import jsonschema  # a dependency of the reader only: imported when JSON is read

    budget.require("file_bytes", len(data))
    # Every object and array begins with { or [: an upper bound of what parsing makes.
    budget.require("elements", data.count(b"{") + data.count(b"["), "JSON（按“{”“[”计）：")
    replaced: list[str] = []
    try:
        document = _cleaned(json.loads(data.decode("utf-8-sig")), "", replaced, budget)
    except UnicodeDecodeError:
        return unreadable(path, "JSON 文件必须是 UTF-8 编码。")
    except json.JSONDecodeError as error:
        return unreadable(
            path, f"JSON 格式错误：第 {error.lineno} 行第 {error.colno} 列附近：{error.msg}"
        )
    except RecursionError:
        return unreadable(path, "JSON 的对象或数组嵌套过深，不是 jixiao/1 格式的文件。")
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "（文档根）"
        more = f"（另有 {len(errors) - 1} 处问题）" if len(errors) > 1 else ""
        return unreadable(path, f"JSON 不符合 {FORMAT} 格式：位置 {where}：{first.message}{more}")
    findings: list[Finding] = []
    if replaced:
        message = f"{len(replaced)} 个值中有控制字符或无效字符（第一处在 {replaced[0]}），已删除"
        findings.append(make_finding(INVISIBLE, message, Source(path=path)))
    projects = tuple(project_from_json(item, path, findings) for item in document["projects"])
    return ReadResult(projects=projects, findings=tuple(findings), meta={"encoding": "utf-8"})


def _cleaned(value: Any, where: str, replaced: list[str], budget: Budget) -> Any:
    """The parsed document without the characters no page or file may hold
    (``core.bounds.bad_character``); where each was, in ``replaced``."""
    if isinstance(value, str):
        if value.isprintable():
            return value
        clean, removed = without_bad_characters(value)
        if removed:
            replaced.append(where or "（文档根）")
        return clean
    if isinstance(value, dict):
        budget.tick()
        return {
            k: _cleaned(v, f"{where}/{k}".lstrip("/"), replaced, budget) for k, v in value.items()
        }
    if isinstance(value, list):
        budget.tick()
        return [
            _cleaned(v, f"{where}/{i}".lstrip("/"), replaced, budget) for i, v in enumerate(value)
        ]
    return value
