"""Self-evaluation in a real browser: the live score as actuals are typed, save, submit,
the reviewer's approval, and the dashboard's year-end section."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.web.demo import load_demo
from jixiao.web.models import Evaluation, Project
from tests.e2e.test_story import _login, _logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_self_evaluation_scores_live_and_goes_through_review(browser, live_server, shots: Path):
    load_demo(evaluations=True)
    draft = Evaluation.objects.get(status=Project.DRAFT).project
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
    page.goto(f"{base}/projects/{draft.id}/")
    page.click("a:has-text('绩效自评')")
    page.wait_for_selector("#evaluation")
    before = page.locator("#total").inner_text()
    # The first row's actual falls to zero: the computed score and the total follow as typed,
    # scored by the server (the same core code that stores it), without reloading the page.
    page.evaluate("() => { window.__stay = 1; }")
    page.fill("textarea[name=row-0-deviation]", "")
    page.fill("input[name=row-0-actual]", "0")
    page.wait_for_function(
        "() => document.querySelector(\"[data-computed='0']\").textContent.trim() === '0'"
    )
    page.wait_for_function(f"() => document.getElementById('total').textContent !== '{before}'")
    assert "未保存" in page.locator("#live-status").inner_text()
    assert page.evaluate("() => window.__stay") == 1
    # The shortfall has no reason yet: the side column says so, live as well.
    page.wait_for_function(
        "() => document.getElementById('findings').textContent.includes('EVAL-NO-REASON')"
    )
    page.fill("textarea[name=row-0-deviation]", "受疫情影响推迟到次年，已调整计划。（演示）")
    # A budget amount that is not a number: the live score says so, nothing breaks.
    page.fill("input[name=total-executed]", "三十")
    page.wait_for_function(
        "() => document.getElementById('live-status').textContent.includes('不是数字')"
    )
    page.fill("input[name=total-executed]", "25")
    page.wait_for_function(
        "() => !document.getElementById('live-status').textContent.includes('不是数字')"
    )
    assert "EVAL-NO-REASON" not in page.locator("#findings").inner_text()
    page.screenshot(path=shots / "09-evaluation.png", full_page=True)
    page.click("button:has-text('保存自评')")
    page.wait_for_selector("text=自评已保存")
    total = page.locator("#total").inner_text()
    page.click("button:has-text('提交自评')")
    page.wait_for_selector("text=自评已提交审核")
    _logout(page)

    _login(page, base, "demo-reviewer")
    page.goto(f"{base}/projects/{draft.id}/evaluation/")
    page.click("button:has-text('审核通过')")
    page.wait_for_selector("text=自评已审核通过")
    page.click("nav >> text=统计")
    page.wait_for_selector("#evaluation")
    assert page.locator("svg circle.point").count() == 3
    page.screenshot(path=shots / "10-evaluation-dashboard.png", full_page=True)

    stored = Evaluation.objects.get(project=draft)
    assert stored.status == Project.APPROVED and str(stored.total.normalize()) == total
    assert stored.latest is not None and stored.latest.entry["indicators"][0]["actual"] == "0"
    # The only failed request is the score asked for while "三十" was typed: a 400 that the
    # page turned into its message.
    expected = [e for e in errors if "status of 400" in e and "/evaluation/score" in e]
    assert len(expected) >= 1 and [e for e in errors if e not in expected] == [], errors
