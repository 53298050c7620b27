"""Field-level differences between two stored revisions, labelled in Chinese."""

from __future__ import annotations

from typing import Any

_LABELS = {
    "name": "项目名称",
    "department": "主管部门",
    "implementing_unit": "实施单位",
    "filing_unit": "填报单位",
    "year": "预算年度",
    "period.text": "项目实施期",
    "funds.period.total": "实施期金额",
    "funds.period.fiscal": "实施期金额其中：财政拨款",
    "funds.period.other": "实施期金额其中：其他资金",
    "funds.annual.total": "年度金额",
    "funds.annual.fiscal": "年度金额其中：财政拨款",
    "funds.annual.other": "年度金额其中：其他资金",
    "goals.period": "实施期目标",
    "goals.annual": "年度目标",
}
_INDICATOR_FIELDS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "指标值",
    "note": "备注",
}


def _header(data: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key in _LABELS:
        value: Any = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        flat[key] = value
    return flat


def _indicators(data: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "level1": i["level1"],
            "level2": i["level2"],
            "name": i["name"],
            "target": i["target"]["text"],
            "note": i.get("note", ""),
        }
        for i in data.get("indicators", [])
    ]


def diff_data(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """[{"where", "old", "new", "kind": changed|added|removed}] from ``old`` to ``new``."""
    changes: list[dict[str, Any]] = []
    a, b = _header(old), _header(new)
    for key, label in _LABELS.items():
        if a[key] != b[key]:
            changes.append({"where": label, "old": a[key], "new": b[key], "kind": "changed"})
    before, after = _indicators(old), _indicators(new)
    old_names = {i["name"]: i for i in before}
    new_names = {i["name"]: i for i in after}
    for indicator in after:
        previous = old_names.get(indicator["name"])
        if previous is None:
            changes.append(
                {
                    "where": f"指标“{indicator['name']}”",
                    "old": None,
                    "new": f"{indicator['level1']} / {indicator['level2']}：{indicator['target']}",
                    "kind": "added",
                }
            )
            continue
        for field, label in _INDICATOR_FIELDS.items():
            if previous[field] != indicator[field]:
                changes.append(
                    {
                        "where": f"指标“{indicator['name']}”的{label}",
                        "old": previous[field],
                        "new": indicator[field],
                        "kind": "changed",
                    }
                )
    for indicator in before:
        if indicator["name"] not in new_names:
            changes.append(
                {
                    "where": f"指标“{indicator['name']}”",
                    "old": f"{indicator['level1']} / {indicator['level2']}：{indicator['target']}",
                    "new": None,
                    "kind": "removed",
                }
            )
    if [i["name"] for i in before if i["name"] in new_names] != [
        i["name"] for i in after if i["name"] in old_names
    ]:
        changes.append({"where": "指标顺序", "old": None, "new": None, "kind": "changed"})
    return changes
