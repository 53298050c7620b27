"""Pages of 目标调整: the request (the editor, with a reason), the request's page with the
年初 and 调整后 values side by side, and the reviewer's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.core.adjustment import changes
from jixiao.web import adjustments, permissions, services
from jixiao.web.diff import diff_data
from jixiao.web.mapping import to_core
from jixiao.web.views import (
    FormError,
    _editor_values,
    _framework_choices,
    _project,
    _values_from_post,
    _version,
    core_from_post,
)


@login_required
def adjust(request: HttpRequest, project_id: int) -> HttpResponse:
    item = _project(request, project_id)
    if not adjustments.can_request(request.user, item):
        messages.error(
            request,
            "只有本单位的填报人可以为绩效目标已审核通过的项目申请目标调整（每次一个待审核的申请）。",
        )
        return redirect("project", project_id=item.id)
    base = to_core(item.current.data)
    values = _editor_values(base)
    problems: list[object] = []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:5000]
        try:
            proposed = core_from_post(request.POST, base, item.year)
            adjustments.request(request.user, item.id, proposed, reason, _version(request.POST))
            messages.success(request, "目标调整申请已提交，等待审核。")
            return redirect("project", project_id=item.id)
        except FormError as error:
            messages.error(request, str(error))
        except services.Invalid as invalid:
            messages.error(request, str(invalid))
            problems = list(invalid.problems)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
        values = _values_from_post(request.POST, values)
    return render(
        request,
        "jixiao/edit.html",
        {
            "project": item,
            "values": values,
            "version": item.version,
            "conflict": None,
            "problems": problems,
            "frameworks": _framework_choices(),
            "adjusting": True,
            "reason": reason,
        },
    )


@login_required
def adjustment(request: HttpRequest, project_id: int, request_id: int) -> HttpResponse:
    item = _project(request, project_id)
    found = get_object_or_404(
        item.adjustments.select_related("author", "decided_by"), id=request_id
    )
    return render(
        request,
        "jixiao/adjustment.html",
        {
            "project": item,
            "request_": found,
            "changes": changes(to_core(found.data)),
            # everything that differs from the approved revision, field by field: nothing
            # the request changes escapes the reviewer
            "differences": diff_data(found.base.data, found.data),
            "can_review": found.status == found.SUBMITTED
            and permissions.can_review(request.user, item),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, project_id: int, request_id: int, action: str) -> HttpResponse:
    item = _project(request, project_id)
    found = get_object_or_404(item.adjustments, id=request_id)
    if action not in ("approve", "return"):
        raise Http404
    try:
        adjustments.decide(request.user, found.id, action, request.POST.get("comment", ""))
        messages.success(
            request,
            "目标调整已批准，调整后的内容已生效。"
            if action == "approve"
            else "目标调整申请已退回。",
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("adjustment", project_id=item.id, request_id=found.id)
