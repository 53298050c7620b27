"""The JSON API: the same operations and permissions as the pages, one error shape,
OpenAPI schema at ``/api/openapi.json``.  Authentication is the Django session (with CSRF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import django_auth

from jixiao.core.monitoring import report as core_report
from jixiao.core.scoring import DEFAULT_SCHEME, money
from jixiao.core.targets import format_decimal, parse_target
from jixiao.formats.json import schema, target_to_json
from jixiao.formats.registry import EXPORT_FORMATS, writer
from jixiao.services.evaluating import card_json
from jixiao.services.exporting import export
from jixiao.services.monitoring import report_json
from jixiao.web import evaluations, monitoring, permissions, services
from jixiao.web.errors import error_body
from jixiao.web.mapping import finding_to_data, to_core
from jixiao.web.models import Evaluation, MonitoringRound, Project
from jixiao.web.search import search


class JixiaoAPI(NinjaAPI):
    """The OpenAPI document types a project's ``data`` as the jixiao/1 project schema."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(*args, **kwargs)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in schema()["$defs"].items():
            components[f"Jixiao_{name}"] = _refs_to_components(definition)
        project = {"$ref": "#/components/schemas/Jixiao_project"}
        described = "项目（jixiao/1 开放数据格式，见 docs/format.md）"
        for holder in ("ProjectDetail", "UpdateIn"):
            if holder in components:
                components[holder]["properties"]["data"] = {**project, "description": described}
        for holder in ("EvaluationOut", "MonitoringOut"):  # null while nothing is filled in
            if holder in components:
                components[holder]["properties"]["data"] = {
                    "anyOf": [project, {"type": "null"}],
                    "description": described,
                }
        return document


def _refs_to_components(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/Jixiao_")
                if key == "$ref" and isinstance(value, str)
                else _refs_to_components(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_refs_to_components(item) for item in node]
    return node


api = JixiaoAPI(
    title="jixiao API",
    version="1",
    description="预算绩效目标：项目列表、读取、导入、修改、提交、退回、审核通过、导出；绩效自评：读取、填写、"
    "即时计分、提交、退回、审核通过；运行监控：轮次、看板、填报、即时亮灯、提交、退回、要求整改、接受。所有错误的形状相同："
    '{"error": {"code", "message", "details"}}。',
    auth=django_auth,
    urls_namespace="api",
    docs_url=None,  # ninja's interactive docs load Swagger from a CDN: not on an intranet
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, details), status=status)


@api.exception_handler(services.Refused)
def refused(request: HttpRequest, exc: services.Refused) -> HttpResponse:
    if isinstance(exc, services.Invalid):
        details = [{"field": p.field, "message": p.message} for p in exc.problems]
        return _error(request, 400, "invalid_content", str(exc), details)
    return _error(request, exc.status, "forbidden" if exc.status == 403 else "refused", str(exc))


@api.exception_handler(services.Conflict)
def conflict(request: HttpRequest, exc: services.Conflict) -> HttpResponse:
    latest = exc.latest
    return _error(
        request,
        409,
        "conflict",
        str(exc),
        {"version": latest.project.version, "revision": latest.number},
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "找不到，或者您没有权限查看。")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "请先登录。")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid", "请求的内容不符合要求。", exc.errors)


