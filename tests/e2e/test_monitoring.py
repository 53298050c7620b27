"""Monitoring in a real browser: the unit's report lights up as values are typed, the
reviewer requires rectification from the board, the unit reports it, the reviewer accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.web.demo import load_demo
from jixiao.web.models import MonitoringReport, MonitoringRound, Project
from tests.e2e.test_story import _login, _logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_monitoring_report_lights_up_and_goes_through_rectification(
    browser, live_server, shots: Path
):
    load_demo(evaluations=True, monitoring=True)
    opened = MonitoringRound.objects.get()
    draft = MonitoringReport.objects.filter(status=MonitoringReport.DRAFT).order_by("id").first()
    assert draft is not None
    project = draft.project
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} {message.location}") if message.type == "error" else None
        ),
    )

    _login(page, base, "demo-unit")
    page.click("nav >> text=运行监控")
    page.click(f"text={opened}")
    page.click(f"text={project.name}")
    page.wait_for_selector("#monitoring")
    page.evaluate("() => { window.__stay = 1; }")
    # The first indicator (a count) falls far behind: red, with the arithmetic, as typed.
    page.fill("input[name=row-0-achieved]", "0次")
    page.select_option("select[name=row-0-likelihood]", "完全不可能")
    page.wait_for_function(
        "() => document.querySelector(\"[data-light='0']\").classList.contains('red')"
    )
    page.wait_for_function(
        "() => document.getElementById('findings').textContent.includes('MON-IMPOSSIBLE-NO-REASON')"
    )
    assert "按时间进度应完成" in page.locator("[data-why='0']").inner_text()
    page.check("input[name=row-0-reasons][value=经费保障]")
    page.fill("textarea[name=row-0-reason]", "活动经费8月才下达（演示）")
    page.fill("textarea[name=row-0-measures]", "9月集中开展（演示）")
    page.wait_for_function(
        "() => !document.getElementById('findings').textContent.includes('MON-IMPOSSIBLE-NO-REASON')"
    )
    assert page.evaluate("() => window.__stay") == 1
    page.screenshot(path=shots / "11-monitoring-report.png", full_page=True)
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=监控报告已保存")
    page.click("button:has-text('提交监控报告')")
    page.wait_for_selector("text=监控报告已提交")
    _logout(page)

    _login(page, base, "demo-reviewer")
    page.goto(f"{base}/monitoring/{opened.id}/?light=red")
    assert page.locator(f"text={project.name}").count() == 1
    page.screenshot(path=shots / "12-monitoring-board.png", full_page=True)
    page.click(f"text={project.name}")
    page.fill("form[action$='rectify/'] textarea[name=comment]", "9月底前完成并报告（演示）")
    page.click("button:has-text('要求整改')")
    page.wait_for_selector("text=已要求整改")
    _logout(page)

    _login(page, base, "demo-unit")
    page.goto(f"{base}/monitoring/{opened.id}/projects/{project.id}/")
    page.fill("input[name=row-0-achieved]", "1次")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=监控报告已保存")
    page.click("button:has-text('提交监控报告')")
    page.wait_for_selector("text=监控报告已提交")
    _logout(page)

    _login(page, base, "demo-reviewer")
    page.goto(f"{base}/monitoring/{opened.id}/projects/{project.id}/")
    page.click("button:has-text('接受')")
    page.wait_for_selector("text=监控报告已接受")
    stored = MonitoringReport.objects.get(id=draft.id)
    assert stored.status == MonitoringReport.ACCEPTED
    assert stored.rectification == MonitoringReport.CLOSED
    assert Project.objects.get(id=project.id).status == Project.APPROVED
    assert errors == [], errors
