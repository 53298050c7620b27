"""A province in one database: N projects over M units and several years, loaded through
the bulk path, for the load test and the page timings at scale.

Run (PostgreSQL; SQLite works too, through ``bulk_create``, for small N)::

    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.province \\
        --projects 200000 --units 2000 --years 2021-2025

Each table is written by the corpus generator (``benchmarks.corpus``: the seed's vocabulary
and defects), then read by the real text reader and reviewed by the real rules, in worker
processes (one per core); the main process writes the rows with PostgreSQL ``COPY``:
projects, their revision (the canonical JSON and the findings), the search's indicator rows,
an import event.  The search's GIN indexes are dropped during the load and built after it.
Statuses are spread as a year's review leaves them (a table with errors is
never submitted).  Then the counts per unit and year are rebuilt and the tables analysed.

At the end the same rows are copied again, with nothing else, into tables of the same
columns without indexes or constraints: the bare ``COPY``, against which the whole load is
reported.  The accounts for the load test (``benchmarks.load``) are created too.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

PASSWORD = "province-load-9"  # the benchmark accounts' password (a benchmark database only)
FILLERS = 60  # implementing units that get a filler account
DEPARTMENT_SIZE = 20  # implementing units under each 主管部门
CHUNK = 500
STATUSES = ("approved", "approved", "approved", "approved", "submitted", "submitted")
STATUSES += ("returned", "draft", "draft", "draft")


EVALUATED = 0.8  # share of a past year's approved projects with a self-evaluation
EVALUATION_STATUSES = ("approved", "approved", "approved", "submitted", "submitted", "draft")
REPORTED = 0.9  # share of the last year's approved projects reported in its 1–7月 round
PACES = ("0.4", "0.7", "0.85", "0.95", "1", "1.05", "1.1", "1.3")  # progress against the time
REPORT_STATUSES = ("submitted", "submitted", "submitted", "accepted", "draft")
KINDS = ("projects", "revisions", "indicators", "events")
KINDS += ("evaluations", "evaluation_revisions", "reports", "report_revisions")


@dataclass
class Job:
    """One chunk of projects to make: where they go and the first free ids."""

    first: int  # the chunk's first project number (its id is first + 1)
    count: int
    seed: int
    units: list[int]
    years: list[int]
    author: int
    ids: dict[str, int]  # the id before the first of each table (as the database had them)
    round_id: int  # the last year's 1–7月 monitoring round


@dataclass
class Chunk:
    """The rows of ``count`` projects, as plain tuples (pickled from a worker)."""

    projects: list[tuple[Any, ...]]
    revisions: list[tuple[Any, ...]]
    indicators: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    evaluations: list[tuple[Any, ...]]
    evaluation_revisions: list[tuple[Any, ...]]
    reports: list[tuple[Any, ...]]
    report_revisions: list[tuple[Any, ...]]
    seconds: float


def columns(model: Any, *, skip: tuple[str, ...] = ()) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def _row(model: Any, values: dict[str, Any]) -> tuple[Any, ...]:
    """A model's row in the order of its columns; a column not given takes its default."""
    from django.db import models

    row = []
    for field in model._meta.concrete_fields:
        value = values[field.attname] if field.attname in values else field.get_default()
        if isinstance(field, models.JSONField):
            value = json.dumps(value, ensure_ascii=False)
        row.append(value)
    return tuple(row)


