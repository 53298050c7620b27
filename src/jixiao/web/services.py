"""Web services: import, save, workflow, delete — plain functions over the ORM and the core.

Views and the API only parse input, call these, and render.  Every refusal is a
``Refused`` with a Chinese message; a concurrent edit is a ``Conflict`` carrying
the revision that won.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jixiao.core import bounds
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Project as CoreProject
from jixiao.rules.catalogue import DEFAULT_RULESET, get_ruleset
from jixiao.services.importing import read_bytes
from jixiao.services.review import review_projects
from jixiao.web import permissions, tallies
from jixiao.web.mapping import content, finding_to_data, name_key, to_data
from jixiao.web.models import Comment, Event, FormerName, IndicatorEntry, Project, Revision, Unit


class Refused(Exception):
    """The action is not allowed or not possible now; the message says why, in Chinese."""

    status = 400


class Forbidden(Refused):
    status = 403


class Outdated(Refused):
    """Someone saved a form since it was opened (a self-evaluation, a monitoring report)."""


class Invalid(Refused):
    """The project cannot be stored as it is: each problem names its field and says why."""

    def __init__(self, problems: list[bounds.Problem]) -> None:
        self.problems = problems
        shown = "；".join(p.message.rstrip("。") for p in problems[:3])
        more = f"（另有 {len(problems) - 3} 处）" if len(problems) > 3 else ""
        super().__init__(f"不能保存：{shown}。{more}")


def check(core: CoreProject) -> None:
    """The write boundary: every path that stores a project passes here first."""
    problems = bounds.problems(core)
    if problems:
        raise Invalid(problems)


def _name_taken(project: Project, key: str) -> Project | None:
    return (
        Project.objects.filter(unit_id=project.unit_id, year=project.year, key=key)
        .exclude(id=project.id)
        .first()
    )


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
    project: Project,
    core: CoreProject,
    user: Any,
    note: str,
    findings: list[Finding],
    keep_status: bool = False,
) -> Revision:
    """Store ``core`` as the project's new revision.  Content changed after a submission
    needs a new submission: a submitted or approved project goes back to draft — except an
    approved adjustment (``keep_status``), which was reviewed as a request."""
    check(core)
    key = name_key(core.name)
    clash = _name_taken(project, key)
    if clash is not None:
        raise Refused(
            f"本单位 {project.year} 年已有项目“{clash.name}”，名称（不计空格和全角半角）与"
            f"“{core.name}”相同。请换一个名称。"
        )
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
    if project.key and project.key != key:
        FormerName.objects.get_or_create(project=project, key=project.key)
    for field_name, value in derived(core, findings).items():
        setattr(project, field_name, value)
    project.version += 1
    project.latest = revision
    if project.status in (Project.SUBMITTED, Project.APPROVED) and not keep_status:
        project.status = Project.DRAFT
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as error:  # a concurrent save took the name first
        raise Refused(
            f"本单位 {project.year} 年已有同名项目“{core.name}”。请换一个名称。"
        ) from error
    _index_indicators(project, core)
    return revision


def indicator_rows(project_id: int, core: CoreProject) -> list[IndicatorEntry]:
    """The search's rows for the project's current indicators."""
    return [
        IndicatorEntry(
            project_id=project_id,
            position=position,
            level1=indicator.level1[:300],
            level2=indicator.level2[:300],
            name=indicator.name[:300],
            target=indicator.target.text[:300],
        )
        for position, indicator in enumerate(core.indicators)
    ]


def derived(core: CoreProject, findings: list[Finding]) -> dict[str, Any]:
    """What the project row keeps of its newest revision, for the lists and the counts."""
    errors, warnings, infos = _counts(findings)
    return {
        "name": core.name,
        "key": name_key(core.name),
        "annual_total": core.funds.annual.total,
        "errors": errors,
        "warnings": warnings,
        "infos": infos,
        "stats": _stats(core, findings),
    }


def _index_indicators(project: Project, core: CoreProject) -> None:
    """The search's rows for the project's current indicators (``IndicatorEntry``)."""
    IndicatorEntry.objects.filter(project=project).delete()
    IndicatorEntry.objects.bulk_create(indicator_rows(project.id, core), batch_size=500)


# --- import -----------------------------------------------------------------------------


@dataclass
class PlannedProject:
    core: CoreProject
    findings: list[Finding]
    action: str  # "create" | "replace" | "unchanged" | "locked" | "deleted" | "invalid"
    existing_id: int | None = None
    existing_version: int | None = None  # the version seen at the preview
    problems: list[bounds.Problem] = field(default_factory=list)
    renamed_to: str = ""  # the file's name is a former name of this existing project

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
            "deleted": "管理员已删除这个项目，不能导入（请联系管理员恢复）",
            "invalid": "不能导入：内容超出系统的限制（见下）",
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

    @property
    def versions(self) -> dict[str, int]:
        """The versions of the existing projects as the preview saw them (for the confirmation)."""
        return {
            str(p.existing_id): p.existing_version
            for p in self.projects
            if p.existing_id is not None and p.existing_version is not None
        }


def _existing(unit: Unit, year: int, key: str) -> tuple[Project | None, bool]:
    """The unit's project of that year and name, or the one that had that name before it
    was renamed (then True)."""
    found = Project.objects.filter(unit=unit, year=year, key=key).first()
    if found is not None:
        return found, False
    former = (
        FormerName.objects.filter(project__unit=unit, project__year=year, key=key)
        .select_related("project")
        .order_by("-id")
        .first()
    )
    return (former.project, True) if former is not None else (None, False)


def _deleted_by_admin(project: Project) -> bool:
    return (
        project.deleted_at is not None
        and project.deleted_by is not None
        and not permissions.filler_units(project.deleted_by).filter(id=project.unit_id).exists()
    )


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
    for number, read in enumerate(result.projects, start=1):
        project_year = read.year or year or timezone.now().year
        core = replace(read, year=project_year)
        if not core.name.strip():
            # No name found: a name to fill in later, so that nothing read is lost; the
            # review's error on the missing name keeps it from being submitted as it is.
            core = replace(core, name=f"未命名项目（{filename[:80]} 第 {number} 个）")
        plan.year = plan.year or project_year
        problems = bounds.problems(core)
        existing, renamed = (
            _existing(unit, project_year, name_key(core.name)) if not problems else (None, False)
        )
        if renamed and existing is not None:
            core = replace(core, name=existing.name)  # the project keeps the name it was given
        findings = review(core if read.name.strip() else replace(core, name=""))
        if problems:
            action = "invalid"
        elif existing is None:
            action = "create"
        elif _deleted_by_admin(existing):
            action = "deleted"
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
            PlannedProject(
                core,
                findings,
                action,
                existing.id if existing else None,
                existing.version if existing else None,
                problems,
                existing.name if renamed and existing else "",
            )
        )
    return plan


@transaction.atomic
@tallies.batch()  # thousands of projects: their counts added once, at the end
def confirm_import(
    user: Any, plan: ImportPlan, seen: dict[str, int] | None = None
) -> list[Project]:
    """Store what the plan said, all or nothing.  The same file twice changes nothing.

    ``seen``: the versions the preview showed; a project changed since (saved in the
    editor, imported by someone else) refuses the whole import."""
    if plan.error:
        raise Refused(plan.error)
    if not permissions.filler_units(user).filter(id=plan.unit.id).exists():
        raise Forbidden("您不是这个单位的填报人，不能导入。")
    stored = []
    for item in plan.projects:
        if item.action in ("invalid", "locked", "deleted", "unchanged"):
            continue
        year = item.core.year or plan.year
        if item.existing_id is not None:
            project = Project.objects.select_for_update().get(id=item.existing_id)
            if seen is not None and seen.get(str(project.id), project.version) != project.version:
                raise Refused(
                    f"预览之后，项目“{project.name}”已被修改（例如在编辑页面保存）。"
                    "为了不覆盖这些修改，本次导入没有保存任何内容；请重新上传文件，核对预览后再导入。"
                )
        else:
            project, created = Project.objects.select_for_update().get_or_create(
                unit=plan.unit,
                year=year,
                key=name_key(item.core.name),
                defaults={"name": item.core.name},
            )
            if not created:
                raise Refused(
                    f"预览之后，项目“{project.name}”已由别人创建。本次导入没有保存任何内容；"
                    "请重新上传文件，核对预览后再导入。"
                )
        was_deleted = project.deleted_at is not None
        before = project.status
        project.deleted_at = None
        project.deleted_by = None
        _record(project, item.core, user, f"导入 {plan.filename}", item.findings)
        Event.objects.create(
            project=project,
            action="import",
            from_status=before,
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
    core = replace(core, year=project.year)  # the budget year is the project's, not the edit's
    check(core)  # the write boundary first: nothing beyond it is even laid out
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
        if settings.SEPARATION_OF_DUTIES and _submitted_by(project) == user.pk:
            raise Forbidden(
                "职责分离：提交人不能审核自己提交的项目，请由本单位的另一位审核人审核。"
            )
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


def _submitted_by(project: Project) -> int | None:
    """Who submitted the project's current submission."""
    return (
        project.events.filter(action="submit")
        .order_by("-created_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


@transaction.atomic
def delete(user: Any, project_id: int) -> Project:
    project = Project.objects.select_for_update().get(id=project_id)
    if project.deleted_at is not None:
        return project
    if not permissions.can_delete(user, project):
        raise Forbidden("您不能删除这个项目。")
    project.deleted_at = timezone.now()
    project.deleted_by = user
    project.save()
    Event.objects.create(project=project, action="delete", from_status=project.status, actor=user)
    return project


@transaction.atomic
def restore(user: Any, project_id: int) -> Project:
    project = Project.objects.select_for_update().get(id=project_id)
    if project.deleted_at is None:
        return project
    if permissions.is_admin(user):
        pass
    elif _deleted_by_admin(project):
        raise Forbidden("这个项目是管理员删除的，只有管理员可以恢复。")
    elif project.unit_id not in permissions.filler_unit_ids(user):
        raise Forbidden("您不能恢复这个项目。")
    project.deleted_at = None
    project.deleted_by = None
    project.save()
    Event.objects.create(project=project, action="restore", to_status=project.status, actor=user)
    return project
