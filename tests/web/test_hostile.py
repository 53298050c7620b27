"""Nothing a user types or uploads breaks a page: the write boundary on every path, strict
parameters, bounded downloads, and the workflow's rules on content, deletion and duties."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.formats import json as json_format
from jixiao.formats import text
from jixiao.web.models import Membership, Project, ReviewAssignment
from tests.conftest import SEED
from tests.web.conftest import login
from tests.web.test_pages import _editor_post

pytestmark = pytest.mark.django_db

PAGES = ["/projects/", "/dashboard/", "/summary/html/", "/summary/xlsx/", "/api/projects"]


def _every_page_answers(client: Client, project: Project | None = None) -> None:
    urls = list(PAGES)
    if project is not None:
        urls += [f"/projects/{project.id}/", f"/projects/{project.id}/history/"]
        urls += [f"/projects/{project.id}/export/{fmt}/" for fmt in ("xlsx", "docx", "pdf", "html")]
        urls += [f"/api/projects/{project.id}"]
    for url in urls:
        assert client.get(url).status_code == 200, url


def _upload(client: Client, name: str, data: bytes, **fields: str) -> str:
    return client.post(
        "/import/", {"file": SimpleUploadedFile(name, data), **fields}
    ).content.decode()


def _confirm(client: Client, preview: str) -> str:
    digest = preview.split('name="digest" value="', 1)[1].split('"', 1)[0]
    return client.post("/import/", {"confirm": "1", "digest": digest}, follow=True).content.decode()


# --- values that used to be stored and then break pages --------------------------------


@pytest.mark.parametrize("amount", ["123456789012345", "1e15", "1e30"])
def test_a_huge_amount_typed_in_the_editor_is_refused_and_kept_on_screen(
    unit_client, forest, amount
):
    post = _editor_post(forest, unit_client)
    post["annual_total"] = amount
    page = unit_client.post(f"/projects/{forest.id}/edit/", post)
    assert page.status_code == 200
    body = page.content.decode()
    assert "年度金额太大" in body and f'value="{amount}"' in body
    assert forest.revisions.count() == 1
    _every_page_answers(unit_client, forest)


def test_a_huge_amount_through_the_api_is_refused_field_by_field_and_nothing_is_stored(
    unit_client, forest
):
    detail = unit_client.get(f"/api/projects/{forest.id}").json()
    data = detail["data"]
    data["funds"]["annual"]["total"] = "123456789012345"
    data["indicators"][0]["name"] = "坏\ud800字"
    response = unit_client.put(
        f"/api/projects/{forest.id}",
        json.dumps({"version": detail["version"], "data": data}),
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_content"
    assert {d["field"] for d in error["details"]} == {"funds.annual.total", "indicators[1].name"}
    assert forest.revisions.count() == 1
    _every_page_answers(unit_client, forest)


def test_an_absurd_self_evaluation_is_refused_by_the_boundary_before_it_is_laid_out(forest):
    # found by schemathesis: the rate 1e300 ÷ 1e-247 was laid out before the boundary refused it
    from dataclasses import replace
    from decimal import Decimal

    from jixiao.core.model import Evaluation, Execution
    from jixiao.web import services
    from jixiao.web.mapping import to_core

    user = get_user_model().objects.get(username="demo-unit")
    line = Execution(budget=Decimal("1e-247"), executed=Decimal("1e300"))
    core = replace(to_core(forest.current.data), evaluation=Evaluation(total=line))
    with pytest.raises(services.Invalid):
        services.save(user, forest.id, core, forest.version)
    assert forest.revisions.count() == 1


def _seed_json(path: str, value: object) -> bytes:
    """The seed's third project as jixiao/1 JSON, with the field at ``path`` set to ``value``."""
    project = text.read(SEED.read_bytes(), "seed.txt").projects[2]
    document = json.loads(json_format.dumps([project]))
    *parents, last = path.split(".")
    node = document["projects"][0]
    for key in parents:
        node = node[key]
    node[last] = value
    return json.dumps(document, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("year", 10**30, "预算年度"),
        ("year", -3, "预算年度"),
        ("funds.annual.total", "99999999999999999999", "年度金额太大"),
        ("name", "名" * 400, "项目名称太长"),
    ],
)
def test_a_json_import_beyond_the_bounds_is_previewed_as_not_importable(demo, path, value, message):
    client = login("demo-unit")
    before = Project.objects.count()
    preview = _upload(client, "bad.json", _seed_json(path, value))
    assert "不能导入" in preview and message in preview
    _confirm(client, preview)
    assert Project.objects.count() == before
    _every_page_answers(client)


