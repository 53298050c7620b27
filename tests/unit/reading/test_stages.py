"""Each stage of the reader on its own: lines, cells, headings, alignment, prose, script."""

from __future__ import annotations

import pytest

from jixiao.core.source import Source
from jixiao.formats.reading import prose, script
from jixiao.formats.reading.align import Column, GridCell, align
from jixiao.formats.reading.cells import (
    join_broken,
    split_glued_row,
    split_headings,
    split_label_prefix,
    unglue,
)
from jixiao.formats.reading.columns import read_heading
from jixiao.formats.reading.furniture import furniture_cells
from jixiao.formats.reading.lines import split_lines
from jixiao.formats.reading.rows import Row
from jixiao.formats.reading.vocabulary import lookup

# --- lines → rows ---------------------------------------------------------------------------


def rows(text: str) -> list[tuple[list[str], bool]]:
    return [(r.cells, r.loose) for r in split_lines(text)]


def test_tabs_separate_cells_and_keep_their_columns():
    (row,) = split_lines("\t\t统筹开展各类安全检查\t\t≥1000次")
    assert row.cells == ["", "", "统筹开展各类安全检查", "", "≥1000次"] and row.positional


def test_pipe_rows_keep_empty_cells_and_drop_the_padding():
    assert rows("| 项目名称 | 原州区水源涵养林 | | 项目期 | 2022年 | |||") == [
        (["项目名称", "原州区水源涵养林", "", "项目期", "2022年"], False)
    ]


def test_one_cell_per_line_ending_in_a_pipe_with_bare_pipes_as_empty_cells():
    assert rows("促进社会和谐 |\n20 |\n|\n定性 |\n|") == [
        (["促进社会和谐"], True),
        (["20"], True),
        ([""], True),
        (["定性"], True),
        ([""], True),
    ]


def test_bare_pipes_between_cells_without_pipes_are_separators():
    assert rows("|   项目完成指标\n        | \n     质量指标\n        | ") == [
        (["项目完成指标"], True),
        (["质量指标"], True),
    ]


def test_one_cell_per_paragraph_with_a_paragraph_of_spaces_for_an_empty_cell():
    assert rows("指标2\n\n \n\n \n\n……") == [
        (["指标2"], True),
        ([""], True),
        ([""], True),
        (["……"], True),
    ]


def test_runs_of_spaces_separate_cells():
    assert rows("主管部门 裕安区文化和旅游局   实施单位 裕安区文化和旅游局") == [
        (["主管部门", "裕安区文化和旅游局", "实施单位", "裕安区文化和旅游局"], False)
    ]


def test_single_spaces_separate_cells_only_where_the_line_is_made_of_table_words():
    assert rows("产出指标 数量指标 指标2:修缮建筑面积 6000平方米 6000平方米 7 7")[0][0] == [
        "产出指标",
        "数量指标",
        "指标2:修缮建筑面积",
        "6000平方米",
        "6000平方米",
        "7",
        "7",
    ]
    prose_line = "支持舒城县结合重点工程配套基础设施建设需求,实施一批以工代赈 投资项目"
    assert rows(prose_line) == [([prose_line], True)]


def test_a_document_sharing_sites_page_chunks_are_joined_again():
    first = "1、" + "县级储备粮管理" * 12 + "库存数量真实率10"
    second = "2、" + "0%100%质量指标" + "储备粮管理制度" * 10
    (row,) = split_lines(first + "\n" + second)
    assert "真实率100%100%质量指标" in row.cells[0]


# --- cells -----------------------------------------------------------------------------------


def test_a_category_written_one_character_per_line_is_joined():
    assert join_broken(["产", "出", "指", "标", "数量指标"]) == [(0, 4)]


def test_a_heading_broken_over_lines_is_joined_but_whole_headings_are_not():
    assert join_broken(["年度", "指标值", "偏差原因", "分析及", "改进措施"]) == [(0, 2), (2, 5)]
    assert join_broken(["一级指标", "二级指标"]) == []


@pytest.mark.parametrize(
    ("cell", "split"),
    [
        ("项目名称：测试项目", ("项目名称", "测试项目")),
        (
            "项目名称农村义务教育薄弱学校改造补助资金",
            ("项目名称", "农村义务教育薄弱学校改造补助资金"),
        ),
        ("其中 :上级资金16", ("上级资金", "16")),
        ("年度资金总额:16", ("年度资金总额", "16")),
        ("事业收入:指事业单位开展业务活动取得的收入。", None),
        ("项目名称", None),
    ],
)
def test_a_label_glued_to_its_value_is_split_from_it(cell, split):
    assert split_label_prefix(cell) == split


