"""Who sees and changes what — enforced in the queries, so a URL typed by hand gets a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet

from jixiao.web.models import Membership, Project, Unit

T = TypeVar("T")


def _remembered(user: Any, name: str, compute: Callable[[], T]) -> T:
    """Asked once per user object: a request's user is one object, and a page asks who may
    do what many times (a project page asked the same three questions ten times)."""
    memo = user.__dict__.setdefault("_jixiao_permissions", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]  # type: ignore[no-any-return]


def is_admin(user: Any) -> bool:
    return _remembered(
        user,
        "admin",
        lambda: bool(
            user.is_superuser
            or Membership.objects.filter(user=user, role=Membership.ADMIN).exists()
        ),
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


def filler_unit_ids(user: Any) -> frozenset[int]:
    return _remembered(
        user, "filled", lambda: frozenset(filler_units(user).values_list("id", flat=True))
    )


def reviewed_unit_ids(user: Any) -> set[int]:
    ids = _remembered(
        user,
        "reviewed",
        lambda: frozenset(_with_descendants(Unit.objects.filter(assignments__reviewer=user))),
    )
    return set(ids)


def visible_projects(user: Any, *, include_deleted: bool = False) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.all()
    if not is_admin(user):
        # One list of unit ids (not an OR of a subquery and a list): the database can then
        # use the (year, unit, id) index instead of scanning every project.
        units = filler_unit_ids(user) | reviewed_unit_ids(user)
        projects = projects.filter(unit_id__in=sorted(units))
    if not include_deleted:
        projects = projects.filter(deleted_at__isnull=True)
    return projects.select_related("unit")


def visible_unit_ids(user: Any) -> set[int] | None:
    """The ids of the units whose projects the user sees; None for all (an administrator)."""
    if is_admin(user):
        return None
    return set(filler_unit_ids(user)) | reviewed_unit_ids(user)


def unit_scope(user: Any, unit: int | None = None) -> set[int] | None:
    """The units whose counts a page adds: those the user sees, or only ``unit`` of them
    (an empty set if the user does not see it); None for every unit (an administrator)."""
    scope = visible_unit_ids(user)
    if unit is None:
        return scope
    return {unit} & scope if scope is not None else {unit}


def visible_units(user: Any) -> QuerySet[Unit]:
    if is_admin(user):
        return Unit.objects.all()
    return Unit.objects.filter(id__in=set(filler_unit_ids(user)) | reviewed_unit_ids(user))


def can_edit(user: Any, project: Project) -> bool:
    return (
        project.deleted_at is None
        and project.status in (Project.DRAFT, Project.RETURNED)
        and project.unit_id in filler_unit_ids(user)
    )


def can_review(user: Any, project: Project) -> bool:
    return project.unit_id in reviewed_unit_ids(user) or is_admin(user)


def can_delete(user: Any, project: Project) -> bool:
    return can_edit(user, project) or is_admin(user)
