"""In a real browser: what cannot be stored is said field by field, and nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.web.demo import load_demo
from jixiao.web.models import Project
from tests.e2e.test_story import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_editor_refuses_a_huge_amount_and_keeps_every_row(browser, live_server, shots: Path):
    load_demo()
    base = live_server.url
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, base, "demo-unit")
    forest = Project.objects.get(name="森林防火物资采购")
    page.goto(f"{base}/projects/{forest.id}/edit/")
    rows = page.locator("#rows tbody tr").count()
    # the values come parsed with the page: no request per row
    assert page.locator("td.parsed.ok").count() >= 1
    page.fill("input[name=annual_total]", "123456789012345")
    page.click("#add-row")
    page.locator("#rows tbody tr").last.locator("input[name=indicator]").fill("新增的指标")
    page.locator("#rows tbody tr").last.locator("input[name=target]").fill("≥5次")
    page.click("button:has-text('保存')")
    page.wait_for_selector("#problems")
    assert "年度金额太大" in page.locator("#problems").inner_text()
    assert page.input_value("input[name=annual_total]") == "123456789012345"
    assert page.locator("#rows tbody tr").count() == rows + 1
    assert page.locator("#rows tbody tr").last.locator("input[name=indicator]").input_value() == (
        "新增的指标"
    )
    page.screenshot(path=shots / "08-editor-refused.png", full_page=True)
    assert forest.revisions.count() == 1
    # corrected, it saves with the row that was added
    page.fill("input[name=annual_total]", "44.91")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    assert any(
        i["name"] == "新增的指标"
        for i in Project.objects.get(id=forest.id).current.data["indicators"]
    )
    assert errors == []
