"""Per-unit isolation by every URL and API call; the API's contract; security settings."""

from __future__ import annotations

import importlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.web.models import Project
from tests.conftest import SEED
from tests.web.conftest import body, login

pytestmark = pytest.mark.django_db


def _pages(project_id: int) -> list[str]:
    return [
        f"/projects/{project_id}/",
        f"/projects/{project_id}/edit/",
        f"/projects/{project_id}/history/",
        f"/projects/{project_id}/export/xlsx/",
        f"/projects/{project_id}/?rev=1",
    ]


def test_a_unit_user_cannot_reach_another_units_project_by_any_url(other_unit, forest):
    outsider = login("edu-filler")
    for url in _pages(forest.id):
        assert outsider.get(url).status_code == 404, url
    for action in ("submit", "return", "approve", "delete", "restore"):
        assert outsider.post(f"/projects/{forest.id}/{action}/").status_code == 404, action
    assert "森林防火物资采购" not in outsider.get("/projects/?year=2023").content.decode()
    summary = body(outsider.get("/summary/html/?year=2023")).decode()
    assert "森林防火物资采购" not in summary
    forest.refresh_from_db()
    assert forest.deleted_at is None and forest.status == Project.DRAFT


def test_a_reviewer_sees_only_the_units_assigned_to_them(other_unit, forest):
    edu_reviewer = login("edu-reviewer")
    assert edu_reviewer.get(f"/projects/{forest.id}/").status_code == 404
    assert edu_reviewer.post(f"/projects/{forest.id}/approve/").status_code == 404
    demo_reviewer = login("demo-reviewer")
    assert demo_reviewer.get(f"/projects/{forest.id}/").status_code == 200


def test_a_reviewer_cannot_edit_and_a_filler_cannot_approve(unit_client, reviewer_client, forest):
    page = reviewer_client.get(f"/projects/{forest.id}/edit/", follow=True).content.decode()
    assert "不能修改" in page
    unit_client.post(f"/projects/{forest.id}/approve/")
    forest.refresh_from_db()
    assert forest.status == Project.DRAFT


def test_the_api_enforces_the_same_isolation(other_unit, forest):
    outsider = login("edu-filler")
    assert outsider.get(f"/api/projects/{forest.id}").status_code == 404
    assert outsider.get(f"/api/projects/{forest.id}/export?format=pdf").status_code == 404
    put = outsider.put(
        f"/api/projects/{forest.id}",
        json.dumps({"version": 1, "data": forest.current.data}),
        content_type="application/json",
    )
    assert put.status_code == 404
    body = put.json()
    assert body == {
        "error": {"code": "not_found", "message": "找不到，或者您没有权限查看。", "details": None}
    }
    assert (
        outsider.post(
            f"/api/projects/{forest.id}/approve", json.dumps({}), content_type="application/json"
        ).status_code
        == 404
    )
    assert [p["name"] for p in outsider.get("/api/projects").json()["items"]] == []


