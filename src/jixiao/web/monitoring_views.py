"""Pages of in-year monitoring (运行监控): the rounds, a round's board, one project's report
with its live lights, the review actions, the round's summary.  Parse, call
``jixiao.web.monitoring``, render."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.core.model import Monitoring
from jixiao.core.monitoring import LIKELIHOODS, REASON_KINDS, Light, report
from jixiao.formats.form import MONITORING_LAYOUTS
from jixiao.formats.registry import EXPORT_FORMATS, writer
from jixiao.services import monitoring as monitoring_service
from jixiao.services.exporting import export
from jixiao.web import monitoring, permissions, services, uploads
from jixiao.web.mapping import finding_from_data, to_core
from jixiao.web.models import MonitoringReport, MonitoringRound
from jixiao.web.monitoring import AMOUNTS, LINES, Entry, RowEntry
from jixiao.web.typed import stale
from jixiao.web.views import _download, _file_name, _project, number


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            deadline = request.POST.get("deadline", "").strip()
            opened = monitoring.open_round(
                request.user,
                number(request.POST, "year") or 0,
                number(request.POST, "month") or 0,
                datetime.date.fromisoformat(deadline) if deadline else None,
            )
            messages.success(request, f"已开启 {opened} 的监控轮次。")
            return redirect("monitoring_board", round_id=opened.id)
        except ValueError:
            messages.error(request, "报送截止日期的格式应为 2023-08-10。")
        except services.Refused as refusal:
            messages.error(request, str(refusal))
    listed = []
    for item in MonitoringRound.objects.all():
        covered = monitoring.projects_of(request.user, item)
        reported = MonitoringReport.objects.filter(
            round=item, project__in=covered, latest__isnull=False
        )
        listed.append(
            {
                "round": item,
                "projects": covered.count(),
                "reported": reported.count(),
                "red": reported.filter(light=Light.RED.value).count(),
            }
        )
    return render(
        request,
        "jixiao/monitoring_rounds.html",
        {
            "rounds": listed,
            "can_open": permissions.is_admin(request.user),
            "this_year": datetime.date.today().year,
        },
    )


def _round(round_id: int) -> MonitoringRound:
    return get_object_or_404(MonitoringRound, id=round_id)


def _below(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().rstrip("%")[:20]) / 100 if text.strip() else None
    except ArithmeticError:  # InvalidOperation, and Overflow for 1e999999999
        return None
    return value if value is not None and value.is_finite() else None


@login_required
def board(request: HttpRequest, round_id: int) -> HttpResponse:
    item = _round(round_id)
    unit = number(request.GET, "unit")
    light = request.GET.get("light", "")
    light = light if light in {*(v.value for v in Light), "missing"} else ""
    page = min(number(request.GET, "page") or 1, 100_000)
    rows, more = monitoring.board(
        request.user, item, unit, light, _below(request.GET.get("below", "")), page
    )
    return render(
        request,
        "jixiao/monitoring_board.html",
        {
            "round": item,
            "rows": rows,
            "stats": monitoring.board_stats(request.user, item, unit),
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if more else None,
            "units": permissions.visible_units(request.user),
            "unit": str(unit) if unit is not None else "",
            "light": light,
            "below": request.GET.get("below", "")[:10],
            "lights": [(v.value, v.label) for v in Light],
            "can_close": permissions.is_admin(request.user) and not item.closed,
        },
    )


def entry_from_post(post: Any, rows: int) -> Entry:
    budget = {
        line: {
            key: post.get(f"{line}-{key}", "")[:100]
            for key in ("planned", "executed", "predicted", "reason")
        }
        for line, _ in LINES
    }
    return Entry(
        budget=budget,
        goal_progress=post.get("goal_progress", ""),
        reason=post.get("reason", ""),
        measures=post.get("measures", ""),
        rows=[
            RowEntry(
                achieved=post.get(f"row-{n}-achieved", ""),
                predicted=post.get(f"row-{n}-predicted", ""),
                likelihood=post.get(f"row-{n}-likelihood", ""),
                reasons=post.getlist(f"row-{n}-reasons") if hasattr(post, "getlist") else [],
                reason=post.get(f"row-{n}-reason", ""),
                measures=post.get(f"row-{n}-measures", ""),
            )
            for n in range(rows)
        ],
    )


@login_required
def report_view(request: HttpRequest, round_id: int, project_id: int) -> HttpResponse:
    item = _round(round_id)
    project = _project(request, project_id)
    if project.year != item.year or (
        project.status != project.APPROVED and monitoring.report_of(item, project) is None
    ):
        messages.error(request, "只有本年度绩效目标已批复的项目参加这一轮监控。")
        return redirect("monitoring_board", round_id=item.id)
    stored = monitoring.report_of(item, project)
    editable = monitoring.can_enter(request.user, item, project)
    base = monitoring.base_of(project)
    revision = stored.latest if stored is not None else None
    entry = (
        monitoring.align(Entry.from_json(revision.entry), base)
        if revision
        else monitoring.default_entry(project, item)
    )
    outdated = revision is not None and stale(revision.data, base)
    if outdated and request.method != "POST":
        messages.warning(
            request,
            "绩效目标已经调整：下面按调整后的目标重新亮灯，请检查后保存（保存前不能提交）。",
        )
    if item.deadline and editable and datetime.date.today() > item.deadline:
        messages.warning(request, f"已过报送截止日期 {item.deadline:%Y-%m-%d}，请尽快提交。")
    problems: list[Any] = []
    result: monitoring.Lighted | None = None
    if request.method == "POST" and editable:
        entry = entry_from_post(request.POST, len(base.indicators))
        try:
            if "save" in request.POST:
                monitoring.save(
                    request.user,
                    item.id,
                    project.id,
                    entry,
                    number(request.POST, "version") or 0,
                    request.POST.get("change_note", "").strip()[:300] or "填写监控",
                )
                messages.success(request, "监控报告已保存，预警灯已重新计算。")
                return redirect("monitoring_report", round_id=item.id, project_id=project.id)
            result = monitoring.lighted(base, entry, item.month)
        except services.Invalid as invalid:
            messages.error(request, str(invalid))
            problems = invalid.problems
        except services.Refused as refusal:
            messages.error(request, str(refusal))
    if result is None and not problems:
        if revision is not None and request.method != "POST" and not outdated:
            core = to_core(revision.data)
            lights = report(core)
            assert lights is not None
            result = monitoring.Lighted(
                core, lights, [finding_from_data(f) for f in revision.findings]
            )
        else:
            try:
                result = monitoring.lighted(base, entry, item.month)
            except services.Refused:
                result = None
    signals = list(result.report.indicators) if result else [None] * len(base.indicators)
    rows = [
        {"n": n, "indicator": indicator, "entry": row, "signal": signal}
        for n, (indicator, row, signal) in enumerate(
            zip(base.indicators, entry.rows, signals, strict=False)
        )
    ]
    budget = [
        {
            "key": line,
            "label": label,
            "values": [
                {"key": key, "value": entry.budget.get(line, {}).get(key, "")}
                for key in ("planned", "executed", "predicted", "reason")
            ],
        }
        for line, label in LINES
    ]
    return render(
        request,
        "jixiao/monitoring_report.html",
        {
            "round": item,
            "project": project,
            "stored": stored,
            "editable": editable,
            "entry": entry,
            "base": base,
            "rows": rows,
            "budget": budget,
            "amount_labels": [label.replace("N", str(item.month)) for _, label in AMOUNTS],
            "result": result,
            "findings": result.findings if result else [],
            "problems": problems,
            "likelihoods": LIKELIHOODS,
            "reason_kinds": REASON_KINDS,
            "can_review": monitoring.can_review(request.user, item, project),
            "events": project.events.filter(
                action__startswith="mon-", comment__startswith=f"【{item}】"
            ).select_related("actor"),
            "version": stored.version if stored else 0,
            "export_formats": EXPORT_FORMATS,
        },
    )


@login_required
@require_POST
def report_act(request: HttpRequest, round_id: int, project_id: int, action: str) -> HttpResponse:
    item = _round(round_id)
    project = _project(request, project_id)
    if action not in monitoring.ACTIONS:
        raise Http404
    try:
        monitoring.transition(
            request.user, item.id, project.id, action, request.POST.get("comment", "")
        )
        messages.success(
            request,
            {
                "submit": "监控报告已提交。",
                "return": "监控报告已退回，意见已记录。",
                "rectify": "已要求整改，整改要求已记录。",
                "accept": "监控报告已接受。",
            }[action],
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("monitoring_report", round_id=item.id, project_id=project.id)


@login_required
def round_summary(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    """项目支出绩效运行监控汇总表 of the round: the projects the user may see."""
    item = _round(round_id)
    if fmt not in ("xlsx", "html"):
        raise Http404
    stored = (
        MonitoringReport.objects.filter(
            round=item, project__in=monitoring.projects_of(request.user, item), latest__isnull=False
        )
        .select_related("latest")
        .order_by("project__unit__name", "project__name")
    )
    cores = []
    for report_row in stored.select_related("project__unit").iterator(chunk_size=200):
        if report_row.latest is not None:  # the unit as the bureau knows it, not as typed
            core = to_core(report_row.latest.data)
            cores.append(replace(core, implementing_unit=report_row.project.unit.name))
    reports, projects = monitoring_service.reported(cores)
    data = monitoring_service.write_summary(reports, projects, fmt)
    return _download(
        data,
        f"监控汇总表-{item.year}-1至{item.month}月.{fmt}",
        f"monitoring-{item.id}.{fmt}",
        writer(fmt).MEDIA_TYPE,
    )


@login_required
def report_export(request: HttpRequest, round_id: int, project_id: int, fmt: str) -> HttpResponse:
    """项目支出绩效目标执行监控表 of one project: the report as stored, or the form to fill."""
    item = _round(round_id)
    project = _project(request, project_id)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    stored = monitoring.report_of(item, project)
    if stored is not None and stored.latest is not None:
        core = to_core(stored.latest.data)
    else:
        core = replace(monitoring.base_of(project), monitoring=Monitoring(month=item.month))
    layout = request.GET.get("layout", "monitoring")
    layout = layout if layout in MONITORING_LAYOUTS else "monitoring"
    data = export([core], fmt, layout)
    name = _file_name(f"{project.name}-监控表-1至{item.month}月", f"项目{project.id}", 60)
    return _download(
        data, f"{name}.{fmt}", f"monitoring-{item.id}-{project.id}.{fmt}", writer(fmt).MEDIA_TYPE
    )


@login_required
@require_POST
def close_round(request: HttpRequest, round_id: int) -> HttpResponse:
    item = _round(round_id)
    try:
        monitoring.close_round(request.user, item.id)
        messages.success(request, f"{item} 的监控轮次已结束，报告不能再修改。")
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("monitoring_board", round_id=item.id)


@login_required
def report_import(request: HttpRequest, round_id: int, project_id: int) -> HttpResponse:
    """Import a filled 监控表 into the project's report: upload → preview → confirm."""
    item = _round(round_id)
    project = _project(request, project_id)
    user: Any = request.user
    back = redirect("monitoring_report", round_id=item.id, project_id=project.id)
    if request.method != "POST":
        return back
    try:
        if "confirm" in request.POST:
            found = uploads.held(request, "monitoring_import", round=item.id, project=project.id)
            if found is None:
                messages.error(request, "导入预览已过期，请重新上传文件。")
                return back
            data, pending = found
            plan = monitoring.plan_import(user, item, project, data, pending["filename"])
            plan.version = pending["version"]  # what the preview showed: the save checks it
            monitoring.confirm_import(user, item, project, plan)
            uploads.release(request, "monitoring_import")
            messages.success(request, f"已从 {plan.filename} 导入监控报告。")
            return back
        data, name = uploads.received(request, "监控表")
        plan = monitoring.plan_import(user, item, project, data, name)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return back
    if not plan.error:
        uploads.hold(
            request,
            "monitoring_import",
            data,
            name,
            plan.digest,
            round=item.id,
            project=project.id,
            version=plan.version,
        )
    return render(
        request,
        "jixiao/monitoring_import.html",
        {"round": item, "project": project, "plan": plan},
    )
