"""Scoring a self-evaluation: every score computed from the target and the actual value,
with its explanation (core.scoring)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.model import Evaluation, Execution, Indicator, Project
from jixiao.core.scoring import SCHEMES, grade_of, infer_scheme, score, spread
from jixiao.core.targets import parse_target

D = Decimal


def row(name: str, target: str, actual: str | None, weight: str | None = "10", **kw) -> Indicator:
    indicator = Indicator.of(
        kw.pop("level1", "产出指标"), kw.pop("level2", "数量指标"), name, target
    )
    return Indicator(
        indicator.level1,
        indicator.level2,
        indicator.name,
        indicator.target,
        actual=None if actual is None else parse_target(actual),
        weight=None if weight is None else D(weight),
        score=D(kw["score"]) if "score" in kw else None,
    )


def evaluated(*rows: Indicator, budget: str = "100", executed: str = "100", **kw) -> Project:
    line = Execution(budget=D(budget), executed=D(executed), score=kw.get("execution_score"))
    return Project("测试项目", indicators=rows, evaluation=Evaluation(total=line))


def only(*rows: Indicator):
    card = score(evaluated(*rows))
    assert card is not None
    return card.rows[0]


def test_a_higher_target_met_earns_full_marks_and_says_so():
    scored = only(row("发放宣传资料", "≥2400份", "3200份", "12"))
    assert scored.computed == D(12) and scored.met
    assert scored.explanation == "实际 3200份 ≥ 目标 ≥2400份，满分 12 分"


def test_a_higher_target_missed_earns_its_share():
    scored = only(row("培训人次", "≥4754", "4604", "10"))
    assert scored.computed == D("9.68") and scored.met is False
    assert scored.explanation == "实际 4604 < 目标 ≥4754，得 4604÷4754×10 = 9.68 分"


def test_a_lower_target_is_met_below_the_ceiling_and_shared_above_it():
    assert only(row("故障率", "≤5%", "3%")).computed == D(10)
    above = only(row("故障率", "≤5%", "8%"))
    assert above.computed == D("6.25") and "5÷8×10" in above.explanation


def test_a_range_is_met_inside_and_shared_outside():
    assert only(row("温度", "18-22℃", "20℃")).computed == D(10)
    assert only(row("温度", "18-22℃", "24℃")).computed == D("9.17")
    assert only(row("温度", "18-22℃", "9℃")).computed == D(5)


def test_an_exact_target_reached_is_met():
    assert only(row("验收通过率", "100%", "100%")).computed == D(10)
    assert only(row("验收通过率", "100%", "95%")).computed == D("9.50")


@pytest.mark.parametrize(
    ("actual", "reported", "expected"),
    [
        ("达成", None, D(10)),
        ("已完成", None, D(10)),
        ("部分达成", None, D(7)),
        ("部分达成", "6.5", D("6.5")),  # within the band 60–80%: the evaluator's call stands
        ("部分达成", "9", D(7)),  # outside the band: the band's middle
        ("未达成", None, D(3)),
    ],
)
def test_qualitative_results_earn_their_band(actual, reported, expected):
    extra = {"score": reported} if reported else {}
    scored = only(row("群众获得感", "明显提升", actual, **extra))
    assert scored.computed == expected


def test_a_result_equal_to_its_target_is_met():
    assert only(row("修缮级别", "市级保护单位", "市级保护单位")).computed == D(10)


def test_no_actual_earns_nothing_and_not_applicable_is_dropped_and_the_rest_rescaled():
    assert only(row("培训人次", "≥100人次", None)).computed == D(0)
    card = score(evaluated(row("a", "≥1次", "1次", "45"), row("b", "≥1次", "不适用", "45")))
    assert card is not None
    assert card.rows[0].computed == D(90) and card.rows[1].computed is None
    assert any("不适用" in note for note in card.notes)


def test_amounts_in_yuan_and_wan_yuan_are_compared_exactly_and_other_units_are_reported():
    assert only(row("项目成本", "≤10万元", "98000元")).computed == D(10)
    mismatch = only(row("培训人次", "≥100人次", "80%"))
    assert mismatch.computed is None and "单位不一致" in mismatch.explanation


def test_execution_is_capped_at_its_weight_and_explained():
    card = score(evaluated(row("a", "≥1次", "1次", "90"), budget="50", executed="55"))
    assert card is not None
    assert card.execution.computed == D(10)
    assert "超过 100% 按 100% 计" in card.execution.explanation
    low = score(evaluated(row("a", "≥1次", "1次", "90"), budget="278.4449", executed="30"))
    assert low is not None and low.execution.computed == D("1.08")


def test_weights_missing_are_spread_over_each_category_by_the_scheme():
    rows = (
        row("a", "≥1次", "1次", None),
        row("b", "≥1次", "1次", None),
        row("c", "≥90%", "95%", None, level1="效益指标", level2="社会效益指标"),
        row("d", "≥90%", "95%", None, level1="满意度指标", level2="服务对象满意度指标"),
    )
    card = score(evaluated(*rows))
    assert card is not None
    assert [r.weight for r in card.rows] == [D(25), D(25), D(30), D(10)]
    assert card.total == D(100) and card.grade == "优"
    other = score(evaluated(*rows), SCHEMES["execution-10-indicators-90"])
    assert other is not None and [r.weight for r in other.rows] == [D("22.5")] * 4


def test_weights_are_spread_in_cents_and_add_up_to_the_category():
    assert spread(D(50), 6) == [D("8.34"), D("8.34"), D("8.33"), D("8.33"), D("8.33"), D("8.33")]
    assert spread(D(30), 7) == [
        D("4.29"),
        D("4.29"),
        D("4.29"),
        D("4.29"),
        D("4.28"),
        D("4.28"),
        D("4.28"),
    ]
    assert spread(D(10), 0) == []
    for count in range(1, 40):
        shares = spread(D(50), count)
        assert sum(shares) == 50 and max(shares) - min(shares) <= D("0.01")
    # Every target met gives exactly the category's points: rounding each row's share up no
    # longer lets 13 output rows of 40 points add up to 40.04.
    rows = tuple(row(f"r{n}", "≥1次", "1次", None) for n in range(13))
    card = score(evaluated(*rows), SCHEMES["execution-20"])
    assert card is not None
    assert sum(r.computed for r in card.rows if r.computed is not None) == D(40)
    assert card.total == D(20) + D(40)


def test_the_twenty_point_scheme_is_recognised_from_the_execution_score():
    project = evaluated(
        row("a", "≥1次", "1次", "80"), budget="278.4449", executed="30", execution_score=D("2.15")
    )
    assert infer_scheme(project).name == "execution-20"
    assert infer_scheme(evaluated(row("a", "≥1次", "1次", "90"))).name == "caiyu-2020-10"


@pytest.mark.parametrize(
    ("total", "grade"),
    [(D(95), "优"), (D(90), "优"), (D("89.99"), "良"), (D(60), "中"), (D(59), "差")],
)
def test_grades_follow_the_total(total, grade):
    assert grade_of(total) == grade


def test_differences_list_the_rows_scored_otherwise_than_reported():
    card = score(
        evaluated(row("a", "≥100人", "80人", "10", score="10"), row("b", "≥1次", "1次", "80"))
    )
    assert card is not None
    assert [r.name for r in card.differences] == ["a"]
    assert score(Project("无自评")) is None


def test_the_json_of_a_self_evaluation_carries_the_computed_scores_and_reads_back_the_same():
    from jixiao.formats import json as json_format
    from tests.unit.reading.test_tables import SELF_EVALUATION, read

    projects = read(SELF_EVALUATION).projects
    document = json_format.to_document(projects)
    data = document["projects"][0]
    assert data["evaluation"]["computed"] == {
        "scheme": "caiyu-2020-10",
        "execution_score": "8.62",
        "total": "57.62",
        "grade": "差",
    }
    quality = data["indicators"][1]
    assert quality["score"] == "18" and quality["score_computed"] == "19.00"
    assert quality["score_explanation"] == "实际 95% < 目标 100%，得 95÷100×20 = 19 分"
    again = json_format.read(json_format.dumps(projects).encode(), "again.json")
    assert not again.fatal and again.projects == projects


def test_absurd_amounts_from_a_hostile_file_are_laid_out_without_failing():
    from jixiao.formats import json as json_format

    project = evaluated(row("a", "≥1次", "1e300次", "10"), budget="1e-247", executed="1e300")
    card = score(project)
    assert card is not None and card.execution.computed == D(10)
    data = json_format.to_document([project])["projects"][0]
    assert data["evaluation"]["budget"]["total"]["rate"] is None
