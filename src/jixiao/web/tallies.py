"""Counts per unit and year, and per unit and monitoring round, kept up to date at every
write, so that the dashboard, the self-evaluation summary and the monitoring board read a
few rows per unit instead of every project of a province.

What one project adds to the counts is a pure function of its row, its self-evaluation and
its monitoring reports (:func:`contribution`).  Every save of a project, an evaluation or a
report computes that contribution before and after, in the same transaction, and adds the
difference to the unit's rows (:func:`apply`); :func:`rebuild` recomputes every row from
scratch (after a bulk load or a restore) and is what the tests compare the maintained rows
with.  Amounts are kept as integers in millionths of 万元 (the fields have six decimal
places), so that SQLite adds them as exactly as PostgreSQL does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Case, F, Sum, Value, When

from jixiao.web.models import Evaluation, MonitoringReport, Project, Tally, Unit, YearTally

MICRO = Decimal("0.000001")
YEAR = 0  # the round of a year's targets and self-evaluations
BINS = ((Decimal(0), Decimal(60)), (Decimal(60), Decimal(80)), (Decimal(80), Decimal(90)))

Key = tuple[int, int, int]  # unit, year, round (YEAR for the year's own counts)
Counts = dict[str, int]

PROJECT_FIELDS = (
    *("id", "unit_id", "year", "status", "annual_total"),
    *("errors", "warnings", "infos", "stats", "deleted_at"),
)
EVALUATION_FIELDS = ("project_id", "status", "total", "grade", "differences", "latest_id")
REPORT_FIELDS = (
    *("project_id", "round_id", "status", "light", "rectification"),
    *("planned", "executed", "latest_id"),
)


def micro(value: Decimal | None) -> int:
    return int((value or Decimal(0)) / MICRO)


def amount(value: int) -> Decimal:
    return (Decimal(value) * MICRO).normalize() if value else Decimal(0)


def contribution(
    project: Mapping[str, Any],
    evaluation: Mapping[str, Any] | None,
    reports: Iterable[Mapping[str, Any]],
) -> dict[Key, Counts]:
    """What one project adds to its unit's counts (a deleted project adds nothing)."""
    if project["deleted_at"] is not None:
        return {}
    unit, year = project["unit_id"], project["year"]
    counts: Counts = {
        "projects": 1,
        "errors": project["errors"],
        "warnings": project["warnings"],
        "infos": project["infos"],
        f"status:{project['status']}": 1,
        "money:annual": micro(project["annual_total"]),
    }
    stats = project["stats"] or {}
    for rule, n in stats.get("rules", {}).items():
        counts[f"rule:{rule}"] = n
    for category, n in stats.get("categories", {}).items():
        counts[f"category:{category}"] = n
    if evaluation is not None and evaluation["latest_id"] is not None:
        counts["eval:filled"] = 1
        counts[f"eval:status:{evaluation['status']}"] = 1
        counts[f"eval:grade:{evaluation['grade'] or '差'}"] = 1
        if project["status"] == Project.APPROVED:
            counts["eval:of-approved"] = 1
        if evaluation["differences"]:
            counts["eval:differing"] = 1
        total = evaluation["total"]
        if total is not None:
            low = [n for n, (a, b) in enumerate(BINS) if a <= total < b]
            counts[f"eval:bin{low[0] if low else 3}"] = 1
    result = {(unit, year, YEAR): counts}
    for report in reports:
        if report["latest_id"] is None:
            continue
        mine: Counts = {
            "reported": 1,
            f"light:{report['light']}": 1,
            f"status:{report['status']}": 1,
        }
        if report["rectification"] in (MonitoringReport.REQUIRED, MonitoringReport.REPORTED):
            mine["rectifying"] = 1
        if report["planned"] is not None and report["executed"] is not None:
            mine["money:planned"] = micro(report["planned"])
            mine["money:executed"] = micro(report["executed"])
        result[(unit, year, report["round_id"])] = mine
    return result


def of_project(project_id: int | None) -> dict[Key, Counts]:
    """The stored project's contribution, read from the database (three small queries)."""
    return {} if project_id is None else of_projects([project_id])


def difference(before: dict[Key, Counts], after: dict[Key, Counts]) -> dict[Key, Counts]:
    changes: dict[Key, Counts] = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, {}), after.get(key, {})
        delta = {name: new.get(name, 0) - old.get(name, 0) for name in old.keys() | new.keys()}
        delta = {name: value for name, value in delta.items() if value}
        if delta:
            changes[key] = delta
    return changes


