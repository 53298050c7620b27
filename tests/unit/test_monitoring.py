"""In-year monitoring: every light computed from the target, the value achieved by month N
and the thresholds (core.monitoring), the MON-* rules, the JSON and the reader."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core import bounds
from jixiao.core.model import Indicator, Monitoring, Progress, Project, Spending
from jixiao.core.monitoring import (
    DEFAULT,
    Light,
    Thresholds,
    execution_light,
    indicator_light,
    likelihood_of,
    report,
)
from jixiao.core.targets import parse_target
from jixiao.formats.json import project_from_json, project_to_json
from jixiao.rules.catalogue import get_ruleset
from jixiao.services.importing import read_bytes
from jixiao.services.review import review_projects

D = Decimal
HERE = Path(__file__).resolve().parent.parent / "monitoring"


def row(
    target: str,
    achieved: str | None,
    level1: str = "产出指标",
    level2: str = "数量指标",
    likelihood: str = "",
    **progress: object,
) -> Indicator:
    base = Indicator.of(level1, level2, f"指标{target}", target)
    return replace(
        base,
        progress=Progress(
            achieved=parse_target(achieved) if achieved is not None else None,
            likelihood=likelihood,
            **progress,  # type: ignore[arg-type]
        ),
    )


def light(indicator: Indicator, month: int = 6) -> Light:
    return indicator_light(indicator, month, DEFAULT).light


@pytest.mark.parametrize(
    ("achieved", "expected"),
    [
        ("300次", Light.RED),  # 300 ÷ (1200 × 6/12) = 50 %
        ("420次", Light.YELLOW),  # 70 %
        ("480次", Light.GREEN),  # 80 %: the yellow line itself is green
        ("600次", Light.GREEN),
        ("719次", Light.GREEN),
        ("720次", Light.BLUE),  # 120 %
        ("1500次", Light.BLUE),
    ],
)
def test_quantity_indicators_are_compared_with_the_time(achieved: str, expected: Light):
    assert light(row("≥1200次", achieved)) is expected


def test_the_reason_shows_the_arithmetic():
    signal = indicator_light(row("≥1200次", "300次"), 6, DEFAULT)
    assert signal.reason == (
        "1–6月完成 300次，按时间进度应完成 1200次 × 6/12 = 600次，完成进度 50%，低于 60%"
    )
    assert signal.ratio == D("0.5")


def test_benefit_indicators_are_prorated_and_quality_ones_are_not():
    assert light(row("≥1000户", "350户", "效益指标", "社会效益指标")) is Light.YELLOW
    assert light(row("≥95%", "96%", level2="质量指标")) is Light.GREEN
    assert light(row("≥95%", "90%", level2="质量指标")) is Light.RED
    assert light(row("≥95%", "96%", "满意度指标", "服务对象满意度指标")) is Light.GREEN


def test_lower_is_better_is_green_within_the_limit_and_red_beyond():
    assert light(row("≤5%", "3%", level2="质量指标")) is Light.GREEN
    assert light(row("≤5%", "6%", level2="质量指标")) is Light.RED
    assert light(row("≤100万元", "40万元", "成本指标", "经济成本指标")) is Light.GREEN
    # 万元 against 元 is converted exactly
    assert light(row("≤100万元", "1200000元", "成本指标", "经济成本指标")) is Light.RED


def test_qualitative_indicators_take_the_units_judgement():
    assert light(row("明显提升", "逐步提升", level2="社会效益指标")) is Light.NONE
    assert light(row("明显提升", "逐步提升", likelihood="确定能")) is Light.GREEN
    assert light(row("明显提升", "逐步提升", likelihood="有可能")) is Light.YELLOW
    assert light(row("明显提升", None, likelihood="完全不可能")) is Light.RED


@pytest.mark.parametrize(
    ("month", "executed", "expected"),
    [
        (6, "39.9", Light.RED),  # below the 40 % floor by June
        (6, "44.9", Light.YELLOW),  # above the floor, below 90 % of the time (45 %)
        (6, "45", Light.GREEN),
        (4, "24", Light.RED),
        (3, "10", Light.YELLOW),  # no floor yet; 10 % < 90 % × 25 %
        (12, "79", Light.RED),  # the October floor of 80 % still applies
    ],
)
def test_budget_execution_against_the_floors_and_the_time(
    month: int, executed: str, expected: Light
):
    monitoring = Monitoring(month=month, total=Spending(planned=D(100), executed=D(executed)))
    assert execution_light(monitoring, month, DEFAULT).light is expected


def test_thresholds_are_data():
    strict = Thresholds(red_below=D("0.9"))
    assert indicator_light(row("≥1200次", "500次"), 6, strict).light is Light.RED
    assert indicator_light(row("≥1200次", "500次"), 6, DEFAULT).light is Light.GREEN
    names = [name for name, _, _ in Thresholds.rows()]
    assert names == ["red_below", "yellow_below", "blue_from", "execution", "execution_yellow"]
    assert Thresholds.rows()[3][1] == "4月 25%、6月 40%、8月 60%、10月 80%"


def test_the_project_shows_its_worst_light_and_the_month_can_be_given():
    project = Project(
        "测试",
        indicators=(row("≥1200次", "800次"), row("≥1200次", "600次")),
        monitoring=Monitoring(month=6, total=Spending(planned=D(100), executed=D(50))),
    )
    found = report(project)
    assert found is not None and found.light is Light.BLUE
    assert found.count(Light.GREEN) == 2 and found.count(Light.BLUE) == 1
    later = report(project, month=10)  # the same values by October: behind
    assert later is not None and later.light is Light.RED
    assert report(replace(project, monitoring=Monitoring())) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("确定能", "确定能"),
        ("√确定能", "确定能"),
        ("有可能", "有可能"),
        ("不可能", "完全不可能"),
        ("完全不可能", "完全不可能"),
        ("", ""),
        ("待定", ""),
    ],
)
def test_likelihood_words(text: str, expected: str):
    assert likelihood_of(text) == expected


def test_json_round_trip_keeps_the_report_and_adds_the_lights():
    project = Project(
        "测试",
        year=2023,
        indicators=(
            row(
                "≥1200次",
                "300次",
                likelihood="有可能",
                predicted=parse_target("1000次"),
                reasons=("经费保障", "其他"),
                reason="资金下达晚",
                measures="加快采购",
            ),
        ),
        monitoring=Monitoring(
            month=7,
            total=Spending(planned=D("44.91"), executed=D("13.2"), predicted=D("44.91")),
            goal_progress="已完成招标",
        ),
    )
    data = project_to_json(project)
    assert data["monitoring"]["computed"]["light"] == "red"
    assert data["monitoring"]["budget"]["total"]["rate"] == "0.293921"
    progress = data["indicators"][0]["progress"]
    assert progress["light"] == "red" and "完成进度" in progress["light_reason"]
    back = project_from_json(data, "", [])
    assert back.monitoring == project.monitoring
    assert back.indicators[0].progress == project.indicators[0].progress
    # A target table without monitoring has no "monitoring" key at all.
    assert "monitoring" not in project_to_json(Project("目标表"))


def test_the_write_boundary_checks_a_monitoring_report():
    bad = Project(
        "测试",
        indicators=(row("≥1次", "1次", likelihood="差不多", reasons=("天气",)),),
        monitoring=Monitoring(month=13, total=Spending(executed=D("1" * 12))),
    )
    fields = {p.field for p in bounds.problems(bad)}
    assert fields == {
        "monitoring.month",
        "monitoring.total.executed",
        "indicators[1].progress.likelihood",
        "indicators[1].progress.reasons",
    }


def _rules(project: Project) -> list[str]:
    ruleset = get_ruleset("local-2022")
    assert ruleset is not None
    return [
        f.rule for f in review_projects([project], ruleset).findings if f.rule.startswith("MON")
    ]


def test_monitoring_rules():
    project = Project(
        "测试",
        indicators=(
            row("≥1200次", "300次"),
            row("明显提升", None, likelihood="完全不可能"),
            row("≥100台", "80台", predicted=parse_target("90台")),
            row("≥100台", None),
        ),
        monitoring=Monitoring(month=6, total=Spending(planned=D(100), executed=D(10))),
    )
    assert sorted(_rules(project)) == sorted(
        [
            "MON-RED",
            "MON-RED",
            "MON-BLUE",
            "MON-NO-PROGRESS",
            "MON-EXECUTION-BEHIND",
            "MON-IMPOSSIBLE-NO-REASON",
            "MON-PREDICTED-SHORT",
        ]
    )
    explained = replace(
        project, monitoring=replace(project.monitoring, reason="资金未到位", measures="加快")
    )
    assert "MON-IMPOSSIBLE-NO-REASON" not in _rules(explained)
    assert "MON-PREDICTED-SHORT" not in _rules(explained)
    # Without a month no light is computed; what needs no month is still asked.
    undated = replace(project, monitoring=Monitoring())
    assert sorted(_rules(undated)) == [
        "MON-IMPOSSIBLE-NO-REASON",
        "MON-NO-MONTH",
        "MON-PREDICTED-SHORT",
    ]
    assert _rules(replace(project, monitoring=None)) == []


def test_reading_a_monitoring_table_with_its_month_budget_and_progress():
    data = (HERE / "central-1-7.txt").read_bytes()
    (project,) = read_bytes(data, "central-1-7.txt").projects
    monitoring = project.monitoring
    assert monitoring is not None and monitoring.month == 7
    assert monitoring.total == Spending(
        planned=D("44.91"),
        executed=D("13.2"),
        predicted=D("44.91"),
        reason="采购合同8月签订，货款验收后支付",
    )
    first = project.indicators[0]
    assert first.actual is None and first.progress is not None
    assert first.progress.achieved == parse_target("8台")
    assert first.progress.predicted == parse_target("20台")
    assert first.progress.likelihood == "确定能"
    by_name = {i.name: i.progress for i in project.indicators}
    assert by_name["采购防火服"] is not None and by_name["采购防火服"].likelihood == "有可能"
    # the empty 执行 and 预计 cells lost their places: 确定能 is still the likelihood
    satisfied = by_name["扑火队员满意度"]
    assert satisfied is not None and satisfied.achieved is None
    assert satisfied.likelihood == "确定能"


def test_reading_the_real_half_year_table_of_the_corpus():
    """040 (黄石, 1–6月 2019): the budget block and the month are read; 39.8 % by June is
    below the 40 % floor."""
    path = next(HERE.glob("040_*.txt"))
    (project,) = read_bytes(path.read_bytes(), path.name).projects
    assert project.monitoring is not None and project.monitoring.month == 6
    assert project.monitoring.total.planned == D(220)
    assert project.monitoring.total.executed == D("87.57")
    found = report(project)
    assert found is not None and found.execution.light is Light.RED
    assert "39.8%" in found.execution.reason
