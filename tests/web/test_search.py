"""Search: projects by name or by their indicators, and indicators written before — the
user's own and any unit's approved ones; on PostgreSQL through trigram indexes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.web import permissions, services
from jixiao.web.models import IndicatorEntry, Project
from jixiao.web.search import search
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _user(name: str):
    return get_user_model().objects.get(username=name)


def test_every_save_keeps_the_search_rows_of_the_current_indicators(demo, forest):
    rows = IndicatorEntry.objects.filter(project=forest).order_by("position")
    data = forest.current.data["indicators"]
    assert [r.name for r in rows] == [i["name"] for i in data]
    assert IndicatorEntry.objects.count() == sum(
        len(p.current.data["indicators"]) for p in Project.objects.all()
    )


def test_search_finds_projects_by_what_their_indicators_say(demo, unit_client):
    found = search(_user("demo-unit"), "装备利用率")
    assert [p.name for p in found.projects] == ["森林防火物资采购"]
    assert [i.name for i in found.indicators] == ["装备利用率"]
    page = unit_client.get("/projects/?q=装备利用率").content.decode()
    assert "森林防火物资采购" in page and "应急局工作业务经费" not in page
    answer = unit_client.get("/api/search?q=安全生产").json()
    assert answer["projects"] and all("unit" in i for i in answer["indicators"])
    assert unit_client.get("/search/?q=装备").status_code == 200
    assert search(_user("demo-unit"), "   ").projects == []


def test_other_units_find_approved_indicators_but_not_drafts_or_projects(demo, other_unit):
    outsider = _user("edu-filler")
    assert search(outsider, "装备利用率").indicators == []  # a draft of another unit
    project = Project.objects.get(name="应急局工作业务经费")
    services.transition(_user("demo-unit"), project.id, "submit")
    services.transition(_user("demo-reviewer"), project.id, "approve")
    found = search(outsider, "安全生产月")
    assert found.indicators and {i.project_id for i in found.indicators} == {project.id}
    assert found.projects == []  # the project itself stays the unit's and its reviewers'
    page = login("edu-filler").get("/search/?q=安全生产月").content.decode()
    assert f'href="/projects/{project.id}/"' not in page and "应急局工作业务经费" in page


def test_the_approved_indicators_found_are_those_of_the_newest_approved_projects(demo):
    """With room for two: the matching indicators of the two newest approved projects with
    one (by project id) — neither a draft's, however recently saved, nor an older table's."""
    outsider = get_user_model().objects.create_user("outsider", password="x-9-y-8")
    projects = list(Project.objects.order_by("id"))
    approved = projects[:4]
    Project.objects.filter(id__in=[p.id for p in approved]).update(status=Project.APPROVED)
    # written newest project first: the older tables' rows have the newest ids (as a table
    # saved again after its approval, through an adjustment, has)
    IndicatorEntry.objects.bulk_create(
        [IndicatorEntry(project=p, position=90, name="鲸鱼观测次数") for p in reversed(projects)]
    )
    found = search(outsider, "鲸鱼观测", limit=2)
    assert {i.project_id for i in found.indicators} == {approved[3].id, approved[2].id}
    assert {i.project_id for i in search(outsider, "鲸鱼观测").indicators} == {
        p.id for p in approved
    }


def test_the_search_uses_trigram_indexes_on_postgresql(demo):
    IndicatorEntry.objects.bulk_create(
        [
            IndicatorEntry(
                project=Project.objects.first(),
                position=n,
                name=f"指标{n}号培训人次",
                target="≥1次",
            )
            for n in range(20_000)
        ],
        batch_size=2_000,
    )
    query = IndicatorEntry.objects.filter(name__icontains="指标19999号")
    assert query.count() == 1
    if connection.vendor == "postgresql":
        # Whether the trigram index serves the expression Django writes (UPPER(name) LIKE):
        # at 20,000 short rows reading the table may cost the planner less than the index
        # (it chose either, from one CI run to the next), so sequential scans are priced out
        # for this one plan; a query the index cannot answer still shows "Seq Scan".
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE jixiao_indicatorentry")
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")
        assert "indicator_name_trgm" in plan and "Seq Scan on jixiao_indicatorentry" not in plan


def test_the_search_indexes_keep_a_small_pending_list(demo):
    """Migration 0018: each GIN index of the search merges its pending list at 64 kB (every
    search scans the whole list; the default 4 MB let it reach 400 pages at province scale).
    SQLite's FTS5 index is kept by triggers, row by row: nothing pending there."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, c.reloptions FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE a.amname = 'gin' AND t.relname LIKE 'jixiao_%%'"
            )
            found = dict(cursor.fetchall())
            assert len(found) == 6, found  # trigrams (0008) and character pairs (0015)
            assert all(o == ["gin_pending_list_limit=64"] for o in found.values()), found
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {name for (name,) in cursor.fetchall()}
            assert any("fts" in name for name in triggers), triggers


def _plain(user, text: str) -> tuple[set[int], set[int]]:
    """What the search must find, by ``icontains`` alone (no index)."""
    from django.db.models import Q

    visible = permissions.visible_projects(user)
    rows = IndicatorEntry.objects.filter(Q(name__icontains=text) | Q(target__icontains=text))
    projects = set(visible.filter(name__icontains=text).values_list("id", flat=True))
    projects |= set(visible.filter(id__in=rows.values("project_id")).values_list("id", flat=True))
    return projects, set(rows.values_list("id", flat=True))