def test_control_characters_in_a_text_import_are_dropped_and_every_export_works(demo):
    client = login("demo-unit")
    seed = SEED.read_text("utf-8").replace("森林防火物资采购", "森林防火\x01物资\x0b采购", 1)
    _confirm(client, _upload(client, "seed-ctrl.txt", seed.encode()))
    project = Project.objects.get(name__startswith="森林防火")
    assert "\x01" not in json.dumps(project.current.data)
    _every_page_answers(client, project)


@pytest.mark.parametrize(
    "name", ["应急指挥中心运维费", " 应急指挥中心 运维费", "应急指挥中心运维费　"]
)
def test_renaming_to_a_siblings_name_says_so(unit_client, forest, name):
    post = _editor_post(forest, unit_client)
    post["name"] = name
    page = unit_client.post(f"/projects/{forest.id}/edit/", post)
    assert page.status_code == 200 and "已有项目“应急指挥中心运维费”" in page.content.decode()
    assert Project.objects.get(id=forest.id).name == "森林防火物资采购"


def test_an_empty_name_is_refused_in_the_editor(unit_client, forest):
    post = _editor_post(forest, unit_client)
    post["name"] = "   "
    page = unit_client.post(f"/projects/{forest.id}/edit/", post)
    assert page.status_code == 200 and "项目名称不能为空" in page.content.decode()


