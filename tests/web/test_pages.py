"""The web application through its pages: import, review findings, edit, workflow, history."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.services.importing import read_bytes
from jixiao.web.models import Event, Project
from tests.conftest import ROOT, SEED
from tests.web.conftest import body, login

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_nine_seed_projects_through_the_import_path(demo):
    projects = Project.objects.filter(unit=demo)
    assert projects.count() == 9
    assert sum(p.annual_total for p in projects) == Decimal("282.8")
    assert sum(p.errors for p in projects) == 1 and sum(p.warnings for p in projects) == 23
    assert all(p.revisions.count() == 1 and p.status == Project.DRAFT for p in projects)
    assert Event.objects.filter(action="import").count() == 9


def test_login_page_and_a_wrong_password(db, demo):
    client = Client()
    assert client.get("/projects/").status_code == 302
    page = client.post("/login/", {"username": "demo-unit", "password": "wrong"})
    assert "用户名或密码不正确" in page.content.decode()
    ok = client.post("/login/", {"username": "demo-unit", "password": "jixiao-demo"})
    assert ok.status_code == 302 and ok["Location"] == "/projects/"


def test_logins_are_throttled_after_five_failures(db, demo):
    client = Client()
    for _ in range(5):
        client.post(
            "/login/", {"username": "demo-unit", "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
        )
    locked = client.post(
        "/login/", {"username": "demo-unit", "password": "jixiao-demo"}, REMOTE_ADDR="10.9.9.9"
    )
    assert "登录已暂停" in locked.content.decode()


def test_the_project_list_shows_money_findings_status_and_totals(unit_client):
    page = unit_client.get("/projects/?year=2023").content.decode()
    assert page.count('href="/projects/') >= 9
    assert "合计 9 个项目" in page and "282.8" in page
    only_errors = unit_client.get("/projects/?year=2023&errors=1").content.decode()
    assert "森林防火物资采购" in only_errors and "应急指挥中心运维费" not in only_errors
    search = unit_client.get("/projects/?q=执法").content.decode()
    assert "应急管理局执法服装采购经费" in search and "森林防火物资采购" not in search


def test_a_finding_is_shown_next_to_the_cell_it_concerns(unit_client, forest):
    page = unit_client.get(f"/projects/{forest.id}/").content.decode()
    cell = page.split("装备利用率", 1)[1].split("</td>", 1)[0]
    assert "VAL-MISSING" in cell and "没有填写指标值" in cell and "建议：" in cell
    assert "错误 1 · 警告 1 · 提示 0" in page  # and the advice to set a cost indicator
    assert "还有 1 个错误，修改后才能提交" in page


def _editor_post(project: Project, client: Client, **changes) -> dict:
    """The editor's form as the browser would post it, from the current revision."""
    data = project.current.data
    post = {
        "version": str(project.version),
        "name": data["name"],
        "period": data["period"]["text"],
        "department": data["department"],
        "implementing_unit": data["implementing_unit"],
        "filing_unit": data["filing_unit"],
        "period_total": data["funds"]["period"]["total"] or "",
        "period_fiscal": data["funds"]["period"]["fiscal"] or "",
        "period_other": "",
        "annual_total": data["funds"]["annual"]["total"] or "",
        "annual_fiscal": data["funds"]["annual"]["fiscal"] or "",
        "annual_other": "",
        "goals_period": data["goals"]["period"],
        "goals_annual": data["goals"]["annual"],
        "level1": [i["level1"] for i in data["indicators"]],
        "level2": [i["level2"] for i in data["indicators"]],
        "indicator": [i["name"] for i in data["indicators"]],
        "target": [i["target"]["text"] for i in data["indicators"]],
        "note": [i.get("note", "") for i in data["indicators"]],
        # each row's hidden field: what the editor does not show, kept as it is
        "extra": [
            json.dumps(
                {
                    k: v
                    for k, v in i.items()
                    if k not in ("level1", "level2", "name", "target", "note")
                },
                ensure_ascii=False,
            )
            for i in data["indicators"]
        ],
    }
    targets = dict(zip(post["indicator"], post["target"], strict=True))
    targets.update(changes.pop("targets", {}))
    post["target"] = [targets[name] for name in post["indicator"]]
    post.update(changes)
    return post


def test_editing_a_value_saves_a_revision_and_reruns_the_review(unit_client, forest):
    response = unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, targets={"装备利用率": "≥90%"}),
    )
    assert response.status_code == 302
    forest.refresh_from_db()
    assert forest.errors == 0 and forest.revisions.count() == 2 and forest.version == 2
    assert [
        i["target"]["text"] for i in forest.current.data["indicators"] if i["name"] == "装备利用率"
    ] == ["≥90%"]


def test_a_second_save_from_a_stale_page_is_refused_with_the_differences(unit_client, forest):
    stale = _editor_post(forest, unit_client, targets={"装备利用率": "≥80%"})
    unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, targets={"装备利用率": "≥90%"}),
    )
    page = unit_client.post(f"/projects/{forest.id}/edit/", stale).content.decode()
    assert "其他人已经保存了这个项目" in page
    assert "≥90%" in page and "≥80%" in page  # theirs and mine, side by side
    forest.refresh_from_db()
    assert forest.revisions.count() == 2, "the stale save did not overwrite"
    assert [
        i["target"]["text"] for i in forest.current.data["indicators"] if i["name"] == "装备利用率"
    ] == ["≥90%"]


