"""Fixtures for the web application: the demo data, a second unit, logged-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.demo import load_demo
from jixiao.web.models import Membership, Project, ReviewAssignment, Unit


@pytest.fixture
def demo(db):
    load_demo()
    return Unit.objects.get(name="高新区应急管理局")


@pytest.fixture
def other_unit(demo):
    """A second unit with its own filler and project, reviewed by nobody from the demo."""
    unit = Unit.objects.create(name="高新区教育局", kind=Unit.DEPARTMENT, parent=demo.parent)
    user = get_user_model().objects.create_user("edu-filler", password="another-secret-9")
    Membership.objects.create(user=user, unit=unit, role=Membership.FILLER)
    reviewer = get_user_model().objects.create_user("edu-reviewer", password="another-secret-9")
    Membership.objects.create(user=reviewer, unit=demo.parent, role=Membership.REVIEWER)
    ReviewAssignment.objects.create(reviewer=reviewer, unit=unit)
    return unit


def body(response: Any) -> bytes:
    """A response's bytes, streamed (the 汇总表, file exports) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def login(username: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def unit_client(demo) -> Client:
    return login("demo-unit")


@pytest.fixture
def reviewer_client(demo) -> Client:
    return login("demo-reviewer")


@pytest.fixture
def forest(demo) -> Project:
    return Project.objects.get(name="森林防火物资采购")