def apply(before: dict[Key, Counts], after: dict[Key, Counts]) -> None:
    """Add ``after - before`` to the stored rows, the units' and the province's: two
    statements per unit-year (or round) whatever the number of counts — the missing rows
    created at 0 (a concurrent creator's row is kept), then one ``UPDATE … SET value = value
    + CASE name …``, which the database applies to each row under its lock (no lost update
    between two writers).  Rows are locked in one order (units by id, then the province's),
    so that two writers never wait for each other in a circle."""
    changes = difference(before, after)
    for (unit, year, round_), delta in sorted(changes.items()):
        _add_to(Tally, {"unit_id": unit, "year": year, "round": round_}, delta)
    for (year, round_), delta in sorted(_province(changes).items()):
        delta = {name: value for name, value in delta.items() if value}
        if delta:
            _add_to(YearTally, {"year": year, "round": round_}, delta)


def _add_to(model: Any, where: dict[str, int], delta: Counts) -> None:
    names = sorted(delta)
    model.objects.bulk_create(
        [model(**where, name=n, value=0) for n in names], ignore_conflicts=True
    )
    model.objects.filter(**where, name__in=names).update(
        value=F("value")
        + Case(
            *[When(name=n, then=Value(delta[n])) for n in names],
            default=Value(0),
            output_field=models.BigIntegerField(),
        )
    )


def of_projects(ids: Iterable[int]) -> dict[Key, Counts]:
    """The summed contribution of stored projects, read in three queries per 500."""
    wanted = sorted(set(ids))
    summed: dict[Key, Counts] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        evaluations = {
            e["project_id"]: e
            for e in Evaluation.objects.filter(project_id__in=chunk)
            .order_by()
            .values(*EVALUATION_FIELDS)
        }
        reports: dict[int, list[dict[str, Any]]] = {}
        for report in (
            MonitoringReport.objects.filter(project_id__in=chunk).order_by().values(*REPORT_FIELDS)
        ):
            reports.setdefault(report["project_id"], []).append(report)
        for project in Project.objects.filter(id__in=chunk).order_by().values(*PROJECT_FIELDS):
            _add(
                summed,
                contribution(
                    project, evaluations.get(project["id"]), reports.get(project["id"], ())
                ),
            )
    return summed


def _add(into: dict[Key, Counts], more: dict[Key, Counts]) -> None:
    for key, counts in more.items():
        target = into.setdefault(key, {})
        for name, value in counts.items():
            target[name] = target.get(name, 0) + value


def _province(counts: dict[Key, Counts]) -> dict[tuple[int, int], Counts]:
    """Every unit's counts of a year (or round) added up: the province's rows."""
    summed: dict[tuple[int, int], Counts] = {}
    for (_, year, round_), found in counts.items():
        into = summed.setdefault((year, round_), {})
        for name, value in found.items():
            into[name] = into.get(name, 0) + value
    return summed


class _Batch:
    """The projects a batch of writes touched, and their contribution before the first."""

    def __init__(self) -> None:
        self.before: dict[int, dict[Key, Counts]] = {}

    def seen(self, project_id: int | None, new: bool) -> None:
        if project_id is not None and project_id not in self.before:
            self.before[project_id] = {} if new else of_project(project_id)


