"""Reading the published text form, quirk by quirk, then the whole seed."""

from __future__ import annotations

import codecs
import hashlib
from decimal import Decimal

import pytest

from jixiao.core.targets import Kind
from jixiao.formats import text
from tests.conftest import CLEAN_ROWS, SEED, SHARED_SEED, table


def read(source: str, path: str = "t.txt"):
    return text.read(source.encode("utf-8"), path)


def only_project(source: str):
    result = read(source)
    assert not result.fatal, result.findings
    assert len(result.projects) == 1
    return result.projects[0], result.findings


# --- the seed ------------------------------------------------------------------


def test_the_seed_loads_nine_projects_with_66_indicators_and_282_8_wan_yuan(seed):
    assert not seed.fatal
    assert len(seed.projects) == 9
    assert sum(len(p.indicators) for p in seed.projects) == 66
    assert sum(p.funds.annual.total for p in seed.projects) == Decimal("282.8")
    assert sum(p.funds.period.total for p in seed.projects) == Decimal("282.8")
    assert seed.findings == (), "the seed has no reading problem: its defects are review findings"


# SHA-256 of the published text (../shared/seeds/000_050a22b668eafba9.txt), recorded when
# it was copied: the repository passes its tests on its own, without ../shared.
PUBLISHED_SEED_SHA256 = "3d44c45b3fa561e9874d7f25468d815e905ad14b1b55f43939bb95157511b3e6"


def test_the_repository_copy_of_the_seed_is_the_published_text():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == PUBLISHED_SEED_SHA256
    if SHARED_SEED.exists():  # beside the shared brief: the same bytes as the original
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


SEED_PROJECTS = [
    # name, line, annual total, number of indicators
    ("00安全生产监管第三方服务经费", 13, "102.9", 8),
    ("农村住房保险保费补贴(区级配套)", 40, "0.5", 7),
    ("森林防火物资采购", 66, "44.91", 8),
    ("通信网络资源租用费用", 93, "23.7", 7),
    ("应急管理局执法服装采购经费", 119, "7.48", 7),
    ("应急救援储备物资采购", 145, "20", 7),
    ("应急局工作业务经费", 171, "51.31", 8),
    ("应急局规划编制经费", 196, "6", 7),
    ("应急指挥中心运维费", 222, "26", 7),
]


@pytest.mark.parametrize(("index", "expected"), list(enumerate(SEED_PROJECTS)))
def test_each_seed_project_has_its_header_funds_and_goals(seed, index, expected):
    name, line, annual, count = expected
    project = seed.projects[index]
    assert project.name == name
    assert project.source.line == line
    assert project.department == "高新区应急管理局"
    assert project.implementing_unit == "高新区应急管理局"
    assert project.year == 2023
    assert project.period.text == "2023年1月至2023年12月"
    assert (str(project.period.start), str(project.period.end)) == ("2023-01", "2023-12")
    for column in (project.funds.period, project.funds.annual):
        assert column.total == Decimal(annual)
        assert column.fiscal == Decimal(annual)
        assert column.other is None, "an empty 其他资金 cell is absent, not zero"
    assert len(project.indicators) == count
    assert project.goals.annual and project.goals.period
    assert project.goals.annual == project.goals.period  # the seed repeats the goal
    assert project.source_of("funds.annual.total").line == line + 2


def test_seed_goals_are_read_whole(seed):
    goals = seed.projects[1].goals
    assert goals.period.startswith("依据《关于全面推进农村住房保险工作的通知》(大民发〔2017〕62号)")
    assert goals.period.endswith("确保农村住房保险补贴及时到位。")


def test_seed_indicators_remember_their_lines(seed):
    lines = [i.source.line for p in seed.projects for i in p.indicators]
    assert lines[:8] == [21, 22, 23, 24, 25, 26, 27, 28]
    assert lines[-1] == 236
    assert all(i.source.path == str(SEED) for p in seed.projects for i in p.indicators)


def test_the_shifted_rows_of_forest_fire_procurement_are_classified_by_vocabulary(seed):
    forest = seed.projects[2]
    rows = {i.name: i for i in forest.indicators}
    utilisation = rows["装备利用率"]  # "\t效益指标\t社会效益指标\t装备利用率\t": shifted right
    assert (utilisation.level1, utilisation.level2) == ("效益指标", "社会效益指标")
    assert utilisation.target.kind is Kind.MISSING
    lifespan = rows["装备使用年限"]  # "可持续影响指标\t\t装备使用年限": 二级 in the 一级 column
    assert (lifespan.level1, lifespan.level2) == ("效益指标", "可持续影响指标")
    assert lifespan.target.render() == "≥3年"
    assert rows["消防队员对采购装备使用满意度"].target.text == "> 95%"


# --- quirks, one by one, with inline tables ---------------------------------------


