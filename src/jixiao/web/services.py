"""Web services: import, save, workflow, delete — plain functions over the ORM and the core.

Views and the API only parse input, call these, and render.  Every refusal is a
``Refused`` with a Chinese message; a concurrent edit is a ``Conflict`` carrying
the revision that won.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Project as CoreProject
from jixiao.rules.catalogue import DEFAULT_RULESET, get_ruleset
from jixiao.services.importing import read_bytes
from jixiao.services.review import review_projects
from jixiao.web import permissions
from jixiao.web.mapping import content, finding_to_data, name_key, to_data
from jixiao.web.models import Comment, Event, Project, Revision, Unit


class Refused(Exception):
    """The action is not allowed or not possible now; the message says why, in Chinese."""

    status = 400


class Forbidden(Refused):
    status = 403


class Conflict(Exception):
    """Someone saved first: the latest revision is attached so the user can merge."""

    def __init__(self, latest: Revision) -> None:
        super().__init__(
            "保存失败：在您编辑期间，其他人已经保存了这个项目。请查看对方的修改后再保存。"
        )
        self.latest = latest


def ruleset_name() -> str:
    return os.environ.get("JIXIAO_RULESET", DEFAULT_RULESET)


def review(project: CoreProject) -> list[Finding]:
    ruleset = get_ruleset(ruleset_name()) or get_ruleset(DEFAULT_RULESET)
    assert ruleset is not None
    return list(review_projects([project], ruleset).findings)


def _counts(findings: list[Finding]) -> tuple[int, int, int]:
    return (
        sum(1 for f in findings if f.severity is Severity.ERROR),
        sum(1 for f in findings if f.severity is Severity.WARNING),
        sum(1 for f in findings if f.severity is Severity.INFO),
    )


def _stats(core: CoreProject, findings: list[Finding]) -> dict[str, dict[str, int]]:
    categories: dict[str, int] = {}
    for indicator in core.indicators:
        key = indicator.category1 or "其他"
        categories[key] = categories.get(key, 0) + 1
    rules: dict[str, int] = {}
    for finding in findings:
        rules[finding.rule] = rules.get(finding.rule, 0) + 1
    return {"categories": categories, "rules": rules}


def _record(
    project: Project, core: CoreProject, user: Any, note: str, findings: list[Finding]
) -> Revision:
    number = (
        project.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    revision = Revision.objects.create(
        project=project,
        number=number,
        data=to_data(core),
        findings=[finding_to_data(f) for f in findings],
        ruleset=ruleset_name(),
        author=user,
        note=note,
    )
    project.name = core.name or project.name
    project.key = name_key(core.name)
    project.annual_total = core.funds.annual.total
    project.errors, project.warnings, project.infos = _counts(findings)
    project.version += 1
    project.stats = _stats(core, findings)
    project.latest = revision
    project.save()
    return revision


# --- import -----------------------------------------------------------------------------


@dataclass
class PlannedProject:
    core: CoreProject
    findings: list[Finding]
    action: str  # "create" | "replace" | "unchanged" | "locked"
    existing_id: int | None = None

    @property
    def error_count(self) -> int:
        return _counts(self.findings)[0]

    @property
    def warning_count(self) -> int:
        return _counts(self.findings)[1]

    @property
    def info_count(self) -> int:
        return _counts(self.findings)[2]

    @property
    def action_label(self) -> str:
        return {
            "create": "新建",
            "replace": "替换（保存为新修订）",
            "unchanged": "没有变化，不保存",
            "locked": "已提交或已通过，不能替换",
        }[self.action]


@dataclass
class ImportPlan:
    filename: str
    digest: str
    unit: Unit
    year: int
    projects: list[PlannedProject] = field(default_factory=list)
    read_findings: list[Finding] = field(default_factory=list)
    error: str = ""


def plan_import(user: Any, unit: Unit, data: bytes, filename: str, year: int | None) -> ImportPlan:
    """Read the file and say what would be created or replaced — storing nothing."""
    if not permissions.filler_units(user).filter(id=unit.id).exists():
        raise Forbidden("您不是这个单位的填报人，不能导入。")
    digest = hashlib.sha256(data).hexdigest()
    result = read_bytes(data, filename)
    plan = ImportPlan(filename=filename, digest=digest, unit=unit, year=year or 0)
    if result.fatal:
        plan.error = result.findings[0].message if result.findings else "文件无法读取。"
        return plan
    plan.read_findings = list(result.findings)
    for core in result.projects:
        project_year = core.year or year or timezone.now().year
        plan.year = plan.year or project_year
        existing = Project.objects.filter(
            unit=unit, year=project_year, key=name_key(core.name)
        ).first()
        findings = review(core)
        if existing is None:
            action = "create"
        elif (
            existing.status in (Project.SUBMITTED, Project.APPROVED) and existing.deleted_at is None
        ):
            action = "locked"
        elif (
            content(existing.current.data) == content(to_data(core)) and existing.deleted_at is None
        ):
            action = "unchanged"
        else:
            action = "replace"
        plan.projects.append(
            PlannedProject(core, findings, action, existing.id if existing else None)
        )
    return plan


@transaction.atomic
def confirm_import(user: Any, plan: ImportPlan) -> list[Project]:
    """Store what the plan said, all or nothing.  The same file twice changes nothing."""
    if plan.error:
        raise Refused(plan.error)
    if not permissions.filler_units(user).filter(id=plan.unit.id).exists():
        raise Forbidden("您不是这个单位的填报人，不能导入。")
    stored = []
    for item in plan.projects:
        year = item.core.year or plan.year
        project, created = Project.objects.select_for_update().get_or_create(
            unit=plan.unit,
            year=year,
            key=name_key(item.core.name),
            defaults={"name": item.core.name},
        )
        if not created:
            if (
                project.status in (Project.SUBMITTED, Project.APPROVED)
                and project.deleted_at is None
            ):
                continue
            if (
                project.current is not None
                and content(project.current.data) == content(to_data(item.core))
                and project.deleted_at is None
            ):
                continue
        was_deleted = project.deleted_at is not None
        project.deleted_at = None
        if project.status == Project.APPROVED:
            project.status = Project.DRAFT
        _record(project, item.core, user, f"导入 {plan.filename}", item.findings)
        Event.objects.create(
            project=project,
            action="import",
            to_status=project.status,
            actor=user,
            comment=f"导入 {plan.filename}" + ("（恢复已删除的项目）" if was_deleted else ""),
        )
        stored.append(project)
    return stored


# --- editing -------------------------------------------------------------------------------


@transaction.atomic
def save(
    user: Any, project_id: int, core: CoreProject, expected_version: int, note: str = "编辑"
) -> Revision:
    project = Project.objects.select_for_update().get(id=project_id)
    if not permissions.can_edit(user, project):
        raise Forbidden("这个项目现在不能修改（只有本单位填报人可以修改草稿或退回的项目）。")
    if project.version != expected_version:
        raise Conflict(project.current)
    if content(project.current.data) == content(to_data(core)):
        return project.current
    revision = _record(project, core, user, note, review(core))
    Event.objects.create(
        project=project,
        action="edit",
        from_status=project.status,
        to_status=project.status,
        actor=user,
        comment=note,
    )
    return revision


# --- workflow -----------------------------------------------------------------------------


@transaction.atomic
def transition(
    user: Any, project_id: int, action: str, comment: str = "", indicator: str = ""
) -> Project:
    project = Project.objects.select_for_update().get(id=project_id)
    before = project.status
    if project.deleted_at is not None:
        raise Refused("项目已删除。")
    if action == "submit":
        if not permissions.can_edit(user, project):
            raise Forbidden("只有本单位的填报人可以提交草稿或退回的项目。")
        if project.errors:
            raise Refused(f"还有 {project.errors} 个错误，修改后才能提交。")
        project.status = Project.SUBMITTED
    elif action in ("return", "approve"):
        if not permissions.can_review(user, project):
            raise Forbidden("您不是这个单位的审核人。")
        if project.status != Project.SUBMITTED:
            raise Refused("只能审核已提交的项目。")
        if action == "return":
            if not comment.strip():
                raise Refused("退回时必须写明意见。")
            project.status = Project.RETURNED
            Comment.objects.create(
                project=project,
                revision=project.current,
                indicator=indicator.strip(),
                text=comment.strip(),
                author=user,
            )
        else:
            project.status = Project.APPROVED
    else:
        raise Refused(f"未知的操作：{action}")
    project.save()
    Event.objects.create(
        project=project,
        action=action,
        from_status=before,
        to_status=project.status,
        actor=user,
        comment=(f"【{indicator}】" if indicator else "") + comment.strip(),
    )
    return project


@transaction.atomic
def delete(user: Any, project_id: int) -> Project:
    project = Project.objects.select_for_update().get(id=project_id)
    if not permissions.can_delete(user, project):
        raise Forbidden("您不能删除这个项目。")
    project.deleted_at = timezone.now()
    project.save()
    Event.objects.create(project=project, action="delete", from_status=project.status, actor=user)
    return project


@transaction.atomic
def restore(user: Any, project_id: int) -> Project:
    project = Project.objects.select_for_update().get(id=project_id)
    if project.deleted_at is None:
        return project
    if not (
        permissions.filler_units(user).filter(id=project.unit_id).exists()
        or permissions.is_admin(user)
    ):
        raise Forbidden("您不能恢复这个项目。")
    project.deleted_at = None
    project.save()
    Event.objects.create(project=project, action="restore", to_status=project.status, actor=user)
    return project
