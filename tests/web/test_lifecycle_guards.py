"""Guards found by a review of the self-evaluation, monitoring and adjustment pages: what an
adjustment changes is all shown, duties stay separate per round, adjusted targets never
break a form, budgets are the approved ones, rounds close, and odd parameters are answered."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from jixiao.core.model import Indicator, Monitoring, Spending
from jixiao.core.model import Project as CoreProject
from jixiao.core.monitoring import DEFAULT, execution_light
from jixiao.services.monitoring import reported, summary_rows
from jixiao.web import adjustments, evaluations, monitoring, services
from jixiao.web.mapping import to_core
from jixiao.web.models import AdjustmentRequest, Membership, MonitoringReport, Project
from tests.web.conftest import login
from tests.web.test_monitoring import _form as monitoring_form
from tests.web.test_monitoring import _url

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


def _adjust(project: Project, change) -> AdjustmentRequest:
    base = to_core(project.current.data)
    return adjustments.request(
        _user("demo-unit"), project.id, change(base), "调整", project.version
    )


def test_the_reviewer_sees_every_change_an_adjustment_makes(approved):
    added = Indicator.of("产出指标", "数量指标", "新增的培训次数", "≥3次")
    request = _adjust(
        approved,
        lambda base: replace(
            base, name=base.name + "（改名）", indicators=(*base.indicators, added)
        ),
    )
    page = html.unescape(
        login("demo-reviewer")
        .get(f"/projects/{approved.id}/adjustments/{request.id}/")
        .content.decode()
    )
    assert "新增的培训次数" in page and "（新增）" in page and "（改名）" in page
    assert "没有改动" not in page


def test_an_adjustment_never_breaks_the_self_evaluation_or_the_monitoring_form(
    approved, unit_client
):
    entry = evaluations.default_entry(evaluations.base_of(approved))
    evaluations.save(_user("demo-unit"), approved.id, entry, 0)
    july = monitoring.open_round(_user("demo-admin"), 2023, 7)
    unit_client.post(_url(july, approved), monitoring_form(approved, save="1"))
    request = _adjust(approved, lambda base: replace(base, indicators=base.indicators[:-1]))
    adjustments.decide(_user("demo-reviewer"), request.id, "approve")
    approved = Project.objects.get(id=approved.id)  # its current revision is the adjusted one
    page = unit_client.get(f"/projects/{approved.id}/evaluation/")
    assert page.status_code == 200 and "绩效目标已经调整" in page.content.decode()
    with pytest.raises(services.Refused, match="绩效目标已经调整"):
        evaluations.transition(_user("demo-unit"), approved.id, "submit")
    report = unit_client.get(_url(july, approved))
    assert report.status_code == 200 and "绩效目标已经调整" in report.content.decode()
    with pytest.raises(services.Refused, match="绩效目标已经调整"):
        monitoring.transition(_user("demo-unit"), july.id, approved.id, "submit")
    # Saved again against the adjusted targets, both may be submitted.
    stored = evaluations.evaluation_of(approved)
    assert stored is not None and stored.latest is not None
    aligned = evaluations.align(
        evaluations.Entry.from_json(stored.latest.entry), evaluations.base_of(approved)
    )
    base = evaluations.base_of(approved)
    assert len(aligned.rows) == len(base.indicators) == 7
    for row, indicator in zip(aligned.rows, base.indicators, strict=True):
        row.actual = indicator.target.text
    aligned.budget["total"]["executed"] = "50"
    evaluations.save(_user("demo-unit"), approved.id, aligned, stored.version)
    evaluations.transition(_user("demo-unit"), approved.id, "submit")


def test_budgets_are_the_approved_ones_whatever_is_typed(approved, unit_client):
    july = monitoring.open_round(_user("demo-admin"), 2023, 7)
    post = monitoring_form(approved, **{"total-planned": "1", "total-executed": "1", "save": "1"})
    unit_client.post(_url(july, approved), post)
    stored = MonitoringReport.objects.get()
    assert stored.planned == Decimal("51.31") and stored.execution_light == "red"
    entry = evaluations.default_entry(evaluations.base_of(approved))
    entry.budget["total"]["planned"] = "1"
    result = evaluations.scored(evaluations.base_of(approved), entry)
    assert result.core.evaluation is not None
    assert result.core.evaluation.total.planned == Decimal("51.31")


def test_a_weight_above_100_is_refused(approved):
    entry = evaluations.default_entry(evaluations.base_of(approved))
    entry.rows[0].weight = "100000000"
    with pytest.raises(services.Invalid, match="0 到 100"):
        evaluations.scored(evaluations.base_of(approved), entry)


def test_duties_stay_separate_in_each_round(approved):
    both = get_user_model().objects.create_user("both", password="another-secret-9")
    Membership.objects.create(user=both, unit=approved.unit, role=Membership.FILLER)
    Membership.objects.create(user=both, unit=approved.unit.parent, role=Membership.REVIEWER)
    approved.unit.assignments.create(reviewer=both)
    june = monitoring.open_round(_user("demo-admin"), 2023, 6)
    july = monitoring.open_round(_user("demo-admin"), 2023, 7)
    for item, who in ((june, both), (july, _user("demo-unit"))):
        monitoring.save(who, item.id, approved.id, monitoring.default_entry(approved, item), 0)
        monitoring.transition(who, item.id, approved.id, "submit")
    with pytest.raises(services.Forbidden, match="职责分离"):
        monitoring.transition(both, june.id, approved.id, "accept")
    monitoring.transition(both, july.id, approved.id, "accept")  # someone else's report


def test_a_closed_round_changes_no_more(approved, unit_client):
    july = monitoring.open_round(_user("demo-admin"), 2023, 7)
    unit_client.post(_url(july, approved), monitoring_form(approved, save="1"))
    unit_client.post(_url(july, approved, "submit/"))
    assert login("demo-unit").post(f"/monitoring/{july.id}/close/").status_code == 302
    july.refresh_from_db()
    assert not july.closed  # only an administrator closes a round
    login("demo-admin").post(f"/monitoring/{july.id}/close/")
    july.refresh_from_db()
    assert july.closed
    with pytest.raises(services.Refused, match="已经结束"):
        monitoring.transition(_user("demo-reviewer"), july.id, approved.id, "rectify", "补充")
    with pytest.raises(services.Refused, match="已经结束"):
        monitoring.save(_user("demo-unit"), july.id, approved.id, monitoring.Entry(), 2)


def test_the_round_summary_pairs_each_report_with_its_own_project():
    def project(unit: str, executed: int) -> CoreProject:
        return CoreProject(
            "日常公用经费",
            implementing_unit=unit,
            monitoring=Monitoring(
                month=6, total=Spending(planned=Decimal(100), executed=Decimal(executed))
            ),
        )

    reports, projects = reported([project("甲局", 10), project("乙局", 90)])
    rows = summary_rows(reports, projects)
    assert [(r[2], r[4]) for r in rows] == [("甲局", "10%"), ("乙局", "90%")]


def test_a_budget_of_zero_says_so():
    signal = execution_light(
        Monitoring(month=6, total=Spending(planned=Decimal(0), executed=Decimal(5))), 6, DEFAULT
    )
    assert "年初预算数为 0" in signal.reason


def test_odd_numbers_are_answered_not_crashed(approved, unit_client):
    july = monitoring.open_round(_user("demo-admin"), 2023, 7)
    huge = "9" * 30
    assert (
        login("demo-reviewer").get(f"/monitoring/{july.id}/?below=1e999999999").status_code == 200
    )
    answer = unit_client.get(f"/api/monitoring/rounds/{july.id}/reports?unit={huge}")
    assert answer.status_code == 200 and answer.json() == []
    assert unit_client.get(f"/api/projects?unit={huge}").json()["items"] == []
    assert unit_client.get(f"/api/evaluations?year={huge}").json()["items"] == []
    page = unit_client.get("/dashboard/").content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert len(title) < 40
    assert json.loads(unit_client.get("/api/projects?limit=1").content)["limit"] == 1
