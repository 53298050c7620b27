"""The one place where stored data maps to and from the core types."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Project
from jixiao.core.source import Source
from jixiao.formats.json import project_from_json, project_to_json


def to_core(data: dict[str, Any]) -> Project:
    return project_from_json(data, "", [])


def to_data(project: Project) -> dict[str, Any]:
    return project_to_json(project)


def content(data: dict[str, Any]) -> dict[str, Any]:
    """A stored project without its sources: what it says, not where it was read from."""
    stripped = {k: v for k, v in data.items() if k not in ("source", "sources")}
    stripped["indicators"] = [
        {k: v for k, v in i.items() if k != "source"} for i in data.get("indicators", [])
    ]
    return stripped


def name_key(name: str) -> str:
    """One project per unit, year and name: the name without spaces or width differences."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)) or "（无名称）"


def finding_to_data(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "fix": finding.fix,
        "basis": finding.basis,
        "indicator": finding.indicator,
        "source": finding.source.to_json(),
    }


def finding_from_data(data: dict[str, Any]) -> Finding:
    return Finding(
        rule=data["rule"],
        severity=Severity(data["severity"]),
        message=data["message"],
        fix=data.get("fix", ""),
        source=Source.from_json(data.get("source")),
        indicator=data.get("indicator"),
        basis=data.get("basis", ""),
    )
