"""Pages of the self-evaluation (绩效自评): the form with its live score, the workflow
actions, the import of a filled 自评表 with its preview, the export.  Parse, call
``jixiao.web.evaluations``, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.core.findings import Finding
from jixiao.core.scoring import SCHEMES, RowScore, ScoreCard, infer_scheme, money, score
from jixiao.core.targets import format_decimal
from jixiao.formats.registry import EXPORT_FORMATS, writer
from jixiao.services.evaluating import write_summary
from jixiao.services.exporting import export
from jixiao.web import evaluations, permissions, services, uploads
from jixiao.web.evaluations import AMOUNTS, LINES, REPORTED, Entry, RowEntry
from jixiao.web.mapping import finding_from_data, to_core
from jixiao.web.models import Evaluation, EvaluationRevision
from jixiao.web.typed import stale
from jixiao.web.views import _download, _file_name, _project, number


def entry_from_post(post: Any, rows: int) -> Entry:
    """The entry as the form posts it: one field per amount and per indicator cell."""
    budget = {
        line: {key: post.get(f"{line}-{key}", "")[:100] for key, _ in AMOUNTS} for line, _ in LINES
    }
    return Entry(
        scheme=post.get("scheme", ""),
        budget=budget,
        goal_actual=post.get("goal_actual", ""),
        reported={key: post.get(f"reported-{key}", "")[:100] for key, _ in REPORTED},
        rows=[
            RowEntry(
                **{
                    key: post.get(f"row-{n}-{key}", "")
                    for key in ("actual", "weight", "score", "deviation")
                }
            )
            for n in range(rows)
        ],
    )


def _card_rows(card: ScoreCard | None, count: int) -> list[RowScore | None]:
    return list(card.rows) if card is not None else [None] * count


def _rate_text(card: ScoreCard | None, core: Any) -> str:
    rate = core.evaluation.total.rate if core is not None and core.evaluation else None
    return "" if rate is None else f"{money(rate * 100)}%"


@login_required
def evaluation(request: HttpRequest, project_id: int) -> HttpResponse:
    item = _project(request, project_id)
    stored = evaluations.evaluation_of(item)
    if stored is None and item.status != item.APPROVED:
        messages.error(request, "项目的绩效目标审核通过后才能自评。")
        return redirect("project", project_id=item.id)
    editable = evaluations.can_enter(request.user, item)
    base = evaluations.base_of(item)
    revision: EvaluationRevision | None = stored.latest if stored is not None else None
    chosen = number(request.GET, "rev")
    if stored is not None and chosen is not None:
        revision = get_object_or_404(stored.revisions, number=chosen)
        editable = (
            editable and revision.id == stored.latest_id
        )  # an old revision is shown as it was
    entry = Entry.from_json(revision.entry) if revision else evaluations.default_entry(base)
    outdated = (
        revision is not None
        and revision.id == (stored.latest_id if stored else None)
        and stale(revision.data, base)
    )
    if outdated and request.method != "POST":
        messages.warning(
            request,
            "绩效目标已经调整：下面按调整后的目标重新计分，请检查后保存（保存前不能提交）。",
        )
    problems: list[Any] = []
    result: evaluations.Scored | None = None
    if request.method == "POST" and editable:
        entry = entry_from_post(request.POST, len(base.indicators))
        try:
            if "save" in request.POST:
                evaluations.save(
                    request.user,
                    item.id,
                    entry,
                    number(request.POST, "version") or 0,
                    request.POST.get("change_note", "").strip()[:300] or "填写自评",
                )
                messages.success(request, "自评已保存，得分已按评分方案重新计算。")
                return redirect("evaluation", project_id=item.id)
            result = evaluations.scored(base, entry)  # "计算得分" without saving
        except services.Invalid as invalid:
            messages.error(request, str(invalid))
            problems = invalid.problems
        except services.Refused as refusal:
            messages.error(request, str(refusal))
    if result is None and not problems:
        if revision is not None and request.method != "POST" and not outdated:
            core = to_core(revision.data)
            card = score(core, infer_scheme(core))
            assert card is not None  # a stored revision always holds its evaluation
            result = evaluations.Scored(
                core, card, [finding_from_data(f) for f in revision.findings]
            )
        else:
            entry = evaluations.align(entry, base)  # the targets may have been adjusted
            try:
                result = evaluations.scored(base, entry)
            except services.Refused:
                result = None
    card = result.card if result is not None else None
    shown = result.core if result is not None else base  # an old revision: its own targets
    findings: list[Finding] = result.findings if result is not None else []
    rows = [
        {"indicator": indicator, "entry": row_entry, "score": row_score, "n": n}
        for n, (indicator, row_entry, row_score) in enumerate(
            zip(
                shown.indicators,
                evaluations.align(entry, shown).rows,
                _card_rows(card, len(shown.indicators)),
                strict=True,
            )
        )
    ]
    budget = [
        {
            "key": line,
            "label": label,
            "amounts": [
                {
                    "key": key,
                    "label": amount_label,
                    "value": entry.budget.get(line, {}).get(key, ""),
                }
                for key, amount_label in AMOUNTS
            ],
        }
        for line, label in LINES
    ]
    reported = [
        {"key": key, "label": label.removeprefix("填报的"), "value": entry.reported.get(key, "")}
        for key, label in REPORTED
    ]
    return render(
        request,
        "jixiao/evaluation.html",
        {
            "reported": reported,
            "project": item,
            "stored": stored,
            "revision": revision,
            "revisions": stored.revisions.order_by("-number") if stored else [],
            "editable": editable,
            "entry": entry,
            "base": base,
            "rows": rows,
            "budget": budget,
            "card": card,
            "rate": _rate_text(card, result.core if result else None),
            "findings": findings,
            "problems": problems,
            "schemes": SCHEMES.values(),
            "can_review": evaluations.can_review(request.user, item),
            "events": item.events.filter(action__startswith="eval-").select_related("actor"),
            "export_formats": EXPORT_FORMATS,
            "version": stored.version if stored else 0,
            "weights_total": format_decimal(card.scheme.execution + card.scheme.indicators)
            if card
            else "100",
        },
    )


@login_required
@require_POST
def evaluation_act(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    item = _project(request, project_id)
    if action not in ("submit", "return", "approve"):
        raise Http404
    try:
        evaluations.transition(request.user, item.id, action, request.POST.get("comment", ""))
        messages.success(
            request,
            {
                "submit": "自评已提交审核。",
                "return": "自评已退回，意见已记录。",
                "approve": "自评已审核通过。",
            }[action],
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("evaluation", project_id=item.id)


@login_required
def evaluation_import(request: HttpRequest, project_id: int) -> HttpResponse:
    item = _project(request, project_id)
    user: Any = request.user
    back = redirect("evaluation", project_id=item.id)
    if request.method != "POST":
        return back
    try:
        if "confirm" in request.POST:
            found = uploads.held(request, "evaluation_import", project=item.id)
            if found is None:
                messages.error(request, "导入预览已过期，请重新上传文件。")
                return back
            data, pending = found
            plan = evaluations.plan_import(user, item, data, pending["filename"])
            plan.version = pending["version"]  # what the preview showed: the save checks it
            evaluations.confirm_import(user, item, plan)
            uploads.release(request, "evaluation_import")
            messages.success(request, f"已从 {plan.filename} 导入自评。")
            return back
        data, name = uploads.received(request, "自评表")
        plan = evaluations.plan_import(user, item, data, name)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return back
    if not plan.error:
        uploads.hold(
            request,
            "evaluation_import",
            data,
            name,
            plan.digest,
            project=item.id,
            version=plan.version,
        )
    return render(request, "jixiao/evaluation_import.html", {"project": item, "plan": plan})


@login_required
def evaluation_export(request: HttpRequest, project_id: int, fmt: str) -> HttpResponse:
    """The 项目支出绩效自评表: the stored self-evaluation, or the empty form to fill in."""
    item = _project(request, project_id)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    stored = evaluations.evaluation_of(item)
    if stored is not None and stored.latest is not None:
        core = to_core(stored.latest.data)
    else:
        core = evaluations.base_of(item)
    data = export([core], fmt, "self-evaluation")
    name = _file_name(f"{item.name}-绩效自评表", f"项目{item.id}", 60)
    return _download(data, f"{name}.{fmt}", f"evaluation-{item.id}.{fmt}", writer(fmt).MEDIA_TYPE)


@login_required
def evaluation_summary(request: HttpRequest, fmt: str) -> HttpResponse:
    """项目支出绩效自评汇总表 of the self-evaluations the user may see (one unit, one year)."""
    if fmt not in ("xlsx", "html"):
        raise Http404
    projects = permissions.visible_projects(request.user)
    unit = number(request.GET, "unit")
    if unit is not None:
        projects = projects.filter(unit_id=unit)
    year = number(request.GET, "year")
    if year is not None:
        projects = projects.filter(year=year)
    stored = (
        Evaluation.objects.filter(project__in=projects, latest__isnull=False)
        .select_related("latest")
        .order_by("project__unit__name", "project__name")
    )
    cards = []
    for stored_evaluation in stored.iterator(chunk_size=200):
        assert stored_evaluation.latest is not None
        core = to_core(stored_evaluation.latest.data)
        card = score(core, infer_scheme(core))
        if card is not None:
            cards.append(card)
    data = write_summary(cards, fmt)
    return _download(data, f"绩效自评汇总表.{fmt}", f"evaluations.{fmt}", writer(fmt).MEDIA_TYPE)
