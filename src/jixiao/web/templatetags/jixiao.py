from __future__ import annotations

import functools
from datetime import datetime
from decimal import Decimal
from html import escape
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

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


# The numeric letters of Django's date format, as strftime's: ``stamp`` formats a time in a
# list's row in ~2 µs, where the ``date`` filter took ~150 µs (a list of 100 rows: 15 ms).
_STRFTIME = {"Y": "%Y", "m": "%m", "d": "%d", "H": "%H", "i": "%M", "s": "%S"}


@functools.lru_cache(maxsize=64)
def _strftime(pattern: str) -> str:
    letters = set(pattern) & set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\\")
    unknown = letters - set(_STRFTIME)
    if unknown:
        raise template.TemplateSyntaxError(f"stamp: 只支持 Y m d H i s，不支持 {sorted(unknown)}")
    return "".join(_STRFTIME.get(c, "%%" if c == "%" else c) for c in pattern)


@register.filter(expects_localtime=True)
def stamp(value: datetime | None, pattern: str = "Y-m-d H:i") -> str:
    """A time as the ``date`` filter writes it with these letters (in the local time zone,
    which ``expects_localtime`` gives), through ``strftime``."""
    if not value:
        return ""
    return value.strftime(_strftime(pattern))


def _path(name: str, count: int = 1) -> str:
    """The path of URL ``name`` with ``count`` ids as ``str.format`` fields: reversed once
    per name (and script prefix), then filled in per row."""
    return _path_pattern(get_script_prefix(), name, count)


@functools.lru_cache(maxsize=64)
def _path_pattern(prefix: str, name: str, count: int) -> str:
    marks = [str(987_654_321 + n) for n in range(count)]
    path = reverse(name, args=marks).replace("{", "{{").replace("}", "}}")
    for n, mark in enumerate(marks):
        path = path.replace(mark, f"{{{n}}}")
    return path


@register.simple_tag
def link(name: str, *ids: int) -> str:
    """``{% url name id … %}`` for a list's rows, whose arguments are ids: the path is
    reversed once per name and filled in (``reverse`` took ~100 µs a row)."""
    if not all(isinstance(i, int) for i in ids):
        return reverse(name, args=ids)
    return _path(name, len(ids)).format(*ids)


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
    link = _path("evaluation")
    return mark_safe(
        "".join(
            f'<a href="{link.format(int(p["id"]))}"><circle class="point" cx="{p["x"]}" '
            f'cy="{p["y"]}" r="4"><title>{escape(p["name"])}：执行率 {percent(p["rate"])}，'
            f"总分 {money(p['total'])}</title></circle></a>"
            for p in points
        )
    )


# --- the rows of the longest lists ----------------------------------------------------------
# A province's reviewer opens the queue (up to 100 rows) and the monitoring board (100 rows)
# many times a day; as template loops their rows took ~0.4 ms each, half of the page.  Built
# here in one pass, with the standard library's escaping, they take a few µs; each writes
# what its template loop wrote (tests/web/test_templatetags.py keeps the loops as the oracle).


def _time(value: datetime | None, pattern: str = "Y-m-d H:i") -> str:
    """``stamp`` in the local time zone (which the template gave ``stamp``)."""
    return stamp(timezone.localtime(value), pattern) if value else ""


@register.simple_tag
def queue_project_rows(projects: Any) -> SafeString:
    link = _path("project")
    return mark_safe(
        "".join(
            f'<tr><td><a href="{link.format(p.id)}">{escape(p.name)}</a></td>'
            f"<td>{escape(p.unit.name)}</td><td>{p.year}</td>"
            f'<td class="num">{money(p.annual_total)}</td><td class="num">{p.errors}</td>'
            f'<td class="num">{p.warnings}</td><td>{_time(p.updated_at)}</td></tr>'
            for p in projects
        )
    )


