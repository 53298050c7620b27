"""Self-evaluation (绩效自评) in the web: the form and its live score, the workflow, the
import of a filled 自评表 (a real one from the corpus), exports, the dashboard, the API, and
who may see and do what."""

from __future__ import annotations

import html
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.core.scoring import score
from jixiao.services.evaluating import score_cards
from jixiao.services.importing import read_bytes
from jixiao.web import evaluations, services, tallies
from jixiao.web.mapping import to_core
from jixiao.web.models import Evaluation, EvaluationRevision, Event, Membership, Project
from tests.conftest import ROOT
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

LANGFANG = ROOT / "tests" / "corpus" / "019_langfang-shipingongcheng-nuantong-zipingbiao-2019.txt"
LONGYANG = ROOT / "tests" / "corpus" / "020_longyang-huafeijianliang-zipingbiao-2022.txt"


def _approve(project: Project) -> Project:
    """Through the real workflow: the filler submits, the reviewer approves."""
    services.transition(get_user_model().objects.get(username="demo-unit"), project.id, "submit")
    reviewer = get_user_model().objects.get(username="demo-reviewer")
    services.transition(reviewer, project.id, "approve")
    project.refresh_from_db()
    return project


@pytest.fixture
def approved(demo) -> Project:
    """A project without errors, approved: its unit may now evaluate it."""
    project = Project.objects.filter(unit=demo, errors=0).order_by("name").first()
    assert project is not None
    return _approve(project)


def _form(project: Project, **changes: str) -> dict[str, str]:
    """The form as the page posts it: the prefilled entry, every target reached as written."""
    base = evaluations.base_of(project)
    entry = evaluations.default_entry(base)
    post = {"scheme": entry.scheme, "version": "0", "goal_actual": "全部完成"}
    for line, amounts in entry.budget.items():
        for key, value in amounts.items():
            post[f"{line}-{key}"] = value
    post["total-executed"] = post["total-budget"]
    for n, indicator in enumerate(base.indicators):
        post[f"row-{n}-actual"] = indicator.target.text
    post.update(changes)
    return post


def _first_quantitative(project: Project) -> tuple[int, str]:
    base = evaluations.base_of(project)
    for n, indicator in enumerate(base.indicators):
        target = indicator.target
        if target.value and target.operator is not None and target.operator.value in (">=", "="):
            return n, f"{target.value / 2}{target.unit}"
    raise AssertionError("the seed project has a quantitative target")


def test_the_form_is_prefilled_with_the_approved_targets_and_budget(approved, unit_client):
    page = unit_client.get(f"/projects/{approved.id}/evaluation/").content.decode()
    base = evaluations.base_of(approved)
    assert page.count("data-row=") == len(base.indicators)
    for indicator in base.indicators:
        assert indicator.target.text in page
    assert f'name="total-planned" value="{approved.annual_total.normalize()}"' in page
    assert "未填写" in page and not Evaluation.objects.exists()


def test_saving_the_form_stores_a_revision_with_the_computed_score(approved, unit_client):
    row, half = _first_quantitative(approved)
    post = _form(approved, **{f"row-{row}-actual": half, "save": "1"})
    response = unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    assert response.status_code == 302
    stored = Evaluation.objects.get(project=approved)
    revision = stored.latest
    assert revision is not None and revision.number == 1 and stored.version == 1
    card = score(to_core(revision.data))
    assert card is not None and stored.total == card.total
    shortfall = card.rows[row]
    assert shortfall.computed is not None and shortfall.weight is not None
    assert shortfall.computed == (shortfall.weight / 2).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert "<" in shortfall.explanation and "÷" in shortfall.explanation
    assert stored.total < 100 and stored.rate == Decimal("1")
    # The shortfall has no reason: a warning, shown on the page next to the row's score.
    assert "EVAL-NO-REASON" in [f["rule"] for f in revision.findings]
    page = html.unescape(unit_client.get(f"/projects/{approved.id}/evaluation/").content.decode())
    assert shortfall.explanation in page and "EVAL-NO-REASON" in page
    # The weights the scheme spread are written in cents and still add up to 100.
    weights = [row.weight for row in card.rows]
    assert all(w is not None and w == w.quantize(Decimal("0.01")) for w in weights)
    assert sum(weights) + card.execution.weight == 100
    assert "EVAL-WEIGHTS-SUM" not in [f["rule"] for f in revision.findings]
    assert Event.objects.filter(project=approved, action="eval-edit").count() == 1
    # The same form again changes nothing.
    post["version"] = "1"
    unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    assert EvaluationRevision.objects.count() == 1


