from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import HttpRequest

from jixiao.core.findings import Finding
from jixiao.core.scoring import money as rounded
from jixiao.core.targets import format_decimal

register = template.Library()

_ACTIONS = {
    "import": "导入",
    "edit": "修改",
    "submit": "提交",
    "return": "退回",
    "approve": "审核通过",
    "delete": "删除",
    "restore": "恢复",
    "eval-edit": "填写自评",
    "eval-import": "导入自评",
    "eval-submit": "提交自评",
    "eval-return": "退回自评",
    "eval-approve": "自评审核通过",
    "mon-edit": "填写监控",
    "mon-submit": "提交监控报告",
    "mon-return": "退回监控报告",
    "mon-rectify": "要求整改",
    "mon-accept": "接受监控报告",
    "adjust-request": "申请目标调整",
    "adjust-approve": "批准目标调整",
    "adjust-return": "退回目标调整申请",
}


@register.filter
def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_decimal(Decimal(value).normalize() if Decimal(value) != 0 else Decimal(0))


@register.filter
def worst(findings: list[Finding]) -> str:
    return min(findings, key=lambda f: f.severity.rank).severity.value if findings else ""


@register.filter
def action_label(action: str) -> str:
    return _ACTIONS.get(action, action)


@register.simple_tag
def query_with(request: HttpRequest, **changes: Any) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def index(sequence: Any, position: int) -> Any:
    try:
        return sequence[position]
    except (IndexError, TypeError):
        return ""


@register.filter
def lookup(mapping: Any, key: str) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError):
        return ""


@register.filter
def percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{rounded(Decimal(rate) * 100)}%"


_LIGHTS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯", "none": "无法判断"}


@register.filter
def light_label(light: str) -> str:
    return _LIGHTS.get(light, "未填报")


@register.simple_tag
def unit_options(units: Any, selected: object) -> str:
    """The ``<option>`` of each unit, the chosen one selected, built in one pass with the
    standard library's escaping: a province's administrator sees thousands of units (a
    template loop, or ``format_html`` per option, took a tenth of a second or more)."""
    from html import escape

    from django.utils.safestring import mark_safe

    chosen = str(selected or "")
    rows = units.values_list("id", "name") if hasattr(units, "values_list") else units
    return mark_safe(
        "".join(
            f'<option value="{unit_id}"{" selected" if str(unit_id) == chosen else ""}>'
            f"{escape(name)}</option>"
            for unit_id, name in rows
        )
    )


@register.simple_tag
def scatter_points(points: list[dict[str, Any]]) -> str:
    """The execution-vs-score chart's points (up to 2,000 for a province), each a link to its
    self-evaluation with the figures as its tooltip, built in one pass like
    :func:`unit_options` (a template loop took most of the dashboard's time)."""
    from html import escape

    from django.urls import reverse
    from django.utils.safestring import mark_safe

    link = reverse("evaluation", args=[0]).replace("/0/", "/{}/")
    return mark_safe(
        "".join(
            f'<a href="{link.format(int(p["id"]))}"><circle class="point" cx="{p["x"]}" '
            f'cy="{p["y"]}" r="4"><title>{escape(p["name"])}：执行率 {percent(p["rate"])}，'
            f"总分 {money(p['total'])}</title></circle></a>"
            for p in points
        )
    )