def test_an_amount_that_is_not_a_number_is_refused_politely(unit_client, forest):
    page = unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, annual_total="N/A"),
        follow=True,
    )
    assert "不是数字" in page.content.decode()
    forest.refresh_from_db()
    assert forest.revisions.count() == 1


def test_the_whole_workflow_with_who_when_and_comments(unit_client, reviewer_client, forest):
    blocked = unit_client.post(f"/projects/{forest.id}/submit/", follow=True).content.decode()
    assert "还有 1 个错误" in blocked
    unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, targets={"装备利用率": "≥90%"}),
    )
    unit_client.post(f"/projects/{forest.id}/submit/")
    forest.refresh_from_db()
    assert forest.status == Project.SUBMITTED
    assert "森林防火物资采购" in reviewer_client.get("/queue/").content.decode()
    locked = unit_client.get(f"/projects/{forest.id}/edit/", follow=True).content.decode()
    assert "不能修改" in locked
    reviewer_client.post(
        f"/projects/{forest.id}/return/",
        {"comment": "装备利用率请写明统计口径", "indicator": "装备利用率"},
    )
    forest.refresh_from_db()
    assert forest.status == Project.RETURNED
    page = unit_client.get(f"/projects/{forest.id}/").content.decode()
    assert "装备利用率请写明统计口径" in page and "指标“装备利用率”" in page
    cell = page.split(">装备利用率", 1)[1].split("</td>", 1)[0]
    assert "审核意见" in cell and "装备利用率请写明统计口径" in cell, (
        "the comment is shown in the indicator's cell"
    )
    forest.refresh_from_db()
    unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, targets={"装备利用率": "≥92%"}),
    )
    unit_client.post(f"/projects/{forest.id}/submit/")
    reviewer_client.post(f"/projects/{forest.id}/approve/")
    forest.refresh_from_db()
    assert forest.status == Project.APPROVED
    steps = list(forest.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert [s[0] for s in steps] == [
        "import",
        "edit",
        "submit",
        "return",
        "edit",
        "submit",
        "approve",
    ]
    assert steps[3] == ("return", "submitted", "returned", "demo-reviewer")


def test_returning_needs_a_comment(unit_client, reviewer_client, forest):
    unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, targets={"装备利用率": "≥90%"}),
    )
    unit_client.post(f"/projects/{forest.id}/submit/")
    page = reviewer_client.post(
        f"/projects/{forest.id}/return/", {"comment": " "}, follow=True
    ).content.decode()
    assert "退回时必须写明意见" in page
    forest.refresh_from_db()
    assert forest.status == Project.SUBMITTED


def test_history_shows_every_revision_and_a_diff(unit_client, forest):
    unit_client.post(
        f"/projects/{forest.id}/edit/",
        _editor_post(forest, unit_client, targets={"装备利用率": "≥90%"}),
    )
    page = unit_client.get(f"/projects/{forest.id}/history/?a=1&b=2").content.decode()
    assert "指标“装备利用率”的指标值" in page and "≥90%" in page
    old = unit_client.get(f"/projects/{forest.id}/?rev=1").content.decode()
    assert "历史修订" in old and "VAL-MISSING" in old


def test_delete_is_soft_and_can_be_undone(unit_client, forest):
    unit_client.post(f"/projects/{forest.id}/delete/")
    assert "森林防火物资采购" not in unit_client.get("/projects/").content.decode()
    assert "森林防火物资采购" in unit_client.get("/projects/?deleted=1").content.decode()
    unit_client.post(f"/projects/{forest.id}/restore/")
    assert "森林防火物资采购" in unit_client.get("/projects/").content.decode()
    assert Project.objects.filter(id=forest.id).exists()