def test_renaming_through_the_api_to_a_siblings_name_is_a_400(unit_client, forest):
    detail = unit_client.get(f"/api/projects/{forest.id}").json()
    detail["data"]["name"] = "应急指挥中心运维费"
    response = unit_client.put(
        f"/api/projects/{forest.id}",
        json.dumps({"version": detail["version"], "data": detail["data"]}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "已有项目" in response.json()["error"]["message"]


# --- parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "abc", "-1", "1" * 30, "１２"])
def test_odd_parameters_never_make_a_server_error(unit_client, forest, value):
    urls = [
        f"/projects/?year={value}",
        f"/projects/?unit={value}",
        f"/projects/?page={value}",
        f"/projects/{forest.id}/?rev={value}",
        f"/projects/{forest.id}/history/?a={value}&b={value}",
        f"/dashboard/?unit={value}&year={value}",
        f"/summary/html/?unit={value}&year={value}",
        f"/api/projects?year={value}",
    ]
    for url in urls:
        assert unit_client.get(url).status_code in (200, 404, 422), url


def test_a_garbled_version_in_the_editor_is_a_conflict_not_a_crash(unit_client, forest):
    post = _editor_post(forest, unit_client)
    post["version"] = "abc"
    page = unit_client.post(f"/projects/{forest.id}/edit/", post)
    assert page.status_code == 200 and "其他人已经保存" in page.content.decode()


def test_a_garbled_unit_in_the_import_form_is_a_message(unit_client):
    page = unit_client.post(
        "/import/",
        {"file": SimpleUploadedFile("s.txt", SEED.read_bytes()), "unit": "abc"},
        follow=True,
    )
    assert page.status_code == 200 and "导入预览" in page.content.decode()


def test_too_many_form_fields_get_a_chinese_page(unit_client, forest):
    fields = {f"f{n}": "x" for n in range(1500)}
    page = unit_client.post(f"/projects/{forest.id}/edit/", fields)
    assert page.status_code == 400 and "请求无效" in page.content.decode()


def test_the_api_answers_with_or_without_a_trailing_slash(unit_client):
    assert unit_client.get("/api/projects/").status_code == 200
    assert unit_client.get("/api/projects/").json() == unit_client.get("/api/projects").json()


def test_a_download_name_is_bounded_and_has_an_ascii_fallback(unit_client, forest):
    post = _editor_post(forest, unit_client)
    post["name"] = "很长的名称" * 59 + "/\\:*?"
    assert unit_client.post(f"/projects/{forest.id}/edit/", post).status_code == 302
    response = unit_client.get(f"/projects/{forest.id}/export/pdf/")
    header = response["Content-Disposition"]
    assert response.status_code == 200 and len(header) < 800
    assert f'filename="project-{forest.id}.pdf"' in header and "/" not in header.split("''")[1]


# --- the editor at scale --------------------------------------------------------------------


def _rows(count: int) -> str:
    return json.dumps(
        [
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "indicator": f"指标{n}",
                "target": f"≥{n}次",
                "note": "",
                "extra": "",
            }
            for n in range(count)
        ],
        ensure_ascii=False,
    )


def test_the_editor_saves_a_thousand_rows_sent_as_one_field(unit_client, forest):
    post = {k: v for k, v in _editor_post(forest, unit_client).items() if not isinstance(v, list)}
    post["rows_json"] = _rows(1000)
    assert unit_client.post(f"/projects/{forest.id}/edit/", post).status_code == 302
    assert len(Project.objects.get(id=forest.id).current.data["indicators"]) == 1000
    assert unit_client.get(f"/projects/{forest.id}/edit/").status_code == 200


def test_more_rows_than_the_bound_are_refused_with_the_bound(unit_client, forest):
    post = {k: v for k, v in _editor_post(forest, unit_client).items() if not isinstance(v, list)}
    post["rows_json"] = _rows(1001)
    page = unit_client.post(f"/projects/{forest.id}/edit/", post).content.decode()
    assert "最多 1000 个指标" in page and forest.revisions.count() == 1


def test_the_editor_keeps_what_it_does_not_show(demo):
    client = login("demo-unit")
    evaluation = next((SEED.parents[3] / "tests" / "corpus").glob("019_*.txt"))
    _confirm(client, _upload(client, evaluation.name, evaluation.read_bytes()))
    project = Project.objects.order_by("-id").first()  # the one just imported
    assert project is not None
    before = project.current.data
    assert before.get("evaluation") and any("weight" in i for i in before["indicators"])
    post = _editor_post(project, client)
    post["goals_annual"] = "修改后的年度目标"
    assert client.post(f"/projects/{project.id}/edit/", post).status_code == 302
    after = Project.objects.get(id=project.id).current.data
    assert after["goals"]["annual"] == "修改后的年度目标"
    assert after["evaluation"] == before["evaluation"]
    assert [i.get("weight") for i in after["indicators"]] == [
        i.get("weight") for i in before["indicators"]
    ]
    assert after.get("attributes") == before.get("attributes")


# --- workflow -------------------------------------------------------------------------------


def test_an_import_after_the_preview_does_not_overwrite_an_edit_made_in_between(
    unit_client, forest
):
    changed = SEED.read_text("utf-8").replace("森林防火物资采购", "森林防火物资采购", 1)
    changed = changed.replace("≥30次", "≥40次", 1)
    preview = _upload(unit_client, "seed2.txt", changed.encode())
    post = _editor_post(forest, unit_client)
    post["goals_annual"] = "在预览之后修改"
    assert unit_client.post(f"/projects/{forest.id}/edit/", post).status_code == 302
    revisions = {p.id: p.revisions.count() for p in Project.objects.all()}
    page = _confirm(unit_client, preview)
    assert "已被修改" in page
    assert {p.id: p.revisions.count() for p in Project.objects.all()} == revisions


def test_a_renamed_project_is_replaced_by_its_file_not_duplicated(unit_client, forest):
    post = _editor_post(forest, unit_client)
    post["name"] = "森林防火物资采购（更正）"
    assert unit_client.post(f"/projects/{forest.id}/edit/", post).status_code == 302
    changed = SEED.read_text("utf-8").replace("≥30次", "≥40次", 1)
    before = Project.objects.count()
    preview = _upload(unit_client, "seed2.txt", changed.encode())
    assert "曾用名" in preview
    _confirm(unit_client, preview)
    assert Project.objects.count() == before
    assert Project.objects.get(id=forest.id).name == "森林防火物资采购（更正）"


def test_a_project_the_admin_deleted_is_restored_only_by_an_admin(unit_client, forest):
    forest.status = Project.SUBMITTED
    forest.save()
    admin = login("demo-admin")
    admin.post(f"/projects/{forest.id}/delete/")
    assert Project.objects.get(id=forest.id).deleted_at is not None
    page = unit_client.post(f"/projects/{forest.id}/restore/", follow=True).content.decode()
    assert "只有管理员可以恢复" in page
    changed = SEED.read_text("utf-8").replace("≥30次", "≥40次", 1)
    preview = _upload(unit_client, "seed2.txt", changed.encode())
    assert "管理员已删除这个项目" in preview
    _confirm(unit_client, preview)
    forest.refresh_from_db()
    assert forest.deleted_at is not None and forest.status == Project.SUBMITTED
    assert forest.revisions.count() == 1
    admin.post(f"/projects/{forest.id}/restore/")
    forest.refresh_from_db()
    assert forest.deleted_at is None


def test_a_submitted_project_reimported_after_its_filler_deleted_it_is_a_draft_again(
    unit_client, forest
):
    forest.status = Project.RETURNED
    forest.save()
    unit_client.post(f"/projects/{forest.id}/delete/")
    forest.refresh_from_db()
    forest.status = Project.SUBMITTED  # as if it had been submitted before it was deleted
    forest.save()
    changed = SEED.read_text("utf-8").replace("≥30次", "≥40次", 1)
    _confirm(unit_client, _upload(unit_client, "seed2.txt", changed.encode()))
    forest.refresh_from_db()
    assert forest.deleted_at is None and forest.status == Project.DRAFT


def _both_roles(demo):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("both", password="both-secret-99")
    Membership.objects.create(user=user, unit=demo, role=Membership.FILLER)
    Membership.objects.create(user=user, unit=demo.parent, role=Membership.REVIEWER)
    ReviewAssignment.objects.create(reviewer=user, unit=demo)
    return login("both")


def _submittable(project: Project, client: Client) -> None:
    post = _editor_post(project, client, targets={"装备利用率": "≥90%"})
    assert client.post(f"/projects/{project.id}/edit/", post).status_code == 302


def test_the_submitter_cannot_approve_their_own_submission(demo, forest):
    both = _both_roles(demo)
    _submittable(forest, both)
    both.post(f"/projects/{forest.id}/submit/")
    page = both.post(f"/projects/{forest.id}/approve/", follow=True).content.decode()
    assert "职责分离" in page
    assert Project.objects.get(id=forest.id).status == Project.SUBMITTED
    login("demo-reviewer").post(f"/projects/{forest.id}/approve/")
    assert Project.objects.get(id=forest.id).status == Project.APPROVED


def test_separation_of_duties_can_be_turned_off(demo, forest, settings):
    settings.SEPARATION_OF_DUTIES = False
    both = _both_roles(demo)
    _submittable(forest, both)
    both.post(f"/projects/{forest.id}/submit/")
    both.post(f"/projects/{forest.id}/approve/")
    assert Project.objects.get(id=forest.id).status == Project.APPROVED


# --- login throttling and proxies ------------------------------------------------------------


def test_many_user_names_from_one_address_lock_the_address(demo, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    client = Client()
    for n in range(8):
        client.post("/login/", {"username": f"nobody{n}", "password": "x"}, REMOTE_ADDR="10.7.7.7")
    locked = client.post(
        "/login/", {"username": "demo-unit", "password": "jixiao-demo"}, REMOTE_ADDR="10.7.7.7"
    )
    assert "登录已暂停" in locked.content.decode()
    elsewhere = Client().post(
        "/login/", {"username": "demo-unit", "password": "jixiao-demo"}, REMOTE_ADDR="10.7.7.8"
    )
    assert elsewhere.status_code == 302


def test_a_forwarded_proto_header_is_not_trusted_by_default(unit_client):
    from django.conf import settings

    assert not getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    response = unit_client.get("/projects/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False


def test_the_largest_amounts_are_stored_exactly_and_their_total_is_exact(demo):
    from dataclasses import replace
    from decimal import Decimal

    from jixiao.core.model import FundLine, Funds
    from jixiao.core.targets import format_decimal
    from jixiao.web import services
    from jixiao.web.mapping import to_core

    user = get_user_model().objects.get(username="demo-unit")
    unit = Membership.objects.filter(user=user).first().unit
    drafts = Project.objects.filter(unit=unit, status="draft").order_by("id")[:3]
    amounts = ["999999999.999999", "0.1", "0.2"]
    for project, amount in zip(drafts, amounts, strict=True):
        core = to_core(project.current.data)
        core = replace(core, funds=Funds(annual=FundLine(total=Decimal(amount))))
        services.save(user, project.id, core, project.version)
    for project, amount in zip(drafts, amounts, strict=True):
        assert Project.objects.get(id=project.id).annual_total == Decimal(amount)
    client = login("demo-unit")
    page = client.get(f"/projects/?unit={unit.id}")
    assert page.status_code == 200
    others = Project.objects.filter(unit=unit).exclude(id__in=[p.id for p in drafts])
    expected = sum((p.annual_total or Decimal(0) for p in others), Decimal("1000000000.299999"))
    assert f">{format_decimal(expected.normalize())}<" in page.content.decode()
    _every_page_answers(client, drafts[0])
