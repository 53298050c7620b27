"""Pages: parse the request, call a service, render.  No business rule lives here."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.core import framework
from jixiao.core.adjustment import changes
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import FundLine, Funds, Goals, Indicator, Period
from jixiao.core.model import Project as CoreProject
from jixiao.core.summary import CATEGORIES as SUMMARY_CATEGORIES
from jixiao.core.summary import Summary, SummaryRow
from jixiao.core.targets import Target, format_decimal, parse_target
from jixiao.formats import html, xlsx
from jixiao.formats.form import build_form, load_layout
from jixiao.formats.json import indicator_from_json, indicator_to_json, schema, target_to_json
from jixiao.formats.registry import EXPORT_FORMATS, SUMMARY_FORMATS, writer
from jixiao.services.exporting import export
from jixiao.web import adjustments, evaluations, monitoring, permissions, services, tallies
from jixiao.web.diff import diff_data
from jixiao.web.mapping import finding_from_data, to_core, to_data
from jixiao.web.models import (
    AdjustmentRequest,
    Evaluation,
    IndicatorEntry,
    MonitoringRound,
    Project,
    Upload,
)
from jixiao.web.search import LONGEST, search

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def healthz(request: HttpRequest) -> HttpResponse:
    """The app server is up (nothing else is asked: no database, no session)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"demo": settings.DEMO}
    return {
        "is_filler": bool(permissions.filler_unit_ids(user)),
        "is_reviewer": bool(permissions.reviewed_unit_ids(user)),
        "is_admin": permissions.is_admin(user),
        "demo": settings.DEMO,
    }


_NUMBER = re.compile(r"[0-9]{1,9}")


def number(params: Any, key: str) -> int | None:
    """A whole number from the query or the form: ASCII digits only (``"²".isdigit()`` is
    true, ``int("²")`` fails), at most nine of them; None otherwise."""
    value = params.get(key, "")
    return int(value) if isinstance(value, str) and _NUMBER.fullmatch(value) else None


def money_total(queryset: Any) -> Decimal | None:
    """The exact sum of the projects' annual amounts.  PostgreSQL sums ``numeric`` exactly;
    SQLite sums a DECIMAL column as binary floating point, so there the amounts (each exact:
    at most 15 significant digits, ``core.bounds``) are added here as ``Decimal``."""
    if connection.vendor != "sqlite":
        total: Decimal | None = queryset.aggregate(money=Sum("annual_total"))["money"]
        return total
    amounts = [a for a in queryset.values_list("annual_total", flat=True) if a is not None]
    return sum(amounts, Decimal(0)) if amounts else None


