"""Search: projects by name or by what their indicators say, and indicators already written
— by the user's units, and in any unit's approved (published) table — to write a new one
like them.  ``name ILIKE '%…%'`` uses trigram indexes on PostgreSQL (migration 0008), and a
word of two characters the index of character pairs (0015); on SQLite an FTS5 trigram index
(migration 0013) narrows the rows first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Exists, Func, Model, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL

from jixiao.core.bounds import without_bad_characters
from jixiao.web import permissions
from jixiao.web.models import IndicatorEntry, Project

LONGEST = 50  # characters of a query
LIMIT = 20

R = TypeVar("R", bound=Model)


@dataclass
class Found:
    projects: list[Project]
    indicators: list[IndicatorEntry]


def _indexed(text: str) -> Callable[[str], RawSQL] | None:
    """On SQLite, the rows of an FTS5 trigram index (migration 0013) containing ``text``, as a
    subquery of ids; None where the index cannot answer: PostgreSQL (its trigram indexes
    serve ``icontains`` itself) and words of fewer than three characters (no trigram)."""
    if connection.vendor != "sqlite" or len(text) < 3:
        return None
    phrase = '"' + text.replace('"', '""') + '"'  # the whole text, as one FTS5 string

    def ids(index: str) -> RawSQL:
        return RawSQL(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [phrase])

    return ids


class _Pairs(Func):
    """``jixiao_bigrams(text)``: the text's pairs of neighbouring characters (migration 0015,
    PostgreSQL), whose GIN indexes answer words of two characters."""

    function = "jixiao_bigrams"
    output_field = ArrayField(TextField())


def _pairs_of(column: str, text: str) -> Q:
    """The rows whose ``column`` has the pair ``text`` (two characters): what ``icontains``
    then confirms."""
    return Q(**{f"{column}_pairs__contains": _Pairs(Value(text))})


def query_text(query: str) -> str:
    """What is searched for: the words of ``query`` with single spaces, at most ``LONGEST``
    characters; empty when nothing is to be searched — no words, or a control character or
    the like: no stored text holds one (every reader and the write boundary remove them), and
    neither FTS5 (which a NUL ends) nor PostgreSQL (which refuses NUL in text) is asked."""
    text = " ".join(query.split())[:LONGEST]
    return "" if without_bad_characters(text)[1] else text


def _by_pairs(text: str) -> bool:
    """A word of two characters on PostgreSQL: no trigram, the pairs' index (0015) answers."""
    return connection.vendor == "postgresql" and len(text) == 2


def _containing(rows: QuerySet[R], columns: tuple[str, ...], text: str, fts: str) -> QuerySet[R]:
    """The ``rows`` one of whose ``columns`` contains ``text`` (from :func:`query_text`),
    through the search's indexes: the FTS5 table ``fts`` on SQLite, the pairs' index for two
    characters on PostgreSQL (its trigram indexes serve ``icontains`` itself from three);
    ``icontains`` confirms."""
    contains, pairs = Q(), Q()
    for column in columns:
        contains |= Q(**{f"{column}__icontains": text})
        pairs |= _pairs_of(column, text)
    found = rows.filter(contains)
    indexed = _indexed(text)
    if indexed is not None:
        return found.filter(id__in=indexed(fts))
    if _by_pairs(text):
        aliased: QuerySet[R] = found.alias(**{f"{c}_pairs": _Pairs(c) for c in columns})
        return aliased.filter(pairs)
    return found


def with_name(projects: QuerySet[Project], text: str) -> QuerySet[Project]:
    """The ``projects`` whose name contains ``text`` (from :func:`query_text`)."""
    return _containing(projects, ("name",), text, "jixiao_project_fts")


def search(user: Any, query: str, limit: int = LIMIT) -> Found:
    """The newest first (by id), so that the database stops at ``limit``: a frequent word
    (满意度 is in nearly every table) is answered by reading the newest rows until enough
    match; a rare one through the trigram indexes."""
    text = query_text(query)
    if not text:
        return Found([], [])
    visible = permissions.visible_projects(user)
    named = with_name(visible, text)
    matching = _containing(
        IndicatorEntry.objects.all(), ("name", "target"), text, "jixiao_indicator_fts"
    )
    if _indexed(text) is not None or _by_pairs(text):  # an index lists the matching rows
        with_indicator = visible.filter(id__in=matching.values("project_id"))
    else:  # the trigram indexes, probed per project
        with_indicator = visible.filter(Exists(matching.filter(project_id=OuterRef("id"))))
    # The projects named so, and those an indicator of which says it: two queries (one with
    # an OR is answered by reading every match), each stopping at ``limit``.
    by_name = named.order_by("-id")[:limit]
    by_indicator = list(with_indicator.order_by("-id")[:limit])
    found = {p.id: p for p in [*by_name, *by_indicator]}
    ids = sorted(found, reverse=True)[:limit]
    # Indicators: those of any unit's approved tables, and the user's own (in the projects
    # just found): two simple queries, not one with an OR across the join (which the
    # database answers by joining every match); the newest of both.  The approved ones are
    # those of the newest approved projects an indicator of which matches: read by project,
    # not by indicator — the newest indicators are mostly of tables being written (drafts,
    # saved again and again), which the database would read and throw away (10 ms for 设备).
    # Ids first, then the rows with their project and unit by id: joined to the units in the
    # same query, the database misjudged the rows and read the whole unit table for each.
    approved = Project.objects.filter(status=Project.APPROVED, deleted_at__isnull=True)
    newest_approved = approved.filter(Exists(matching.filter(project_id=OuterRef("id"))))
    published = matching.filter(project_id__in=newest_approved.order_by("-id").values("id")[:limit])
    own = matching.filter(project_id__in=[p.id for p in by_indicator])
    newest = sorted({*_newest_ids(published, limit), *_newest_ids(own, limit)}, reverse=True)
    rows = IndicatorEntry.objects.select_related("project", "project__unit").filter(
        id__in=newest[:limit]
    )
    indicators = sorted(rows, key=lambda row: row.id, reverse=True)
    return Found([found[i] for i in ids if i in found], indicators)


def _newest_ids(rows: QuerySet[IndicatorEntry], limit: int) -> list[int]:
    return list(rows.order_by("-id").values_list("id", flat=True)[:limit])