def test_the_search_index_follows_renames_and_deletions(demo):
    """SQLite: the FTS5 index (migration 0013) is kept by triggers, which a later migration
    that rebuilds a table would drop — checked here; PostgreSQL: its indexes are the
    database's own."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
        for index in ("jixiao_project_fts", "jixiao_indicator_fts"):
            assert {f"{index}_{t}" for t in ("insert", "delete", "update")} <= triggers
    filler = _user("demo-unit")
    project = Project.objects.get(name="森林防火物资采购")
    project.name = "林区防灭火装备购置"
    project.save()
    assert search(filler, "森林防火物资").projects == []
    assert [p.id for p in search(filler, "防灭火装备").projects] == [project.id]
    IndicatorEntry.objects.filter(project=project, name="装备利用率").update(name="器材完好率")
    assert search(filler, "装备利用率").indicators == []
    assert [i.name for i in search(filler, "器材完好").indicators] == ["器材完好率"]
    project.delete()
    assert search(filler, "防灭火装备").projects == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM jixiao_project_fts "
                "WHERE jixiao_project_fts MATCH '\"应急管理\"'"
            )
            assert "VIRTUAL TABLE INDEX" in str(cursor.fetchall())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_search_finds_exactly_what_icontains_finds(demo, data):
    """Whatever is typed — a piece of a real name or target, quotes, FTS5 syntax, short or
    long — the index changes how fast, never what is found (SQLite: narrowed by FTS5;
    PostgreSQL: the trigram indexes behind the same query)."""
    names = sorted(
        {i.name for i in IndicatorEntry.objects.all()}
        | {i.target for i in IndicatorEntry.objects.all()}
    )
    source = data.draw(st.sampled_from(names))
    start = data.draw(st.integers(0, max(len(source) - 1, 0)))
    piece = source[start : start + data.draw(st.integers(1, 8))]
    text = data.draw(
        st.one_of(
            st.just(piece),
            st.text(
                st.sampled_from('"*^:()-+ NEARANDOR{}培训满意度≥%_\\'), min_size=1, max_size=12
            ),
            st.builds(
                lambda a, b: a + b, st.just(piece), st.sampled_from(['"', "*", " OR x", "%"])
            ),
        )
    )
    user = _user(data.draw(st.sampled_from(["demo-unit", "demo-reviewer", "demo-admin"])))
    found = search(user, text, limit=10_000)
    wanted = " ".join(text.split())[:50]
    if not wanted:
        assert found.projects == [] and found.indicators == []
        return
    projects, rows = _plain(user, wanted)
    assert {p.id for p in found.projects} == projects
    published_or_own = {
        i.id
        for i in IndicatorEntry.objects.filter(id__in=rows)
        if (i.project.status == Project.APPROVED and i.project.deleted_at is None)
        or i.project_id in projects
    }
    assert {i.id for i in found.indicators} == published_or_own


def test_two_character_words_are_found_through_the_pairs_index(demo):
    """培训, 维修: no trigram.  On PostgreSQL the GIN index of character pairs (migration
    0015) finds the rows and icontains confirms; a rare word no longer reads every name and
    indicator (SQLite reads the rows: its FTS5 index takes three characters or more)."""
    filler = _user("demo-unit")
    assert "森林防火物资采购" in {p.name for p in search(filler, "防火").projects}
    assert "装备利用率" in {i.name for i in search(filler, "装备").indicators}
    assert search(filler, "鲸鱼").projects == [] and search(filler, "鲸鱼").indicators == []
    if connection.vendor != "postgresql":
        return
    with CaptureQueriesContext(connection) as captured:
        search(filler, "防火")
    searched = " ".join(q["sql"] for q in captured.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SELECT jixiao_bigrams('培训Ab')")
        assert cursor.fetchone()[0] == ["培训", "训A", "AB"]
        # the expression the search writes is the indexes' (at demo size the planner
        # rightly prefers other indexes, so every scan but a bitmap one is priced out here)
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        for table, column, index in (
            ("jixiao_project", "name", "project_name_bigrams"),
            ("jixiao_indicatorentry", "name", "indicator_name_bigrams"),
            ("jixiao_indicatorentry", "target", "indicator_target_bigrams"),
        ):
            assert f'jixiao_bigrams("{table}"."{column}") @>' in searched
            cursor.execute(
                f"EXPLAIN SELECT id FROM {table} "
                f"WHERE jixiao_bigrams({table}.{column}) @> jixiao_bigrams('防火')"
            )
            assert index in "\n".join(row[0] for row in cursor.fetchall())
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = on")


def test_control_characters_and_nul_find_nothing_and_break_nothing(demo, unit_client):
    """What schemathesis sent: a NUL ended SQLite's FTS5 query (500); PostgreSQL refuses NUL
    in any compared text.  No stored text holds such a character, so nothing is found."""
    filler = _user("demo-unit")
    assert search(filler, "\x0fA£\x00\U000c961d*").projects == []
    assert search(filler, "森林\x07防火").projects == []
    answer = unit_client.get("/api/search?q=%0FA%C2%A3%00%F2%89%98%9D%2A")
    assert answer.status_code == 200 and answer.json()["projects"] == []
    # NUL is removed from every parameter before any view: filters answer as without it
    assert unit_client.get("/api/search?q=%E6%A3%AE%E6%9E%97%00").json()["projects"]  # 森林
    assert unit_client.get("/api/projects?q=%00&status=draft%00").status_code == 200
    assert unit_client.get("/projects/?q=%00%00&status=%00").status_code == 200
    assert unit_client.get("/api/evaluations?status=%00&grade=%00").status_code == 200