# django-ninja's own refusals, in the users' language.
_NINJA_ERRORS = {
    400: ("bad_request", "请求的内容无法解析（应为 JSON 或表单）。"),
    403: ("forbidden", "没有权限（或缺少 CSRF 令牌）。"),
    413: ("too_large", "请求内容过大。"),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _NINJA_ERRORS.get(exc.status_code, ("error", "请求失败。"))
    return _error(request, exc.status_code, code, message)


class ErrorDetail(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    """Every error: ``{"error": {"code", "message", "details"}}``; the message is Chinese."""

    error: ErrorDetail


def _answers(ok: Any, *codes: int) -> dict[int, Any]:
    """The documented responses: ``ok`` for 200, the one error shape for the others."""
    return {200: ok, **{code: ErrorOut for code in (401, 422, *codes)}}


_FILE_TYPES = {
    writer(name).MEDIA_TYPE.split(";")[0]: {
        # JSON is the jixiao/1 document itself; the others are files
        "schema": {"type": "object", "description": "jixiao/1 文档（见 docs/format.md）"}
        if name == "json"
        else {"type": "string", "format": "binary"}
    }
    for name in EXPORT_FORMATS
}


class ProjectOut(Schema):
    id: int
    name: str
    unit: str
    year: int
    status: str
    annual_total: str | None
    errors: int
    warnings: int
    infos: int
    version: int
    deleted: bool


class ProjectDetail(ProjectOut):
    revision: int
    data: dict[str, Any]
    findings: list[dict[str, Any]]


class UpdateIn(Schema):
    version: int
    data: dict[str, Any]
    note: str = "通过 API 修改"


class ActionIn(Schema):
    comment: str = ""
    indicator: str = ""


def _out(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "unit": project.unit.name,
        "year": project.year,
        "status": project.status,
        "annual_total": None
        if project.annual_total is None
        else format_decimal(project.annual_total.normalize()),
        "errors": project.errors,
        "warnings": project.warnings,
        "infos": project.infos,
        "version": project.version,
        "deleted": project.deleted_at is not None,
    }


def _detail(project: Project) -> dict[str, Any]:
    current = project.current
    return {
        **_out(project),
        "revision": current.number,
        "data": current.data,
        "findings": current.findings,
    }


def _visible(request: HttpRequest, project_id: int) -> Project:
    return get_object_or_404(permissions.visible_projects(request.user), id=project_id)


LIST_LIMIT, LIST_MAX = 100, 500
LARGEST = 2**31 - 1  # ids and years fit a 32-bit integer column


def _fit(*values: int | None) -> bool:
    """Whether every given number can be compared with an id or a year column at all
    (a 30-digit number overflows the database's integers)."""
    return all(value is None or -LARGEST <= value <= LARGEST for value in values)


class ProjectPage(Schema):
    """One page of the list, in the order of ``id``: pass ``next`` as ``after`` for the next
    page (keyset pagination: every page costs the same however far into the list)."""

    items: list[ProjectOut]
    next: int | None
    limit: int


@api.get(
    "/projects",
    response=_answers(ProjectPage, 400),
    summary="项目列表：按 id 分页（limit 最多 500；下一页把 next 作为 after）；可按年度、单位、状态、"
    "有无错误（errors=true/false）、规则编号（rule）、名称（q）筛选",
)
def list_projects(
    request: HttpRequest,
    year: int | None = None,
    status: str | None = None,
    unit: int | None = None,
    errors: bool | None = None,
    rule: str | None = None,
    q: str | None = None,
    limit: int = LIST_LIMIT,
    after: int | None = None,
) -> dict[str, Any]:
    limit = _limit(limit)
    if not _fit(year, unit, after):  # no id or year is that large: nothing, not an error
        return {"items": [], "next": None, "limit": limit}
    projects = permissions.visible_projects(request.user)
    if year is not None:
        projects = projects.filter(year=year)
    if status:
        projects = projects.filter(status=status)
    if unit is not None:
        projects = projects.filter(unit_id=unit)
    if errors is not None:
        projects = projects.filter(errors__gt=0) if errors else projects.filter(errors=0)
    if rule:
        projects = projects.filter(stats__rules__has_key=rule.strip()[:50])
    if q and q.strip():
        projects = projects.filter(name__icontains=q.strip()[:100])
    if after is not None:
        projects = projects.filter(id__gt=after)
    return _page(
        projects.order_by("id"), limit, lambda p: p.id, lambda page: [_out(p) for p in page]
    )


def _limit(limit: int) -> int:
    if limit < 1:
        raise services.Refused(f"limit 应为 1 到 {LIST_MAX} 之间的整数。")
    return min(limit, LIST_MAX)


def _page(
    rows: Any, limit: int, key: Callable[[Any], int], out: Callable[[list[Any]], list[Any]]
) -> dict[str, Any]:
    """One keyset page of ``rows`` (ordered by ``key``): ``limit`` items, and the key to pass
    as ``after`` for the next page (None on the last)."""
    page = list(rows[: limit + 1])
    items = page[:limit]
    return {
        "items": out(items),
        "next": key(items[-1]) if len(page) > limit else None,
        "limit": limit,
    }


@api.get(
    "/projects/{project_id}",
    response=_answers(ProjectDetail, 404),
    summary="读取一个项目（当前修订、审核发现）",
)
def read_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    return _detail(_visible(request, project_id))


@api.put(
    "/projects/{project_id}",
    response=_answers(ProjectDetail, 400, 403, 404, 409),
    summary="修改项目（带版本号：并发修改返回 409；超出系统限制的内容返回 400，逐项说明）",
)
def update_project(request: HttpRequest, project_id: int, payload: UpdateIn) -> dict[str, Any]:
    project = _visible(request, project_id)
    project_schema = {"$defs": schema()["$defs"], "$ref": "#/$defs/project"}
    problems = sorted(
        jsonschema.Draft202012Validator(project_schema).iter_errors(payload.data), key=str
    )
    if problems:
        raise services.Refused(f"data 不符合 jixiao/1 的项目格式：{problems[0].message}")
    revision = services.save(
        request.user, project.id, to_core(payload.data), payload.version, payload.note
    )
    # the project as saved (its newest revision is the one just written): not read again
    saved = revision.project
    saved.unit = project.unit
    return _detail(saved)


def _act(request: HttpRequest, project_id: int, action: str, payload: ActionIn) -> dict[str, Any]:
    project = _visible(request, project_id)
    return _out(
        services.transition(request.user, project.id, action, payload.comment, payload.indicator)
    )


@api.post(
    "/projects/{project_id}/submit",
    response=_answers(ProjectOut, 400, 403, 404),
    summary="提交审核（有错误时拒绝）",
)
def submit(request: HttpRequest, project_id: int, payload: ActionIn) -> dict[str, Any]:
    return _act(request, project_id, "submit", payload)


@api.post(
    "/projects/{project_id}/return",
    response=_answers(ProjectOut, 400, 403, 404),
    summary="退回（必须写意见，可针对某个指标）",
)
def return_project(request: HttpRequest, project_id: int, payload: ActionIn) -> dict[str, Any]:
    return _act(request, project_id, "return", payload)


@api.post(
    "/projects/{project_id}/approve",
    response=_answers(ProjectOut, 400, 403, 404),
    summary="审核通过",
)
def approve(request: HttpRequest, project_id: int, payload: ActionIn) -> dict[str, Any]:
    return _act(request, project_id, "approve", payload)


@api.get(
    "/projects/{project_id}/export",
    response=_answers(None, 400, 404),
    summary="导出（xlsx/docx/pdf/html/json）",
    openapi_extra={"responses": {200: {"description": "文件", "content": _FILE_TYPES}}},
)
def export_project(
    request: HttpRequest, project_id: int, format: str = "xlsx", layout: str = "standard"
) -> HttpResponse:
    project = _visible(request, project_id)
    if format not in EXPORT_FORMATS or layout not in ("standard", "split"):
        raise services.Refused(f"不支持的格式或表式：{format} / {layout}")
    data = export([to_core(project.current.data)], format, layout)
    response = HttpResponse(data, content_type=writer(format).MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="project-{project.id}.{format}"'
    return response


@api.post(
    "/import",
    response=_answers(dict[str, Any], 400, 403, 413),
    summary="导入文件：confirm=false 只预览，confirm=true 保存",
)
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    unit: Form[int | None] = None,
    year: Form[int | None] = None,
    confirm: Form[bool] = False,
) -> dict[str, Any]:
    units = permissions.filler_units(request.user)
    chosen = units.filter(id=unit).first() if unit else units.first()
    if chosen is None:
        raise services.Forbidden("您不是这个单位的填报人，不能导入。")
    if file.size and file.size > settings.MAX_UPLOAD_BYTES:
        raise services.Refused("文件过大。")
    plan = services.plan_import(request.user, chosen, file.read(), file.name or "upload", year)
    if plan.error:
        raise services.Refused(plan.error)
    preview = {
        "file": plan.filename,
        "unit": chosen.name,
        "projects": [
            {
                "name": p.core.name,
                "action": p.action,
                "indicators": len(p.core.indicators),
                "findings": [finding_to_data(f) for f in p.findings],
            }
            for p in plan.projects
        ],
        "reading": [finding_to_data(f) for f in plan.read_findings],
    }
    if not confirm:
        return {"stored": [], **preview}
    stored = services.confirm_import(request.user, plan)
    return {"stored": [_out(p) for p in stored], **preview}


@api.get(
    "/targets/parse",
    response=_answers(dict[str, Any]),
    summary="解析一个指标值（编辑时的即时反馈）",
)
def parse(request: HttpRequest, text: str = "") -> dict[str, Any]:
    target = parse_target(text)
    return {**target_to_json(target), "canonical": target.render()}


# --- self-evaluation (绩效自评) ------------------------------------------------------------


class BudgetLineIn(Schema):
    """年初预算数 / 全年预算数 / 全年执行数, in 万元, as typed (decimal text)."""

    planned: str = ""
    budget: str = ""
    executed: str = ""


class EvaluationRowIn(Schema):
    """One approved indicator's year-end values, in the order of the approved table."""

    actual: str = ""
    weight: str = ""
    score: str = ""
    deviation: str = ""


class EntryIn(Schema):
    scheme: str = DEFAULT_SCHEME
    budget: dict[str, BudgetLineIn] = {}
    goal_actual: str = ""
    indicators: list[EvaluationRowIn] = []
    reported: dict[str, str] = {}  # rate / execution_score / total / grade as the form reports


class EvaluationIn(Schema):
    version: int
    entry: EntryIn
    note: str = "通过 API 填写自评"


class ScoreIn(Schema):
    entry: EntryIn


class EvaluationOut(Schema):
    project: int
    status: str
    version: int
    revision: int | None
    entry: dict[str, Any]
    data: dict[str, Any] | None
    findings: list[dict[str, Any]]
    card: dict[str, Any] | None


class EvaluationSummaryOut(Schema):
    project: int
    name: str
    unit: str
    year: int
    status: str
    total: str | None
    total_reported: str | None
    grade: str
    rate: str | None
    errors: int
    warnings: int


def _decimal_text(value: Any) -> str | None:
    return None if value is None else money(value)


def _evaluation_out(project: Project) -> dict[str, Any]:
    stored = evaluations.evaluation_of(project)
    if stored is None or stored.latest is None:
        if project.status != Project.APPROVED:
            raise services.Refused("项目的绩效目标审核通过后才能自评。")
        base = evaluations.base_of(project)
        return {
            "project": project.id,
            "status": "none",
            "version": stored.version if stored else 0,
            "revision": None,
            "entry": evaluations.default_entry(base).to_json(),
            "data": None,
            "findings": [],
            "card": None,
        }
    latest = stored.latest
    core = to_core(latest.data)
    card = evaluations.complete(core)[1]
    return {
        "project": project.id,
        "status": stored.status,
        "version": stored.version,
        "revision": latest.number,
        "entry": latest.entry,
        "data": latest.data,
        "findings": latest.findings,
        "card": card_json(card),
    }


def _entry(payload: EntryIn) -> evaluations.Entry:
    return evaluations.Entry.from_json(payload.dict())


class EvaluationPage(Schema):
    """One page of the self-evaluations, in the order of the project's id: pass ``next`` as
    ``after`` for the next page (as for the project list)."""

    items: list[EvaluationSummaryOut]
    next: int | None
    limit: int


@api.get(
    "/evaluations",
    response=_answers(EvaluationPage, 400),
    summary="绩效自评列表（总分、等级、执行率）：按项目 id 分页（limit 最多 500；下一页把 next 作为 "
    "after）；可按年度、单位、状态、等级筛选",
)
def list_evaluations(
    request: HttpRequest,
    year: int | None = None,
    unit: int | None = None,
    status: str | None = None,
    grade: str | None = None,
    limit: int = LIST_LIMIT,
    after: int | None = None,
) -> dict[str, Any]:
    limit = _limit(limit)
    if not _fit(year, unit, after):
        return {"items": [], "next": None, "limit": limit}
    projects = permissions.visible_projects(request.user)
    if year is not None:
        projects = projects.filter(year=year)
    if unit is not None:
        projects = projects.filter(unit_id=unit)
    if after is not None:
        projects = projects.filter(id__gt=after)
    stored = Evaluation.objects.filter(project__in=projects, latest__isnull=False)
    if status:
        stored = stored.filter(status=status)
    if grade:
        stored = stored.filter(grade=grade)
    rows = stored.select_related("project", "project__unit").order_by("project_id")
    return _page(rows, limit, lambda e: e.project_id, _evaluation_items)


def _evaluation_items(stored: list[Evaluation]) -> list[dict[str, Any]]:
    return [
        {
            "project": e.project_id,
            "name": e.project.name,
            "unit": e.project.unit.name,
            "year": e.project.year,
            "status": e.status,
            "total": _decimal_text(e.total),
            "total_reported": _decimal_text(e.total_reported),
            "grade": e.grade,
            "rate": None if e.rate is None else format_decimal(e.rate.normalize()),
            "errors": e.errors,
            "warnings": e.warnings,
        }
        for e in stored
    ]


@api.get(
    "/projects/{project_id}/evaluation",
    response=_answers(EvaluationOut, 400, 404),
    summary="读取绩效自评（未填写时给出按批复目标预填的内容，status 为 none）",
)
def read_evaluation(request: HttpRequest, project_id: int) -> dict[str, Any]:
    return _evaluation_out(_visible(request, project_id))


@api.put(
    "/projects/{project_id}/evaluation",
    response=_answers(EvaluationOut, 400, 403, 404),
    summary="填写绩效自评（带版本号；指标按批复目标表的顺序，目标值不能修改）",
)
def update_evaluation(
    request: HttpRequest, project_id: int, payload: EvaluationIn
) -> dict[str, Any]:
    project = _visible(request, project_id)
    evaluations.save(
        request.user, project.id, _entry(payload.entry), payload.version, payload.note[:300]
    )
    return _evaluation_out(project)


@api.post(
    "/projects/{project_id}/evaluation/score",
    response=_answers(dict[str, Any], 400, 403, 404),
    summary="即时计分：按评分方案计算得分并逐项说明，不保存",
)
def score_evaluation(request: HttpRequest, project_id: int, payload: ScoreIn) -> dict[str, Any]:
    project = _visible(request, project_id)
    if project.status != Project.APPROVED:
        raise services.Refused("项目的绩效目标审核通过后才能自评。")
    result = evaluations.scored(evaluations.base_of(project), _entry(payload.entry))
    assert result.core.evaluation is not None
    rate = result.core.evaluation.total.rate
    return {
        "card": card_json(result.card),
        "rate": None if rate is None else f"{money(rate * 100)}%",
        "findings": [finding_to_data(f) for f in result.findings],
    }


def _evaluation_act(
    request: HttpRequest, project_id: int, action: str, payload: ActionIn
) -> dict[str, Any]:
    project = _visible(request, project_id)
    evaluations.transition(request.user, project.id, action, payload.comment)
    return _evaluation_out(project)


@api.post(
    "/projects/{project_id}/evaluation/submit",
    response=_answers(EvaluationOut, 400, 403, 404),
    summary="提交绩效自评（有错误时拒绝）",
)
def submit_evaluation(request: HttpRequest, project_id: int, payload: ActionIn) -> dict[str, Any]:
    return _evaluation_act(request, project_id, "submit", payload)


@api.post(
    "/projects/{project_id}/evaluation/return",
    response=_answers(EvaluationOut, 400, 403, 404),
    summary="退回绩效自评（必须写意见）",
)
def return_evaluation(request: HttpRequest, project_id: int, payload: ActionIn) -> dict[str, Any]:
    return _evaluation_act(request, project_id, "return", payload)


@api.post(
    "/projects/{project_id}/evaluation/approve",
    response=_answers(EvaluationOut, 400, 403, 404),
    summary="绩效自评审核通过",
)
def approve_evaluation(request: HttpRequest, project_id: int, payload: ActionIn) -> dict[str, Any]:
    return _evaluation_act(request, project_id, "approve", payload)


# --- in-year monitoring (运行监控) ---------------------------------------------------------


class RoundIn(Schema):
    year: int
    month: int
    deadline: str = ""


class RoundOut(Schema):
    id: int
    year: int
    month: int
    deadline: str | None
    closed: bool


class MonitoringLineIn(Schema):
    """年初预算数 / 1–N月执行数 / 全年预计执行数 in 万元 (decimal text), 偏差原因."""

    planned: str = ""
    executed: str = ""
    predicted: str = ""
    reason: str = ""


class MonitoringRowIn(Schema):
    """One approved indicator's line, in the order of the approved table."""

    achieved: str = ""
    predicted: str = ""
    likelihood: str = ""
    reasons: list[str] = []
    reason: str = ""
    measures: str = ""


class MonitoringEntryIn(Schema):
    budget: dict[str, MonitoringLineIn] = {}
    goal_progress: str = ""
    reason: str = ""
    measures: str = ""
    indicators: list[MonitoringRowIn] = []


class MonitoringIn(Schema):
    version: int
    entry: MonitoringEntryIn
    note: str = "通过 API 填写监控"


class LightsIn(Schema):
    entry: MonitoringEntryIn


class MonitoringOut(Schema):
    round: int
    project: int
    status: str
    rectification: str
    version: int
    revision: int | None
    entry: dict[str, Any]
    data: dict[str, Any] | None
    findings: list[dict[str, Any]]
    report: dict[str, Any] | None


class BoardRowOut(Schema):
    project: int
    name: str
    unit: str
    status: str
    light: str
    rate: str | None
    red: int
    yellow: int
    green: int
    blue: int
    rectification: str


def _round_out(item: MonitoringRound) -> dict[str, Any]:
    return {
        "id": item.id,
        "year": item.year,
        "month": item.month,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "closed": item.closed,
    }


def _monitoring_round(round_id: int) -> MonitoringRound:
    return get_object_or_404(MonitoringRound, id=round_id)


def _monitoring_out(item: MonitoringRound, project: Project) -> dict[str, Any]:
    stored = monitoring.report_of(item, project)
    if stored is None or stored.latest is None:
        if project.status != Project.APPROVED or project.year != item.year:
            raise services.Refused("只有本年度绩效目标已批复的项目参加这一轮监控。")
        return {
            "round": item.id,
            "project": project.id,
            "status": "none",
            "rectification": "",
            "version": stored.version if stored else 0,
            "revision": None,
            "entry": monitoring.default_entry(project, item).to_json(),
            "data": None,
            "findings": [],
            "report": None,
        }
    latest = stored.latest
    lights = core_report(to_core(latest.data))
    return {
        "round": item.id,
        "project": project.id,
        "status": stored.status,
        "rectification": stored.rectification,
        "version": stored.version,
        "revision": latest.number,
        "entry": latest.entry,
        "data": latest.data,
        "findings": latest.findings,
        "report": report_json(lights) if lights is not None else None,
    }


def _monitoring_entry(payload: MonitoringEntryIn) -> monitoring.Entry:
    return monitoring.Entry.from_json(payload.dict())


@api.get("/monitoring/rounds", response=_answers(list[RoundOut]), summary="监控轮次")
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round_out(r) for r in MonitoringRound.objects.all()]


@api.post(
    "/monitoring/rounds",
    response=_answers(RoundOut, 400, 403),
    summary="开启监控轮次（管理员；年度和截至月份，截止日期 YYYY-MM-DD 可不填）",
)
def open_round(request: HttpRequest, payload: RoundIn) -> dict[str, Any]:
    import datetime

    try:
        deadline = datetime.date.fromisoformat(payload.deadline) if payload.deadline else None
    except ValueError as error:
        raise services.Refused("报送截止日期的格式应为 2023-08-10。") from error
    return _round_out(monitoring.open_round(request.user, payload.year, payload.month, deadline))


@api.get(
    "/monitoring/rounds/{round_id}/reports",
    response=_answers(list[BoardRowOut], 404),
    summary="监控看板：本轮参加的项目、灯、预算执行率、整改（light=red|yellow|green|blue|none|missing；每页 100 个，page 从 1 起）",
)
def list_reports(
    request: HttpRequest, round_id: int, light: str = "", unit: int | None = None, page: int = 1
) -> list[dict[str, Any]]:
    item = _monitoring_round(round_id)
    if not _fit(unit) or not 1 <= page <= 100_000:
        return []
    rows, _ = monitoring.board(request.user, item, unit, light, page=page)
    return [
        {
            "project": row.project.id,
            "name": row.project.name,
            "unit": row.project.unit.name,
            "status": row.report.status if row.report and row.report.latest_id else "none",
            "light": row.report.light if row.report else "",
            "rate": None
            if row.report is None or row.report.rate is None
            else format_decimal(row.report.rate.normalize()),
            "red": row.report.red if row.report else 0,
            "yellow": row.report.yellow if row.report else 0,
            "green": row.report.green if row.report else 0,
            "blue": row.report.blue if row.report else 0,
            "rectification": row.report.rectification if row.report else "",
        }
        for row in rows
    ]


@api.get(
    "/monitoring/rounds/{round_id}/projects/{project_id}",
    response=_answers(MonitoringOut, 400, 404),
    summary="读取一个项目的监控报告（未填写时给出预填内容，status 为 none）",
)
def read_monitoring(request: HttpRequest, round_id: int, project_id: int) -> dict[str, Any]:
    return _monitoring_out(_monitoring_round(round_id), _visible(request, project_id))


@api.put(
    "/monitoring/rounds/{round_id}/projects/{project_id}",
    response=_answers(MonitoringOut, 400, 403, 404),
    summary="填写监控报告（带版本号；指标按批复目标表的顺序）",
)
def update_monitoring(
    request: HttpRequest, round_id: int, project_id: int, payload: MonitoringIn
) -> dict[str, Any]:
    item = _monitoring_round(round_id)
    project = _visible(request, project_id)
    monitoring.save(
        request.user,
        item.id,
        project.id,
        _monitoring_entry(payload.entry),
        payload.version,
        payload.note[:300],
    )
    return _monitoring_out(item, project)


@api.post(
    "/monitoring/rounds/{round_id}/projects/{project_id}/lights",
    response=_answers(dict[str, Any], 400, 403, 404),
    summary="即时亮灯：按监控规则计算每个指标和预算执行的灯及理由，不保存",
    url_name="lights",
)
def monitoring_lights(
    request: HttpRequest, round_id: int, project_id: int, payload: LightsIn
) -> dict[str, Any]:
    item = _monitoring_round(round_id)
    project = _visible(request, project_id)
    if project.status != Project.APPROVED or project.year != item.year:
        raise services.Refused("只有本年度绩效目标已批复的项目参加这一轮监控。")
    result = monitoring.lighted(
        monitoring.base_of(project), _monitoring_entry(payload.entry), item.month
    )
    return {
        "report": report_json(result.report),
        "findings": [finding_to_data(f) for f in result.findings],
    }


def _monitoring_act(
    request: HttpRequest, round_id: int, project_id: int, action: str, payload: ActionIn
) -> dict[str, Any]:
    item = _monitoring_round(round_id)
    project = _visible(request, project_id)
    monitoring.transition(request.user, item.id, project.id, action, payload.comment)
    return _monitoring_out(item, project)


@api.post(
    "/monitoring/rounds/{round_id}/projects/{project_id}/submit",
    response=_answers(MonitoringOut, 400, 403, 404),
    summary="提交监控报告（要求整改的，提交即报告整改情况）",
)
def submit_monitoring(
    request: HttpRequest, round_id: int, project_id: int, payload: ActionIn
) -> dict[str, Any]:
    return _monitoring_act(request, round_id, project_id, "submit", payload)


@api.post(
    "/monitoring/rounds/{round_id}/projects/{project_id}/return",
    response=_answers(MonitoringOut, 400, 403, 404),
    summary="退回监控报告（必须写意见）",
)
def return_monitoring(
    request: HttpRequest, round_id: int, project_id: int, payload: ActionIn
) -> dict[str, Any]:
    return _monitoring_act(request, round_id, project_id, "return", payload)


@api.post(
    "/monitoring/rounds/{round_id}/projects/{project_id}/rectify",
    response=_answers(MonitoringOut, 400, 403, 404),
    summary="要求整改（必须写整改要求；退回单位，单位再次提交即报告整改情况）",
)
def rectify_monitoring(
    request: HttpRequest, round_id: int, project_id: int, payload: ActionIn
) -> dict[str, Any]:
    return _monitoring_act(request, round_id, project_id, "rectify", payload)


@api.post(
    "/monitoring/rounds/{round_id}/projects/{project_id}/accept",
    response=_answers(MonitoringOut, 400, 403, 404),
    summary="接受监控报告（已报整改情况的，整改完成）",
)
def accept_monitoring(
    request: HttpRequest, round_id: int, project_id: int, payload: ActionIn
) -> dict[str, Any]:
    return _monitoring_act(request, round_id, project_id, "accept", payload)


# --- search ------------------------------------------------------------------------------------


class IndicatorFoundOut(Schema):
    project: int
    project_name: str
    unit: str
    year: int
    level1: str
    level2: str
    name: str
    target: str


class SearchOut(Schema):
    projects: list[ProjectOut]
    indicators: list[IndicatorFoundOut]


@api.get(
    "/search",
    response=_answers(SearchOut),
    summary="检索：名称或指标含有该文字的项目（您能看到的），以及写过的类似指标（您的单位的，"
    "和各单位已批复的）",
)
def search_api(request: HttpRequest, q: str = "") -> dict[str, Any]:
    found = search(request.user, q)
    return {
        "projects": [_out(p) for p in found.projects],
        "indicators": [
            {
                "project": i.project_id,
                "project_name": i.project.name,
                "unit": i.project.unit.name,
                "year": i.project.year,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": i.target,
            }
            for i in found.indicators
        ],
    }