class Counted(Paginator):  # type: ignore[type-arg]
    """Pages whose number of items is already known (from the counts kept per unit and year,
    or the totals just computed): no second COUNT over the projects."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @property
    def count(self) -> int:
        return self.known


def _project(request: HttpRequest, project_id: int, *, include_deleted: bool = False) -> Project:
    return get_object_or_404(
        permissions.visible_projects(request.user, include_deleted=include_deleted), id=project_id
    )


# --- lists -----------------------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    deleted = request.GET.get("deleted") == "1"
    queryset = permissions.visible_projects(request.user, include_deleted=deleted)
    if deleted:
        queryset = queryset.filter(deleted_at__isnull=False)
    if deleted:  # a few: the years of the deleted ones are read from them
        years = sorted(set(queryset.values_list("year", flat=True)), reverse=True)
    else:  # from the counts kept per unit and year, not from every project
        years = tallies.years(permissions.visible_unit_ids(request.user))
    chosen = number(request.GET, "year") or (years[0] if years else None)
    year = str(chosen) if chosen else ""
    if chosen:
        queryset = queryset.filter(year=chosen)
    filtered = False
    if request.GET.get("status"):
        queryset = queryset.filter(status=request.GET["status"])
        filtered = True
    if request.GET.get("errors") == "1":
        queryset = queryset.filter(errors__gt=0)
        filtered = True
    text = " ".join(request.GET.get("q", "").split())[:LONGEST]
    if text:  # the name, or what an indicator says
        said = IndicatorEntry.objects.filter(Q(name__icontains=text) | Q(target__icontains=text))
        queryset = queryset.filter(Q(name__icontains=text) | Q(id__in=said.values("project_id")))
        filtered = True
    unit = number(request.GET, "unit")
    if unit is not None:
        queryset = queryset.filter(unit_id=unit)
    scope = permissions.unit_scope(request.user, unit)
    if chosen and not filtered and not deleted:  # a year's (or a unit's) projects: counts kept
        counts = tallies.totals(chosen, units=scope)
        totals: dict[str, Any] = {
            key: counts.get(key, 0) for key in ("errors", "warnings", "infos")
        }
        totals["count"] = counts.get("projects", 0)
        totals["money"] = (
            tallies.amount(counts["money:annual"]) if "money:annual" in counts else None
        )
    else:
        totals = queryset.aggregate(
            errors=Sum("errors"), warnings=Sum("warnings"), infos=Sum("infos"), count=Count("id")
        )
        totals["money"] = money_total(queryset)
    # In the order of the unit, then the name: the (year, unit, name) index gives a page
    # without sorting every project of a province.
    ordered = queryset.order_by("unit_id", "name", "id")
    page = Counted(ordered, 50, totals["count"]).get_page(request.GET.get("page"))
    return render(
        request,
        "jixiao/projects.html",
        {
            "page": page,
            "totals": totals,
            "years": years,
            "year": year,
            "statuses": Project.STATUSES,
            "units": permissions.visible_units(request.user),
            "filters": request.GET,
            "deleted": deleted,
        },
    )


QUEUE_SHOWN = 50


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    ids = permissions.reviewed_unit_ids(request.user)
    submitted = permissions.visible_projects(request.user).filter(
        unit_id__in=ids, status=Project.SUBMITTED
    )
    # By the unit kept on the self-evaluation: one index range per unit (a province's
    # reviewer has thousands of projects over the years, few self-evaluations waiting).
    evaluated = (
        Evaluation.objects.filter(
            unit_id__in=sorted(ids), status=Project.SUBMITTED, project__deleted_at__isnull=True
        )
        .select_related("project", "project__unit")
        .order_by("updated_at", "id")
    )
    adjustments = AdjustmentRequest.objects.filter(
        project__in=permissions.visible_projects(request.user).filter(unit_id__in=ids),
        status=AdjustmentRequest.SUBMITTED,
    ).select_related("project", "project__unit", "author")
    # The longest waiting first, QUEUE_SHOWN of each at most (a province's reviewer may have
    # thousands waiting: the page says how many, and lists the first).
    return render(
        request,
        "jixiao/queue.html",
        {
            "projects": submitted.order_by("updated_at", "id")[:QUEUE_SHOWN],
            "projects_count": submitted.count(),
            "evaluations": evaluated[:QUEUE_SHOWN],
            "evaluations_count": evaluated.count(),
            "adjustments": adjustments[:QUEUE_SHOWN],
            "adjustments_count": adjustments.count(),
            "shown": QUEUE_SHOWN,
        },
    )


# --- one project ------------------------------------------------------------------------------


def _findings_by_place(
    findings: list[Finding],
) -> tuple[dict[str, list[Finding]], dict[str, list[Finding]], list[Finding]]:
    """Findings next to the cell they concern: by indicator name, by header field, or general."""
    by_indicator: dict[str, list[Finding]] = {}
    by_field: dict[str, list[Finding]] = {}
    general: list[Finding] = []
    fields = {
        "HDR-NAME": "name",
        "HDR-DEPT": "department",
        "HDR-UNIT": "implementing_unit",
        "HDR-PERIOD": "period",
        "FUND": "funds",
        "GOAL": "goals",
    }
    for finding in findings:
        if finding.indicator:
            by_indicator.setdefault(finding.indicator, []).append(finding)
            continue
        place = next((f for prefix, f in fields.items() if finding.rule.startswith(prefix)), None)
        if place:
            by_field.setdefault(place, []).append(finding)
        else:
            general.append(finding)
    return by_indicator, by_field, general


def _table_view(
    core: CoreProject, findings: list[Finding], comments: dict[str, list[Any]] | None = None
) -> dict[str, Any]:
    form = build_form(core, load_layout("standard"))
    by_indicator, by_field, general = _findings_by_place(findings)
    header_rows: list[list[dict[str, Any]]] = [[] for _ in range(form.header_rows)]
    # The cell a header finding is shown in: the value cell of the field it concerns.
    flagged = {
        "name": "name",
        "department": "department",
        "implementing_unit": "implementing_unit",
        "period": "period",
        "funds.annual.total": "funds",
        "goals.annual": "goals",
    }
    header_fields = [spec.field for row in form.layout.header for spec in row]
    for cell, field in zip(form.header, header_fields, strict=True):
        place = flagged.get(field)
        header_rows[cell.row].append(
            {"cell": cell, "findings": by_field.get(place, []) if place else []}
        )
    grid_rows: list[list[dict[str, Any]]] = [[] for _ in range(form.grid_rows)]
    for cell in form.grid:
        marks: list[Finding] = []
        notes: list[Any] = []
        if cell.row > 0 and cell.kind == "indicator":
            indicator = core.indicators[cell.row - 1]
            marks = by_indicator.get(indicator.name, [])
            notes = (comments or {}).get(indicator.name, [])
        grid_rows[cell.row].append({"cell": cell, "findings": marks, "comments": notes})
    return {"form": form, "header_rows": header_rows, "grid_rows": grid_rows, "general": general}


def _comments_by_indicator(comments: list[Any]) -> dict[str, list[Any]]:
    """Review comments on one indicator, shown in its cell as well as in the side column."""
    grouped: dict[str, list[Any]] = {}
    for comment in comments:
        if comment.indicator:
            grouped.setdefault(comment.indicator, []).append(comment)
    return grouped


@login_required
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    item = _project(request, project_id, include_deleted=True)
    revisions = item.revisions.select_related("author").order_by("-number")
    chosen = number(request.GET, "rev")
    revision = (
        get_object_or_404(revisions, number=chosen) if chosen is not None else revisions.first()
    )
    if revision is None:
        raise Http404
    findings = [finding_from_data(f) for f in revision.findings]
    core = to_core(revision.data)
    comments = list(item.comments.select_related("author"))
    return render(
        request,
        "jixiao/project.html",
        {
            "project": item,
            "revision": revision,
            # the project keeps its newest revision: no second read of it
            "latest": chosen is None or revision.id == item.latest_id,
            "table": _table_view(core, findings, _comments_by_indicator(comments)),
            "findings": findings,
            "counts": {s.value: sum(1 for f in findings if f.severity is s) for s in Severity},
            "comments": comments,
            "events": item.events.select_related("actor"),
            "can_edit": permissions.can_edit(request.user, item),
            "can_review": permissions.can_review(request.user, item)
            and item.status == Project.SUBMITTED,
            "can_delete": permissions.can_delete(request.user, item),
            "indicator_names": [i.name for i in core.indicators],
            "export_formats": EXPORT_FORMATS,
            # its state and score for the button (not its newest revision's whole entry)
            "evaluation": Evaluation.objects.filter(project=item)
            .only("project_id", "status", "total", "latest_id")
            .first(),
            "adjustments": item.adjustments.select_related("author"),
            "can_adjust": adjustments.can_request(request.user, item),
            "adjusted": changes(core),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    item = _project(request, project_id, include_deleted=True)
    try:
        if action in ("submit", "return", "approve"):
            services.transition(
                request.user,
                item.id,
                action,
                request.POST.get("comment", ""),
                request.POST.get("indicator", ""),
            )
            messages.success(
                request,
                {
                    "submit": "已提交审核。",
                    "return": "已退回，意见已记录。",
                    "approve": "已审核通过。",
                }[action],
            )
        elif action == "delete":
            services.delete(request.user, item.id)
            messages.success(request, "项目已删除（可在“已删除”中恢复）。")
        elif action == "restore":
            services.restore(request.user, item.id)
            messages.success(request, "项目已恢复。")
        else:
            raise Http404
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("project", project_id=item.id)


# --- editor --------------------------------------------------------------------------------------


class FormError(Exception):
    pass


def _amount(text: str, label: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise FormError(f"“{label}”的金额“{text}”不是数字（以万元填写，如 102.9）。") from error
    if not value.is_finite():
        raise FormError(f"“{label}”的金额“{text}”不是数字。")
    return value


_ROW_FIELDS = ("level1", "level2", "indicator", "target", "note")
_EDITED_KEYS = ("level1", "level2", "name", "target", "note")


def _posted_rows(post: Any) -> list[dict[str, str]]:
    """The indicator rows as posted: one JSON field ``rows_json`` (what the editor's script
    sends: a thousand rows are one field, not five thousand), or the rows' own fields when
    the page was used without its script."""
    packed = post.get("rows_json")
    if packed is None:
        fields = (*_ROW_FIELDS, "extra")
        columns = [post.getlist(field) for field in fields]
        width = max((len(c) for c in columns[:5]), default=0)
        columns = [c + [""] * (width - len(c)) for c in columns]
        return [dict(zip(fields, row, strict=True)) for row in zip(*columns, strict=True)]
    try:
        rows = json.loads(packed)
    except ValueError as error:
        raise FormError("指标表的内容无法读取，请刷新页面后再试。") from error
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise FormError("指标表的内容无法读取，请刷新页面后再试。")
    return [
        {
            key: value if isinstance(value := row.get(key, ""), str) else ""
            for key in (*_ROW_FIELDS, "extra")
        }
        for row in rows
    ]


def _indicator_schema() -> dict[str, Any]:
    return {"$defs": schema()["$defs"], "$ref": "#/$defs/indicator"}


def _indicator(row: dict[str, str], number: int) -> Indicator | None:
    """One editor row → an indicator, keeping what the editor does not show (a weight, the
    实施期 value, a self-evaluation's actual value and score…) from the row's ``extra``."""
    texts = {key: row.get(key, "").strip() for key in _ROW_FIELDS}
    if not any(texts.values()):
        return None
    try:
        extra = json.loads(row["extra"]) if row.get("extra") else {}
    except ValueError:
        extra = None
    if not isinstance(extra, dict):
        raise FormError(f"第 {number} 行指标的附加内容无法读取，请刷新页面后再试。")
    item = {key: value for key, value in extra.items() if key not in _EDITED_KEYS}
    item.update(
        level1=texts["level1"],
        level2=texts["level2"],
        name=texts["indicator"],
        target=target_to_json(parse_target(texts["target"])),
        source=item.get("source") or {"file": "编辑", "row": number},
    )
    if texts["note"]:
        item["note"] = texts["note"]
    problem = next(jsonschema.Draft202012Validator(_indicator_schema()).iter_errors(item), None)
    if problem is not None:
        raise FormError(
            f"第 {number} 行指标的附加内容无效（{problem.message}），请刷新页面后再试。"
        )
    return indicator_from_json(item)


def core_from_post(post: Any, base: CoreProject, year: int) -> CoreProject:
    """The editor's fields over ``base`` (the project as stored): what the editor does not
    show (other header fields, fund sources, a self-evaluation) is kept.  Raises FormError
    with a Chinese message."""
    funds = {}
    for column, label in (("period", "实施期"), ("annual", "年度")):
        funds[column] = replace(
            getattr(base.funds, column),
            total=_amount(post.get(f"{column}_total", ""), f"{label}金额"),
            fiscal=_amount(post.get(f"{column}_fiscal", ""), f"{label}财政拨款"),
            other=_amount(post.get(f"{column}_other", ""), f"{label}其他资金"),
        )
    indicators = [_indicator(row, n) for n, row in enumerate(_posted_rows(post), start=1)]
    return replace(
        base,
        name=post.get("name", "").strip(),
        department=post.get("department", "").strip(),
        implementing_unit=post.get("implementing_unit", "").strip(),
        period=Period.parse(post.get("period", "").strip()),
        funds=Funds(period=funds["period"], annual=funds["annual"]),
        goals=Goals(
            period=post.get("goals_period", "").strip(), annual=post.get("goals_annual", "").strip()
        ),
        indicators=tuple(i for i in indicators if i is not None),
        year=year,
        filing_unit=post.get("filing_unit", "").strip(),
    )


_KIND_LABELS = {
    "quantitative": "定量",
    "qualitative": "定性",
    "missing": "未填写",
    "unrecognized": "无法识别",
}


def _parsed(target: Target) -> tuple[str, str]:
    """What the editor shows beside a target value (the same as its script shows while typing)."""
    kind = target.kind.value
    label = _KIND_LABELS.get(kind, kind)
    if kind == "quantitative":
        label = f"{label}：{target.render()}"
    elif kind == "unrecognized" and target.problem:
        label = f"{label}：{target.problem}"
    state = "ok" if kind == "quantitative" else "warn" if kind == "qualitative" else "bad"
    return label, state


def _extra(indicator: Indicator) -> str:
    data = indicator_to_json(indicator)
    kept = {key: value for key, value in data.items() if key not in _EDITED_KEYS}
    return json.dumps(kept, ensure_ascii=False)


def _editor_values(core: CoreProject) -> dict[str, Any]:
    def money(value: Decimal | None) -> str:
        return "" if value is None else format_decimal(value)

    return {
        "name": core.name,
        "department": core.department,
        "implementing_unit": core.implementing_unit,
        "filing_unit": core.filing_unit,
        "period": core.period.text,
        "period_total": money(core.funds.period.total),
        "period_fiscal": money(core.funds.period.fiscal),
        "period_other": money(core.funds.period.other),
        "annual_total": money(core.funds.annual.total),
        "annual_fiscal": money(core.funds.annual.fiscal),
        "annual_other": money(core.funds.annual.other),
        "goals_period": core.goals.period,
        "goals_annual": core.goals.annual,
        "rows": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "indicator": i.name,
                "target": i.target.text,
                "note": i.note,
                "extra": _extra(i),
                "parsed": _parsed(i.target),
            }
            for i in core.indicators
        ],
    }


def _values_from_post(post: Any, current: dict[str, Any]) -> dict[str, Any]:
    """What the user typed, shown again as typed when it cannot be saved yet."""
    values = {key: post.get(key, "") for key in current if key != "rows"}
    try:
        rows = _posted_rows(post)
    except FormError:
        rows = current["rows"]
    values["rows"] = [
        {**row, "parsed": _parsed(parse_target(row.get("target", "").strip()))} for row in rows
    ]
    return values


def _version(post: Any) -> int:
    """The version the editor was opened at; a missing or garbled one never matches (a conflict)."""
    found = number(post, "version")
    return -1 if found is None else found


@login_required
def edit(request: HttpRequest, project_id: int) -> HttpResponse:
    item = _project(request, project_id)
    if not permissions.can_edit(request.user, item):
        messages.error(
            request, "这个项目现在不能修改（只有本单位填报人可以修改草稿或退回的项目）。"
        )
        return redirect("project", project_id=item.id)
    conflict = None
    base = to_core(item.current.data)
    values = _editor_values(base)
    version = item.version
    problems: list[Any] = []
    if request.method == "POST":
        try:
            core = core_from_post(request.POST, base, item.year)
            services.save(
                request.user,
                item.id,
                core,
                _version(request.POST),
                request.POST.get("change_note", "").strip()[:300] or "编辑",
            )
            messages.success(request, "已保存，审核规则已重新运行。")
            return redirect("project", project_id=item.id)
        except FormError as error:
            messages.error(request, str(error))
            values = _values_from_post(request.POST, values)
        except services.Conflict as clash:
            mine = core_from_post(request.POST, to_core(clash.latest.data), item.year)
            conflict = {
                "revision": clash.latest,
                "changes": diff_data(clash.latest.data, to_data(mine)),
            }
            messages.error(request, str(clash))
            values = _editor_values(mine)
            version = Project.objects.get(id=item.id).version
        except services.Invalid as invalid:
            messages.error(request, str(invalid))
            problems = invalid.problems
            values = _values_from_post(request.POST, values)
        except services.Refused as refusal:
            if isinstance(refusal, services.Forbidden):
                messages.error(request, str(refusal))
                return redirect("project", project_id=item.id)
            messages.error(request, str(refusal))  # the name is taken: what was typed stays
            values = _values_from_post(request.POST, values)
    return render(
        request,
        "jixiao/edit.html",
        {
            "project": item,
            "values": values,
            "version": version,
            "conflict": conflict,
            "problems": problems,
            "frameworks": _framework_choices(),
        },
    )


def _framework_choices() -> dict[str, Any]:

    return {
        "level1": list(framework.LEVEL1),
        "level2": list(framework.LEVEL2_PARENT),
        "parents": json.dumps(framework.LEVEL2_PARENT, ensure_ascii=False),
    }


# --- history -----------------------------------------------------------------------------------


@login_required
def history(request: HttpRequest, project_id: int) -> HttpResponse:
    item = _project(request, project_id, include_deleted=True)
    revisions = list(item.revisions.select_related("author").order_by("-number"))
    numbers = [r.number for r in revisions]
    a = number(request.GET, "a")
    if a is None:
        a = numbers[1] if len(numbers) > 1 else None
    b = number(request.GET, "b")
    if b is None:
        b = numbers[0] if numbers else None
    changes = None
    if a is not None and b is not None:
        old = get_object_or_404(item.revisions, number=a)
        new = get_object_or_404(item.revisions, number=b)
        changes = diff_data(old.data, new.data)
    return render(
        request,
        "jixiao/history.html",
        {
            "project": item,
            "revisions": revisions,
            "events": item.events.select_related("actor"),
            "a": a,
            "b": b,
            "changes": changes,
        },
    )


# --- import and export ----------------------------------------------------------------------------


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # authenticated: login_required
    units = permissions.filler_units(request.user)
    if not units.exists():
        messages.error(request, "只有单位的填报人可以导入绩效目标表。")
        return redirect("projects")
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get("import")
        if not pending or pending.get("digest") != request.POST.get("digest"):
            messages.error(request, "导入预览已过期，请重新上传文件。")
            return redirect("import")
        unit = get_object_or_404(units, id=pending["unit"])
        stored_file = (
            Upload.objects.filter(user=user, digest=pending["digest"]).order_by("-id").first()
        )
        if stored_file is None:
            messages.error(request, "导入预览已过期，请重新上传文件。")
            return redirect("import")
        plan = services.plan_import(
            request.user, unit, bytes(stored_file.data), pending["filename"], pending["year"]
        )
        try:
            stored = services.confirm_import(request.user, plan, pending.get("versions") or {})
        except services.Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("import")
        del request.session["import"]
        Upload.objects.filter(user=user).delete()
        messages.success(request, f"已导入 {len(stored)} 个项目（其余没有变化或不能替换）。")
        return redirect("projects")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的文件。")
            return redirect("import")
        if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
            messages.error(
                request, f"文件过大：上限为 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB。"
            )
            return redirect("import")
        chosen = number(request.POST, "unit")
        target = units.filter(id=chosen).first() if chosen is not None else units.first()
        if target is None:
            messages.error(request, "请选择您是填报人的单位。")
            return redirect("import")
        year = number(request.POST, "year")
        data = upload.read()
        name = _file_name(upload.name or "", "上传文件")
        plan = services.plan_import(request.user, target, data, name, year)
        if not plan.error:
            Upload.objects.filter(user=user).delete()  # one pending import per user
            Upload.objects.create(user=user, digest=plan.digest, filename=name, data=data)
            request.session["import"] = {
                "digest": plan.digest,
                "filename": name,
                "unit": target.id,
                "year": year,
                "versions": plan.versions,  # what the preview showed: the confirmation checks it
            }
        return render(request, "jixiao/import_preview.html", {"plan": plan})
    return render(request, "jixiao/import.html", {"units": units})


@login_required
def export_project(request: HttpRequest, project_id: int, fmt: str) -> HttpResponse:
    item = _project(request, project_id)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    core = to_core(item.current.data)
    # The standard layout has no 备注 column: a table with notes defaults to the split one,
    # so that nothing typed is left out of the file.
    default = "split" if any(i.note for i in core.indicators) else "standard"
    if core.adjustment is not None:  # 年初 and 调整后 side by side
        default = "adjusted"
    layout = request.GET.get("layout", default)
    if layout not in ("standard", "split", "adjusted"):
        layout = default
    data = export([core], fmt, layout)
    name = _file_name(item.name, f"项目{item.id}", 60)
    return _download(data, f"{name}.{fmt}", f"project-{item.id}.{fmt}", writer(fmt).MEDIA_TYPE)


@login_required
def export_summary_view(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in SUMMARY_FORMATS:
        raise Http404
    queryset = permissions.visible_projects(request.user).order_by("unit__name", "name")
    unit = number(request.GET, "unit")
    if unit is not None:
        queryset = queryset.filter(unit_id=unit)
    year = number(request.GET, "year")
    if year is not None:
        queryset = queryset.filter(year=year)
    summary = Summary(rows=_summary_rows(queryset), ruleset=services.ruleset_name())
    response: HttpResponseBase
    if fmt == "html":  # the page goes out as its rows come from the database
        response = StreamingHttpResponse(html.stream_summary(summary), content_type=html.MEDIA_TYPE)
    else:  # the workbook's rows go to a temporary file as they come, then out from the disk
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response once sent)
        xlsx.save_summary(summary, spool)
        spool.seek(0)
        response = FileResponse(spool, content_type=xlsx.MEDIA_TYPE)
    return _attachment(response, f"汇总表.{fmt}", f"summary.{fmt}")


def _summary_rows(queryset: Any) -> Iterator[SummaryRow]:
    """One row per project from the counts kept on it and three fields of its current
    revision, read by the database a few hundred at a time: no table is loaded and the rows
    are never all held (a province has tens of thousands)."""

    def text(*path: str) -> KeyTextTransform:  # the value as text: an amount stays exact
        node: Any = "latest__data"
        for key in path[:-1]:
            node = KeyTransform(key, node)
        return KeyTextTransform(path[-1], node)

    values = queryset.values(
        "name",
        "stats",
        "errors",
        "warnings",
        "infos",
        period=text("period", "text"),
        total=text("funds", "annual", "total"),
        fiscal=text("funds", "annual", "fiscal"),
        other=text("funds", "annual", "other"),
    )
    for number, item in enumerate(values.iterator(chunk_size=500), start=1):
        categories = (item["stats"] or {}).get("categories", {})
        yield (
            SummaryRow(
                number=number,
                name=item["name"],
                period=item["period"] or "",
                annual=FundLine(
                    total=_stored_amount(item["total"]),
                    fiscal=_stored_amount(item["fiscal"]),
                    other=_stored_amount(item["other"]),
                ),
                indicators=tuple(categories.get(c, 0) for c in SUMMARY_CATEGORIES),
                findings=(item["errors"], item["warnings"], item["infos"]),
            )
        )


def _stored_amount(text: str | None) -> Decimal | None:
    # JSON null is SQL NULL on PostgreSQL and the text "null" on SQLite
    return Decimal(text) if text and text != "null" else None


def _file_name(name: str, fallback: str, longest: int = 120) -> str:
    """A name fit for a file: the last path part, no control or path characters, bounded."""
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", name).strip(" ._")
    return name[:longest] or fallback


def _download(data: bytes, filename: str, ascii_name: str, media_type: str) -> HttpResponse:
    """The file as an attachment: the Chinese name for browsers, an ASCII one for the rest."""
    return _attachment(HttpResponse(data, content_type=media_type), filename, ascii_name)


def _attachment(response: ResponseT, filename: str, ascii_name: str) -> ResponseT:
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


# --- dashboard -----------------------------------------------------------------------------------


TOP_BARS = 30  # the largest projects get a bar each; the rest are summed in one line


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A year's figures for the units the user sees (or one of them): read from the counts
    kept per unit and year (:mod:`jixiao.web.tallies`), never from every project."""
    units = permissions.visible_units(request.user)
    unit = number(request.GET, "unit")
    unit_id = str(unit) if unit is not None else ""
    scope = permissions.unit_scope(request.user, unit)
    years = tallies.years(scope)
    chosen = number(request.GET, "year") or (years[0] if years else None)
    year = str(chosen) if chosen else ""
    counts = tallies.totals(chosen, units=scope) if chosen else {}
    queryset = permissions.visible_projects(request.user).filter(year=chosen or 0)
    if unit is not None:
        queryset = queryset.filter(unit_id=unit)
    largest = list(
        queryset.filter(annual_total__isnull=False).order_by("-annual_total", "id")[:TOP_BARS]
    )
    money = [(p, p.annual_total or Decimal(0)) for p in largest]
    top = max((m for _, m in money), default=Decimal(0)) or Decimal(1)
    total = tallies.amount(counts.get("money:annual", 0))
    rules = sorted(
        ((name[5:], n) for name, n in counts.items() if name.startswith("rule:") and n),
        key=lambda kv: (-kv[1], kv[0]),
    )
    most = max((n for _, n in rules), default=1)
    categories = ("产出指标", "成本指标", "效益指标", "满意度指标")
    return render(
        request,
        "jixiao/dashboard.html",
        {
            "units": units,
            "unit": unit_id or "",
            "years": years,
            "year": year,
            "money_bars": [
                {"project": p, "value": m, "width": float(m / top * 100)} for p, m in money
            ],
            "rest": {
                "count": max(counts.get("projects", 0) - len(money), 0),
                "value": total - sum((m for _, m in money), Decimal(0)),
            },
            "rule_bars": [{"rule": r, "count": c, "width": c / most * 100} for r, c in rules],
            "total": total,
            "counts": {
                key: counts.get(key, 0) for key in ("projects", "errors", "warnings", "infos")
            },
            "indicators": [counts.get(f"category:{c}", 0) for c in categories],
            "categories": categories,
            "evaluation": evaluations.dashboard(queryset, counts, chosen, scope),
            "monitoring": _monitoring_stats(request.user, chosen, unit, counts),
        },
    )


def _monitoring_stats(
    user: Any, year: int | None, unit: int | None, counts: dict[str, int]
) -> dict[str, Any] | None:
    """The newest monitoring round of the year: execution against time per unit, lights."""
    latest = MonitoringRound.objects.filter(year=year).order_by("-month").first() if year else None
    if latest is None:
        return None
    return {"round": latest, **monitoring.board_stats(user, latest, unit, counts)}


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    found = search(request.user, query)
    return render(
        request,
        "jixiao/search.html",
        {"query": " ".join(query.split())[:LONGEST], "found": found},
    )