def test_the_computed_score_never_exceeds_full_marks_and_reasons_clear_the_warning(
    approved, unit_client
):
    row, half = _first_quantitative(approved)
    post = _form(
        approved,
        **{
            f"row-{row}-actual": half,
            f"row-{row}-deviation": "供应商延期交货，已约谈并调整采购计划。",
            "save": "1",
        },
    )
    unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    stored = Evaluation.objects.get(project=approved)
    assert stored.latest is not None
    assert "EVAL-NO-REASON" not in [f["rule"] for f in stored.latest.findings]
    assert Decimal(0) < stored.total <= Decimal(100)


def test_live_score_through_the_api_stores_nothing(approved, unit_client):
    entry = unit_client.get(f"/api/projects/{approved.id}/evaluation").json()
    assert entry["status"] == "none" and entry["data"] is None
    body = entry["entry"]
    row, half = _first_quantitative(approved)
    body["indicators"][row]["actual"] = half
    body["budget"]["total"]["executed"] = str(approved.annual_total / 2)
    answer = unit_client.post(
        f"/api/projects/{approved.id}/evaluation/score",
        json.dumps({"entry": body}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["rate"] == "50%"
    assert data["card"]["execution"]["computed"] == "5"
    assert "÷" in data["card"]["indicators"][row]["explanation"]
    assert not Evaluation.objects.exists() and not EvaluationRevision.objects.exists()


def test_a_number_that_is_not_one_is_refused_by_field_and_nothing_is_stored(approved, unit_client):
    post = _form(approved, **{"total-executed": "三十万", "row-0-weight": "1e999999", "save": "1"})
    page = unit_client.post(f"/projects/{approved.id}/evaluation/", post).content.decode()
    assert "年度资金总额的全年执行数“三十万”不是数字" in page
    assert "分值" in page and "不能保存" in page
    assert 'value="三十万"' in page  # what was typed stays in the form
    assert not Evaluation.objects.exists()
    answer = unit_client.put(
        f"/api/projects/{approved.id}/evaluation",
        json.dumps({"version": 0, "entry": {"indicators": [{"actual": "x"}]}}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "批复的目标表有" in answer.json()["error"]["message"]
    huge = unit_client.get(f"/api/projects/{approved.id}/evaluation").json()["entry"]
    huge["budget"]["total"]["executed"] = "1" * 12
    answer = unit_client.put(
        f"/api/projects/{approved.id}/evaluation",
        json.dumps({"version": 0, "entry": huge}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_content"
    assert answer.json()["error"]["details"][0]["field"] == "evaluation.total.executed"
    assert not Evaluation.objects.exists()


def test_workflow_submit_return_with_comment_resubmit_approve(approved, other_unit, unit_client):
    post = _form(approved, save="1")
    unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    unit_client.post(f"/projects/{approved.id}/evaluation/submit/")
    stored = Evaluation.objects.get(project=approved)
    assert stored.status == Project.SUBMITTED
    # Submitted: the filler can no longer change it.
    post["version"] = str(stored.version)
    post["goal_actual"] = "改了"
    unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    assert Evaluation.objects.get(project=approved).version == stored.version
    reviewer = login("demo-reviewer")
    queue = reviewer.get("/queue/").content.decode().split("待审核的绩效自评")[1]
    assert f'href="/projects/{approved.id}/evaluation/"' in queue
    assert "没有待审核的自评" in login("edu-reviewer").get("/queue/").content.decode()
    reviewer.post(f"/projects/{approved.id}/evaluation/return/", {"comment": ""})
    assert Evaluation.objects.get(project=approved).status == Project.SUBMITTED
    reviewer.post(f"/projects/{approved.id}/evaluation/return/", {"comment": "偏差原因写得太笼统"})
    assert Evaluation.objects.get(project=approved).status == Project.RETURNED
    unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    unit_client.post(f"/projects/{approved.id}/evaluation/submit/")
    reviewer.post(f"/projects/{approved.id}/evaluation/approve/")
    stored = Evaluation.objects.get(project=approved)
    assert stored.status == Project.APPROVED and stored.revisions.count() == 2
    actions = list(
        Event.objects.filter(project=approved, action__startswith="eval-").values_list(
            "action", "comment"
        )
    )
    assert [a for a, _ in actions] == [
        "eval-edit",
        "eval-submit",
        "eval-return",
        "eval-edit",
        "eval-submit",
        "eval-approve",
    ]
    assert ("eval-return", "偏差原因写得太笼统") in actions
    page = unit_client.get(f"/projects/{approved.id}/evaluation/").content.decode()
    assert "偏差原因写得太笼统" in page and "自评审核通过" in page
    old = unit_client.get(f"/projects/{approved.id}/evaluation/?rev=1").content.decode()
    assert "全部完成" in old and 'name="goal_actual"' not in old


def test_a_project_not_approved_has_no_self_evaluation(demo, unit_client, forest):
    response = unit_client.get(f"/projects/{forest.id}/evaluation/")
    assert response.status_code == 302
    answer = unit_client.get(f"/api/projects/{forest.id}/evaluation")
    assert answer.status_code == 400 and "审核通过后才能自评" in answer.json()["error"]["message"]
    with pytest.raises(services.Refused, match="审核通过后才能自评"):
        evaluations.save(
            get_user_model().objects.get(username="demo-unit"),
            forest.id,
            evaluations.default_entry(evaluations.base_of(forest)),
            0,
        )


def test_a_stale_version_is_refused_and_keeps_the_newer_evaluation(approved, unit_client):
    unit_client.post(f"/projects/{approved.id}/evaluation/", _form(approved, save="1"))
    stale = _form(approved, goal_actual="旧页面上的填写", save="1")  # version 0
    page = unit_client.post(f"/projects/{approved.id}/evaluation/", stale).content.decode()
    assert "其他人已经保存了这个自评" in page
    stored = Evaluation.objects.get(project=approved)
    assert stored.version == 1 and stored.latest is not None
    assert stored.latest.entry["goal_actual"] == "全部完成"


def test_separation_of_duties_holds_for_self_evaluations(approved):
    both = get_user_model().objects.create_user("both", password="another-secret-9")
    Membership.objects.create(user=both, unit=approved.unit, role=Membership.FILLER)
    Membership.objects.create(user=both, unit=approved.unit.parent, role=Membership.REVIEWER)
    approved.unit.assignments.create(reviewer=both)
    client = login("both")
    client.post(f"/projects/{approved.id}/evaluation/", _form(approved, save="1"))
    client.post(f"/projects/{approved.id}/evaluation/submit/")
    page = client.post(f"/projects/{approved.id}/evaluation/approve/", follow=True)
    assert "职责分离" in page.content.decode()
    assert Evaluation.objects.get(project=approved).status == Project.SUBMITTED


def test_other_units_and_roles_cannot_see_or_change_a_self_evaluation(
    approved, other_unit, unit_client
):
    unit_client.post(f"/projects/{approved.id}/evaluation/", _form(approved, save="1"))
    entry = json.dumps({"version": 1, "entry": {"goal_actual": "x"}})
    for username in ("edu-filler", "edu-reviewer"):
        client = login(username)
        assert client.get(f"/projects/{approved.id}/evaluation/").status_code == 404
        assert client.get(f"/api/projects/{approved.id}/evaluation").status_code == 404
        assert (
            client.put(
                f"/api/projects/{approved.id}/evaluation", entry, content_type="application/json"
            ).status_code
            == 404
        )
        assert client.post(f"/projects/{approved.id}/evaluation/submit/").status_code == 404
        assert client.get(f"/projects/{approved.id}/evaluation/export/xlsx/").status_code == 404
        ids = [e["project"] for e in client.get("/api/evaluations").json()["items"]]
        assert approved.id not in ids
        dashboard = client.get("/dashboard/").content.decode()
        assert approved.name not in dashboard
    # The reviewer of the unit sees it but cannot fill it in; the filler cannot approve it.
    reviewer = login("demo-reviewer")
    answer = reviewer.put(
        f"/api/projects/{approved.id}/evaluation", entry, content_type="application/json"
    )
    assert answer.status_code == 403
    unit_client.post(f"/projects/{approved.id}/evaluation/submit/")
    answer = unit_client.post(
        f"/api/projects/{approved.id}/evaluation/approve",
        json.dumps({}),
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert Evaluation.objects.get(project=approved).status == Project.SUBMITTED
    assert [e["project"] for e in reviewer.get("/api/evaluations").json()["items"]] == [approved.id]


def _corpus_project(demo, path: Path = LANGFANG) -> tuple[Project, bytes]:
    """The real 自评表 from the corpus read as a target table and approved: the project its
    self-evaluation belongs to."""
    data = path.read_bytes()
    filler = get_user_model().objects.get(username="demo-unit")
    plan = services.plan_import(filler, demo, data, path.name, None)
    (stored,) = services.confirm_import(filler, plan)
    Project.objects.filter(id=stored.id).update(status=Project.APPROVED)
    stored.refresh_from_db()
    return stored, data


@pytest.mark.parametrize("path", [LANGFANG, LONGYANG], ids=["019", "020"])
def test_importing_a_real_filled_self_evaluation_scores_it_like_the_cli(
    demo, unit_client, path: Path
):
    project, data = _corpus_project(demo, path)
    upload = SimpleUploadedFile(path.name, data, content_type="text/plain")
    preview = unit_client.post(f"/projects/{project.id}/evaluation/import/", {"file": upload})
    page = html.unescape(preview.content.decode())
    assert preview.status_code == 200 and "确认导入" in page
    assert not Evaluation.objects.exists()  # a preview stores nothing
    (card,) = score_cards(list(read_bytes(data, path.name).projects))
    for row in card.rows:
        assert row.name in page and row.explanation in page
    digest = page.split('name="digest" value="')[1].split('"')[0]
    unit_client.post(
        f"/projects/{project.id}/evaluation/import/", {"confirm": "1", "digest": digest}
    )
    stored = Evaluation.objects.get(project=project)
    assert stored.total == card.total  # the web and `jixiao evaluate` compute the same
    assert stored.differences == len(card.differences) > 0
    # The form prints no 总分: the unit's total is the sum of its own scores.
    claimed = card.total + sum(
        row.reported - row.computed
        for row in (card.execution, *card.rows)
        if row.reported is not None and row.computed is not None
    )
    assert card.total_reported is None and stored.total_reported == claimed
    assert stored.gap == abs(claimed - card.total) and stored.gap > 0
    assert Event.objects.filter(project=project, action="eval-import").exists()
    # The dashboard lists it among the largest gaps between reported and computed scores.
    reviewer = login("demo-reviewer")
    dashboard = reviewer.get(f"/dashboard/?year={project.year}").content.decode()
    assert project.name in dashboard.split("相差最大的项目")[1]


def test_an_import_without_a_self_evaluation_or_after_a_change_is_refused(
    demo, unit_client, approved
):
    seed = (ROOT / "src" / "jixiao" / "demo" / "gaoxin_yingji_2023.txt").read_bytes()
    upload = SimpleUploadedFile("seed.txt", seed, content_type="text/plain")
    page = unit_client.post(f"/projects/{approved.id}/evaluation/import/", {"file": upload})
    assert "文件中没有读到自评表" in page.content.decode()
    assert not Evaluation.objects.exists()
    project, data = _corpus_project(demo)
    upload = SimpleUploadedFile(LANGFANG.name, data, content_type="text/plain")
    page = unit_client.post(f"/projects/{project.id}/evaluation/import/", {"file": upload})
    digest = page.content.decode().split('name="digest" value="')[1].split('"')[0]
    unit_client.post(f"/projects/{project.id}/evaluation/", _form(project, save="1"))
    done = unit_client.post(
        f"/projects/{project.id}/evaluation/import/",
        {"confirm": "1", "digest": digest},
        follow=True,
    )
    assert "预览之后，这个自评已被修改" in done.content.decode()
    assert Evaluation.objects.get(project=project).revisions.count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_an_exported_self_evaluation_imports_back_unchanged(approved, unit_client, fmt: str):
    row, half = _first_quantitative(approved)
    post = _form(
        approved, **{f"row-{row}-actual": half, f"row-{row}-deviation": "延期", "save": "1"}
    )
    unit_client.post(f"/projects/{approved.id}/evaluation/", post)
    first = Evaluation.objects.get(project=approved)
    assert first.latest is not None
    exported = unit_client.get(f"/projects/{approved.id}/evaluation/export/{fmt}/")
    assert exported.status_code == 200
    # Someone changes the entry, then the exported file is imported again.
    changed = _form(approved, **{f"row-{row}-actual": "0", "save": "1"})
    changed["version"] = "1"
    unit_client.post(f"/projects/{approved.id}/evaluation/", changed)
    upload = SimpleUploadedFile(f"自评.{fmt}", exported.content)
    page = unit_client.post(f"/projects/{approved.id}/evaluation/import/", {"file": upload})
    text = page.content.decode()
    assert "确认导入" in text, text[:2000]
    digest = text.split('name="digest" value="')[1].split('"')[0]
    unit_client.post(
        f"/projects/{approved.id}/evaluation/import/", {"confirm": "1", "digest": digest}
    )
    last = Evaluation.objects.get(project=approved)
    assert last.latest is not None and last.latest.number == 3
    assert last.total == first.total and last.total_reported == first.total_reported
    assert last.latest.entry["indicators"][row]["actual"] == half
    assert last.latest.entry["indicators"][row]["deviation"] == "延期"


def _dashboard(year: int) -> dict:
    projects = Project.objects.filter(year=year)
    return evaluations.dashboard(projects, tallies.totals(year), year, None)


def test_the_dashboard_counts_grades_and_evaluations_missing(approved, unit_client):
    unit_client.post(f"/projects/{approved.id}/evaluation/", _form(approved, save="1"))
    stats = _dashboard(approved.year)
    assert stats["counts"]["count"] == 1 and stats["counts"]["missing"] == 0
    assert stats["per_unit"] == [(approved.unit.name, {"优": 1, "良": 0, "中": 0, "差": 0})]
    assert [b["count"] for b in stats["bins"]] == [0, 0, 0, 1]
    (point,) = stats["points"]
    assert point["x"] == "333.3" and Decimal(point["y"]) == 200 - 2 * Evaluation.objects.get().total
    other = Project.objects.exclude(id=approved.id).filter(errors=0).first()
    assert other is not None
    _approve(other)
    assert _dashboard(approved.year)["counts"]["missing"] == 1
    page = login("demo-reviewer").get("/dashboard/").content.decode()
    assert "目标已批复、未自评" in page and "<circle" in page


def test_the_demo_has_self_evaluations_in_every_state(db):
    from jixiao.web.demo import load_demo

    load_demo(evaluations=True)
    states = sorted(Evaluation.objects.values_list("status", flat=True))
    assert states == [Project.APPROVED, Project.DRAFT, Project.SUBMITTED]
    for stored in Evaluation.objects.all():
        assert stored.latest is not None and "演示数据" in stored.latest.entry["goal_actual"]
        assert stored.total is not None and Decimal(60) < stored.total <= 100


def test_the_api_reads_fills_and_moves_a_self_evaluation(approved):
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo-unit"))
    blank = client.get(f"/api/projects/{approved.id}/evaluation").json()
    entry = blank["entry"]
    entry["budget"]["total"]["executed"] = entry["budget"]["total"]["budget"]
    for row, indicator in zip(
        entry["indicators"], evaluations.base_of(approved).indicators, strict=True
    ):
        row["actual"] = indicator.target.text
    saved = client.put(
        f"/api/projects/{approved.id}/evaluation",
        json.dumps({"version": 0, "entry": entry}),
        content_type="application/json",
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["status"] == "draft" and body["version"] == 1 and body["revision"] == 1
    assert body["card"]["total"]["computed"] == "100"
    assert body["data"]["evaluation"]["computed"]["grade"] == "优"
    moved = client.post(
        f"/api/projects/{approved.id}/evaluation/submit",
        json.dumps({}),
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "submitted"
    listed = client.get("/api/evaluations").json()
    assert listed["next"] is None and listed["limit"] == 100
    assert listed["items"] == [
        {
            "project": approved.id,
            "name": approved.name,
            "unit": approved.unit.name,
            "year": approved.year,
            "status": "submitted",
            "total": "100",
            "total_reported": "100",
            "grade": "优",
            "rate": "1",
            "errors": 0,
            "warnings": 0,
        }
    ]


def test_the_openapi_document_describes_the_self_evaluation_endpoints(demo, unit_client):
    document = unit_client.get("/api/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/projects/{project_id}/evaluation",
        "/api/projects/{project_id}/evaluation/score",
        "/api/projects/{project_id}/evaluation/submit",
        "/api/projects/{project_id}/evaluation/return",
        "/api/projects/{project_id}/evaluation/approve",
        "/api/evaluations",
    ):
        assert path in paths
    out = document["components"]["schemas"]["EvaluationOut"]
    assert out["properties"]["data"]["anyOf"][0] == {"$ref": "#/components/schemas/Jixiao_project"}


def test_the_unit_summary_of_self_evaluations_is_written_for_what_the_user_sees(
    approved, other_unit, unit_client
):
    unit_client.post(f"/projects/{approved.id}/evaluation/", _form(approved, save="1"))
    download = unit_client.get(f"/evaluations/summary/xlsx/?year={approved.year}")
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert approved.name in values and "优" in values
    page = unit_client.get("/evaluations/summary/html/").content.decode()
    assert approved.name in page
    other = login("edu-filler").get("/evaluations/summary/html/").content.decode()
    assert approved.name not in other
