"""The counts kept per unit and year (and per unit and monitoring round): after any mix of
imports, saves, reviews, self-evaluations, monitoring reports, deletions and restores they
equal the counts recomputed from scratch, and the pages built on them show the figures the
projects give."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from jixiao.web import monitoring, services, tallies
from jixiao.web.demo import load_demo
from jixiao.web.models import Evaluation, MonitoringReport, Project, Tally, YearTally
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _recomputed() -> dict:
    maintained = tallies.stored()
    tallies.rebuild()
    return {"maintained": maintained, "recomputed": tallies.stored()}


def test_the_maintained_counts_equal_the_recomputed_ones_through_the_whole_lifecycle(db):
    load_demo(evaluations=True, monitoring=True)
    state = _recomputed()
    assert state["maintained"] == state["recomputed"] and state["maintained"]
    filler, reviewer = _user("demo-unit"), _user("demo-reviewer")
    draft = Project.objects.filter(status=Project.DRAFT, errors=0).order_by("id").first()
    assert draft is not None
    services.delete(filler, draft.id)  # a deleted project no longer counts
    state = _recomputed()
    assert state["maintained"] == state["recomputed"]
    services.restore(filler, draft.id)
    services.transition(filler, draft.id, "submit")
    services.transition(reviewer, draft.id, "return", comment="请补充指标")
    state = _recomputed()
    assert state["maintained"] == state["recomputed"]
    evaluated = Evaluation.objects.filter(latest__isnull=False).first()
    assert evaluated is not None
    Project.objects.get(id=evaluated.project_id).delete()  # a hard delete: all it added goes
    state = _recomputed()
    assert state["maintained"] == state["recomputed"]


def test_the_year_counts_are_what_the_projects_give(db):
    load_demo(evaluations=True, monitoring=True)
    projects = Project.objects.filter(year=2023, deleted_at__isnull=True)
    counts = tallies.totals(2023)
    assert counts["projects"] == projects.count() == 9
    assert counts["errors"] == sum(p.errors for p in projects)
    assert counts["warnings"] == sum(p.warnings for p in projects)
    assert tallies.amount(counts["money:annual"]) == sum(
        (p.annual_total or Decimal(0) for p in projects), Decimal(0)
    )
    rules: dict[str, int] = {}
    for project in projects:
        for rule, n in project.stats["rules"].items():
            rules[rule] = rules.get(rule, 0) + n
    assert {k[5:]: v for k, v in counts.items() if k.startswith("rule:")} == rules
    assert counts[f"status:{Project.APPROVED}"] == projects.filter(status=Project.APPROVED).count()
    assert counts["eval:filled"] == Evaluation.objects.filter(latest__isnull=False).count()
    (july,) = monitoring.MonitoringRound.objects.all()
    reports = MonitoringReport.objects.filter(round=july, latest__isnull=False)
    assert tallies.totals(2023, july.id)["reported"] == reports.count() > 0
    assert tallies.totals(2024) == {} and tallies.years() == [2023]


def test_amounts_are_added_exactly_as_integers():
    for text in ("0.000001", "123456789.123456", "0.1", "-5.25"):
        assert tallies.amount(tallies.micro(Decimal(text))) == Decimal(text)
    assert tallies.micro(None) == 0


def test_the_dashboard_and_the_board_read_the_counts_not_the_projects(
    db, django_assert_max_num_queries
):
    load_demo(evaluations=True, monitoring=True)
    reviewer = login("demo-reviewer")
    # the counts are what the page shows: change one stored count and the page follows
    row = Tally.objects.get(year=2023, round=tallies.YEAR, name="projects")
    row.value += 1000
    row.save()
    page = reviewer.get("/dashboard/?year=2023").content.decode()
    assert "<b>1009</b>" in page
    # the administrator's whole province: one row per count, the sum of the units' rows
    # (kept at the same writes, not summed from them: the unit's row changed by hand above
    # leaves it as it was)
    assert tallies.totals(2023)["projects"] == 9
    province = YearTally.objects.get(year=2023, round=tallies.YEAR, name="projects")
    province.value += 5000
    province.save()
    assert "<b>5009</b>" in login("demo-admin").get("/dashboard/?year=2023").content.decode()
    july = monitoring.MonitoringRound.objects.get()
    with django_assert_max_num_queries(40):
        assert reviewer.get(f"/monitoring/{july.id}/").status_code == 200


def test_the_board_is_paged(db):
    load_demo(evaluations=True, monitoring=True)
    july = monitoring.MonitoringRound.objects.get()
    reviewer = _user("demo-reviewer")
    everything, more = monitoring.board(reviewer, july)
    assert len(everything) == 4 and not more
    first, more = monitoring.board(reviewer, july, size=3)
    assert len(first) == 3 and more
    second, more = monitoring.board(reviewer, july, page=2, size=3)
    assert len(second) == 1 and not more
    assert [r.project.id for r in first + second] == [r.project.id for r in everything]
    page = login("demo-reviewer").get(f"/monitoring/{july.id}/?page=2").content.decode()
    assert "没有符合条件的项目" in page and "上一页" in page


def _tally_writes(queries) -> int:
    return sum(
        1
        for q in queries
        if "jixiao_tally" in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    )


@pytest.mark.parametrize("tables", [3, 30])
def test_an_import_adds_its_counts_once_at_the_end(db, tables):
    """An import of many projects reads each one's counts once and writes the unit-year's
    rows once: the writes to the counts do not grow with the number of projects."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.corpus import corpus

    load_demo(import_seed=False)
    filler = _user("demo-unit")
    unit = filler.memberships.get().unit
    plan = services.plan_import(filler, unit, corpus(tables).encode(), "batch.txt", 2023)
    with CaptureQueriesContext(connection) as captured:
        stored = services.confirm_import(filler, plan)
    assert len(stored) == tables
    assert _tally_writes(captured.captured_queries) == 2  # create missing rows at 0, one UPDATE
    state = _recomputed()
    assert state["maintained"] == state["recomputed"]
    assert tallies.totals(2023)["projects"] == tables


