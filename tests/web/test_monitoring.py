"""In-year monitoring in the web: rounds, the report form and its live lights, review with
rectification, the board and its filters, the round's summary, the API, and who may see
and do what."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from jixiao.web import monitoring, services
from jixiao.web.models import (
    Event,
    MonitoringReport,
    MonitoringRevision,
    MonitoringRound,
    Project,
)
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def approved(demo) -> Project:
    project = Project.objects.get(unit=demo, name="应急局工作业务经费")
    services.transition(_user("demo-unit"), project.id, "submit")
    services.transition(_user("demo-reviewer"), project.id, "approve")
    project.refresh_from_db()
    return project


@pytest.fixture
def july(demo) -> MonitoringRound:
    return monitoring.open_round(_user("demo-admin"), 2023, 7)


def _form(project: Project, **changes: str) -> dict[str, str]:
    """The form as the page posts it: half the budget spent, every indicator on track."""
    base = monitoring.base_of(project)
    post = {"version": "0", "goal_progress": "按计划推进"}
    post["total-planned"] = str(base.funds.annual.total)
    post["total-executed"] = str(base.funds.annual.total / 2)
    for n, _ in enumerate(base.indicators):
        post[f"row-{n}-likelihood"] = "确定能"
    post.update(changes)
    return post


def _url(item: MonitoringRound, project: Project, tail: str = "") -> str:
    return f"/monitoring/{item.id}/projects/{project.id}/{tail}"


def test_only_an_administrator_opens_a_round_once(demo):
    page = login("demo-unit").post("/monitoring/", {"year": "2023", "month": "7"}, follow=True)
    assert "只有管理员可以开启监控轮次" in page.content.decode()
    admin = login("demo-admin")
    opened = admin.post("/monitoring/", {"year": "2023", "month": "7", "deadline": "2023-08-10"})
    assert opened.status_code == 302 and MonitoringRound.objects.count() == 1
    again = admin.post("/monitoring/", {"year": "2023", "month": "7"}, follow=True)
    assert "已经开启" in again.content.decode() and MonitoringRound.objects.count() == 1
    wrong = admin.post("/monitoring/", {"year": "2023", "month": "13"}, follow=True)
    assert "1 到 12" in wrong.content.decode()
    bad_date = admin.post("/monitoring/", {"year": "2023", "month": "8", "deadline": "8月10日"})
    assert "格式应为" in bad_date.content.decode()
    assert MonitoringRound.objects.count() == 1


def test_the_form_is_prefilled_and_saving_lights_the_report(approved, july, unit_client):
    page = unit_client.get(_url(july, approved)).content.decode()
    assert 'name="total-planned" value="51.31"' in page
    assert page.count('name="row-') > 0 and "1–7月执行情况" in page
    base = monitoring.base_of(approved)
    first = base.indicators[0]  # 开展“安全生产月”活动次数 ≥1次: a count, prorated
    post = _form(approved, **{"row-0-achieved": "0次", "row-0-likelihood": "", "save": "1"})
    assert unit_client.post(_url(july, approved), post).status_code == 302
    stored = MonitoringReport.objects.get(round=july, project=approved)
    assert stored.version == 1 and stored.latest is not None
    assert stored.light == "red" and stored.red == 1 and stored.rate == Decimal("0.5")
    assert stored.execution_light == "yellow"  # 50 % by July: above the floor, behind the time
    assert "MON-RED" in [f["rule"] for f in stored.latest.findings]
    data = stored.latest.data
    assert data["monitoring"]["month"] == 7
    assert data["indicators"][0]["progress"]["light"] == "red"
    assert data["indicators"][0]["target"]["text"] == first.target.text
    page = unit_client.get(_url(july, approved)).content.decode()
    assert "按时间进度应完成" in page and "MON-RED" in page
    assert Event.objects.filter(project=approved, action="mon-edit").count() == 1


def test_live_lights_store_nothing(approved, july, unit_client):
    prefilled = unit_client.get(f"/api/monitoring/rounds/{july.id}/projects/{approved.id}").json()
    assert prefilled["status"] == "none" and prefilled["data"] is None
    entry = prefilled["entry"]
    entry["budget"]["total"]["executed"] = "10"
    entry["indicators"][0]["achieved"] = "5次"
    answer = unit_client.post(
        f"/api/monitoring/rounds/{july.id}/projects/{approved.id}/lights",
        json.dumps({"entry": entry}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    report = answer.json()["report"]
    assert report["execution"]["light"] == "red"
    assert report["indicators"][0]["light"] == "blue"  # 5 of ≥1 by July: far ahead
    assert not MonitoringReport.objects.exists() and not MonitoringRevision.objects.exists()


def test_bad_figures_are_refused_by_field_and_nothing_is_stored(approved, july, unit_client):
    post = _form(approved, **{"total-executed": "一半", "row-0-likelihood": "差不多", "save": "1"})
    page = unit_client.post(_url(july, approved), post).content.decode()
    assert "年度资金总额的1–N月执行数“一半”不是数字" in page
    assert "完成目标可能性只能是" in page and 'value="一半"' in page
    assert not MonitoringReport.objects.filter(latest__isnull=False).exists()
    answer = unit_client.put(
        f"/api/monitoring/rounds/{july.id}/projects/{approved.id}",
        json.dumps({"version": 0, "entry": {"indicators": [{"reasons": ["天气"]}]}}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "批复的目标表有" in answer.json()["error"]["message"]


def test_rectification_is_required_reported_and_closed(approved, july, unit_client):
    unit_client.post(_url(july, approved), _form(approved, save="1"))
    unit_client.post(_url(july, approved, "submit/"))
    reviewer = login("demo-reviewer")
    reviewer.post(_url(july, approved, "rectify/"), {"comment": ""})
    assert MonitoringReport.objects.get().status == MonitoringReport.SUBMITTED
    reviewer.post(_url(july, approved, "rectify/"), {"comment": "8月底前完成采购"})
    stored = MonitoringReport.objects.get()
    assert stored.status == MonitoringReport.RETURNED
    assert stored.rectification == MonitoringReport.REQUIRED
    post = _form(approved, measures="已签订合同，8月20日交货", save="1")
    post["version"] = str(stored.version)
    unit_client.post(_url(july, approved), post)
    unit_client.post(_url(july, approved, "submit/"))
    stored = MonitoringReport.objects.get()
    assert stored.status == MonitoringReport.SUBMITTED
    assert stored.rectification == MonitoringReport.REPORTED
    reviewer.post(_url(july, approved, "accept/"))
    stored = MonitoringReport.objects.get()
    assert stored.status == MonitoringReport.ACCEPTED
    assert stored.rectification == MonitoringReport.CLOSED
    actions = list(
        Event.objects.filter(project=approved, action__startswith="mon-").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "mon-edit",
        "mon-submit",
        "mon-rectify",
        "mon-edit",
        "mon-submit",
        "mon-accept",
    ]
    page = unit_client.get(_url(july, approved)).content.decode()
    assert "8月底前完成采购" in page and "整改完成" in page
    assert 'name="row-0-achieved"' not in page  # accepted: no longer editable


def test_the_board_filters_and_sums_exactly(approved, july, unit_client):
    unit_client.post(_url(july, approved), _form(approved, save="1"))
    reviewer = login("demo-reviewer")
    page = reviewer.get(f"/monitoring/{july.id}/").content.decode()
    assert approved.name in page and "1 / 1" in page  # the only approved project, reported
    rows, more = monitoring.board(_user("demo-reviewer"), july)
    stats = monitoring.board_stats(_user("demo-reviewer"), july)
    assert len(rows) == 1 and not more and stats["totals"]["reported"] == 1
    (unit,) = stats["per_unit"]
    assert unit["rate"] == Decimal("25.655") / Decimal("51.31")  # exact, not a float
    assert monitoring.board(_user("demo-reviewer"), july, light="red")[0] == []
    green = monitoring.board(
        _user("demo-reviewer"), july, light=MonitoringReport.objects.get().light
    )
    assert len(green[0]) == 1
    assert monitoring.board(_user("demo-reviewer"), july, below=Decimal("0.4"))[0] == []
    assert len(monitoring.board(_user("demo-reviewer"), july, below=Decimal("0.6"))[0]) == 1
    filtered = reviewer.get(f"/monitoring/{july.id}/?below=40").content.decode()
    assert "没有符合条件的项目" in filtered
    summary = reviewer.get(f"/monitoring/{july.id}/summary/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(summary.content)).active
    cells = [c for r in sheet.iter_rows(values_only=True) for c in r if c]
    assert approved.name in cells and "7月" in cells


def test_the_next_round_starts_from_the_last_one(approved, july, unit_client):
    unit_client.post(
        _url(july, approved), _form(approved, **{"row-1-achieved": "1次", "save": "1"})
    )
    august = monitoring.open_round(_user("demo-admin"), 2023, 8)
    prefilled = unit_client.get(f"/api/monitoring/rounds/{august.id}/projects/{approved.id}")
    assert prefilled.json()["entry"]["indicators"][1]["achieved"] == "1次"


def test_a_project_not_approved_is_not_monitored(demo, july, unit_client, forest):
    assert unit_client.get(_url(july, forest)).status_code == 302
    answer = unit_client.get(f"/api/monitoring/rounds/{july.id}/projects/{forest.id}")
    assert answer.status_code == 400
    assert forest.name not in unit_client.get(f"/monitoring/{july.id}/").content.decode()


def test_other_units_and_roles_cannot_see_or_change_a_report(
    approved, july, other_unit, unit_client
):
    unit_client.post(_url(july, approved), _form(approved, save="1"))
    body = json.dumps({"version": 1, "entry": {}})
    for username in ("edu-filler", "edu-reviewer"):
        client = login(username)
        assert client.get(_url(july, approved)).status_code == 404
        assert client.post(_url(july, approved, "submit/")).status_code == 404
        api = f"/api/monitoring/rounds/{july.id}/projects/{approved.id}"
        assert client.get(api).status_code == 404
        assert client.put(api, body, content_type="application/json").status_code == 404
        assert approved.name not in client.get(f"/monitoring/{july.id}/").content.decode()
        assert client.get(f"/api/monitoring/rounds/{july.id}/reports").json() == []
    reviewer = login("demo-reviewer")
    answer = reviewer.put(
        f"/api/monitoring/rounds/{july.id}/projects/{approved.id}",
        body,
        content_type="application/json",
    )
    assert answer.status_code == 403
    unit_client.post(_url(july, approved, "submit/"))
    answer = unit_client.post(
        f"/api/monitoring/rounds/{july.id}/projects/{approved.id}/accept",
        json.dumps({}),
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert MonitoringReport.objects.get().status == MonitoringReport.SUBMITTED


def test_the_demo_has_a_round_with_reports_in_several_states(db):
    from jixiao.web.demo import load_demo

    load_demo(evaluations=True, monitoring=True)
    (opened,) = MonitoringRound.objects.all()
    assert (opened.year, opened.month) == (2023, 7)
    states = sorted(MonitoringReport.objects.values_list("status", "rectification"))
    assert ("returned", "required") in states and ("submitted", "") in states
    assert all(r.latest is not None for r in MonitoringReport.objects.all())


def test_the_openapi_document_describes_the_monitoring_endpoints(demo, unit_client):
    paths = unit_client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/monitoring/rounds",
        "/api/monitoring/rounds/{round_id}/reports",
        "/api/monitoring/rounds/{round_id}/projects/{project_id}",
        "/api/monitoring/rounds/{round_id}/projects/{project_id}/lights",
        *(
            f"/api/monitoring/rounds/{{round_id}}/projects/{{project_id}}/{action}"
            for action in ("submit", "return", "rectify", "accept")
        ),
    ):
        assert path in paths, path


def test_the_dashboard_shows_execution_against_time_per_unit(approved, july, unit_client):
    unit_client.post(_url(july, approved), _form(approved, save="1"))
    page = login("demo-reviewer").get("/dashboard/?year=2023").content.decode()
    section = page.split('id="monitoring"')[1].split('id="evaluation"')[0]
    assert "2023 年 1–7月" in section and "高新区应急管理局" in section
    assert "50%" in section and "58.33%" in section and "behind" in section
    assert monitoring.board_stats(_user("demo-reviewer"), july)["totals"]["reported"] == 1


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html"])
def test_a_report_exports_as_the_official_form_and_reads_back(approved, july, unit_client, fmt):
    from jixiao.services.importing import read_bytes

    unit_client.post(
        _url(july, approved), _form(approved, **{"row-0-achieved": "0次", "save": "1"})
    )
    download = unit_client.get(_url(july, approved, f"export/{fmt}/"))
    assert download.status_code == 200
    (back,) = read_bytes(download.content, f"监控表.{fmt}").projects
    stored = MonitoringReport.objects.get()
    assert back.monitoring is not None and back.monitoring.month == 7
    assert back.monitoring.total.executed == stored.executed
    assert back.indicators[0].progress is not None
    assert back.indicators[0].progress.achieved is not None
    assert back.indicators[0].progress.achieved.text == "0次"
    assert unit_client.get(_url(july, approved, "export/exe/")).status_code == 404


@pytest.mark.parametrize("layout", ["monitoring", "monitoring-half-year"])
def test_a_filled_monitoring_table_imports_into_the_report(approved, july, unit_client, layout):
    """A report exported in an official form, changed by the unit offline, and imported
    again: the preview shows the changes and the lights; the confirmation stores them."""
    from dataclasses import replace as changed

    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.core.targets import parse_target
    from jixiao.services.exporting import export
    from jixiao.web.mapping import to_core

    unit_client.post(_url(july, approved), _form(approved, save="1"))
    stored = MonitoringReport.objects.get()
    assert stored.latest is not None
    core = to_core(stored.latest.data)
    first = core.indicators[0]
    assert first.progress is not None
    offline = changed(
        core,
        indicators=(
            changed(first, progress=changed(first.progress, achieved=parse_target("3次"))),
            *core.indicators[1:],
        ),
    )
    data = export([offline], "xlsx", layout)
    upload = SimpleUploadedFile("监控表.xlsx", data)
    preview = unit_client.post(_url(july, approved, "import/"), {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in page and "<b>3次</b>" in page
    assert 'class="light blue"' in page  # the preview lights the file's values
    assert MonitoringReport.objects.get().version == 1  # a preview stores nothing
    digest = page.split('name="digest" value="')[1].split('"')[0]
    unit_client.post(_url(july, approved, "import/"), {"confirm": "1", "digest": digest})
    stored = MonitoringReport.objects.get()
    assert stored.version == 2 and stored.latest is not None
    assert stored.latest.entry["indicators"][0]["achieved"] == "3次"
    assert stored.blue >= 1  # 3 of ≥1 by July: far ahead
    seed = SimpleUploadedFile("seed.txt", "项目名称|x\n".encode())
    refused = unit_client.post(_url(july, approved, "import/"), {"file": seed})
    assert "没有读到监控表" in refused.content.decode() or "无法读取" in refused.content.decode()