def test_a_glued_line_of_labels_and_values_becomes_rows():
    assert unglue("项目主管部门青山区教育局项目执行单位化工区学校") == [
        ["项目主管部门", "青山区教育局"],
        ["项目执行单位", "化工区学校"],
    ]
    assert unglue("资金情况(万元)年度金额(提前下达):208万元") == [
        ["资金情况(万元)"],
        ["年度金额(提前下达)", "208万元"],
    ]


def test_label_words_inside_text_or_a_title_are_not_labels():
    assert unglue("已完工,剩余3%尾款未付,且最高限价低于预算金额。") is None
    assert unglue("2020年度县级专项资金绩效目标自评表") is None


def test_glued_headings_are_split_into_headings():
    assert split_headings("绩效指标一级指标二级指标指标内容指标值") == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "指标内容",
        "指标值",
    ]


def test_a_glued_grid_splits_into_categories_names_and_the_expected_number_of_values():
    assert split_glued_row(
        "产出指标数量指标增长率≥10%115.25%20%20质量指标回收率≥90%98.70%20%20", 4
    ) == [
        "产出指标",
        "数量指标",
        "增长率",
        "≥10%",
        "115.25%",
        "20%",
        "20",
        "质量指标",
        "回收率",
        "≥90%",
        "98.70%",
        "20%",
        "20",
    ]


def test_numbers_inside_a_glued_name_stay_in_the_name():
    assert split_glued_row("5000吨稻谷、500吨成 品粮储备到位率100%100%", 2) == [
        "5000吨稻谷、500吨成品粮储备到位率",
        "100%",
        "100%",
    ]


# --- headings --------------------------------------------------------------------------------


def heading_of(*lines: list[str]) -> list[tuple[str, bool]]:
    found = read_heading([Row(cells, Source()) for cells in lines], 0)
    assert found is not None
    return [(c.role, c.period) for c in found.columns]


def test_headings_are_found_in_any_order():
    assert heading_of(["一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值"]) == [
        ("level1", False),
        ("level2", False),
        ("name", False),
        ("unit", False),
        ("nature", False),
        ("value", False),
    ]


def test_a_heading_broken_over_two_rows_is_completed_in_order():
    assert [
        r
        for r, _ in heading_of(
            ["一级指标", "二级指标", "三级指标", "年度", "实际", "分值"], ["指标值", "完成值"]
        )
    ] == [
        "level1",
        "level2",
        "name",
        "value",
        "actual",
        "weight",
    ]


def test_sub_headings_take_the_place_of_their_parent():
    roles = [
        r
        for r, _ in heading_of(
            ["一级指标", "二级指标", "三级指标", "预期指标值", "实际完成值", "自评得分"],
            ["符号", "单位(文字描述)", "单项指标得分", "权重占比(%)", "单项指标折算得分"],
        )
    ]
    assert roles == [
        "level1",
        "level2",
        "name",
        "nature",
        "value",
        "unit",
        "actual",
        "score",
        "weight",
        "converted_score",
    ]


def test_a_period_grid_beside_the_annual_one_is_marked():
    columns = heading_of(
        [
            "一级指标",
            "二级指标(长期)",
            "三级指标(长期)",
            "指标值(长期)",
            "二级指标(年度)",
            "三级指标(年度)",
            "指标值(年度)",
        ]
    )
    assert columns == [
        ("level1", False),
        ("level2", True),
        ("name", True),
        ("period_value", True),
        ("level2", False),
        ("name", False),
        ("value", False),
    ]


def test_a_heading_that_lost_its_first_character_is_still_known():
    assert lookup("grid", "级指标") is not None
    assert lookup("labels", "级预算单位名称") is not None


# --- alignment -------------------------------------------------------------------------------

COLUMNS = [
    Column("level1", "一级指标"),
    Column("level2", "二级指标"),
    Column("name", "三级指标"),
    Column("value", "指标值"),
]


def aligned(*texts: str) -> list[list[tuple[str, str]]]:
    cells = [GridCell(t, Source(), n, 0, hard=False, positional=False) for n, t in enumerate(texts)]
    return [[(c.role, g.text) for c, g in row] for row in align(cells, COLUMNS)]