def _year_end(
    job: Job, chunk: Chunk, rng: random.Random, project_id: int, unit: int, core: Any
) -> None:
    """A self-evaluation of an approved project of a past year, by the demo's example entry
    with its own budget spent and first target reached, scored by the real rules."""
    from decimal import Decimal

    from jixiao.web import evaluations
    from jixiao.web.demo import example_entry
    from jixiao.web.mapping import finding_to_data, to_data
    from jixiao.web.models import Evaluation, EvaluationRevision

    spent, reached = Decimal(rng.randint(50, 100)) / 100, Decimal(rng.randint(20, 100)) / 100
    entry = example_entry(core, spent, reached, shortfalls=rng.randint(0, len(core.indicators)))
    result = evaluations.scored(core, entry)
    number = project_id - job.ids["projects"] - 1
    evaluation_id = job.ids["evaluations"] + number + 1
    revision_id = job.ids["evaluation_revisions"] + number + 1
    fields = evaluations.stored_fields(result)
    chunk.evaluations.append(
        _row(
            Evaluation,
            {
                **fields,
                **{"id": evaluation_id, "project_id": project_id, "unit_id": unit, "version": 1},
                "status": EVALUATION_STATUSES[project_id % len(EVALUATION_STATUSES)],
                **{"latest_id": revision_id, "updated_at": NOW},
            },
        )
    )
    chunk.evaluation_revisions.append(
        _row(
            EvaluationRevision,
            {
                **{"id": revision_id, "evaluation_id": evaluation_id, "number": 1},
                **{"entry": entry.to_json(), "data": to_data(result.core)},
                "findings": [finding_to_data(f) for f in result.findings],
                **{"author_id": job.author, "created_at": NOW, "note": "批量载入（基准数据）"},
            },
        )
    )


def _in_year(job: Job, chunk: Chunk, rng: random.Random, reported: list[tuple[int, Any]]) -> None:
    """The 1–7月 monitoring reports of the last year's approved projects: the example values
    of ``jixiao.services.monitoring_example`` (each project its own share spent and pace),
    lit by the real rules."""
    from jixiao.core.monitoring import LIKELIHOODS
    from jixiao.services.monitoring_example import MONTH, example
    from jixiao.web import monitoring
    from jixiao.web.mapping import finding_to_data, to_data
    from jixiao.web.models import MonitoringReport, MonitoringRevision

    for project_id, base in reported:
        # most on schedule, some behind or ahead; most sure, a few unlikely
        size = max(len(base.indicators), 1)
        (core,) = example(
            [base],
            spent_shares=(f"{rng.randint(40, 75) / 100}",),
            paces=rng.choices(PACES, weights=(2, 4, 6, 20, 40, 15, 8, 5), k=size),
            likely=rng.choices(LIKELIHOODS, weights=(92, 6, 2), k=size),
        )
        entry = monitoring.entry_of(core)
        for row in entry.rows:  # a 完全不可能 comes with its reason, as the form requires
            if row.likelihood == "完全不可能" and not row.reason:
                row.reason = "资金下达较晚（基准数据）"
        result = monitoring.lighted(base, entry, MONTH)
        number = project_id - job.ids["projects"] - 1
        report_id = job.ids["reports"] + number + 1
        revision_id = job.ids["report_revisions"] + number + 1
        status = REPORT_STATUSES[project_id % len(REPORT_STATUSES)]
        chunk.reports.append(
            _row(
                MonitoringReport,
                {
                    **monitoring.stored_fields(result),
                    **{"id": report_id, "round_id": job.round_id, "project_id": project_id},
                    **{"status": status, "version": 1, "latest_id": revision_id},
                    # a red light submitted: sent back for rectification, as a reviewer would
                    "rectification": "required"
                    if status == "submitted" and result.report.light.value == "red"
                    else "",
                    "updated_at": NOW,
                },
            )
        )
        chunk.report_revisions.append(
            _row(
                MonitoringRevision,
                {
                    **{"id": revision_id, "report_id": report_id, "number": 1},
                    **{"entry": entry.to_json(), "data": to_data(result.core)},
                    "findings": [finding_to_data(f) for f in result.findings],
                    **{"author_id": job.author, "created_at": NOW, "note": "批量载入（基准数据）"},
                },
            )
        )


NOW = "2024-01-15 08:00:00+00"


