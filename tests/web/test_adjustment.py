"""目标调整 in the web: a request against an approved project, reviewed like a submission;
once approved the adjusted values are the project's, the 年初 values are kept and shown side
by side, and the self-evaluation scores against the adjusted targets."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from jixiao.core.adjustment import adjust, changes
from jixiao.core.model import Indicator
from jixiao.core.model import Project as CoreProject
from jixiao.web import adjustments, evaluations, services
from jixiao.web.mapping import to_core
from jixiao.web.models import AdjustmentRequest, Event, Project
from tests.web.conftest import login
from tests.web.test_pages import _editor_post

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


def _proposal(project: Project, client, **changes) -> dict:
    post = _editor_post(project, client, **changes)
    post["target"] = list(post["target"])
    post["target"][0] = "≥2次"  # 开展“安全生产月”活动次数: ≥1次 → ≥2次
    post["annual_total"] = "45"
    post["reason"] = "区财政压减预算 6.31 万元，相应调整活动次数。"
    return post


def test_a_request_is_reviewed_and_keeps_the_year_start_values(approved, unit_client):
    before = approved.current.number
    page = unit_client.get(f"/projects/{approved.id}/adjust/").content.decode()
    assert "申请目标调整" in page and 'name="reason"' in page
    unit_client.post(f"/projects/{approved.id}/adjust/", _proposal(approved, unit_client))
    request = AdjustmentRequest.objects.get()
    assert request.status == AdjustmentRequest.SUBMITTED
    approved.refresh_from_db()
    assert approved.current.number == before and approved.status == Project.APPROVED
    reviewer = login("demo-reviewer")
    queue = reviewer.get("/queue/").content.decode().split("待审核的目标调整")[1]
    assert f"/projects/{approved.id}/adjustments/{request.id}/" in queue
    detail = html.unescape(
        reviewer.get(f"/projects/{approved.id}/adjustments/{request.id}/").content.decode()
    )
    assert "≥1次" in detail and "≥2次" in detail and "51.31" in detail and "45" in detail
    reviewer.post(f"/projects/{approved.id}/adjustments/{request.id}/approve/")
    approved.refresh_from_db()
    request.refresh_from_db()
    assert request.status == AdjustmentRequest.APPROVED
    assert approved.status == Project.APPROVED and approved.current.number == before + 1
    assert approved.annual_total == Decimal(45)
    core = to_core(approved.current.data)
    assert core.adjustment is not None and core.adjustment.funds.total == Decimal("51.31")
    first = core.indicators[0]
    assert first.target.text == "≥2次" and first.planned_target is not None
    assert first.planned_target.text == "≥1次"
    assert ("年度金额", "51.31", "45") in changes(core)
    page = html.unescape(unit_client.get(f"/projects/{approved.id}/").content.decode())
    assert "目标调整（年初与调整后）" in page and "≥1次" in page
    actions = list(
        Event.objects.filter(project=approved, action__startswith="adjust-").values_list(
            "action", flat=True
        )
    )
    assert actions == ["adjust-request", "adjust-approve"]


def test_the_self_evaluation_scores_against_the_adjusted_targets(approved, unit_client):
    unit_client.post(f"/projects/{approved.id}/adjust/", _proposal(approved, unit_client))
    request = AdjustmentRequest.objects.get()
    adjustments.decide(_user("demo-reviewer"), request.id, "approve")
    approved.refresh_from_db()
    base = evaluations.base_of(approved)
    entry = evaluations.default_entry(base)
    for row, indicator in zip(entry.rows, base.indicators, strict=True):
        row.actual = indicator.target.text
    entry.rows[0].actual = "1次"  # enough for the 年初 target, half of the adjusted one
    entry.budget["total"]["executed"] = "45"
    result = evaluations.scored(base, entry)
    first = result.card.rows[0]
    assert "目标 ≥2次" in first.explanation and first.met is False


def test_refusals(approved, unit_client):
    unchanged = _editor_post(approved, unit_client)
    unchanged["reason"] = "无"
    page = unit_client.post(f"/projects/{approved.id}/adjust/", unchanged).content.decode()
    assert "没有需要调整的内容" in page
    no_reason = _proposal(approved, unit_client)
    no_reason["reason"] = " "
    assert (
        "请写明调整原因"
        in unit_client.post(f"/projects/{approved.id}/adjust/", no_reason).content.decode()
    )
    assert not AdjustmentRequest.objects.exists()
    unit_client.post(f"/projects/{approved.id}/adjust/", _proposal(approved, unit_client))
    again = unit_client.get(f"/projects/{approved.id}/adjust/", follow=True).content.decode()
    assert "每次一个待审核的申请" in again
    request = AdjustmentRequest.objects.get()
    reviewer = login("demo-reviewer")
    reviewer.post(f"/projects/{approved.id}/adjustments/{request.id}/return/", {"comment": ""})
    assert AdjustmentRequest.objects.get().status == AdjustmentRequest.SUBMITTED
    reviewer.post(
        f"/projects/{approved.id}/adjustments/{request.id}/return/", {"comment": "请附压减文件"}
    )
    assert AdjustmentRequest.objects.get().status == AdjustmentRequest.RETURNED
    # A draft is edited directly: no adjustment for it.
    draft = Project.objects.get(name="森林防火物资采购")
    assert not adjustments.can_request(_user("demo-unit"), draft)


def test_other_units_and_roles(approved, other_unit, unit_client):
    unit_client.post(f"/projects/{approved.id}/adjust/", _proposal(approved, unit_client))
    request = AdjustmentRequest.objects.get()
    for username in ("edu-filler", "edu-reviewer"):
        client = login(username)
        assert client.get(f"/projects/{approved.id}/adjust/").status_code == 404
        assert client.get(f"/projects/{approved.id}/adjustments/{request.id}/").status_code == 404
        assert (
            client.post(f"/projects/{approved.id}/adjustments/{request.id}/approve/").status_code
            == 404
        )
    unit_client.post(f"/projects/{approved.id}/adjustments/{request.id}/approve/")
    assert AdjustmentRequest.objects.get().status == AdjustmentRequest.SUBMITTED
    reviewer = login("demo-reviewer")
    assert reviewer.get(f"/projects/{approved.id}/adjust/", follow=True).status_code == 200
    assert AdjustmentRequest.objects.count() == 1


def test_adjusting_twice_keeps_the_first_year_start_values():
    first = CoreProject(
        "测试",
        indicators=(
            Indicator.of("产出指标", "数量指标", "培训次数", "≥10次"),
            Indicator.of("产出指标", "数量指标", "检查次数", "≥5次"),
        ),
    )
    second = adjust(
        first,
        CoreProject("测试", indicators=(Indicator.of("产出指标", "数量指标", "培训次数", "≥8次"),)),
        "经费压减",
    )
    assert [c[0] for c in changes(second)] == ["培训次数", "检查次数"]
    third = adjust(
        second,
        CoreProject("测试", indicators=(Indicator.of("产出指标", "数量指标", "培训次数", "≥6次"),)),
        "再次压减",
    )
    assert changes(third) == [("培训次数", "≥10次", "≥6次"), ("检查次数", "≥5次", "（取消）")]
    back = adjust(third, first, "恢复")
    assert changes(back) == []


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html"])
def test_an_adjusted_project_exports_year_start_and_adjusted_side_by_side(
    approved, unit_client, fmt: str
):
    unit_client.post(f"/projects/{approved.id}/adjust/", _proposal(approved, unit_client))
    adjustments.decide(_user("demo-reviewer"), AdjustmentRequest.objects.get().id, "approve")
    download = unit_client.get(f"/projects/{approved.id}/export/{fmt}/")
    assert download.status_code == 200
    from jixiao.services.importing import read_bytes

    if fmt == "pdf":
        import io

        import pdfplumber

        with pdfplumber.open(io.BytesIO(download.content)) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages)
    elif fmt == "xlsx":
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
        text = " ".join(str(c) for r in sheet.iter_rows(values_only=True) for c in r if c)
    elif fmt == "docx":
        import io

        import docx

        document = docx.Document(io.BytesIO(download.content))
        text = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    else:
        text = html.unescape(download.content.decode())
    for expected in ("年初指标值", "调整后指标值", "≥1次", "≥2次", "51.31", "区财政压减预算"):
        assert expected in text, (fmt, expected)
    assert read_bytes(download.content, f"x.{fmt}").projects  # and it reads back as a table