def test_import_previews_before_storing_and_the_same_file_twice_changes_nothing(db, demo):
    client = login("demo-unit")
    before = Project.objects.count()
    changed = SEED.read_text("utf-8").replace("≥30次", "≥40次", 1)
    preview = client.post(
        "/import/", {"file": SimpleUploadedFile("seed2.txt", changed.encode())}
    ).content.decode()
    assert (
        "导入预览" in preview
        and "替换（保存为新修订）" in preview
        and "没有变化，不保存" in preview
    )
    assert (
        Project.objects.count() == before
        and Project.objects.get(name__startswith="00").revisions.count() == 1
    )
    digest = preview.split('name="digest" value="', 1)[1].split('"', 1)[0]
    client.post("/import/", {"confirm": "1", "digest": digest})
    assert Project.objects.count() == before
    assert Project.objects.get(name__startswith="00").revisions.count() == 2
    again = client.post(
        "/import/", {"file": SimpleUploadedFile("seed2.txt", changed.encode())}
    ).content.decode()
    assert again.count("没有变化，不保存") == 9


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"PK\x03\x04broken", "损坏"),
        ("随便写的一段话".encode(), "没有找到绩效目标表"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_and_stores_nothing(db, demo, content, message):
    client = login("demo-unit")
    before = Project.objects.count()
    page = client.post(
        "/import/", {"file": SimpleUploadedFile("bad.xlsx", content)}
    ).content.decode()
    assert message in page and "Traceback" not in page
    assert Project.objects.count() == before


def test_an_imported_script_tag_is_shown_as_text(db, demo):
    client = login("demo-unit")
    hostile = SEED.read_text("utf-8").replace("统筹开展全区安全培训", "<script>alert(1)</script>")
    preview = client.post(
        "/import/", {"file": SimpleUploadedFile("x.txt", hostile.encode())}
    ).content.decode()
    digest = preview.split('name="digest" value="', 1)[1].split('"', 1)[0]
    client.post("/import/", {"confirm": "1", "digest": digest})
    project = Project.objects.get(name__startswith="00")
    page = client.get(f"/projects/{project.id}/").content.decode()
    assert (
        "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    )


def test_export_of_a_project_reads_back_and_the_summary_has_every_project(unit_client, forest):
    data = unit_client.get(f"/projects/{forest.id}/export/xlsx/")
    assert data["Content-Type"].startswith("application/vnd.openxmlformats")
    back = read_bytes(
        b"".join(data.streaming_content) if data.streaming else data.content, "x.xlsx"
    )
    assert back.projects[0].name == "森林防火物资采购" and len(back.projects[0].indicators) == 8
    summary = unit_client.get("/summary/xlsx/?year=2023")
    assert summary.streaming  # from a temporary file, never built in memory
    workbook = openpyxl.load_workbook(io.BytesIO(body(summary)))
    rows = list(workbook["汇总表"].iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][3])) == Decimal("282.8")
    assert rows[-1][-3:] == (1, 23, 0)


def test_the_dashboard_charts_money_and_findings(unit_client):
    page = unit_client.get("/dashboard/?year=2023").content.decode()
    assert "282.8" in page and "VAL-VAGUE" in page and "bar-row" in page


def test_password_change(db, demo):
    client = login("demo-unit")
    page = client.post(
        "/password/",
        {
            "old_password": "jixiao-demo",
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert page.status_code == 302
    assert (
        get_user_model().objects.get(username="demo-unit").check_password("a-much-longer-secret-42")
    )


def test_a_form_error_keeps_every_row_the_user_typed(unit_client, forest):
    post = _editor_post(forest, unit_client, annual_total="十万")
    post["indicator"] = [*post["indicator"], "新加的指标"]
    for field in ("level1", "level2", "target", "note"):
        post[field] = [
            *post[field],
            {"level1": "效益指标", "level2": "社会效益指标", "target": "≥1次"}.get(field, ""),
        ]
    page = unit_client.post(f"/projects/{forest.id}/edit/", post).content.decode()
    assert "不是数字" in page and 'value="新加的指标"' in page and 'value="十万"' in page


def test_the_pending_upload_is_kept_in_the_database_not_on_one_servers_disk(db, demo):
    from jixiao.web.models import Upload

    client = login("demo-unit")
    client.post("/import/", {"file": SimpleUploadedFile("seed.txt", SEED.read_bytes())})
    assert Upload.objects.count() == 1
    digest = Upload.objects.get().digest
    client.post("/import/", {"confirm": "1", "digest": digest})
    assert Upload.objects.count() == 0


CORPUS = sorted((ROOT / "tests" / "corpus").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name[:3] for p in CORPUS])
def test_every_real_table_of_the_corpus_imports_and_its_pages_show(db, demo, path):
    client = login("demo-unit")
    before = Project.objects.count()
    preview = client.post("/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "导入预览" in page and "Traceback" not in page
    digest = page.split('name="digest" value="', 1)[1].split('"', 1)[0]
    stored = client.post("/import/", {"confirm": "1", "digest": digest}, follow=True)
    assert stored.status_code == 200
    assert Project.objects.count() > before
    for project in Project.objects.order_by("-id")[: Project.objects.count() - before]:
        shown = client.get(f"/projects/{project.id}/")
        assert shown.status_code == 200 and project.name in shown.content.decode()


def test_the_summary_from_the_kept_counts_equals_the_one_from_the_tables(unit_client, demo):
    from dataclasses import replace

    from jixiao.core.summary import summarise, summary_of
    from jixiao.web.mapping import finding_from_data, to_core
    from jixiao.web.views import _summary_rows

    projects = Project.objects.filter(unit=demo).order_by("unit__name", "name")
    cores, findings = [], []
    for item in projects:
        core = to_core(item.current.data)
        cores.append(core)
        findings += [
            replace(
                finding_from_data(f),
                project=core.name,
                source=replace(finding_from_data(f).source, path=core.source.path),
            )
            for f in item.current.findings
        ]
    assert summary_of(_summary_rows(projects), "local") == summarise(cores, findings, "local")
    assert unit_client.get("/summary/html/").status_code == 200