def test_merged_cells_are_inherited_by_the_rows_below():
    project, _ = only_project(
        table(
            "产出指标|数量指标|培训次数||≥30次",
            "||检查次数||≥1000次",
            "|质量指标|检查覆盖率||≥30%",
            "效益指标|社会效益指标|事故起数||≤3起",
        )
    )
    assert [(i.level1, i.level2, i.name) for i in project.indicators] == [
        ("产出指标", "数量指标", "培训次数"),
        ("产出指标", "数量指标", "检查次数"),
        ("产出指标", "质量指标", "检查覆盖率"),
        ("效益指标", "社会效益指标", "事故起数"),
    ]


def test_a_row_shifted_right_by_one_column_is_read_by_vocabulary():
    project, findings = only_project(
        table("产出指标|数量指标|培训次数||≥30次", "|效益指标|社会效益指标|事故起数|≤3起")
    )
    last = project.indicators[-1]
    assert (last.level1, last.level2, last.name, last.target.text) == (
        "效益指标",
        "社会效益指标",
        "事故起数",
        "≤3起",
    )
    assert findings == ()


def test_a_second_level_in_the_first_column_takes_its_first_level_from_the_framework():
    project, _ = only_project(
        table("产出指标|数量指标|培训次数||≥30次", "可持续影响指标||设备使用年限||≥5年")
    )
    last = project.indicators[-1]
    assert (last.level1, last.level2) == ("效益指标", "可持续影响指标")


def test_cost_is_accepted_both_as_a_first_level_and_under_output():
    project, _ = only_project(
        table(
            "产出指标|数量指标|培训次数||≥30次",
            "|成本指标|单次培训成本||≤0.3万元",
            "成本指标|经济成本指标|项目总成本||≤10万元",
        )
    )
    levels = [(i.level1, i.level2) for i in project.indicators]
    assert levels == [
        ("产出指标", "数量指标"),
        ("产出指标", "成本指标"),
        ("成本指标", "经济成本指标"),
    ]


def test_an_indicator_named_like_a_short_category_stays_an_indicator():
    project, _ = only_project(table("满意度指标|服务对象满意度指标|满意度||≥95%"))
    assert project.indicators[0].name == "满意度"


def test_a_missing_value_is_kept_as_an_indicator_with_a_missing_target():
    project, _ = only_project(table("产出指标|数量指标|装备利用率||"))
    indicator = project.indicators[0]
    assert indicator.name == "装备利用率"
    assert indicator.target.kind is Kind.MISSING


@pytest.mark.parametrize(
    ("funds_label", "fiscal_label"),
    [
        ("资金投入 (万元)", "其中: 财政拨款"),
        ("资金投入(万元)", "其中:财政拨款"),
        ("资金投入（万元）", "其中：财政拨款"),
        (" 资金投入 ( 万元 ) ", " 其中 ： 财政拨款 "),
        ("资金投入(万元)", "财政拨款"),
    ],
)
def test_header_variants_are_read_alike(funds_label, fiscal_label):
    header = "\n".join(
        [
            "项目名称 |测试项目||项目实施期：|2023年1月至2023年12月",
            "主管部门：|甲局||实施单位:|乙中心",
            f"{funds_label}|实施期金额|30|年度金额|12.5",
            f"|{fiscal_label}|20|{fiscal_label}|10",
            "|其他资金|10|其他资金|2.5",
            "绩效目标|实施期目标||年度目标|",
            "|三年完成甲乙两项工作。||本年度完成甲项工作。|",
            "一级指标|二级指标|三级指标||年度指标值",
        ]
    )
    project, findings = only_project(table("产出指标|数量指标|甲项工作||1项", header=header))
    assert findings == ()
    assert (project.name, project.department, project.implementing_unit) == (
        "测试项目",
        "甲局",
        "乙中心",
    )
    assert project.funds.period.total == Decimal(30)
    assert project.funds.period.fiscal == Decimal(20)
    assert project.funds.period.other == Decimal(10)
    assert project.funds.annual.total == Decimal("12.5")
    assert project.funds.annual.fiscal == Decimal(10)
    assert project.funds.annual.other == Decimal("2.5")
    assert project.goals.period == "三年完成甲乙两项工作。"
    assert project.goals.annual == "本年度完成甲项工作。"


@pytest.mark.parametrize(
    "furniture",
    [
        "本级预算项目绩效目标表",
        "(2023年度)",
        "（2023年度）",
        "单位: 万元",
        "单位：万元",
        "填报单位(盖章)",
        "填报单位 (盖章)",
    ],
)
def test_page_furniture_never_becomes_an_indicator(furniture):
    source = table("产出指标|数量指标|培训次数||≥30次", furniture, "||检查次数||≥1000次")
    project, findings = only_project(source)
    assert [i.name for i in project.indicators] == ["培训次数", "检查次数"]
    assert findings == ()


