"""Who sees and changes what — enforced in the queries, so a URL typed by hand gets a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jixiao.web.models import Membership, Project, Unit


def is_admin(user: Any) -> bool:
    return bool(
        user.is_superuser or Membership.objects.filter(user=user, role=Membership.ADMIN).exists()
    )


def _with_descendants(units: QuerySet[Unit]) -> set[int]:
    ids = set(units.values_list("id", flat=True))
    frontier = set(ids)
    while frontier:
        frontier = (
            set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        )
        ids |= frontier
    return ids


def filler_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(
        memberships__user=user, memberships__role=Membership.FILLER
    ).distinct()


def reviewed_unit_ids(user: Any) -> set[int]:
    return _with_descendants(Unit.objects.filter(assignments__reviewer=user))


def visible_projects(user: Any, *, include_deleted: bool = False) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.all()
    if not is_admin(user):
        # One list of unit ids (not an OR of a subquery and a list): the database can then
        # use the (year, unit, id) index instead of scanning every project.
        units = set(filler_units(user).values_list("id", flat=True)) | reviewed_unit_ids(user)
        projects = projects.filter(unit_id__in=sorted(units))
    if not include_deleted:
        projects = projects.filter(deleted_at__isnull=True)
    return projects.select_related("unit")


def visible_unit_ids(user: Any) -> set[int] | None:
    """The ids of the units whose projects the user sees; None for all (an administrator)."""
    if is_admin(user):
        return None
    return set(filler_units(user).values_list("id", flat=True)) | reviewed_unit_ids(user)


def visible_units(user: Any) -> QuerySet[Unit]:
    if is_admin(user):
        return Unit.objects.all()
    ids = set(filler_units(user).values_list("id", flat=True)) | reviewed_unit_ids(user)
    return Unit.objects.filter(id__in=ids)


def can_edit(user: Any, project: Project) -> bool:
    return (
        project.deleted_at is None
        and project.status in (Project.DRAFT, Project.RETURNED)
        and filler_units(user).filter(id=project.unit_id).exists()
    )


def can_review(user: Any, project: Project) -> bool:
    return project.unit_id in reviewed_unit_ids(user) or is_admin(user)


def can_delete(user: Any, project: Project) -> bool:
    return can_edit(user, project) or is_admin(user)
