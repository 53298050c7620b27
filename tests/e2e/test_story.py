"""The end-to-end story in a real browser: import, fix, submit, return, resubmit, approve, export."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.services.importing import read_bytes
from jixiao.web.demo import load_demo
from jixiao.web.models import Project
from tests.conftest import SEED

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "jixiao-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/projects/**")


def _logout(page) -> None:
    page.click("header .who button")
    page.wait_for_url("**/login/")


def _save_and_submit(page) -> None:
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=已提交审核")
    _logout(page)


def _open_from_queue(page, base: str, name: str) -> None:
    _login(page, base, "demo-reviewer")
    page.click("nav >> text=待审核")
    page.click(f"text={name}")


def test_the_whole_story_in_chromium(browser, live_server, shots: Path, tmp_path: Path):
    load_demo(import_seed=False)
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )

    # 填报人 imports the seed and sees the findings.
    _login(page, base, "demo-unit")
    page.screenshot(path=shots / "01-projects-empty.png")
    page.click("text=导入")
    page.set_input_files("input[type=file]", str(SEED))
    page.click("button:has-text('预览')")
    page.wait_for_selector("text=导入预览")
    assert page.locator("span.plan.create").count() == 9
    page.screenshot(path=shots / "02-import-preview.png", full_page=True)
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=已导入 9 个项目")
    assert "合计 9 个项目" in page.content() and "282.8" in page.content()
    page.screenshot(path=shots / "03-projects.png")
    page.click("text=森林防火物资采购")
    cell = page.locator("td.indicator", has_text="装备利用率")
    assert "VAL-MISSING" in cell.inner_text()
    assert page.locator("button:has-text('提交审核')").is_disabled()
    page.screenshot(path=shots / "04-project-findings.png", full_page=True)

    # The editor: rows added, moved and removed without reloading; live parse feedback.
    page.click("a:has-text('编辑')")
    page.wait_for_selector("#rows")
    marker = page.evaluate(
        "() => { window.__stay = 1; return document.querySelectorAll('#rows tbody tr').length; }"
    )
    page.click("#add-row")
    page.locator("#rows tbody tr").last.locator("input[name=indicator]").fill("临时指标")
    page.locator("#rows tbody tr").last.locator("button.up").click()
    assert (
        page.locator("#rows tbody tr")
        .nth(marker - 1)
        .locator("input[name=indicator]")
        .input_value()
        == "临时指标"
    )
    page.locator("#rows tbody tr").nth(marker - 1).locator("button.remove").click()
    assert page.locator("#rows tbody tr").count() == marker
    assert page.evaluate("() => window.__stay") == 1, "row edits never reload the page"
    first = page.locator("#rows tbody tr").first
    first.locator("select[name=level1]").select_option("效益指标")
    assert first.locator("select[name=level2]").input_value() in (
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
    )
    first.locator("select[name=level1]").select_option("产出指标")
    first.locator("select[name=level2]").select_option("数量指标")
    row = page.locator("#rows tbody tr", has=page.locator("input[value='装备利用率']"))
    row.locator("input[name=target]").fill("≥90%")
    page.wait_for_function(
        "() => [...document.querySelectorAll('td.parsed')].some(td => td.textContent.includes('定量：≥ 90 %'))"
    )
    page.screenshot(path=shots / "05-editor.png", full_page=True)
    _save_and_submit(page)

    # 审核人 returns it with a comment on one indicator.
    _open_from_queue(page, base, "森林防火物资采购")
    page.select_option("select[name=indicator]", "装备利用率")
    page.fill("textarea[name=comment]", "请写明装备利用率的统计口径")
    page.screenshot(path=shots / "06-review.png", full_page=True)
    page.click("button:has-text('退回')")
    page.wait_for_selector("text=已退回")
    _logout(page)

    # 填报人 fixes and resubmits.
    _login(page, base, "demo-unit")
    page.click("text=森林防火物资采购")
    assert "请写明装备利用率的统计口径" in page.content()
    page.click("a:has-text('编辑')")
    row = page.locator("#rows tbody tr", has=page.locator("input[value='装备利用率']"))
    row.locator("input[name=note]").fill("按年内实际出动使用的装备件数 ÷ 采购件数统计")
    _save_and_submit(page)

    # 审核人 approves.
    _open_from_queue(page, base, "森林防火物资采购")
    page.click("button:has-text('审核通过')")
    page.wait_for_selector("text=已审核通过")
    _logout(page)

    # 填报人 exports the XLSX and it reads back.
    _login(page, base, "demo-unit")
    page.click("text=森林防火物资采购")
    with page.expect_download() as download:
        page.click("a:has-text('XLSX')")
    target = tmp_path / "forest.xlsx"
    download.value.save_as(target)
    back = read_bytes(target.read_bytes(), str(target))
    indicator = next(i for i in back.projects[0].indicators if i.name == "装备利用率")
    assert indicator.target.text == "≥90%" and indicator.note.startswith("按年内实际出动")
    page.click("nav >> text=统计")
    page.screenshot(path=shots / "07-dashboard.png", full_page=True)

    project = Project.objects.get(name="森林防火物资采购")
    assert project.status == Project.APPROVED and project.errors == 0
    assert [e.action for e in project.events.all()] == [
        "import",
        "edit",
        "submit",
        "return",
        "edit",
        "submit",
        "approve",
    ]
    assert errors == [], errors
    context.close()