def test_a_stream_of_cells_is_cut_into_rows_by_what_the_cells_say():
    assert aligned(
        "产出指标",
        "数量指标",
        "培训场次",
        "≥12场",
        "检查次数",
        "≥30次",
        "质量指标",
        "合格率",
        "≥95%",
    ) == [
        [("level1", "产出指标"), ("level2", "数量指标"), ("name", "培训场次"), ("value", "≥12场")],
        [("name", "检查次数"), ("value", "≥30次")],
        [("level2", "质量指标"), ("name", "合格率"), ("value", "≥95%")],
    ]


def test_a_qualitative_value_in_a_stream_stays_with_its_name():
    assert aligned(
        "效益指标",
        "社会效益指标",
        "基础设施条件",
        "持续改善",
        "满意度指标",
        "服务对象满意度指标",
        "群众满意度",
        "≥90%",
    )[0] == [
        ("level1", "效益指标"),
        ("level2", "社会效益指标"),
        ("name", "基础设施条件"),
        ("value", "持续改善"),
    ]


def test_headings_outside_the_framework_above_framework_categories_are_first_level():
    rows_read = aligned(
        "实施效果指标",
        "产出指标",
        "劳务报酬占比",
        "≥32.68%",
        "效益指标",
        "基础设施条件",
        "持续改善",
    )
    assert rows_read[0][:2] == [("level1", "实施效果指标"), ("level2", "产出指标")]
    assert rows_read[1][0] == ("level2", "效益指标")


def test_a_category_written_again_in_short_words_is_the_name():
    assert aligned("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%") == [
        [
            ("level1", "满意度指标"),
            ("level2", "服务对象满意度指标"),
            ("name", "服务对象满意度"),
            ("value", "≥90%"),
        ]
    ]


# --- prose, script, furniture ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("设施温棚种植人员(县内培训)≧300人", [("设施温棚种植人员(县内培训)", "≧300人")]),
        ("完成时限,2025年10月底前", [("完成时限", "2025年10月底前")]),
        ("农民综合素质,持续提高", [("农民综合素质", "持续提高")]),
        ("受益群体满意度达100%", [("受益群体满意度", "100%")]),
        ("指标1:培训场次(≥12场)", [("培训场次", "≥12场")]),
        ("开展巡查频次8次;编制资料数量3个", [("开展巡查频次", "8次"), ("编制资料数量", "3个")]),
        (
            "吴冲路:路面硬化,建设里程1.091公里,路面宽度不低于3.5米",
            [("吴冲路:路面硬化,建设里程", "1.091公里"), ("路面宽度", "不低于3.5米")],
        ),
        ("文物保护名录和数据库基本健全", [("文物保护名录和数据库", "基本健全")]),
    ],
)
def test_an_item_of_a_list_splits_into_its_name_and_its_value(item, expected):
    assert prose.items(item) == expected


def test_list_headings_and_their_levels():
    assert prose.heading("一、产出指标") == ("一、产出指标", "")
    assert prose.heading("1.数量指标:路面硬化") == ("1.数量指标", "路面硬化")
    assert prose.heading("二、绩效运行开展情况") is None
    assert prose.is_first_level("一、成本指标") and not prose.is_first_level("(四)成本指标")


def test_traditional_text_is_recognised_and_a_little_of_it_is_not_enough():
    assert script.is_traditional("產出指標 數量指標 業務工作支出安排金額")
    assert not script.is_traditional("产出指标 数量指标 乾隆年间古建筑修缮")
    assert script.strip_pinyin("學(xué)校") == "學校"
    assert script.to_simplified("績效目標") == "绩效目标"


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (("扫一扫在手机打开当前页",), "site"),
        (("发布时间:2025-03-20 09:32",), "site"),
        (("基本公共卫生服务项目支出绩效自评表.xlsx",), "site"),
        (("(2023年度)",), "year"),
        (("单位：万元",), "money_unit"),
        (("本级预算项目绩效目标表",), "title"),
        (("填报人：张三",), "footer"),
    ],
)
def test_page_furniture_is_recognised_by_kind(cells, kind):
    found = furniture_cells(cells, loose=True)
    assert found is not None and found[0] == kind


@pytest.mark.parametrize(
    "cells",
    [("2020年",), ("(二)财政衔接补助资金项目绩效目标设定情况",), ("现将具体绩效目标设定如下:",)],
)
def test_a_value_or_a_numbered_heading_is_no_furniture(cells):
    assert furniture_cells(cells, loose=True) is None
