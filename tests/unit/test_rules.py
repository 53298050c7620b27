"""Each review rule: it fires on the defect it names, and a clean table has no finding."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.formats import text
from jixiao.rules.catalogue import (
    all_rules,
    central,
    central_2015,
    central_2022,
    get_ruleset,
    local,
    local_2015,
    local_2022,
)
from jixiao.rules.registry import Family, Hit, Rule, RuleSet, rule, run_rules
from jixiao.services.review import review_projects
from tests.conftest import CLEAN_ROWS, ROOT, table


def project_of(source: str) -> Project:
    result = text.read(source.encode(), "t.txt")
    assert not result.fatal
    return result.projects[0]


def findings(source: str, ruleset: RuleSet | Family | None = None):
    return review_projects([project_of(source)], ruleset or central()).findings


def rows_with(*replacements: tuple[int, str]) -> list[str]:
    rows = list(CLEAN_ROWS)
    for index, row in replacements:
        rows[index] = row
    return rows


def test_a_clean_table_has_no_finding_under_any_rule_set():
    for ruleset in (central(), local(), central_2015(), central_2022(), local_2015(), local_2022()):
        assert findings(table(*CLEAN_ROWS), ruleset) == ()


HEADER_CASES = [
    ("HDR-NAME-MISSING", ("项目名称|测试项目", "项目名称|")),
    ("HDR-NAME-STRAY", ("项目名称|测试项目", "项目名称|00测试项目")),
    ("HDR-NAME-STRAY", ("项目名称|测试项目", "项目名称|1、测试项目")),
    ("HDR-DEPT-MISSING", ("主管部门|高新区应急管理局", "主管部门|")),
    ("HDR-UNIT-MISSING", ("实施单位|高新区应急管理局", "实施单位|")),
    ("HDR-PERIOD-MISSING", ("项目实施期|2023年1月至2023年12月", "项目实施期|")),
    ("HDR-PERIOD-MISSING", ("项目实施期|2023年1月至2023年12月", "项目实施期|长期")),
    ("HDR-PERIOD-ORDER", ("项目实施期|2023年1月至2023年12月", "项目实施期|2023年12月至2023年1月")),
    ("HDR-PERIOD-YEAR", ("项目实施期|2023年1月至2023年12月", "项目实施期|2024年1月至2024年12月")),
    ("FUND-ANNUAL-MISSING", ("年度金额|10", "年度金额|")),
    ("FUND-SUM", ("|其他资金||其他资金|", "|其他资金||其他资金|3")),
    ("FUND-ANNUAL-EXCEEDS", ("实施期金额|10", "实施期金额|8")),
    ("FUND-NEGATIVE", ("年度金额|10", "年度金额|-10")),
    (
        "FUND-ZERO",
        (
            "年度金额|10\n|其中: 财政拨款|10|其中: 财政拨款|10",
            "年度金额|0\n|其中: 财政拨款|10|其中: 财政拨款|0",
        ),
    ),
    (
        "FUND-ONE-YEAR",
        (
            "实施期金额|10|年度金额|10\n|其中: 财政拨款|10",
            "实施期金额|12|年度金额|10\n|其中: 财政拨款|12",
        ),
    ),
    ("GOAL-ANNUAL-MISSING", ("||完成全区安全培训和检查工作，提升安全水平。|", "|||")),
    ("GOAL-PERIOD-MISSING", ("|完成全区安全培训和检查工作，提升安全水平。||", "|||")),
    ("GOAL-TOO-SHORT", ("||完成全区安全培训和检查工作，提升安全水平。|", "||做好工作。|")),
    (
        "GOAL-NOT-COVERED",
        (
            "||完成全区安全培训和检查工作，提升安全水平。|",
            "||完成全区安全培训和应急演练，提升安全水平。|",
        ),
    ),
]


@pytest.mark.parametrize(("rule_id", "change"), HEADER_CASES)
def test_a_header_rule_fires_on_its_defect(rule_id, change):
    old, new = change
    source = table(*CLEAN_ROWS)
    old_t, new_t = old.replace("|", "\t"), new.replace("|", "\t")
    assert old_t in source, old
    found = findings(source.replace(old_t, new_t, 1))
    assert rule_id in {f.rule for f in found}, found


ROW_CASES = [
    ("STRUCT-NO-INDICATORS", []),
    ("STRUCT-L1-UNKNOWN", rows_with((0, "产出类|数量指标|开展安全培训次数||≥30次"))),
    ("STRUCT-L2-UNKNOWN", rows_with((1, "|质量类|培训合格率||≥95%"))),
    ("STRUCT-L2-PARENT", rows_with((4, "效益指标|时效指标|安全生产事故起数较上年下降幅度||≥5%"))),
    ("STRUCT-L1-MISSING", list(CLEAN_ROWS[:5])),
    ("STRUCT-COST-MISSING", list(CLEAN_ROWS[:3] + CLEAN_ROWS[4:])),
    ("STRUCT-OUTPUT-INCOMPLETE", [r for i, r in enumerate(CLEAN_ROWS) if i != 2]),
    ("IND-NAME-MISSING", rows_with((2, "|时效指标|||100%"))),
    ("IND-DUPLICATE", [*CLEAN_ROWS[:1], "||开展安全培训次数||≥20次", *CLEAN_ROWS[1:]]),
    ("IND-LIFESPAN-PLACE", rows_with((2, "|时效指标|设备使用年限||≥3年"))),
    ("IND-SATISFACTION-PLACE", rows_with((1, "|质量指标|培训满意度||≥95%"))),
    ("IND-COUNT-PLACE", rows_with((1, "|质量指标|活动参与人数||≥2万人"))),
    ("IND-INPUT-AS-OUTPUT", rows_with((0, "产出指标|数量指标|资金投入金额||10万元"))),
    ("IND-INPUT-AS-OUTPUT", rows_with((0, "产出指标|数量指标|资金到位率||100%"))),
    ("VAL-MISSING", rows_with((0, "产出指标|数量指标|开展安全培训次数||"))),
    ("VAL-UNRECOGNIZED", rows_with((0, "产出指标|数量指标|开展安全培训次数||≥三十次"))),
    ("VAL-VAGUE", rows_with((4, "效益指标|社会效益指标|安全生产事故率||降低"))),
    ("VAL-QUAL-FOR-MEASURABLE", rows_with((1, "|质量指标|培训合格率||良好"))),
    ("VAL-QUAL-NO-CRITERION", rows_with((4, "效益指标|社会效益指标|安全意识||良好"))),
    (
        "VAL-SATISFACTION-PERCENT",
        rows_with((5, "满意度指标|服务对象满意度指标|参训人员满意度||满意")),
    ),
    (
        "VAL-SATISFACTION-PERCENT",
        rows_with((5, "满意度指标|服务对象满意度指标|参训人员满意度||≥95分")),
    ),
    ("VAL-RATE-OVER-100", rows_with((1, "|质量指标|培训合格率||≥120%"))),
    ("VAL-RATE-OVER-100", rows_with((1, "|质量指标|培训合格率||>100%"))),
    ("VAL-RATE-UNIT", rows_with((1, "|质量指标|培训合格率||≥95人"))),
    ("VAL-DIRECTION", rows_with((1, "|质量指标|设备故障率||≥5%"))),
    ("VAL-PLACEHOLDER", rows_with((1, "|质量指标|培训合格率(≥**%)||≥95%"))),
    ("VAL-PLACEHOLDER", rows_with((0, "产出指标|数量指标|开展安全培训次数||≥XX次"))),
    (
        "VAL-SATISFACTION-NO-SIGN",
        rows_with((5, "满意度指标|服务对象满意度指标|参训人员满意度||85%")),
    ),
    ("VAL-TIME-NO-DEADLINE", rows_with((2, "|时效指标|培训完成时间||及时"))),
    ("VAL-TIME-NO-DEADLINE", rows_with((2, "|时效指标|培训完成时间||在计划时间内完成"))),
    ("VAL-TIME-NO-DEADLINE", rows_with((2, "|时效指标|培训完成时间||180"))),
    ("VAL-NO-UNIT", rows_with((0, "产出指标|数量指标|培训班次||8"))),
    ("VAL-MONEY-UNIT", rows_with((3, "成本指标|经济成本指标|单次培训成本||≤3万"))),
    ("COST-NO-AMOUNT", rows_with((3, "成本指标|经济成本指标|成本控制率||100%"))),
    ("COST-NO-AMOUNT", rows_with((3, "成本指标|经济成本指标|培训成本||在预算范围内"))),
    ("COST-ZERO", rows_with((3, "成本指标|经济成本指标|单次培训成本||≤0元"))),
    ("IND-NAME-IS-GOAL", rows_with((4, "效益指标|社会效益指标|保障群众生命财产安全||100%"))),
    ("IND-NAME-IS-GOAL", rows_with((4, "效益指标|社会效益指标|2021年度||≥5%"))),
    ("IND-NAME-VALUE-MISMATCH", rows_with((1, "|质量指标|培训合格率达到100%||≥95%"))),
    ("IND-NAME-VALUE-MISMATCH", rows_with((0, "产出指标|数量指标|新增就业120人||≥120个"))),
    ("IND-NAME-MISSING", rows_with((1, "|质量指标|成本||≥95%"))),
    ("IND-COST-PLACE", rows_with((1, "|质量指标|人均培训费用||≤500元/人"))),
]


@pytest.mark.parametrize(("rule_id", "rows"), ROW_CASES)
def test_an_indicator_rule_fires_on_its_defect(rule_id, rows):
    found = findings(table(*rows))
    assert rule_id in {f.rule for f in found}, found


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("安全生产事故率", "≤2%"),  # lower is better, said right
        ("隐患整改率", "≥95%"),  # 整改 of a defect is good
        ("故障处理及时率", "≥95%"),
        ("投诉处理率", "100%"),
    ],
)
def test_direction_is_not_flagged_when_it_is_right(name, value):
    rows = rows_with((1, f"|质量指标|{name}||{value}"))
    assert "VAL-DIRECTION" not in {f.rule for f in findings(table(*rows))}


@pytest.mark.parametrize(
    "name", ["119指挥中心运维经费", "5G网络租用费", "2023年安全培训经费", "12345热线服务费"]
)
def test_a_number_that_is_part_of_a_real_name_is_not_a_stray_mark(name):
    source = table(*CLEAN_ROWS).replace("项目名称\t测试项目", f"项目名称\t{name}")
    assert "HDR-NAME-STRAY" not in {f.rule for f in findings(source)}


SELF_EVALUATION = "\n".join(
    [
        "项目支出绩效自评表",
        "(2019年度)",
        "项目名称\t暖通改造经费",
        "主管部门\t市发改委\t实施单位\t食品工程学校",
        "项目资金(万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "\t年度资金总额\t40\t40\t38\t10\t95%\t9.5",
        "年度总体目标\t预期目标\t实际完成情况",
        "\t完成三栋楼暖通改造，开展安全培训\t已完工",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "产出指标\t数量指标\t改造面积\t≥3000平方米\t3200平方米\t30\t30\t",
        "\t质量指标\t验收合格率\t100%\t95%\t20\t19\t一栋楼返修，已整改",
        "效益指标\t社会效益指标\t安全培训人次\t≥200人次\t220人次\t30\t30\t",
        "满意度指标\t服务对象满意度指标\t学生满意度\t≥90%\t96%\t10\t10\t",
        "总分\t98.5",
        "评价等级\t优",
    ]
)

EVALUATION_CASES = [
    ("EVAL-SCORE-DIFF", ("3200平方米\t30\t30", "3200平方米\t30\t20")),
    ("EVAL-SCORE-OVER-WEIGHT", ("\t10\t10\t", "\t10\t12\t")),
    ("EVAL-WEIGHTS-SUM", ("\t≥90%\t96%\t10", "\t≥90%\t96%\t15")),
    ("EVAL-RATE", ("\t95%\t9.5", "\t0.95\t9.5")),
    ("EVAL-RATE", ("\t95%\t9.5", "\t90%\t9.5")),
    ("EVAL-NO-REASON", ("\t20\t19\t一栋楼返修，已整改", "\t20\t19\t")),
    ("EVAL-TOO-EASY", ("\t≥200人次\t220人次", "\t≥200人次\t300人次")),
    ("EVAL-ACTUAL-MISSING", ("\t≥90%\t96%\t10", "\t≥90%\t\t10")),
    (
        "EVAL-DOUBLE-COUNT",
        (
            "产出指标\t数量指标\t改造面积\t≥3000平方米\t3200平方米\t30\t30\t",
            "产出指标\t数量指标\t一、改造\t≥3000平方米\t3200平方米\t15\t15\t\n"
            "\t\t1、改造面积\t≥3000平方米\t3200平方米\t15\t15\t",
        ),
    ),
    ("EVAL-TOTAL", ("总分\t98.5", "总分\t90")),
    ("EVAL-GRADE", ("评价等级\t优", "评价等级\t良")),
]


def test_a_sound_self_evaluation_has_no_evaluation_finding():
    found = findings(SELF_EVALUATION)
    assert [f.render() for f in found if f.rule.startswith("EVAL-")] == []


@pytest.mark.parametrize(("rule_id", "change"), EVALUATION_CASES)
def test_an_evaluation_rule_fires_on_its_defect(rule_id, change):
    old, new = change
    assert old in SELF_EVALUATION, old
    found = findings(SELF_EVALUATION.replace(old, new, 1))
    assert rule_id in {f.rule for f in found}, [f.render() for f in found]


MONITORING = (ROOT / "tests" / "monitoring" / "central-1-7.txt").read_text("utf-8")
# (rule, what to change in the monitoring table tests/monitoring/central-1-7.txt)
MONITORING_CASES = [
    ("MON-RED", ("|80套|", "|80套|")),  # 80 of 300 by July: 46 %
    ("MON-YELLOW", ("|8台|", "|8台|")),  # 8 of 20: 69 %
    ("MON-BLUE", ("|8台|", "|19台|")),  # 19 of 20 by July: 163 %
    ("MON-NO-PROGRESS", ("|≥90%|||确定能|", "|≥90%||||")),
    ("MON-EXECUTION-BEHIND", ("|13.2|", "|13.2|")),  # 29 % by July
    ("MON-EXECUTION-SLOW", ("|13.2|44.91|", "|22.5|44.91|")),  # 50 %: above 40 %, below 52.5 %
    ("MON-IMPOSSIBLE-NO-REASON", ("|完全不可能|", "|完全不可能|")),
    ("MON-PREDICTED-SHORT", ("|250套|", "|250套|")),
    ("MON-NO-MONTH", ("1-7月", "1-N月")),
]


@pytest.mark.parametrize(("rule_id", "change"), MONITORING_CASES)
def test_each_monitoring_rule_fires(rule_id, change):
    old, new = change
    assert old in MONITORING, old
    found = findings(MONITORING.replace(old, new))
    assert rule_id in {f.rule for f in found}, [f.render() for f in found]


def test_every_rule_has_a_test_that_makes_it_fire():
    tested = {rule_id for rule_id, _ in HEADER_CASES} | {rule_id for rule_id, _ in ROW_CASES}
    tested |= {rule_id for rule_id, _ in EVALUATION_CASES}
    tested |= {rule_id for rule_id, _ in MONITORING_CASES}
    assert {r.id for r in all_rules()} <= tested


def test_a_finding_names_the_item_and_carries_fix_and_basis():
    rows = rows_with((4, "效益指标|社会效益指标|安全生产事故率||降低"))
    vague = next(f for f in findings(table(*rows)) if f.rule == "VAL-VAGUE")
    assert "安全生产事故率" in vague.message and "降低" in vague.message
    assert "较上年下降" in vague.fix
    assert "88号" in vague.basis
    assert vague.severity is Severity.WARNING
    assert vague.source.line == 16 and vague.indicator == "安全生产事故率"


@pytest.mark.parametrize(
    ("year", "family", "expected"),
    [
        (2023, central, [Severity.ERROR]),
        (2019, central, [Severity.INFO]),
        (2023, local, [Severity.WARNING]),
        (2019, local, []),
        (2021, local, []),
        (2022, local, [Severity.WARNING]),
    ],
)
def test_cost_indicators_are_required_by_the_rule_set_of_the_tables_year(year, family, expected):
    source = table(*(CLEAN_ROWS[:3] + CLEAN_ROWS[4:])).replace("2023", str(year))
    found = findings(source, family())
    assert [f.severity for f in found if f.rule == "STRUCT-COST-MISSING"] == expected


def test_a_family_chooses_the_version_of_the_year_and_the_newest_without_one():
    assert local().for_year(2017).name == "local-2015"
    assert local().for_year(2022).name == "local-2022"
    assert local().for_year(None).name == "local-2022"
    assert central().for_year(1999).name == "central-2015"
    assert local_2015().for_year(2030).name == "local-2015"  # a version chosen by name stays


@pytest.mark.parametrize(
    ("rule_id", "rows"),
    [
        # time targets in their common writings are time targets
        ("VAL-UNRECOGNIZED", rows_with((2, "|时效指标|培训完成时间||2022年4月--2022年9月"))),
        ("VAL-QUAL-FOR-MEASURABLE", rows_with((2, "|时效指标|培训完成时间||2021.3.1-2021.10.31"))),
        ("VAL-TIME-NO-DEADLINE", rows_with((2, "|时效指标|培训完成时间||2023年6月底前"))),
        # other equals signs and tolerances are quantitative
        ("VAL-QUAL-FOR-MEASURABLE", rows_with((1, "|质量指标|培训合格率||═100%"))),
        ("VAL-QUAL-FOR-MEASURABLE", rows_with((1, "|质量指标|误差率||±5%以内"))),
        # a service or spending window is not a lifespan
        ("IND-LIFESPAN-PLACE", rows_with((2, "|时效指标|资金使用周期||≤12个月"))),
        ("IND-LIFESPAN-PLACE", rows_with((2, "|时效指标|服务周期||12个月"))),
        # a 满意度 indicator under 效益 is said once
        ("STRUCT-L2-PARENT", rows_with((4, "效益指标|服务对象满意度指标|参训人员满意度||≥95%"))),
        # a satisfaction target of 100% needs no sign
        ("VAL-SATISFACTION-NO-SIGN", rows_with((5, "满意度指标|服务对象满意度指标|满意度||100%"))),
        # a standard stated in words can be judged
        ("VAL-QUAL-NO-CRITERION", rows_with((1, "|质量指标|培训质量||符合国家标准"))),
        # each object of a project has its own set of indicators
        (
            "IND-DUPLICATE",
            [
                "产出指标|数量指标|吴冲路:建设里程||1.091公里",
                "||路面宽度||≥3.5米",
                "||枫树路:建设里程||0.875公里",
                "||路面宽度||≥3.5米",
                *CLEAN_ROWS[1:],
            ],
        ),
        # a unit in the name is a unit
        ("VAL-NO-UNIT", rows_with((0, "产出指标|数量指标|培训人员(人)||300"))),
        ("VAL-NO-UNIT", rows_with((0, "产出指标|数量指标|培训人数||500"))),
        ("IND-NAME-VALUE-MISMATCH", rows_with((0, "产出指标|数量指标|受益人口(人)||≥1万人"))),
        # "none" is the target of a negative effect; a negated direction is no direction
        (
            "VAL-QUAL-NO-CRITERION",
            rows_with((3, "成本指标|社会成本指标|对社会的负面影响||无")),
        ),
        ("VAL-QUAL-NO-CRITERION", rows_with((4, "效益指标|生态效益指标|环境污染||无"))),
        ("VAL-VAGUE", rows_with((4, "效益指标|社会效益指标|群众负担||不增加群众负担"))),
        # a standard named in words, a deadline followed by its action
        ("VAL-UNRECOGNIZED", rows_with((1, "|质量指标|工程质量||达到国家相关标准"))),
        ("VAL-UNRECOGNIZED", rows_with((2, "|时效指标|招标完成时间||2023年10月底前完成招标"))),
        ("VAL-TIME-NO-DEADLINE", rows_with((2, "|时效指标|招标完成时间||2023年10月底前完成招标"))),
        ("VAL-TIME-NO-DEADLINE", rows_with((2, "|时效指标|完成时间||年底前"))),
        (
            "VAL-QUAL-FOR-MEASURABLE",
            rows_with((2, "|时效指标|资金拨付时间||收到资金后10个工作日内")),
        ),
        # an amount written in the words of a cost; zero overspend is no zero cost
        ("COST-NO-AMOUNT", rows_with((3, "成本指标|经济成本指标|补助标准||每人每月300元"))),
        ("COST-ZERO", rows_with((3, "成本指标|经济成本指标|成本超支率||≤0%"))),
        # 二级 variants and weights next to a category
        ("STRUCT-L2-UNKNOWN", rows_with((2, "|时效性指标|培训完成及时率||100%"))),
        ("STRUCT-L1-UNKNOWN", [r.replace("产出指标|", "产出指标（50%）|") for r in CLEAN_ROWS]),
        # counts under 满意度 are no satisfaction rates; 万 of people is no money
        (
            "VAL-SATISFACTION-PERCENT",
            rows_with((5, "满意度指标|服务对象满意度指标|有效投诉||≤2件")),
        ),
        ("VAL-MONEY-UNIT", rows_with((0, "产出指标|数量指标|受益人口||≥1万"))),
        # one defect, one finding
        ("VAL-UNRECOGNIZED", rows_with((0, "产出指标|数量指标|开展安全培训次数||≥**次"))),
    ],
)
def test_ordinary_values_raise_no_false_alarm(rule_id, rows):
    assert rule_id not in {f.rule for f in findings(table(*rows))}


@pytest.mark.parametrize(
    ("rule_id", "rows"),
    [
        ("VAL-VAGUE", rows_with((4, "效益指标|社会效益指标|群众安全感||群众安全感进一步增强"))),
        ("IND-NAME-IS-GOAL", rows_with((4, "效益指标|社会效益指标|农村人居环境明显改善||100%"))),
        ("VAL-SATISFACTION-NO-SIGN", rows_with((5, "满意度指标|服务对象满意度指标|满意度||＝90%"))),
        ("VAL-VAGUE", rows_with((4, "效益指标|社会效益指标|安全生产水平||较上年提高"))),
    ],
)
def test_defects_in_longer_or_other_writings_are_caught(rule_id, rows):
    assert rule_id in {f.rule for f in findings(table(*rows))}


def test_a_one_year_period_in_a_table_of_a_stated_year_is_that_year():
    source = table(*CLEAN_ROWS).replace("2023年1月至2023年12月", "1年")
    assert "HDR-PERIOD-MISSING" not in {f.rule for f in findings(source)}


def test_a_synonym_category_is_said_once_and_its_rows_are_judged_under_it():
    rows = [r.replace("产出指标|", "项目完成指标|") for r in CLEAN_ROWS]
    result = text.read(table(*rows).encode(), "t.txt")
    said = [f for f in result.findings if f.rule == "READ-CATEGORY-SYNONYM"]
    assert len(said) == 1
    review = {f.rule for f in review_projects(result.projects, central()).findings}
    assert not review & {"STRUCT-L1-UNKNOWN", "STRUCT-L1-MISSING"}


def test_a_header_label_the_form_does_not_have_is_not_reported_missing():
    source = table(*CLEAN_ROWS).replace(
        "项目名称\t测试项目\t\t项目实施期\t2023年1月至2023年12月", "项目名称\t测试项目"
    )
    assert "项目实施期" not in source
    assert "HDR-PERIOD-MISSING" not in {f.rule for f in findings(source)}


def test_cost_under_output_counts_as_a_cost_indicator():
    rows = [*CLEAN_ROWS[:3], "|成本指标|单次培训成本||≤0.3万元", *CLEAN_ROWS[4:]]
    assert "STRUCT-COST-MISSING" not in {f.rule for f in findings(table(*rows))}


def test_a_rule_that_crashes_becomes_an_internal_finding_and_the_others_still_run():
    @rule("TEST-BROKEN", Severity.WARNING, "broken", "none")
    def broken(project: Project):
        raise ZeroDivisionError("boom")

    @rule("TEST-FINE", Severity.INFO, "fine", "none")
    def fine(project: Project):
        yield Hit("ok", project.source)

    assert isinstance(broken, Rule)
    ruleset = RuleSet("t", "t", "t", ((broken, Severity.WARNING), (fine, Severity.INFO)))
    found = list(run_rules(project_of(table(*CLEAN_ROWS)), ruleset))
    assert [f.rule for f in found] == ["INTERNAL", "TEST-FINE"]
    assert "TEST-BROKEN" in found[0].message and "ZeroDivisionError" in found[0].message


def test_rule_sets_are_chosen_by_name():
    assert get_ruleset("central").name == "central"
    assert get_ruleset("local-2015").name == "local-2015"
    assert get_ruleset("nowhere") is None


def test_review_is_per_project_and_sorted_by_place():
    project = project_of(table(*rows_with((0, "产出指标|数量指标|开展安全培训次数||"))))
    other = replace(project, name="")
    found = review_projects([project, other], central()).findings
    assert [f.rule for f in found].count("VAL-MISSING") == 2
    assert found == tuple(
        sorted(found, key=lambda f: (f.source.sort_key(), f.severity.rank, f.rule))
    )
