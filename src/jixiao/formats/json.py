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

from jixiao.core.findings import Check, Finding, Severity, make_finding
from jixiao.core.model import (
    MONEY_UNIT,
    FundLine,
    Funds,
    Goals,
    Indicator,
    Period,
    Project,
    YearMonth,
)
from jixiao.core.source import Source
from jixiao.core.targets import Target, format_decimal, parse_target
from jixiao.formats.base import ReadResult, unreadable

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


def _fund_line(line: FundLine) -> dict[str, str | None]:
    return {"total": _money(line.total), "fiscal": _money(line.fiscal), "other": _money(line.other)}


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
    return data


def indicator_to_json(indicator: Indicator) -> dict[str, Any]:
    data: dict[str, Any] = {
        "level1": indicator.level1,
        "level2": indicator.level2,
        "name": indicator.name,
        "target": target_to_json(indicator.target),
        "source": indicator.source.to_json(),
    }
    if indicator.note:
        data["note"] = indicator.note
    return data


def project_to_json(project: Project) -> dict[str, Any]:
    return {
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
        "indicators": [indicator_to_json(i) for i in project.indicators],
        "source": project.source.to_json(),
        "sources": {key: source.to_json() for key, source in project.sources},
    }


def to_document(projects: tuple[Project, ...] | list[Project]) -> dict[str, Any]:
    return {"format": FORMAT, "projects": [project_to_json(p) for p in projects]}


def dumps(projects: tuple[Project, ...] | list[Project]) -> str:
    return json.dumps(to_document(projects), ensure_ascii=False, indent=2) + "\n"


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


def project_from_json(data: dict[str, Any], path: str, findings: list[Finding]) -> Project:
    indicators = []
    for item in data.get("indicators", []):
        target_data = item["target"]
        target = parse_target(target_data["text"])
        source = Source.from_json(item.get("source"))
        if not source.path and path:
            source = replace(source, path=path)
        wrong = _mismatch(target_data, target)
        if wrong:
            findings.append(
                make_finding(
                    TARGET_MISMATCH,
                    f"指标“{item['name']}”的指标值“{target.text}”与文件中的 {', '.join(wrong)} 不一致，已按原文解析",
                    source,
                    project=data.get("name"),
                    indicator=item["name"],
                )
            )
        indicators.append(
            Indicator(
                level1=item["level1"],
                level2=item["level2"],
                name=item["name"],
                target=target,
                source=source,
                note=item.get("note", ""),
            )
        )
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
    )


def read(data: bytes, path: str = "") -> ReadResult:
    import jsonschema  # a dependency of the reader only: imported when JSON is read

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return unreadable(path, "JSON 文件必须是 UTF-8 编码。")
    except json.JSONDecodeError as error:
        return unreadable(
            path, f"JSON 格式错误：第 {error.lineno} 行第 {error.colno} 列附近：{error.msg}"
        )
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "（文档根）"
        more = f"（另有 {len(errors) - 1} 处问题）" if len(errors) > 1 else ""
        return unreadable(path, f"JSON 不符合 {FORMAT} 格式：位置 {where}：{first.message}{more}")
    findings: list[Finding] = []
    projects = tuple(project_from_json(item, path, findings) for item in document["projects"])
    return ReadResult(projects=projects, findings=tuple(findings), meta={"encoding": "utf-8"})