def test_the_api_needs_a_login_and_answers_in_one_error_shape(demo):
    response = Client().get("/api/projects")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    client = login("demo-unit")
    wrong_method = client.patch("/api/projects", "{}", content_type="application/json")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    unknown = client.get("/api/no-such-thing")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_the_api_lists_reads_updates_and_refuses_a_stale_version(unit_client, forest):
    listed = unit_client.get("/api/projects?year=2023").json()["items"]
    assert len(listed) == 9 and {
        p["annual_total"] for p in listed if p["name"] == "森林防火物资采购"
    } == {"44.91"}
    detail = unit_client.get(f"/api/projects/{forest.id}").json()
    assert detail["revision"] == 1 and any(f["rule"] == "VAL-MISSING" for f in detail["findings"])
    data = detail["data"]
    for indicator in data["indicators"]:
        if indicator["name"] == "装备利用率":
            indicator["target"] = {
                "text": "≥90%",
                "kind": "quantitative",
                "operator": ">=",
                "value": "90",
                "upper": None,
                "unit": "%",
            }
    updated = unit_client.put(
        f"/api/projects/{forest.id}",
        json.dumps({"version": detail["version"], "data": data}),
        content_type="application/json",
    )
    assert (
        updated.status_code == 200
        and updated.json()["errors"] == 0
        and updated.json()["revision"] == 2
    )
    stale = unit_client.put(
        f"/api/projects/{forest.id}",
        json.dumps({"version": detail["version"], "data": data}),
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    bad = unit_client.put(
        f"/api/projects/{forest.id}",
        json.dumps({"version": 2, "data": {"name": 1}}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "jixiao/1" in bad.json()["error"]["message"]


def test_the_api_workflow_and_export(unit_client, reviewer_client, forest):
    refused = unit_client.post(
        f"/api/projects/{forest.id}/submit", json.dumps({}), content_type="application/json"
    )
    assert refused.status_code == 400 and "错误" in refused.json()["error"]["message"]
    other = Project.objects.get(name="应急指挥中心运维费")
    assert (
        unit_client.post(
            f"/api/projects/{other.id}/submit", "{}", content_type="application/json"
        ).json()["status"]
        == "submitted"
    )
    returned = reviewer_client.post(
        f"/api/projects/{other.id}/return",
        json.dumps({"comment": "请补充成本指标"}),
        content_type="application/json",
    )
    assert returned.json()["status"] == "returned"
    exported = unit_client.get(f"/api/projects/{other.id}/export?format=json")
    assert json.loads(exported.content)["projects"][0]["name"] == "应急指挥中心运维费"


def test_the_api_imports_with_a_preview_first(demo):
    client = login("demo-unit")
    changed = SEED.read_text("utf-8").replace("≥30次", "≥40次", 1).encode()
    preview = client.post("/api/import", {"file": SimpleUploadedFile("s.txt", changed)}).json()
    assert (
        preview["stored"] == [] and [p["action"] for p in preview["projects"]].count("replace") == 1
    )
    stored = client.post(
        "/api/import", {"file": SimpleUploadedFile("s.txt", changed), "confirm": "true"}
    ).json()
    assert [p["name"] for p in stored["stored"]] == ["00安全生产监管第三方服务经费"]
    broken = client.post("/api/import", {"file": SimpleUploadedFile("b.xlsx", b"PK\x03\x04xx")})
    assert broken.status_code == 400 and "损坏" in broken.json()["error"]["message"]


def test_the_api_parses_a_target_value_for_live_feedback(unit_client):
    data = unit_client.get("/api/targets/parse", {"text": "不低于95%"}).json()
    assert (data["kind"], data["operator"], data["value"], data["unit"], data["canonical"]) == (
        "quantitative",
        ">=",
        "95",
        "%",
        "≥95%",
    )


def test_the_openapi_schema_describes_the_operations(demo):
    schema = Client().get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/projects",
        "/api/projects/{project_id}",
        "/api/import",
        "/api/targets/parse",
    } <= paths
    assert "put" in schema["paths"]["/api/projects/{project_id}"]
    assert Client().get("/api/docs").status_code == 404, "no page that loads assets from a CDN"


def test_the_session_api_checks_csrf(demo):
    client = login("demo-unit", csrf=True)
    forest = Project.objects.get(name="森林防火物资采购")
    response = client.post(
        f"/api/projects/{forest.id}/submit", "{}", content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "没有权限（或缺少 CSRF 令牌）。",
        "details": None,
    }
    assert forest.events.filter(action="submit").count() == 0


def test_pages_send_a_content_security_policy_and_no_external_assets(unit_client):
    response = unit_client.get("/projects/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assert unit_client.get("/static/jixiao/app.css").status_code == 200


def test_production_settings_use_argon2_and_secure_cookies(monkeypatch):
    import jixiao.web.settings as real

    monkeypatch.setenv("JIXIAO_SECURE", "1")
    monkeypatch.delenv("JIXIAO_DEMO", raising=False)
    reloaded = importlib.reload(real)
    try:
        assert reloaded.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert (
            reloaded.SESSION_COOKIE_SECURE
            and reloaded.CSRF_COOKIE_SECURE
            and reloaded.SESSION_COOKIE_HTTPONLY
        )
        assert reloaded.DEBUG is False and reloaded.AXES_FAILURE_LIMIT == 5
    finally:
        monkeypatch.setenv("JIXIAO_SECURE", "0")
        importlib.reload(real)


def test_an_oversized_upload_is_refused(unit_client, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    page = unit_client.post(
        "/import/", {"file": SimpleUploadedFile("big.txt", b"x" * 2000)}, follow=True
    )
    assert "文件过大" in page.content.decode()


def test_the_database_is_the_one_the_environment_names():
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected
