"""The review of the seed: exactly the findings a reviewer agrees with (docs/seed-review.md)."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.findings import Severity
from jixiao.rules.catalogue import central, local, local_2015
from jixiao.services.review import review_projects

DOC = Path(__file__).resolve().parents[2] / "docs" / "seed-review.md"

# (line, rule): every finding on the seed under the local rule set, justified one by one
# in docs/seed-review.md.  A new finding on the seed is either a defect the doc must
# justify, or a false alarm to fix.
EXPECTED_LOCAL = [
    (13, "HDR-NAME-STRAY"),  # "00" before 安全生产监管第三方服务经费
    (13, "STRUCT-COST-MISSING"),  # 2023: cost indicators advised (local-2022)
    (27, "VAL-VAGUE"),  # 安全生产事故率: 降低
    (40, "STRUCT-COST-MISSING"),
    (53, "VAL-QUAL-NO-CRITERION"),  # 引导涉农地区人群参保积极性效果: 良好
    (66, "STRUCT-COST-MISSING"),
    (79, "VAL-MISSING"),  # 装备利用率 has no value
    (93, "STRUCT-COST-MISSING"),
    (105, "VAL-QUAL-NO-CRITERION"),  # 及时处置各类应急事件效果: 优秀
    (119, "STRUCT-COST-MISSING"),
    (131, "IND-LIFESPAN-PLACE"),  # 执法服装使用年限 under 时效指标
    (132, "VAL-VAGUE"),  # 执法队伍形象: 提升
    (145, "STRUCT-COST-MISSING"),
    (158, "IND-NAME-IS-GOAL"),  # 提高政府综合减灾水平 is a goal, not a measure
    (158, "VAL-VAGUE"),  # 提高政府综合减灾水平: 有效提高
    (171, "STRUCT-COST-MISSING"),
    (182, "IND-COUNT-PLACE"),  # “安全生产月”活动参与人数 under 质量指标
    (184, "VAL-VAGUE"),  # 安全生产事故率: 降低
    (185, "VAL-QUAL-NO-CRITERION"),  # 全民应急及安全生产防范意识增强成果: 良好
    (196, "STRUCT-COST-MISSING"),
    (207, "VAL-TIME-NO-DEADLINE"),  # 预案修订及时性: 及时
    (208, "VAL-QUAL-NO-CRITERION"),  # 预案编制合理性: 优秀
    (209, "VAL-QUAL-NO-CRITERION"),  # 突发事件可操作性: 优秀
    (222, "STRUCT-COST-MISSING"),
]


def test_the_seed_review_finds_exactly_what_a_reviewer_agrees_with(seed):
    found = review_projects(seed.projects, local()).findings
    assert [(f.source.line, f.rule) for f in found] == EXPECTED_LOCAL


def test_the_missing_value_of_equipment_utilisation_is_an_error(seed):
    found = review_projects(seed.projects, local()).findings
    errors = [f for f in found if f.severity is Severity.ERROR]
    assert [(f.rule, f.indicator) for f in errors] == [("VAL-MISSING", "装备利用率")]


def test_the_service_life_of_uniforms_is_suggested_to_move_to_sustainability(seed):
    found = review_projects(seed.projects, local()).findings
    lifespan = next(f for f in found if f.rule == "IND-LIFESPAN-PLACE")
    assert lifespan.indicator == "执法服装使用年限" and lifespan.severity is Severity.WARNING
    assert "可持续影响指标" in lifespan.message and "可持续影响指标" in lifespan.fix


def test_the_accident_rate_target_lower_is_asked_to_be_measurable(seed):
    found = review_projects(seed.projects, local()).findings
    vague = [f for f in found if f.rule == "VAL-VAGUE" and f.indicator == "安全生产事故率"]
    assert len(vague) == 2
    assert all("较上年下降" in f.fix for f in vague)


def test_the_stray_00_is_named_in_the_message(seed):
    found = review_projects(seed.projects, local()).findings
    stray = next(f for f in found if f.rule == "HDR-NAME-STRAY")
    assert "“00”" in stray.message and "安全生产监管第三方服务经费" in stray.fix


def test_the_required_findings_of_the_seed_stay(seed):
    found = {(f.rule, f.indicator) for f in review_projects(seed.projects, local()).findings}
    assert ("VAL-MISSING", "装备利用率") in found
    assert ("IND-LIFESPAN-PLACE", "执法服装使用年限") in found
    assert ("VAL-VAGUE", "安全生产事故率") in found
    assert ("HDR-NAME-STRAY", None) in found


def test_the_central_rule_set_makes_the_missing_cost_of_each_project_an_error(seed):
    def cost(found):
        return [f.severity for f in found if f.rule == "STRUCT-COST-MISSING"]

    assert cost(review_projects(seed.projects, local()).findings) == [Severity.WARNING] * 9
    assert cost(review_projects(seed.projects, central()).findings) == [Severity.ERROR] * 9
    assert cost(review_projects(seed.projects, local_2015()).findings) == []


def test_every_seed_finding_is_justified_in_the_worked_example(seed):
    doc = DOC.read_text("utf-8")
    for finding in review_projects(seed.projects, local()).findings:
        assert f"| {finding.source.line} | {finding.rule} |" in doc, finding.render()
