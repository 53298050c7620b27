"""Search: projects by name or by what their indicators say, and indicators already written
— by the user's units, and in any unit's approved (published) table — to write a new one
like them.  ``name ILIKE '%…%'`` uses trigram indexes on PostgreSQL (migration 0008)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jixiao.web import permissions
from jixiao.web.models import IndicatorEntry, Project

LONGEST = 50  # characters of a query
LIMIT = 20


@dataclass
class Found:
    projects: list[Project]
    indicators: list[IndicatorEntry]


def search(user: Any, query: str, limit: int = LIMIT) -> Found:
    text = " ".join(query.split())[:LONGEST]
    if not text:
        return Found([], [])
    visible = permissions.visible_projects(user)
    matching = IndicatorEntry.objects.filter(Q(name__icontains=text) | Q(target__icontains=text))
    projects = list(
        visible.filter(Q(name__icontains=text) | Q(id__in=matching.values("project_id"))).order_by(
            "-year", "id"
        )[:limit]
    )
    published = Q(project__status=Project.APPROVED, project__deleted_at__isnull=True)
    indicators = list(
        matching.filter(published | Q(project_id__in=visible.values("id")))
        .select_related("project", "project__unit")
        .order_by("-project__year", "project_id", "position")[:limit]
    )
    return Found(projects, indicators)
