"""The API against its own OpenAPI document (schemathesis): generated requests, valid and
invalid, for every operation, signed in as a filler with a CSRF token.  No server error;
every status code and body is the documented one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from jixiao.web.api import api
from jixiao.web.models import Project
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()  # requests reach the real application, in this process


_credentials: dict[str, Any] = {}


@schema.auth(refresh_interval=None)
class FillerSession:
    """The document's security scheme is the session cookie: schemathesis adds it to the
    requests that should be signed in and leaves it out of those testing its absence."""

    def get(self, case: Any, context: Any) -> dict[str, Any] | None:
        return _credentials.get("signed_in")

    def set(self, case: Any, data: dict[str, Any], context: Any) -> None:
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


@pytest.fixture
def signed_in(demo) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A filler's session cookie and a CSRF token for this test's database."""
    # Like Django's test client, keep the test's database connection open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    session = login("demo-unit").cookies["sessionid"].value
    token = _get_new_csrf_string()
    _credentials["signed_in"] = {
        "cookies": {"sessionid": session, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }
    yield
    _credentials.clear()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_api_operation_answers_as_documented(case, signed_in, forest):  # type: ignore[no-untyped-def]
    # Most generated ids name no project (404); aim at a real one, at its current version,
    # so that generated projects reach the write boundary.
    if "project_id" in (case.path_parameters or {}) and isinstance(
        case.path_parameters["project_id"], int
    ):
        project = Project.objects.get(id=forest.id)
        case.path_parameters["project_id"] = project.id
        if isinstance(case.body, dict) and isinstance(case.body.get("version"), int):
            case.body["version"] = project.version
    # Valid-looking data may still be refused: a year outside the write boundary (400), a
    # submission with errors (400).  That is documented, not an error.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_the_json_export_is_documented_as_the_jixiao_document(unit_client, forest):
    """Found by schemathesis: format=json answered a JSON document where the description
    promised a binary file."""
    document = unit_client.get("/api/openapi.json").json()
    content = document["paths"]["/api/projects/{project_id}/export"]["get"]["responses"]["200"][
        "content"
    ]
    assert content["application/json"]["schema"]["type"] == "object"
    answer = unit_client.get(f"/api/projects/{forest.id}/export?format=json")
    assert answer.status_code == 200 and answer.json()["format"] == "jixiao/1"
