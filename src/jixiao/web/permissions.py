"""Who sees and changes what — enforced in the queries, so a URL typed by hand gets a 404."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import QuerySet

from jixiao.web.models import Membership, Project, ReviewAssignment, Unit


class _Roles(NamedTuple):
    admin: bool
    filled: frozenset[int]  # the units the user fills in for
    reviewed: frozenset[int]  # the units assigned to the user, and every unit below them


# Every answer of one user in one query (a recursive one for the units below the assigned
# ones; UNION, not UNION ALL, so that even a cycle of parents ends): asked on every request,
# it was three to five queries, one per level of the tree.
_ROLES_SQL = """
WITH RECURSIVE reviewed(id) AS (
    SELECT {a_unit} FROM {assignment} WHERE {a_reviewer} = %s
    UNION
    SELECT u.{u_id} FROM {unit} u JOIN reviewed r ON u.{u_parent} = r.id
)
SELECT 'reviewed', id FROM reviewed
UNION ALL
SELECT {m_role}, {m_unit} FROM {membership} WHERE {m_user} = %s AND {m_role} IN (%s, %s)
"""


@functools.cache
def _roles_sql() -> str:
    def column(model: Any, field: str) -> str:
        return str(connection.ops.quote_name(model._meta.get_field(field).column))

    def table(model: Any) -> str:
        return str(connection.ops.quote_name(model._meta.db_table))

    return _ROLES_SQL.format(
        assignment=table(ReviewAssignment),
        a_unit=column(ReviewAssignment, "unit"),
        a_reviewer=column(ReviewAssignment, "reviewer"),
        unit=table(Unit),
        u_id=column(Unit, "id"),
        u_parent=column(Unit, "parent"),
        membership=table(Membership),
        m_role=column(Membership, "role"),
        m_unit=column(Membership, "unit"),
        m_user=column(Membership, "user"),
    )


def _roles(user: Any) -> _Roles:
    """Asked once per user object: a request's user is one object, and a page asks who may
    do what many times (a project page asked the same three questions ten times)."""
    memo: _Roles | None = user.__dict__.get("_jixiao_roles")
    if memo is None:
        found: dict[str, set[int]] = {"reviewed": set(), Membership.FILLER: set()}
        admin = bool(user.is_superuser)
        with connection.cursor() as cursor:
            cursor.execute(_roles_sql(), [user.pk, user.pk, Membership.FILLER, Membership.ADMIN])
            for kind, unit_id in cursor.fetchall():
                if kind == Membership.ADMIN:
                    admin = True
                else:
                    found[kind].add(unit_id)
        memo = _Roles(admin, frozenset(found[Membership.FILLER]), frozenset(found["reviewed"]))
        user.__dict__["_jixiao_roles"] = memo
    return memo


def is_admin(user: Any) -> bool:
    return _roles(user).admin


def filler_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(
        memberships__user=user, memberships__role=Membership.FILLER
    ).distinct()


def filler_unit_ids(user: Any) -> frozenset[int]:
    return _roles(user).filled


def reviewed_unit_ids(user: Any) -> set[int]:
    return set(_roles(user).reviewed)


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