def test_a_batch_counts_what_is_stored_when_a_savepoint_inside_it_is_rolled_back(db):
    from django.db import transaction

    load_demo()
    filler = _user("demo-unit")
    kept, dropped = Project.objects.filter(deleted_at__isnull=True).order_by("id")[:2]
    with tallies.batch():
        kept.status = Project.SUBMITTED
        kept.save()
        try:
            with transaction.atomic():
                dropped.annual_total = Decimal("99999")
                dropped.save()
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        services.delete(filler, Project.objects.exclude(id__in=[kept.id, dropped.id]).first().id)
    state = _recomputed()
    assert state["maintained"] == state["recomputed"]


def test_the_per_unit_counts_are_read_by_name_and_named_either_way(db):
    """The dashboard reads each unit's self-evaluation grades by their names (an index range
    each), not every count of the year filtered by a prefix; a unit's name comes by id for
    a few units and from the whole (unsorted) list of units for many — the same names."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    load_demo(evaluations=True, monitoring=True)
    with CaptureQueriesContext(connection) as seen:
        login("demo-admin").get("/dashboard/?year=2023")
    tally_reads = [q["sql"] for q in seen.captured_queries if '"jixiao_tally"' in q["sql"]]
    assert tally_reads and not any("LIKE" in sql.upper() for sql in tally_reads)
    graded = tallies.per_unit(2023, names=[f"eval:grade:{g}" for g in "优良中差"])
    assert graded and all(
        name.startswith("eval:grade:") for counts in graded.values() for name in counts
    )
    assert sum(sum(counts.values()) for counts in graded.values()) == sum(
        tallies.totals(2023).get(f"eval:grade:{g}", 0) for g in "优良中差"
    )
    from jixiao.web.models import Unit

    Unit.objects.bulk_create(
        [Unit(name=f"新单位{n:03d}", kind=Unit.DEPARTMENT) for n in range(250)]
    )
    every = set(Unit.objects.values_list("id", flat=True))
    few = set(sorted(every)[:5])
    expected = dict(Unit.objects.values_list("id", "name"))
    assert tallies.unit_names(every) == expected  # > 200: from the list of every unit
    assert tallies.unit_names(few) == {unit: expected[unit] for unit in few}  # by id
    assert tallies.unit_names(set()) == {}
