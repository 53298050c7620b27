"""Reading real-world tables, capability by capability, on inline examples shaped like the
published ones (tests/corpus holds the real tables themselves)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from jixiao.core.model import Scope
from jixiao.core.targets import Kind
from jixiao.formats import json as json_format
from jixiao.formats import text


def read(source: str):
    return text.read(source.encode("utf-8"), "t.txt")


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def grid(*rows: str) -> str:
    return "\n".join(["一级指标\t二级指标\t三级指标\t指标值", *rows])


SIMPLE_GRID = grid(
    "产出指标\t数量指标\t培训场次\t≥12场", "满意度指标\t服务对象满意度指标\t学员满意度\t≥90%"
)


# --- header labels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "项目名称",
        "项目支出名称",
        "专项名称",
        "专项(项目)名称",
        "转移支付(项目)名称",
        "一级项目名称",
        "二级项目名称",
        "项目 名称",
        "项目名称：",
    ],
)
def test_every_published_spelling_of_the_name_label_names_the_project(label):
    (project,) = read(f"{label}\t农村道路养护\n{SIMPLE_GRID}").projects
    assert project.name == "农村道路养护"


@pytest.mark.parametrize(
    "label", ["主管部门", "主管预算部门", "预算部门", "预算单位", "主管部门及代码"]
)
def test_every_spelling_of_the_department_label_gives_the_department(label):
    (project,) = read(f"项目名称\t农村道路养护\t{label}\t县交通运输局\n{SIMPLE_GRID}").projects
    assert project.department == "县交通运输局"


@pytest.mark.parametrize("label", ["实施期", "项目期", "项目实施期", "实施周期", "项目起止时间"])
def test_every_spelling_of_the_period_label_gives_the_period(label):
    (project,) = read(f"项目名称\t道路养护\t{label}\t2022年3月-2023年11月\n{SIMPLE_GRID}").projects
    assert project.period.text == "2022年3月-2023年11月"
    assert (str(project.period.start), str(project.period.end)) == ("2022-03", "2023-11")


@pytest.mark.parametrize(
    ("cells", "amount"),
    [
        ("项目预算金额\t86", "86"),
        ("年度财政资金总额\t86万元", "86"),
        ("年度本级预算金额\t86.00", "86"),
        ("项目金额\t1,250,000元", "125"),
        ("预算金额\t25,674.55万元", "25674.55"),
        ("当年预算\t0.5", "0.5"),
    ],
)
def test_amounts_under_every_label_in_wan_yuan_exactly(cells, amount):
    (project,) = read(f"项目名称\t道路养护\n{cells}\n{SIMPLE_GRID}").projects
    assert project.funds.annual.total == Decimal(amount)


def test_an_amount_in_yuan_is_converted_exactly_and_its_text_is_kept_in_a_finding():
    result = read(f"单位：元\n项目名称\t道路养护\n年度资金总额\t1,234,567\n{SIMPLE_GRID}")
    (project,) = result.projects
    assert project.funds.annual.total == Decimal("123.4567")
    (note,) = [f for f in result.findings if f.rule == "READ-YUAN"]
    assert "1,234,567" in note.message and "123.4567" in note.message


def test_funding_split_by_source_is_kept_by_source():
    source = "\n".join(
        [
            "项目名称\t造林绿化",
            "资金情况(万元)\t年度资金总额:\t153.5",
            "\t其中:1.中央资金\t100",
            "\t2.市级资金\t53.5",
            "\t3.区级资金\t",
            SIMPLE_GRID,
        ]
    )
    (project,) = read(source).projects
    assert project.funds.annual.total == Decimal("153.5")
    assert project.funds.annual.sources == (
        ("中央资金", Decimal(100)),
        ("市级资金", Decimal("53.5")),
        ("区级资金", None),
    )


@pytest.mark.parametrize(
    "line",
    [
        "项目名称 道路养护 项目负责人 张三",
        "项目名称道路养护项目负责人张三",
        "项目名称：道路养护\t项目编号:\t2024-018",
        "项目名称\t道路养护\t联系电话\t0557-5788003",
    ],
)
def test_a_label_never_swallows_the_next_label(line):
    (project,) = read(f"{line}\n{SIMPLE_GRID}").projects
    assert project.name == "道路养护"


def test_other_labelled_fields_are_kept_as_attributes():
    (project,) = read(
        f"项目名称\t道路养护\t项目属性\t延续\n项目负责人\t张三\n{SIMPLE_GRID}"
    ).projects
    assert ("项目属性", "延续") in project.attributes
    assert ("项目负责人", "张三") in project.attributes


def test_goal_labels_one_per_paragraph_give_their_texts_in_order():
    # cell per paragraph: "总体目标 / 中期目标 / 年度目标", then one text each
    lines = [
        "项目名称",
        "教育设施建设",
        "总体目标",
        "",
        "中期目标",
        "",
        "年度目标",
        "",
        "优化教育布局",
        " ",
        "按计划完成重点项目建设",
        "",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "产出指标",
        "数量指标",
        "培训场次",
        "≥12场",
    ]
    project = read("\n".join(lines) + "\n").projects[0]
    assert (project.goals.period, project.goals.annual) == (
        "优化教育布局",
        "按计划完成重点项目建设",
    )


def test_the_total_used_is_not_taken_for_the_budget():
    lines = [
        "专项名称\t普惠金融发展专项资金",
        "资金情况(万元)\t年度金额\t208",
        "资金使用情况(万元)\t合计\t109.8",
        "年度总体目标\t支持农村金融组织体系建设",
        *SIMPLE_GRID.splitlines(),
    ]
    project = read("\n".join(lines) + "\n").projects[0]
    assert project.funds.annual.total == Decimal("208") and project.funds.period.total is None


def test_a_header_label_used_as_an_indicator_name_stays_in_the_grid():
    source = grid(
        "产出指标\t数量指标\t培训次数\t≥30次",
        "\t\t项目总投资\t≤120万元",
        "\t时效指标\t项目实施周期\t12个月",
        "满意度指标\t服务对象满意度指标\t满意度\t≥95%",
    )
    project = read("项目名称\t测试项目\n" + source + "\n").projects[0]
    assert [i.name for i in project.indicators] == [
        "培训次数",
        "项目总投资",
        "项目实施周期",
        "满意度",
    ]
    assert project.funds.period.total is None


def test_a_department_table_is_named_by_its_department():
    source = (
        f"部门整体支出绩效目标表\n部门(单位)名称\t县林业局\n年度绩效目标\t保障运转\n{SIMPLE_GRID}"
    )
    (project,) = read(source).projects
    assert project.name == "县林业局" and project.scope == Scope.DEPARTMENT


def test_a_transfer_table_is_named_by_its_fund():
    (project,) = read(f"专项名称\t普惠金融发展专项资金\n{SIMPLE_GRID}").projects
    assert project.scope == Scope.TRANSFER


# --- indicator grids ------------------------------------------------------------------------


def test_split_value_columns_in_any_order_are_joined_operator_value_unit():
    source = "\n".join(
        [
            "项目名称\t造林绿化",
            "一级指标\t二级指标\t三级指标\t计量单位\t指标性质\t指标值",
            "产出指标\t数量指标\t绿化美化公路\t米\t=\t3500",
            "\t\t购买发放李子苗\t株\t≥\t15000",
            "\t质量指标\t树木成活率\t%\t≥\t85",
            "效益指标\t社会效益指标\t群众环境意识\t\t定性\t提高",
        ]
    )
    (project,) = read(source).projects
    assert [i.target.text for i in project.indicators] == ["=3500米", "≥15000株", "≥85%", "提高"]
    assert project.indicators[3].target.kind is Kind.QUALITATIVE


def test_a_value_type_column_and_a_value_content_column_are_read():
    source = "\n".join(
        [
            "项目名称\t疾病预防控制",
            "一级指标\t二级指标\t三级指标\t指标值类型\t目标值\t度量单位\t指标值内容",
            "成本指标\t经济成本指标\t中心经费\t≤\t70\t万元\t反映中心经费。",
            "\t社会成本指标\t不利影响\t定性\t减少\t\t反映不利影响。",
        ]
    )
    (project,) = read(source).projects
    first, second = project.indicators
    assert (first.target.text, first.note) == ("≤70万元", "反映中心经费。")
    assert (second.target.text, second.target.kind) == ("减少", Kind.QUALITATIVE)


def test_a_grid_with_no_category_columns_gives_weights_and_no_categories():
    source = "\n".join(
        [
            "专项资金名称\t在职村干部补助",
            "当年预算\t9.31",
            "绩效指标\t指标\t指标权重\t计量单位\t指标性质\t指标值",
            "\t按月发放\t20\t次\t=\t1",
            "\t本土人才满意度\t10\t%\t≥\t95",
            "\t促进经济发展\t20\t\t定性\t",
        ]
    )
    (project,) = read(source).projects
    assert [(i.level1, i.name, i.target.text, i.weight) for i in project.indicators] == [
        ("", "按月发放", "=1次", Decimal(20)),
        ("", "本土人才满意度", "≥95%", Decimal(10)),
        ("", "促进经济发展", "", Decimal(20)),
    ]


def test_a_direction_column_is_kept():
    source = "\n".join(
        [
            "项目名称\t污水处理",
            "一级指标\t二级指标\t三级指标\t指标值\t度量单位\t指标方向",
            "效益指标\t生态效益指标\t超标排放次数\t3\t次\t反向",
        ]
    )
    (indicator,) = read(source).projects[0].indicators
    assert indicator.stated_direction == "反向" and indicator.target.text == "3次"


def test_a_period_grid_beside_the_annual_one_keeps_both_values():
    source = "\n".join(
        [
            "项目名称\t新建高校",
            "一级指标\t二级指标(长期)\t三级指标(长期)\t指标值(长期)\t二级指标(年度)\t三级指标(年度)\t指标值(年度)",
            "产出指标\t数量指标\t新建校区数\t7所\t数量指标\t新建校区数\t3所",
        ]
    )
    (indicator,) = read(source).projects[0].indicators
    assert indicator.target.text == "3所"
    assert indicator.period_target is not None and indicator.period_target.text == "7所"


@pytest.mark.parametrize(
    ("category", "canonical"),
    [
        ("产出指标(50分)", "产出指标"),
        ("一、产出指标", "产出指标"),
        ("产 出 指 标", "产出指标"),
        ("项目完成指标", "产出指标"),
    ],
)
def test_categories_with_score_notes_numbering_or_spaces_are_read_as_the_category(
    category, canonical
):
    source = "\n".join(["项目名称\t道路养护", "一级指标\t二级指标\t三级指标\t指标值"])
    source += f"\n{category}\t数量指标\t养护里程\t≥300公里"
    (indicator,) = read(source).projects[0].indicators
    assert indicator.category1 == canonical


def test_a_first_level_synonym_is_read_as_the_framework_category_and_said_once():
    source = "\n".join(
        [
            "项目名称\t养老服务",
            "一级指标\t二级指标\t三级指标\t指标值",
            "项目完成指标\t数量指标\t服务人数\t≥500人",
            "项目完成指标\t质量指标\t服务合格率\t≥95%",
        ]
    )
    result = read(source)
    assert [i.level1 for i in result.projects[0].indicators] == ["项目完成指标"] * 2
    assert [i.category1 for i in result.projects[0].indicators] == ["产出指标"] * 2
    assert rules(result).count("READ-CATEGORY-SYNONYM") == 1


def test_a_category_written_one_character_per_line_is_one_category():
    heading = ["专项名称", "普惠金融", "一级", "指标", "二级指标", "三级指标", "指标值"]
    source = "\n".join([*heading, "产", "出", "指", "标", "数量指标", "贷款发放额", "4000万元"])
    (indicator,) = read(source).projects[0].indicators
    assert (indicator.level1, indicator.name, indicator.target.text) == (
        "产出指标",
        "贷款发放额",
        "4000万元",
    )


def test_template_placeholder_rows_are_not_indicators():
    source = "\n".join(
        [
            "项目名称\t暖通改造",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t指标1工程完工率\t100%",
            "\t\t指标2\t",
            "\t\t……\t",
        ]
    )
    result = read(source)
    assert [i.name for i in result.projects[0].indicators] == ["指标1工程完工率"]
    assert rules(result).count("READ-PLACEHOLDER-ROW") == 2


def test_a_glued_grid_is_split_by_the_framework_and_the_value_grammar():
    source = "\n".join(
        [
            "项目名称农村义务教育薄弱学校改造补助资金",
            "绩效指标一级指标二级指标指标内容指标值",
            "产出指标数量指标农村义务教育学校改造覆盖率100%",
            "质量指标校舍维修改造质量合格率100%",
            "效益指标可持续影响指标义务教育优质均衡发展情况稳步提高",
        ]
    )
    (project,) = read(source).projects
    assert project.name == "农村义务教育薄弱学校改造补助资金"
    assert [(i.level2, i.name, i.target.text) for i in project.indicators] == [
        ("数量指标", "农村义务教育学校改造覆盖率", "100%"),
        ("质量指标", "校舍维修改造质量合格率", "100%"),
        ("可持续影响指标", "义务教育优质均衡发展情况", "稳步提高"),
    ]


# --- several projects -------------------------------------------------------------------------

WIDE = "\n".join(
    [
        "单位名称\t项目名称\t预算数\t年度目标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重\t指标方向性",
        "市林业局\t森林防火经费\t120\t完成全市巡查\t产出指标\t数量指标\t巡查次数\t≥\t52\t次\t20\t正向",
        "\t\t\t\t产出指标\t质量指标\t火灾受害率\t≤\t0.9\t‰\t20\t反向",
        "市林业局\t古树名木保护\t35.5\t保护古树300株\t效益指标\t生态效益指标\t古树存活率\t≥\t98\t%\t30\t正向",
        "市林业局合计\t\t155.5\t\t\t\t\t\t\t\t\t",
    ]
)


def test_a_list_of_projects_gives_one_project_per_name_and_skips_the_subtotal():
    result = read(WIDE)
    fire, trees = result.projects
    assert (fire.name, fire.department, fire.funds.annual.total) == (
        "森林防火经费",
        "市林业局",
        120,
    )
    assert fire.goals.annual == "完成全市巡查"
    assert [(i.name, i.target.text, i.weight, i.stated_direction) for i in fire.indicators] == [
        ("巡查次数", "≥52次", Decimal(20), "正向"),
        ("火灾受害率", "≤0.9‰", Decimal(20), "反向"),
    ]
    assert (trees.name, trees.funds.annual.total, len(trees.indicators)) == (
        "古树名木保护",
        Decimal("35.5"),
        1,
    )
    assert "READ-SUBTOTAL-ROW" in rules(result)


def test_tables_one_after_another_are_projects_one_after_another():
    one = f"项目名称\t甲项目\n{SIMPLE_GRID}"
    two = f"项目名称\t乙项目\n{SIMPLE_GRID}"
    page = f"项目支出绩效目标表\n(2024年度)\n{one}\n项目支出绩效目标表\n(2024年度)\n{two}\n"
    result = read(page)
    assert [p.name for p in result.projects] == ["甲项目", "乙项目"]
    assert [len(p.indicators) for p in result.projects] == [2, 2]
    assert all(p.year == 2024 for p in result.projects)


def test_a_page_break_inside_a_grid_does_not_end_the_table():
    page = "\n".join(
        [
            "项目名称\t甲项目",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t培训场次\t≥12场",
            "项目支出绩效目标表",
            "(2024年度)",
            "效益指标\t社会效益指标\t参训人员技能\t提高",
        ]
    )
    (project,) = read(page).projects
    assert [i.name for i in project.indicators] == ["培训场次", "参训人员技能"]


# --- self-evaluation ---------------------------------------------------------------------------

SELF_EVALUATION = "\n".join(
    [
        "项目支出绩效自评表",
        "(2019年度)",
        "项目名称\t暖通改造经费",
        "主管部门\t市发改委\t实施单位\t食品工程学校",
        "项目资金(万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "\t年度资金总额\t43.2\t43.2\t37.24\t10\t86%\t9",
        "\t其中:当年财政拨款\t43.2\t43.2\t37.24\t\t\t",
        "\t上年结转资金\t\t\t\t\t\t",
        "年度总体目标\t预期目标\t实际完成情况",
        "\t完成三栋楼暖通改造\t已完工",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "产出指标\t数量指标\t改造面积\t≥3000平方米\t3200平方米\t20\t20\t",
        "\t质量指标\t验收合格率\t100%\t95%\t20\t18\t一栋楼返修，已整改",
        "满意度指标\t服务对象满意度指标\t学生满意度\t≥90%\t96%\t10\t10\t",
        "总分\t95",
    ]
)


def test_a_self_evaluation_table_is_read_into_the_self_evaluation_model():
    result = read(SELF_EVALUATION)
    (project,) = result.projects
    evaluation = project.evaluation
    assert evaluation is not None
    assert (evaluation.total.planned, evaluation.total.budget, evaluation.total.executed) == (
        Decimal("43.2"),
        Decimal("43.2"),
        Decimal("37.24"),
    )
    assert evaluation.total.rate_reported == "86%"
    assert evaluation.total.rate == Decimal("37.24") / Decimal("43.2")  # computed, never typed
    assert (evaluation.total.weight, evaluation.total.score) == (Decimal(10), Decimal(9))
    assert evaluation.fiscal.executed == Decimal("37.24")
    assert (evaluation.goal_expected, evaluation.goal_actual) == ("完成三栋楼暖通改造", "已完工")
    assert evaluation.total_reported == Decimal(95)
    assert project.funds.annual.total == Decimal("43.2")
    quality = project.indicators[1]
    assert quality.actual is not None and quality.actual.text == "95%"
    assert (quality.weight, quality.score) == (Decimal(20), Decimal(18))
    assert quality.deviation == "一栋楼返修，已整改"
    assert result.tables[0].kind == "self-evaluation"


def test_a_self_evaluation_survives_the_json_round_trip_and_validates():
    (project,) = read(SELF_EVALUATION).projects
    document = json.loads(json_format.dumps([project]))
    data = document["projects"][0]
    assert data["evaluation"]["budget"]["total"]["rate"] == "0.862037"
    assert data["evaluation"]["budget"]["total"]["rate_reported"] == "86%"
    assert data["indicators"][1]["actual"]["text"] == "95%"
    assert data["indicators"][1]["score"] == "18"
    again = json_format.read(json_format.dumps([project]).encode(), "x.json")
    assert not again.fatal, again.findings
    assert again.projects[0].evaluation == project.evaluation
    assert again.projects[0].indicators == tuple(
        i.__class__(
            **{
                **{f: getattr(i, f) for f in i.__slots__},
                "source": again.projects[0].indicators[n].source,
            }
        )
        for n, i in enumerate(project.indicators)
    )


# --- page furniture and confidence ------------------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    [
        "扫一扫在手机打开当前页",
        "[下载] [打印] [关闭]",
        "打印本页 关闭窗口",
        "(盖章)",
        "财政部门审核意见",
        "初审意见：",
        "填报人：张三",
        "联系电话：0557-5788003",
        "附件2",
        "当前页面:首页 >>信息公开>>财政信息",
        "发布时间:2025-03-20 09:32",
    ],
)
def test_page_furniture_around_a_table_is_never_a_project_or_an_indicator(furniture):
    result = read(f"{furniture}\n项目名称\t甲项目\n{SIMPLE_GRID}\n{furniture}\n")
    (project,) = result.projects
    assert [i.name for i in project.indicators] == ["培训场次", "学员满意度"]
    assert "READ-IGNORED-LINE" in rules(result)
    assert "READ-LOW-CONFIDENCE" not in rules(result)


def test_a_table_in_traditional_characters_with_inserted_pinyin_is_read_as_simplified():
    source = "\n".join(
        [
            "項(xiàng)目名稱\t學(xué)生資助",
            "一級(jí)指標(biāo)\t二級(jí)指標(biāo)\t三級(jí)指標(biāo)\t指標(biāo)值",
            "產(chǎn)出指標(biāo)\t數(shù)量指標(biāo)\t受助學(xué)生數(shù)\t100人",
        ]
    )
    result = read(source)
    (project,) = result.projects
    assert project.name == "学生资助"
    (indicator,) = project.indicators
    assert (indicator.level1, indicator.level2, indicator.name) == (
        "产出指标",
        "数量指标",
        "受助学生数",
    )
    assert "READ-TRADITIONAL" in rules(result)


def test_a_table_read_with_low_confidence_says_so_as_an_error():
    source = "\n".join(
        [
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t培训场次\t",
            "\t\t检查次数\t",
            "\t质量指标\t合格率\t",
        ]
    )
    result = read(source)
    (confidence,) = [f for f in result.findings if f.rule == "READ-LOW-CONFIDENCE"]
    assert confidence.severity.value == "error"
    assert "没有项目名称" in confidence.message and "没有指标值" in confidence.message
    assert not result.tables[0].confident


# --- targets written as text -----------------------------------------------------------------


def test_a_letter_listing_targets_under_headings_is_read():
    source = "\n".join(
        [
            "标 题: | 同心县2025年设施农业技术培训项目绩效目标设定 |",
            "县人民政府:",
            "根据有关文件精神，安排培训资金30万元。现将具体绩效目标设定如下:",
            "一、产出指标",
            "(一)数量指标",
            "设施温棚种植人员(县内培训)≧300人;",
            "(三)时效指标",
            "完成时限,2025年10月底前;",
            "(四)成本指标",
            "设施农业种植人员(县内培训)≦1000元/人;",
            "二、效益指标",
            "(四)可持续影响指标",
            "农民综合素质,持续提高。",
            "三、满意度指标",
            "参训学员满意度≥95%。",
        ]
    )
    (project,) = read(source).projects
    assert project.name == "同心县2025年设施农业技术培训项目"
    assert [(i.category1, i.category2, i.name, i.target.text) for i in project.indicators] == [
        ("产出指标", "数量指标", "设施温棚种植人员(县内培训)", "≧300人"),
        ("产出指标", "时效指标", "完成时限", "2025年10月底前"),
        ("产出指标", "成本指标", "设施农业种植人员(县内培训)", "≦1000元/人"),
        ("效益指标", "可持续影响指标", "农民综合素质", "持续提高"),
        ("满意度指标", None, "参训学员满意度", "≥95%"),
    ]
    assert project.indicators[1].target.kind is Kind.TIME


def test_targets_written_in_one_cell_are_split_into_indicators():
    source = "\n".join(
        [
            "项目名称 | 全市文物保护专项经费 | 预算金额 | 36万元 |",
            "年度绩效总目标 | 产出指标 | 开展文物安全巡查频次8次;文物保护项目验收合格率≥86%; |",
            "效益指标 | 指标1:培训场次(≥12场);文物保护名录和数据库基本健全。 |",
        ]
    )
    (project,) = read(source).projects
    assert [(i.category1, i.name, i.target.text) for i in project.indicators] == [
        ("产出指标", "开展文物安全巡查频次", "8次"),
        ("产出指标", "文物保护项目验收合格率", "≥86%"),
        ("效益指标", "培训场次", "≥12场"),
        ("效益指标", "文物保护名录和数据库", "基本健全"),
    ]
