"""The province benchmark's bulk path (``benchmarks.province``): the rows it writes with COPY
(PostgreSQL) or executemany (SQLite) are rows the application reads as its own — projects with
their revisions and indicators, self-evaluations, monitoring reports — and the counts rebuilt
from them are the counts the application keeps."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from benchmarks import province
from jixiao.web import evaluations, tallies
from jixiao.web.demo import example_entry, load_demo
from jixiao.web.mapping import to_core
from jixiao.web.models import (
    Evaluation,
    IndicatorEntry,
    Membership,
    MonitoringReport,
    MonitoringRound,
    Project,
)
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_the_bulk_rows_are_read_by_the_application_as_its_own():
    load_demo(import_seed=False)
    units, departments = province._units(6)
    province._accounts(units, departments)
    author = get_user_model().objects.get(username="demo-admin").id
    ids = {
        kind: model.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for kind, model in province._models().items()
    }
    july = MonitoringRound.objects.create(year=2024, month=7, opened_by_id=author)
    postgres = connection.vendor == "postgresql"
    dropped = province._drop_search_indexes(postgres)  # built again after the rows
    assert len(dropped) == (6 if postgres else 0)  # trigrams and pairs (0008, 0015)
    for start in range(0, 120, 60):
        job = province.Job(start, 60, 7, units, [2022, 2023, 2024], author, ids, july.id)
        province.write(province._make(job), postgres)
    province._build_indexes(dropped)
    assert province._drop_search_indexes(postgres) == dropped  # they are all there again
    province._build_indexes(dropped)
    province._sequences(postgres)
    tallies.rebuild()

    assert Project.objects.count() == 120
    assert IndicatorEntry.objects.filter(project__year=2023).exists()
    evaluated = Evaluation.objects.select_related("project", "latest")
    assert evaluated.exists() and MonitoringReport.objects.filter(round=july).exists()
    assert {e.project.year for e in evaluated} <= {2022, 2023}  # past years only
    assert all(e.project.status == Project.APPROVED for e in evaluated)
    # what is stored is what the application computes again from the stored entry
    for evaluation in evaluated[:10]:
        base = evaluations.base_of(evaluation.project)
        entry = evaluations.Entry.from_json(evaluation.latest.entry)
        again = evaluations.stored_fields(evaluations.scored(base, entry))
        assert {k: getattr(evaluation, k) for k in again} == again
    assert len({e.grade for e in evaluated}) >= 2  # not one grade for all
    report = MonitoringReport.objects.filter(round=july).select_related("latest").first()
    assert to_core(report.latest.data).monitoring.month == 7

    # rows written after the bulk ones take ids after theirs (the sequences were reset)
    bulk_last = max(e.id for e in evaluated)
    again = Evaluation.objects.filter(project__status=Project.APPROVED).first()
    project = again.project
    again.delete()
    writer = get_user_model().objects.create_user("province-writer", password="x-secret-9")
    Membership.objects.create(user=writer, unit=project.unit, role=Membership.FILLER)
    stored = evaluations.save(writer, project.id, example_entry(evaluations.base_of(project)), 0)
    assert stored.evaluation_id > bulk_last
    filler = login("filler-0")
    one = Evaluation.objects.filter(status="approved").first()
    reviewer = login("demo-reviewer")
    for page in (
        f"/projects/{one.project_id}/evaluation/",
        f"/monitoring/{july.id}/",
        f"/monitoring/{july.id}/projects/{report.project_id}/",
        "/dashboard/?year=2023",
        "/projects/?year=2024",
    ):
        assert login("demo-admin").get(page).status_code == 200, page
    assert filler.get("/projects/?year=2024").status_code == 200
    assert reviewer.get("/queue/").status_code == 200
    state = tallies.stored()
    assert (
        state
        and tallies.totals(2023)["eval:filled"]
        == Evaluation.objects.filter(project__year=2023).count()
    )
    # the bulk self-evaluations keep their project's unit (the reviewer's queue reads by it)
    assert all(e.unit_id == e.project.unit_id for e in evaluated)

    # what a load test's reviewer approved waits for review again, the counts with it
    from jixiao.web import services

    waiting = Project.objects.filter(status=Project.SUBMITTED).select_related("unit").first()
    reviewer_n = get_user_model().objects.get(
        username__regex=r"^reviewer-[0-9]+$",
        assignments__unit=waiting.unit.parent_id,
    )
    before = tallies.totals(waiting.year)["status:submitted"]
    services.transition(reviewer_n, waiting.id, "approve")
    assert tallies.totals(waiting.year)["status:submitted"] == before - 1
    assert province.waiting_again() == 1
    waiting.refresh_from_db()
    assert waiting.status == Project.SUBMITTED
    assert tallies.totals(waiting.year)["status:submitted"] == before
    assert province.waiting_again() == 0  # nothing left to put back