def test_the_year_and_the_filing_unit_come_from_the_furniture_before_a_table():
    source = table("产出指标|数量指标|培训次数||≥30次").replace(
        "(2023年度)", "(2024年度)\n填报单位：高新区应急管理局（盖章）"
    )
    project, _ = only_project(source)
    assert project.year == 2024
    assert project.filing_unit == "高新区应急管理局"


def test_goals_side_by_side_on_one_line_go_to_their_columns():
    project, _ = only_project(table("产出指标|数量指标|培训次数||≥30次"))
    assert (
        project.goals.period == project.goals.annual == "完成全区安全培训和检查工作，提升安全水平。"
    )


def test_amounts_in_yuan_are_converted_exactly_to_wan_yuan():
    source = table("产出指标|数量指标|培训次数||≥30次").replace("单位: 万元", "单位：元")
    source = source.replace("资金投入(万元)", "资金投入").replace("\t10", "\t123456")
    project, _ = only_project(source)
    assert project.funds.annual.total == Decimal("12.3456")


def test_an_amount_that_is_not_a_number_is_reported_with_its_text():
    source = table("产出指标|数量指标|培训次数||≥30次").replace("年度金额\t10", "年度金额\t十万")
    project, findings = only_project(source)
    assert project.funds.annual.total is None
    assert [f.rule for f in findings] == ["READ-AMOUNT"]
    assert "十万" in findings[0].message and findings[0].source.line == 6


def test_the_split_layout_with_sign_value_unit_and_remarks_is_combined():
    header = (
        table().split("一级指标")[0] + "一级指标|二级指标|三级指标|指标性质|指标值|度量单位|备注"
    )
    project, findings = only_project(
        table(
            "产出指标|数量指标|培训次数|≥|30|次|按培训签到表统计",
            "|质量指标|培训效果|定性|良好||以问卷评价为准",
            header=header.replace("|", "\t"),
        )
    )
    first, second = project.indicators
    assert first.target.render() == "≥30次" and first.note == "按培训签到表统计"
    assert second.target.kind is Kind.QUALITATIVE and second.note == "以问卷评价为准"
    assert findings == ()


def test_extra_cells_after_the_value_are_kept_as_a_note_and_reported():
    project, findings = only_project(table("产出指标|数量指标|培训次数||≥30次|按签到表"))
    assert project.indicators[0].note == "按签到表"
    assert [f.rule for f in findings] == ["READ-EXTRA-CELLS"]


def test_an_unknown_row_inside_a_table_is_reported_not_dropped():
    source = table("产出指标|数量指标|培训次数||≥30次").replace(
        "绩效目标\t", "以下为测试内容\n绩效目标\t"
    )
    _, findings = only_project(source)
    unknown = [f for f in findings if f.rule == "READ-UNKNOWN-ROW"]
    assert len(unknown) == 1 and "以下为测试内容" in unknown[0].message


def test_text_before_the_first_table_is_reported_as_ignored():
    result = read("这是一段说明文字\n" + table("产出指标|数量指标|培训次数||≥30次"))
    assert [f.rule for f in result.findings] == ["READ-IGNORED-LINE"]
    assert len(result.projects) == 1


def test_a_category_with_no_indicator_below_it_is_reported():
    _, findings = only_project(table("产出指标|数量指标|培训次数||≥30次", "成本指标||||"))
    assert [f.rule for f in findings] == ["READ-EMPTY-CATEGORY"]


def test_every_clean_row_is_read():
    project, findings = only_project(table(*CLEAN_ROWS))
    assert len(project.indicators) == len(CLEAN_ROWS) and findings == ()


# --- encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_are_detected(encoding):
    data = SEED.read_text("utf-8").encode(encoding)
    result = text.read(data, "seed")
    assert len(result.projects) == 9
    assert sum(len(p.indicators) for p in result.projects) == 66
    assert result.projects[0].name == "00安全生产监管第三方服务经费"


def test_a_bom_is_not_part_of_the_first_cell():
    data = codecs.BOM_UTF8 + table("产出指标|数量指标|培训次数||≥30次").encode()
    assert text.read(data).projects[0].name == "测试项目"


# --- not a target table -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"   \n\n", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "二进制文件"),
        ("今天天气很好，我们去公园散步。\n然后回家吃饭。\n".encode(), "没有找到绩效目标表"),
        (b"\x80\xff" * 50, "无法识别文件的文字编码"),
    ],
)
def test_a_file_that_is_not_a_target_table_gets_a_clear_chinese_message(data, message):
    result = text.read(data, "x.txt")
    assert result.fatal and result.projects == ()
    assert result.findings[0].rule == "READ-UNREADABLE"
    assert message in result.findings[0].message
