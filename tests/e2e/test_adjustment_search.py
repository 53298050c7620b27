"""目标调整 and search in a real browser: the request in the editor, the reviewer's page with
年初 and 调整后 side by side, and a search that finds another unit's approved indicators."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.web.demo import load_demo
from jixiao.web.models import AdjustmentRequest, Project
from tests.e2e.test_story import _login, _logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_adjustment_is_requested_reviewed_and_found_by_search(browser, live_server, shots: Path):
    load_demo(evaluations=True, monitoring=True)
    project = Project.objects.filter(status=Project.APPROVED).order_by("name").first()
    assert project is not None
    base = live_server.url
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    _login(page, base, "demo-unit")
    page.goto(f"{base}/projects/{project.id}/")
    page.click("a:has-text('申请目标调整')")
    page.wait_for_selector("#rows")
    target = page.locator("#rows tbody tr").first.locator("input[name=target]")
    before = target.input_value()
    target.fill("≥5次")
    page.fill("input[name=annual_total]", "90")
    page.fill("textarea[name=reason]", "区财政压减预算，相应调整（演示）")
    page.click("button:has-text('提交调整申请')")
    page.wait_for_selector("text=目标调整申请已提交")
    _logout(page)

    _login(page, base, "demo-reviewer")
    page.click("nav >> text=待审核")
    page.click(f"a[href*='/adjustments/'] >> text={project.name}")
    page.wait_for_selector("text=年初与调整后")
    assert before in page.content() and "≥5次" in page.content()
    page.screenshot(path=shots / "13-adjustment-review.png", full_page=True)
    page.click("button:has-text('批准调整')")
    page.wait_for_selector("text=目标调整已批准")
    page.goto(f"{base}/search/?q=安全生产")
    assert page.locator("table.list").nth(1).locator("tbody tr").count() >= 1
    page.screenshot(path=shots / "14-search.png", full_page=True)
    assert AdjustmentRequest.objects.get().status == AdjustmentRequest.APPROVED
    assert errors == []


def test_the_editor_suggests_indicators_already_written(browser, live_server, shots: Path):
    """Typing an indicator's name in the editor lists similar indicators (the unit's own and
    any approved table's); a click fills the row's name and value, and the value is parsed."""
    load_demo(evaluations=True, monitoring=True)
    draft = Project.objects.filter(status=Project.DRAFT, errors=0).order_by("name").first()
    assert draft is not None
    base = live_server.url
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, base, "demo-unit")
    page.goto(f"{base}/projects/{draft.id}/edit/")
    page.click("#add-row")
    row = page.locator("#rows tbody tr").last
    row.locator("input[name=indicator]").type("满意度")
    page.wait_for_selector("#suggestions:not([hidden]) button.suggestion")
    first = page.locator("#suggestions button.suggestion").first
    name, value = first.get_attribute("data-name"), first.get_attribute("data-target")
    assert name and "满意度" in name and value
    page.screenshot(path=shots / "15-editor-suggestions.png", full_page=True)
    first.click()
    assert row.locator("input[name=indicator]").input_value() == name
    assert row.locator("input[name=target]").input_value() == value
    page.wait_for_function(
        "document.querySelector('#rows tbody tr:last-child .parsed').textContent.length > 0"
    )
    assert page.locator("#suggestions").is_hidden()
    assert errors == []
