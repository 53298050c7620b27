"""目标调整 in the web: a request to change an approved project's targets or funds, reviewed
like a submission; once approved the adjusted values are the project's and the 年初 values
are kept beside them (``core.adjustment``).  Self-evaluation and monitoring then use the
adjusted targets: they read the project's current revision."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction

from jixiao.core.adjustment import adjust
from jixiao.core.model import Project as CoreProject
from jixiao.web import permissions, services
from jixiao.web.mapping import content, to_core, to_data
from jixiao.web.models import AdjustmentRequest, Event, Project


def can_request(user: Any, project: Project) -> bool:
    return (
        project.deleted_at is None
        and project.status == Project.APPROVED
        and project.unit_id in permissions.filler_unit_ids(user)
        and not project.adjustments.filter(status=AdjustmentRequest.SUBMITTED).exists()
    )


@transaction.atomic
def request(
    user: Any, project_id: int, proposed: CoreProject, reason: str, expected_version: int
) -> AdjustmentRequest:
    project = Project.objects.select_for_update().get(id=project_id)
    if project.deleted_at is not None or project.status != Project.APPROVED:
        raise services.Refused(
            "只有绩效目标已审核通过的项目需要通过目标调整修改；草稿直接编辑即可。"
        )
    if project.unit_id not in permissions.filler_unit_ids(user):
        raise services.Forbidden("只有本单位的填报人可以申请目标调整。")
    if project.adjustments.filter(status=AdjustmentRequest.SUBMITTED).exists():
        raise services.Refused("这个项目已有一个待审核的目标调整申请，审核后才能再申请。")
    if project.version != expected_version:
        raise services.Refused("申请失败：在您填写期间，项目已被修改。请刷新页面后重新填写。")
    if not reason.strip():
        raise services.Refused("请写明调整原因。")
    proposed = replace(proposed, year=project.year)
    if content(to_data(proposed)) == content(project.current.data):
        raise services.Refused("调整后的内容与批复的相同：没有需要调整的内容。")
    adjusted = adjust(to_core(project.current.data), proposed, reason[:5000])
    services.check(adjusted)
    item = AdjustmentRequest.objects.create(
        project=project,
        reason=reason.strip()[:5000],
        data=to_data(adjusted),
        base=project.current,
        author=user,
    )
    Event.objects.create(
        project=project,
        action="adjust-request",
        from_status=project.status,
        to_status=project.status,
        actor=user,
        comment=reason.strip()[:300],
    )
    return item


@transaction.atomic
def decide(user: Any, request_id: int, action: str, comment: str = "") -> AdjustmentRequest:
    item = (
        AdjustmentRequest.objects.select_for_update().select_related("project").get(id=request_id)
    )
    project = Project.objects.select_for_update().get(id=item.project_id)
    if not permissions.can_review(user, project):
        raise services.Forbidden("您不是这个单位的审核人。")
    if item.status != AdjustmentRequest.SUBMITTED:
        raise services.Refused("只能审核待审核的目标调整申请。")
    if settings.SEPARATION_OF_DUTIES and item.author_id == user.pk:
        raise services.Forbidden("职责分离：申请人不能审核自己的目标调整申请。")
    if action == "return":
        if not comment.strip():
            raise services.Refused("退回时必须写明意见。")
        item.status = AdjustmentRequest.RETURNED
    elif action == "approve":
        if project.current.id != item.base_id or project.status != Project.APPROVED:
            raise services.Refused("申请之后项目已有新的修订：请退回，由单位按当前的内容重新申请。")
        adjusted = to_core(item.data)
        services._record(
            project,
            adjusted,
            item.author,
            f"目标调整：{item.reason[:280]}",
            services.review(adjusted),
            keep_status=True,
        )
        item.status = AdjustmentRequest.APPROVED
    else:
        raise services.Refused(f"未知的操作：{action}")
    item.decided_by = user
    item.comment = comment.strip()
    item.save()
    Event.objects.create(
        project=project,
        action=f"adjust-{action}",
        from_status=project.status,
        to_status=project.status,
        actor=user,
        comment=comment.strip(),
    )
    return item