def _make(job: Job) -> Chunk:
    """Generate, read and review one chunk of projects (in a worker process)."""
    from benchmarks.corpus import table
    from benchmarks.throughput import read
    from jixiao.web import services
    from jixiao.web.mapping import finding_to_data, to_data

    start = time.perf_counter()
    first, count, units, years, author = job.first, job.count, job.units, job.years, job.author
    first_revision = job.ids["revisions"] + first + 1
    rng = random.Random(job.seed * 1_000_003 + first)
    place = [
        (units[n % len(units)], years[(n // len(units)) % len(years)])
        for n in range(first, first + count)
    ]
    text = "\n".join(
        table(rng, first + n + 1).replace("2023", str(year)) for n, (_, year) in enumerate(place)
    )
    read_projects = read(text.encode("utf-8")).projects
    assert len(read_projects) == count, "the generated tables must all be read"
    now = NOW
    chunk = Chunk(*([] for _ in KINDS), seconds=0.0)
    reported = []
    for offset, core in enumerate(read_projects):
        number = first + offset
        unit, year = place[offset]
        assert core.year == year
        findings = services.review(core)
        row = services.derived(core, findings)
        status = STATUSES[number % len(STATUSES)]
        if row["errors"] and status in ("approved", "submitted"):
            status = "draft"
        project_id, revision_id = job.ids["projects"] + first + offset + 1, first_revision + offset
        chunk.projects.append(
            (
                *(project_id, unit, year, row["key"], row["name"], status, row["annual_total"]),
                *(row["errors"], row["warnings"], row["infos"], 1, json.dumps(row["stats"])),
                *(revision_id, None, None, now),
            )
        )
        chunk.revisions.append(
            (
                *(revision_id, project_id, 1, json.dumps(to_data(core), ensure_ascii=False)),
                json.dumps([finding_to_data(f) for f in findings], ensure_ascii=False),
                *(services.ruleset_name(), author, now, "批量载入（基准数据）"),
            )
        )
        for entry in services.indicator_rows(project_id, core):
            chunk.indicators.append(
                (project_id, entry.position, entry.level1, entry.level2, entry.name, entry.target)
            )
        chunk.events.append((project_id, "import", "", status, author, "", now))
        if status == "approved" and year < years[-1] and rng.random() < EVALUATED:
            _year_end(job, chunk, rng, project_id, unit, core)
        elif status == "approved" and year == years[-1] and rng.random() < REPORTED:
            reported.append((project_id, core))
    _in_year(job, chunk, rng, reported)
    chunk.seconds = time.perf_counter() - start
    return chunk


def _models() -> dict[str, Any]:
    from jixiao.web import models as m

    return {
        **{"projects": m.Project, "revisions": m.Revision},
        **{"indicators": m.IndicatorEntry, "events": m.Event},
        **{"evaluations": m.Evaluation, "evaluation_revisions": m.EvaluationRevision},
        **{"reports": m.MonitoringReport, "report_revisions": m.MonitoringRevision},
    }


def _tables() -> dict[str, tuple[str, list[str]]]:
    generated = ("indicators", "events")  # their ids are the database's
    return {
        kind: (model._meta.db_table, columns(model, skip=("id",) if kind in generated else ()))
        for kind, model in _models().items()
    }


def _copy(cursor: Any, table: str, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def write(chunk: Chunk, postgres: bool) -> None:
    from django.db import connection, transaction

    tables = _tables()
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                for kind, (table, names) in tables.items():
                    _copy(cursor.cursor, table, names, getattr(chunk, kind))
        else:
            with connection.cursor() as cursor:
                for kind, (table, names) in tables.items():
                    marks = ", ".join(["%s"] * len(names))
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                        getattr(chunk, kind),
                    )


def _accounts(unit_ids: list[int], departments: list[int]) -> None:
    from django.contrib.auth import get_user_model

    from jixiao.web.models import Membership, ReviewAssignment

    model = get_user_model()
    hashed = model(username="x")
    hashed.set_password(PASSWORD)
    for n, unit in enumerate(unit_ids[:FILLERS]):
        user, _ = model.objects.get_or_create(username=f"filler-{n}")
        user.password = hashed.password
        user.save()
        Membership.objects.get_or_create(user=user, unit_id=unit, role=Membership.FILLER)
    for n, department in enumerate(departments[:10]):
        user, _ = model.objects.get_or_create(username=f"reviewer-{n}")
        user.password = hashed.password
        user.save()
        Membership.objects.get_or_create(user=user, unit_id=department, role=Membership.REVIEWER)
        ReviewAssignment.objects.get_or_create(reviewer=user, unit_id=department)


def _units(count: int) -> tuple[list[int], list[int]]:
    """A 财政厅, its 主管部门 and their 实施单位 (``count`` of them)."""
    from jixiao.web.models import Unit

    top, _ = Unit.objects.get_or_create(name="省财政厅（基准）", defaults={"kind": Unit.FINANCE})
    departments = []
    for n in range((count + DEPARTMENT_SIZE - 1) // DEPARTMENT_SIZE):
        item, _ = Unit.objects.get_or_create(
            name=f"省直部门{n + 1:04d}", defaults={"kind": Unit.DEPARTMENT, "parent": top}
        )
        departments.append(item.id)
    existing = dict(Unit.objects.filter(kind=Unit.IMPLEMENTING).values_list("name", "id"))
    wanted = [f"实施单位{n + 1:05d}" for n in range(count)]
    Unit.objects.bulk_create(
        [
            Unit(name=name, kind=Unit.IMPLEMENTING, parent_id=departments[n // DEPARTMENT_SIZE])
            for n, name in enumerate(wanted)
            if name not in existing
        ],
        batch_size=2000,
    )
    ids = dict(Unit.objects.filter(name__in=wanted).values_list("name", "id"))
    return [ids[name] for name in wanted], departments


def _sequences(postgres: bool) -> None:
    if not postgres:
        return
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(_models().values())):
            cursor.execute(statement)
        cursor.execute("ANALYZE")


def _drop_search_indexes(postgres: bool) -> list[str]:
    """The GIN indexes of the search (trigrams, character pairs) are dropped before a bulk
    load and built again after it: building one is much cheaper than keeping it up to date
    through two million inserted rows.  Returns their definitions."""
    if not postgres:
        return []
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
            "('jixiao_project', 'jixiao_indicatorentry') AND indexdef LIKE '%USING gin%'"
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _build_indexes(definitions: list[str]) -> float:
    from django.db import connection

    start = time.perf_counter()
    if not definitions:
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks still deferred in a transaction
        for definition in definitions:
            cursor.execute(definition)
    return time.perf_counter() - start


def bare_copy(spool: str, chunks: int) -> float:
    """The same rows copied into tables of the same columns, without indexes or constraints."""
    from django.db import connection, transaction

    tables = _tables()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, _ in tables.values():
            cursor.execute(
                f"CREATE TEMP TABLE bare_{table} (LIKE {table} INCLUDING IDENTITY) ON COMMIT DROP"
            )
        for n in range(chunks):
            with open(os.path.join(spool, f"{n}.pickle"), "rb") as handle:
                chunk = pickle.load(handle)
            for kind, (table, names) in tables.items():
                _copy(cursor.cursor, f"bare_{table}", names, getattr(chunk, kind))
    return time.perf_counter() - start


def waiting_again() -> int:
    """The projects the load test's reviewers approved wait for review again, as loaded: each
    run approves a few hundred, and without this its reviewers ran out of waiting projects
    after a few runs (their queue pages then had no rows: lighter, and no approvals at all).
    Only the bulk load's reviewer accounts (``reviewer-N``) are undone; the counts are
    recomputed."""
    from django.db import transaction

    from jixiao.web import tallies
    from jixiao.web.models import Event, Project

    with transaction.atomic():
        approvals = Event.objects.filter(
            action="approve", actor__username__regex=r"^reviewer-[0-9]+$"
        )
        ids = list(approvals.values_list("project_id", flat=True).distinct())
        Project.objects.filter(id__in=ids, status=Project.APPROVED).update(status=Project.SUBMITTED)
        approvals.delete()
        tallies.rebuild()
    return len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--years", default="2021-2025", help="first-last")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--no-bare", action="store_true", help="skip the bare COPY comparison")
    parser.add_argument(
        "--waiting-again",
        action="store_true",
        help="load nothing: the projects earlier load tests approved wait for review again",
    )
    args = parser.parse_args()
    first_year, last_year = (int(y) for y in args.years.split("-"))
    os.environ.setdefault("JIXIAO_SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from jixiao.web import tallies
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation, MonitoringReport, MonitoringRound, Project

    call_command("migrate", interactive=False, verbosity=0)
    if args.waiting_again:
        print(f"{waiting_again():,} projects wait for review again", file=sys.stderr)
        return
    postgres = connection.vendor == "postgresql"
    if postgres:  # a batch job: its aggregates may use parallel plans (the app's requests don't)
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather TO DEFAULT")
    load_demo(import_seed=False)
    started = time.perf_counter()
    units, departments = _units(args.units)
    _accounts(units, departments)
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.get(username="demo-admin").id
    ids = {
        kind: model.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for kind, model in _models().items()
    }
    years = list(range(first_year, last_year + 1))
    july, _ = MonitoringRound.objects.get_or_create(
        year=last_year, month=7, defaults={"opened_by_id": author}
    )
    jobs = [
        Job(
            *(start, min(CHUNK, args.projects - start), args.seed, units, years, author),
            *(ids, july.id),
        )
        for start in range(0, args.projects, CHUNK)
    ]
    dropped = _drop_search_indexes(postgres)
    connection.close()  # the workers are forked: none of them shares the connection
    spool = tempfile.mkdtemp(prefix="jixiao-province-")
    made = 0.0
    context = multiprocessing.get_context("fork")
    try:
        with (
            context.Pool(args.workers) as pool,
            tqdm(total=args.projects, unit="项目", desc="生成、审核、写入") as bar,
        ):
            for n, chunk in enumerate(pool.imap(_make, jobs)):
                write(chunk, postgres)
                made += chunk.seconds
                if not args.no_bare:
                    with open(os.path.join(spool, f"{n}.pickle"), "wb") as handle:
                        pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)
                bar.update(len(chunk.projects))
    finally:  # even after a failure the database keeps its indexes
        indexed = _build_indexes(dropped)
    _sequences(postgres)
    counted = time.perf_counter()
    rows = tallies.rebuild()
    _sequences(postgres)
    loaded = time.perf_counter() - started
    total = Project.objects.count()
    evaluated = Evaluation.objects.count()
    reported = MonitoringReport.objects.filter(round=july).count()
    print(
        f"{args.projects:,} projects over {len(units):,} units and {len(years)} years loaded in "
        f"{loaded:.1f} s ({args.projects / loaded:,.0f} projects/s; {connection.vendor}); "
        f"generating + reading + reviewing {made:.1f} s of worker time on {args.workers} "
        f"workers; {len(dropped)} search indexes built after the rows in {indexed:.1f} s; "
        f"counts rebuilt in {time.perf_counter() - counted:.1f} s ({rows:,} rows); "
        f"{total:,} projects in the database, {evaluated:,} self-evaluations, "
        f"{reported:,} reports in the {july} monitoring round"
    )
    if postgres and not args.no_bare:
        bare = bare_copy(spool, len(jobs))
        print(
            f"bare COPY of the same rows (no index, no constraint): {bare:.1f} s; "
            f"the whole load is {loaded / bare:.1f}× the bare COPY"
        )
    for name in os.listdir(spool):
        os.remove(os.path.join(spool, name))
    os.rmdir(spool)


if __name__ == "__main__":
    main()