@register.simple_tag
def queue_evaluation_rows(evaluations: Any) -> SafeString:
    link = _path("evaluation")
    return mark_safe(
        "".join(
            f'<tr><td><a href="{link.format(e.project_id)}">{escape(e.project.name)}</a></td>'
            f"<td>{escape(e.project.unit.name)}</td><td>{e.project.year}</td>"
            f'<td class="num">{money(e.total)}</td><td class="num">{money(e.total_reported)}</td>'
            f'<td>{escape(e.grade)}</td><td class="num">{percent(e.rate)}</td>'
            f'<td class="num">{e.errors}</td><td class="num">{e.warnings}</td>'
            f"<td>{_time(e.updated_at)}</td></tr>"
            for e in evaluations
        )
    )


@register.simple_tag
def board_rows(rows: Any, round_id: int) -> SafeString:
    link = _path("monitoring_report", 2)
    html = []
    for row in rows:
        project, r = row.project, row.report
        if r is not None and r.latest_id:
            light = f'<span class="light {escape(r.light)}">{light_label(r.light)}</span>'
        else:
            light = '<span class="light missing">未填报</span>'
        counts = "".join(
            f'<td class="num">{(getattr(r, c) or "") if r else ""}</td>'
            for c in ("red", "yellow", "green", "blue")
        )
        html.append(
            f'<tr><td><a href="{link.format(round_id, project.id)}">{escape(project.name)}</a>'
            f"</td><td>{escape(project.unit.name)}</td><td>{light}</td>"
            f'<td class="num">{percent(r.rate) if r else ""}</td>{counts}'
            f"<td>{escape(r.get_status_display()) if r else ''}</td>"
            f"<td>{escape(r.get_rectification_display()) if r else ''}</td></tr>"
        )
    return mark_safe("".join(html))


# --- the official form on the project page ----------------------------------------------------
# The page a province opens most (a quarter of all requests in the load test): as template
# loops, the form's ~100 cells were ~40 % of the page's time.


def _span(name: str, count: int) -> str:
    return f'{name}="{count}"' if count > 1 else ""


def _spans(cell: Any) -> str:
    return f"{_span('rowspan', cell.rowspan)} {_span('colspan', cell.colspan)}"


def _opening(item: dict[str, Any]) -> str:
    cell, findings = item["cell"], item["findings"]
    flagged = f" flagged {worst(findings)}" if findings else ""
    return f'<td class="{escape(cell.kind)}{flagged}" {_spans(cell)}>{escape(cell.text)}'


@register.simple_tag
def official_rows(table: dict[str, Any]) -> SafeString:
    """The form's rows (``views._table_view``): the header with a mark per finding, the grid
    with each indicator's findings and review comments written in its cells."""
    html = []
    for row in table["header_rows"]:
        html.append("<tr>")
        for item in row:
            marks = "".join(
                f'<a class="mark {f.severity.value}" href="#f-{escape(f.rule)}" '
                f'title="{escape(f.message)}">{escape(f.severity.label)}</a>'
                for f in item["findings"]
            )
            html.append(f"{_opening(item)}{marks}</td>")
        html.append("</tr>\n    ")
    html.append("\n    ")  # the blanks between the two loops it replaced: the page unchanged
    for number, row in enumerate(table["grid_rows"]):
        html.append("<tr>")
        for item in row:
            cell = item["cell"]
            if number == 0:
                html.append(f"<th {_span('colspan', cell.colspan)}>{escape(cell.text)}</th>")
                continue
            findings = "".join(
                f'<span class="finding {f.severity.value}"><b>{escape(f.severity.label)} '
                f"[{escape(f.rule)}]</b> {escape(f.message)}<br><i>建议：{escape(f.fix)}</i></span>"
                for f in item["findings"]
            )
            comments = "".join(
                f'<span class="comment-mark"><b>审核意见</b>（{escape(str(c.author))} '
                f"{_time(c.created_at, 'm-d H:i')}）{escape(c.text)}</span>"
                for c in item["comments"]
            )
            html.append(f"{_opening(item)}{findings}{comments}</td>")
        html.append("</tr>\n    ")
    return mark_safe("".join(html))