_batch: ContextVar[_Batch | None] = ContextVar("tallies_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Around many writes (an import of thousands of projects): each project's contribution
    is read once before its first write, and once for all at the end, from the database as
    it then is (a savepoint rolled back inside is therefore counted right); the difference is
    added in one go.  Nested batches join the outer one."""
    if _batch.get() is not None:
        yield
        return
    pending = _Batch()
    token = _batch.set(pending)
    try:
        with transaction.atomic():
            yield
            before: dict[Key, Counts] = {}
            for counts in pending.before.values():
                _add(before, counts)
            apply(before, of_projects(pending.before))
    finally:
        _batch.reset(token)


@contextmanager
def tracking(project_id: Callable[[], int | None]) -> Iterator[None]:
    """Around a write of a project or of what belongs to it (``project_id`` is asked before
    and after: a new project has its id only after): the counts follow — at once, or at the
    end of the :func:`batch` the write is part of."""
    pending = _batch.get()
    if pending is not None:
        first = project_id()
        pending.seen(first, new=False)
        yield
        pending.seen(project_id(), new=first is None)
        return
    with transaction.atomic():
        before = of_project(project_id())
        yield
        apply(before, of_project(project_id()))


def rebuild(apps: Any = None) -> int:
    """Recompute every count from the stored rows (after a bulk load or a restore; a
    migration passes its ``apps``).  Returns the number of rows written."""
    get = apps.get_model if apps is not None else None
    project_model = get("jixiao", "Project") if get else Project
    evaluation_model = get("jixiao", "Evaluation") if get else Evaluation
    report_model = get("jixiao", "MonitoringReport") if get else MonitoringReport
    tally_model = get("jixiao", "Tally") if get else Tally
    totals: dict[Key, Counts] = {}
    evaluations = {e["project_id"]: e for e in evaluation_model.objects.values(*EVALUATION_FIELDS)}
    reports: dict[int, list[dict[str, Any]]] = {}
    for report in report_model.objects.values(*REPORT_FIELDS).iterator(chunk_size=5000):
        reports.setdefault(report["project_id"], []).append(report)
    projects = project_model.objects.filter(deleted_at__isnull=True).values(*PROJECT_FIELDS)
    for project in projects.iterator(chunk_size=5000):
        _add(
            totals,
            contribution(project, evaluations.get(project["id"]), reports.get(project["id"], ())),
        )
    province = _province(totals)
    try:  # a migration before the province's rows existed passes apps without them
        year_model = get("jixiao", "YearTally") if get else YearTally
    except LookupError:
        year_model = None
    with transaction.atomic():
        tally_model.objects.all().delete()
        tally_model.objects.bulk_create(
            (
                tally_model(unit_id=unit, year=year, round=round_, name=name, value=value)
                for (unit, year, round_), counts in totals.items()
                for name, value in counts.items()
                if value
            ),
            batch_size=5000,
        )
        if year_model is not None:
            year_model.objects.all().delete()
            year_model.objects.bulk_create(
                (
                    year_model(year=year, round=round_, name=name, value=value)
                    for (year, round_), counts in province.items()
                    for name, value in counts.items()
                    if value
                ),
                batch_size=5000,
            )
    return sum(1 for c in totals.values() for v in c.values() if v)


def stored() -> dict[tuple[int | None, int, int], Counts]:
    """The rows as they are, the province's under the unit ``None`` (the tests compare them
    with :func:`rebuild`)."""
    result: dict[tuple[int | None, int, int], Counts] = {}
    for unit, year, round_, name, value in Tally.objects.values_list(
        "unit_id", "year", "round", "name", "value"
    ):
        if value:
            result.setdefault((unit, year, round_), {})[name] = value
    for year, round_, name, value in YearTally.objects.values_list(
        "year", "round", "name", "value"
    ):
        if value:
            result.setdefault((None, year, round_), {})[name] = value
    return result


# --- reading --------------------------------------------------------------------------------

UNIT_ROWS = 50  # a per-unit table lists at most this many units


def most(rows: list[Any], concern: Callable[[Any], Any], limit: int = UNIT_ROWS) -> list[Any]:
    """A per-unit table of a page: every row (in their order) when there are at most
    ``limit``; otherwise the ``limit`` that call for attention first (smallest ``concern``):
    a province's administrator sees 2,000 units, and reads the worst ones."""
    return rows if len(rows) <= limit else sorted(rows, key=concern)[:limit]


def _rows(year: int, round_: int, units: Iterable[int] | None) -> models.QuerySet[Tally]:
    rows = Tally.objects.filter(year=year, round=round_)
    return rows if units is None else rows.filter(unit_id__in=sorted(units))


def totals(year: int, round_: int = YEAR, units: Iterable[int] | None = None) -> Counts:
    """The counts of a year (or a round) over the given units (all when None: the
    province's rows, one per count)."""
    if units is None:
        rows = YearTally.objects.filter(year=year, round=round_, value__gt=0)
        return dict(rows.values_list("name", "value"))
    summed = _rows(year, round_, units).values("name").annotate(total=Sum("value"))
    return {row["name"]: int(row["total"]) for row in summed if row["total"]}


def per_unit(
    year: int, round_: int = YEAR, units: Iterable[int] | None = None, names: Iterable[str] = ()
) -> dict[int, Counts]:
    """The counts of each unit: all, or only those ``names`` (by the index on names; a prefix
    would read every count of the year, ~40,000 rows in a province)."""
    rows = _rows(year, round_, units)
    if names:
        rows = rows.filter(name__in=sorted(names))
    result: dict[int, Counts] = {}
    for unit, name, value in rows.values_list("unit_id", "name", "value"):
        result.setdefault(unit, {})[name] = value
    return result


# Above this many units, their names are read with every unit's (a province has ~2,000)
# rather than bound as thousands of parameters (~15 ms of binding and planning).
_NAMES_BY_ID = 200


def unit_names(units: Collection[int]) -> dict[int, str]:
    """The names of ``units`` (the rows of a per-unit table)."""
    rows = Unit.objects.order_by().values_list("id", "name")
    if len(units) <= _NAMES_BY_ID:
        return dict(rows.filter(id__in=sorted(units)))
    return {unit: name for unit, name in rows if unit in units}


def years(units: Iterable[int] | None = None) -> list[int]:
    """The years that have projects, newest first."""
    if units is None:
        found = YearTally.objects.filter(round=YEAR, name="projects", value__gt=0)
        return sorted(found.values_list("year", flat=True), reverse=True)
    rows = Tally.objects.filter(round=YEAR, name="projects", value__gt=0, unit_id__in=sorted(units))
    return sorted(set(rows.values_list("year", flat=True)), reverse=True)
