"""Every role × every unit × every URL × every method: no server error, no cross-unit read
or write, and nobody changes what their role does not allow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.web import evaluations, monitoring, services
from jixiao.web.models import Evaluation, MonitoringReport, MonitoringRound, Project, Unit
from tests.conftest import SEED
from tests.web.conftest import login
from tests.web.test_pages import _editor_post

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "demo-unit", "demo-reviewer", "demo-admin", "edu-filler", "edu-reviewer"]
METHODS = ["get", "post", "put", "delete", "patch"]
# Who may see a unit's projects: its filler, the reviewers assigned to it, the admin.
SEES = {"高新区应急管理局": {"demo-unit", "demo-reviewer", "demo-admin"}}
SEES["高新区教育局"] = {"edu-filler", "edu-reviewer", "demo-admin"}


@pytest.fixture
def projects(other_unit: Unit, forest: Project) -> list[Project]:
    """One project in each unit, approved, with a self-evaluation its unit has begun."""
    user = other_unit.memberships.get(role="filler").user
    text = SEED.read_text("utf-8").split("项目名称")[3]
    plan = services.plan_import(user, other_unit, ("项目名称" + text).encode(), "edu.txt", 2023)
    services.confirm_import(user, plan)
    both = [forest, Project.objects.get(unit=other_unit)]
    for project in both:
        Project.objects.filter(id=project.id).update(status=Project.APPROVED)
        project.refresh_from_db()
        filler = project.unit.memberships.get(role="filler").user
        entry = evaluations.default_entry(evaluations.base_of(project))
        evaluations.save(filler, project.id, entry, 0)
    admin = get_user_model().objects.get(username="demo-admin")
    opened = monitoring.open_round(admin, 2023, 7)
    for project in both:
        filler = project.unit.memberships.get(role="filler").user
        monitoring.save(filler, opened.id, project.id, monitoring.default_entry(project, opened), 0)
    return both


def _client(role: str) -> Client:
    return Client() if role == "anonymous" else login(role)


def _state(project: Project) -> tuple[Any, ...]:
    project.refresh_from_db()
    evaluation = Evaluation.objects.get(project=project)
    report = MonitoringReport.objects.get(project=project)
    return (
        project.status,
        project.version,
        project.deleted_at,
        project.revisions.count(),
        project.comments.count(),
        evaluation.status,
        evaluation.version,
        evaluation.revisions.count(),
        report.status,
        report.rectification,
        report.version,
        report.revisions.count(),
    )


def _requests(project: Project, client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    """(url, method, arguments) for every address about one project, with real bodies."""
    pid = project.id
    rid = MonitoringRound.objects.get().id
    editor = _editor_post(project, client)
    editor["goals_annual"] = "越权修改"
    data = dict(project.current.data, name=project.name + "越权")
    entry = {"goal_actual": "越权", "indicators": []}
    body = json.dumps({"version": project.version, "data": data, "comment": "越权", "entry": entry})
    urls = [
        f"/projects/{pid}/",
        f"/projects/{pid}/?rev=1",
        f"/projects/{pid}/history/",
        f"/projects/{pid}/edit/",
        f"/projects/{pid}/export/xlsx/",
        f"/projects/{pid}/export/pdf/",
        *(
            f"/projects/{pid}/{action}/"
            for action in ("submit", "return", "approve", "delete", "restore")
        ),
        f"/api/projects/{pid}",
        f"/api/projects/{pid}/export?format=docx",
        *(f"/api/projects/{pid}/{action}" for action in ("submit", "return", "approve")),
        f"/projects/{pid}/evaluation/",
        f"/projects/{pid}/evaluation/?rev=1",
        f"/projects/{pid}/evaluation/export/xlsx/",
        f"/projects/{pid}/evaluation/import/",
        *(f"/projects/{pid}/evaluation/{action}/" for action in ("submit", "return", "approve")),
        f"/api/projects/{pid}/evaluation",
        f"/api/projects/{pid}/evaluation/score",
        f"/monitoring/{rid}/projects/{pid}/",
        f"/monitoring/{rid}/projects/{pid}/import/",
        *(
            f"/monitoring/{rid}/projects/{pid}/{action}/"
            for action in ("submit", "return", "rectify", "accept")
        ),
        f"/api/monitoring/rounds/{rid}/projects/{pid}",
        f"/api/monitoring/rounds/{rid}/projects/{pid}/lights",
        *(
            f"/api/monitoring/rounds/{rid}/projects/{pid}/{action}"
            for action in ("submit", "return", "rectify", "accept")
        ),
        *(f"/api/projects/{pid}/evaluation/{action}" for action in ("submit", "return", "approve")),
    ]
    requests = []
    for url in urls:
        for method in METHODS:
            if url.startswith("/api/"):
                arguments: dict[str, Any] = {"data": body, "content_type": "application/json"}
            elif method == "post":
                arguments = {
                    "data": {**editor, "comment": "越权", "save": "1", "goal_actual": "越权"}
                }
            else:
                arguments = {}
            requests.append((url, method, arguments if method != "get" else {}))
    return requests


def test_the_role_unit_method_matrix(projects):
    answered, expected = 0, 0
    for project in projects:
        for role in ROLES:
            client = _client(role)
            allowed = role in SEES[project.unit.name]
            requests = _requests(project, client)
            expected += len(requests)
            for url, method, arguments in requests:
                before = _state(project)
                response = getattr(client, method)(url, **arguments)
                answered += 1
                code = response.status_code
                assert code < 500, (role, method, url, code)
                if allowed:
                    continue
                after = _state(project)
                assert after == before, ("changed by", role, method, url)
                if role == "anonymous":
                    assert code in (302, 401, 403, 405), (role, method, url, code)
                else:
                    assert code in (403, 404, 405), (role, method, url, code)
    assert answered == expected == 2 * len(ROLES) * 40 * len(METHODS)


def test_lists_show_each_role_only_the_units_it_may_see(projects):
    for role in ROLES[1:]:
        client = login(role)
        names = {p["unit"] for p in client.get("/api/projects").json()["items"]}
        expected = {unit for unit, who in SEES.items() if role in who}
        assert names == expected, role
        page = client.get("/projects/").content.decode()
        for project in projects:
            shown = f'href="/projects/{project.id}/"' in page
            assert shown == (project.unit.name in expected), (role, project.name)


def test_within_a_unit_each_role_does_only_its_part(projects):
    forest = projects[0]
    reviewer, filler = login("demo-reviewer"), login("demo-unit")
    before = _state(forest)
    post = _editor_post(forest, reviewer)
    post["goals_annual"] = "审核人改的"
    reviewer.post(f"/projects/{forest.id}/edit/", post)
    assert _state(forest) == before, "a reviewer does not edit"
    filler.post(f"/projects/{forest.id}/approve/")
    assert _state(forest) == before, "a filler does not approve"
    upload = SimpleUploadedFile("s.txt", SEED.read_bytes())
    assert reviewer.post("/api/import", {"file": upload, "confirm": "true"}).status_code == 403
