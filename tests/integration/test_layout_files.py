"""Real files of the layouts people publish: each is read with the same results as its text.

Every table below is written once, as rows of cells with their spans, then made into
a real file by the real library (HTML with rowspan/colspan, an Excel workbook with
merged cells, a Word table with merged cells, a ruled PDF from reportlab) and into
the text that a PDF or Word extraction gives.  Reading the file and reading the text
must give the same projects, field by field.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest

from jixiao.formats import docx, pdf, text, xlsx
from jixiao.formats import html as html_format

Cell = str | tuple[str, int, int]  # text, or (text, rows spanned, columns spanned)


@dataclass
class Layout:
    name: str
    rows: list[list[Cell]]
    title: str = "项目支出绩效目标表"


def _spans(rows: list[list[Cell]]) -> tuple[dict[tuple[int, int], tuple[str, int, int]], int]:
    """Each cell placed on the grid: (row, column) → (text, rows, columns); and the width."""
    placed: dict[tuple[int, int], tuple[str, int, int]] = {}
    taken: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            content, down, across = (cell, 1, 1) if isinstance(cell, str) else cell
            placed[(r, c)] = (content, down, across)
            for dr in range(down):
                for dc in range(across):
                    taken.add((r + dr, c + dc))
            c += across
            width = max(width, c)
    return placed, width


def as_text(layout: Layout) -> str:
    """What an extraction gives: a merged cell once, on its first row; tab-separated."""
    placed, width = _spans(layout.rows)
    lines = [layout.title]
    for r in range(len(layout.rows)):
        cells = [placed[(r, c)][0] if (r, c) in placed else "" for c in range(width)]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n"


def as_html(layout: Layout) -> bytes:
    placed, _ = _spans(layout.rows)
    out = [f"<!DOCTYPE html><html><body><h1>{html.escape(layout.title)}</h1><table border=1>"]
    for r in range(len(layout.rows)):
        out.append("<tr>")
        for (row, _c), (content, down, across) in sorted(placed.items()):
            if row == r:
                out.append(f'<td rowspan="{down}" colspan="{across}">{html.escape(content)}</td>')
        out.append("</tr>")
    out.append("</table></body></html>")
    return "".join(out).encode("utf-8")


def as_xlsx(layout: Layout) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    sheet.cell(row=1, column=1, value=layout.title)
    placed, _ = _spans(layout.rows)
    for (r, c), (content, down, across) in placed.items():
        value: object = content
        if content and content.replace(".", "", 1).isdigit():
            value = Decimal(content) if "." in content else int(content)
        sheet.cell(row=r + 2, column=c + 1, value=value if content else None)
        if down > 1 or across > 1:
            sheet.merge_cells(
                start_row=r + 2, start_column=c + 1, end_row=r + 1 + down, end_column=c + across
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_docx(layout: Layout) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(layout.title)
    placed, width = _spans(layout.rows)
    table = document.add_table(rows=len(layout.rows), cols=width)
    for (r, c), (content, down, across) in placed.items():
        cell = table.cell(r, c)
        if down > 1 or across > 1:
            cell = cell.merge(table.cell(r + down - 1, c + across - 1))
        cell.text = content
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(layout: Layout) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = pdf.register_font()
    styles = pdf._styles(font)
    placed, width = _spans(layout.rows)
    data = [["" for _ in range(width)] for _ in layout.rows]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("FONT", (0, 0), (-1, -1), font, 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for (r, c), (content, down, across) in placed.items():
        data[r][c] = Paragraph(html.escape(content), styles["category"]) if content else ""
        if down > 1 or across > 1:
            commands.append(("SPAN", (c, r), (c + across - 1, r + down - 1)))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4))
    table = Table(data, colWidths=[landscape(A4)[0] * 0.85 / width] * width, repeatRows=0)
    table.setStyle(TableStyle(commands))
    document.build([Paragraph(html.escape(layout.title), styles["title"]), table])
    return buffer.getvalue()


# --- the layouts ------------------------------------------------------------------------------

SPLIT_DECLARATION = Layout(
    "申报表，指标值拆成指标性质、指标值、度量单位，一级二级纵向合并",
    [
        ["项目名称", ("古昌镇乡村绿化美化项目", 1, 3), "项目属性", "延续", ("", 1, 1)],
        ["主管部门", ("区林业局", 1, 3), "实施单位", ("区林业局", 1, 2)],
        [("资金情况(万元)", 2, 1), "年度资金总额", ("153.5184", 1, 5)],
        ["其中：财政拨款", ("153.5184", 1, 5)],
        ["年度目标", ("对约3500米公路沿线进行绿化美化。", 1, 6)],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "备注"],
        [("产出指标", 3, 1), ("数量指标", 2, 1), "绿化美化公路", "=", "3500", "米", ""],
        ["购买发放李子苗", "≥", "15000", "株", "按发放登记"],
        ["质量指标", "树木成活率", "≥", "85", "%", ""],
        [("满意度指标", 1, 1), "服务对象满意度指标", "沿线村民满意度", "≥", "90", "%", ""],
    ],
    "项目支出绩效目标申报表",
)

PROJECT_LIST = Layout(
    "一张表里的多个项目，单位、项目、预算数、年度目标纵向合并",
    [
        [
            "单位名称",
            "项目名称",
            "预算数",
            "年度目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
        ],
        [
            ("市林业局", 3, 1),
            ("森林防火经费", 2, 1),
            ("120", 2, 1),
            ("完成全市森林防火巡查", 2, 1),
            "产出指标",
            "数量指标",
            "巡查次数",
            "≥52次",
        ],
        ["效益指标", "生态效益指标", "森林火灾受害率", "≤0.9‰"],
        [
            "古树名木保护",
            "35.5",
            "保护古树名木300株",
            "产出指标",
            "数量指标",
            "保护古树数量",
            "≥300株",
        ],
    ],
    "2024年项目支出绩效目标汇总表",
)

SELF_EVALUATION = Layout(
    "自评表：资金块、预期目标与实际完成、实际完成值、分值、得分、偏差原因",
    [
        ["项目名称", ("南华县野生菌加工车间建设项目", 1, 7)],
        ["主管部门", ("南华县农业农村局", 1, 3), "实施单位", ("南华县国有资本管理有限公司", 1, 3)],
        [
            ("项目资金(万元)", 3, 1),
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        ["年度资金总额", "1100", "1100", "1050", "10", "95.45%", "9.5"],
        ["其中：当年财政拨款", "1100", "1100", "1050", "", "", ""],
        [("年度总体目标", 2, 1), ("预期目标", 1, 3), ("实际完成情况", 1, 4)],
        [("建成冷库仓储1290.3平方米。", 1, 3), ("已建成冷库仓储1290.3平方米。", 1, 4)],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        [
            ("产出指标", 2, 1),
            "数量指标",
            "冷库仓储建设面积",
            "≥1290.3平方米",
            "1290.3平方米",
            "30",
            "30",
            "",
        ],
        [
            "时效指标",
            "任务完成时限",
            "2023年10月底前",
            "2023年12月",
            "20",
            "15",
            "设备到货延迟，已约定验收",
        ],
        ["满意度指标", "服务对象满意度指标", "合作社满意度", "≥90%", "95%", "10", "10", ""],
    ],
    "项目支出绩效自评表",
)

PERIOD_GRID = Layout(
    "中期和年度两套指标并排",
    [
        ["项目名称", ("教育系统基础设施建设", 1, 6)],
        ["年度金额", ("10000", 1, 6)],
        [
            "一级指标",
            "二级指标(长期)",
            "三级指标(长期)",
            "指标值(长期)",
            "二级指标(年度)",
            "三级指标(年度)",
            "指标值(年度)",
        ],
        ["产出指标", "数量指标", "新建学校数", "5所", "数量指标", "新建学校数", "2所"],
        [
            "效益指标",
            "社会效益指标",
            "学位供给",
            "持续增加",
            "社会效益指标",
            "新增学位数",
            "≥1800个",
        ],
    ],
)

RULED = Layout(
    "有表格线的目标表",
    [
        ["项目名称", ("安全生产监管第三方服务经费", 1, 2), "项目实施期", "2023年1月至2023年12月"],
        ["主管部门", ("高新区应急管理局", 1, 2), "实施单位", "高新区应急管理局"],
        ["资金投入(万元)", "实施期金额", "102.9", "年度金额", "102.9"],
        ["一级指标", "二级指标", ("三级指标", 1, 2), "年度指标值"],
        [("产出指标", 2, 1), "数量指标", ("统筹开展全区安全培训", 1, 2), "≥30次"],
        ["质量指标", ("安全检查抽查覆盖率", 1, 2), "≥30%"],
        ["效益指标", "社会效益指标", ("安全生产事故率", 1, 2), "较上年下降5%"],
        ["满意度指标", "服务对象满意度指标", ("服务满意度", 1, 2), "≥95%"],
    ],
)

CASES = [
    (SPLIT_DECLARATION, "html", html_format, as_html),
    (PROJECT_LIST, "html", html_format, as_html),
    (SELF_EVALUATION, "xlsx", xlsx, as_xlsx),
    (PERIOD_GRID, "docx", docx, as_docx),
    (RULED, "pdf", pdf, as_pdf),
]


def _content(result):
    """What a project says, without where each part was read from."""

    def target(t):
        return None if t is None else (t.text, t.kind)

    return [
        (
            p.name,
            p.department,
            p.implementing_unit,
            p.funds.annual.total,
            p.funds.annual.fiscal,
            p.goals.annual,
            p.evaluation,
            [
                (
                    i.level1,
                    i.level2,
                    i.name,
                    target(i.target),
                    target(i.actual),
                    target(i.period_target),
                    i.weight,
                    i.score,
                    i.deviation,
                    i.note,
                )
                for i in p.indicators
            ],
        )
        for p in result.projects
    ]


@pytest.mark.parametrize(
    ("layout", "kind", "reader", "make"), CASES, ids=[f"{c[1]}-{c[0].name[:6]}" for c in CASES]
)
def test_a_real_file_reads_like_its_text(layout, kind, reader, make):
    data = make(layout)
    assert reader.identify(data)
    from_file = reader.read(data, f"t.{kind}")
    from_text = text.read(as_text(layout).encode("utf-8"), "t.txt")
    assert not from_file.fatal, from_file.findings
    assert not from_text.fatal, from_text.findings
    assert _content(from_file) == _content(from_text)
    assert from_file.projects and all(p.indicators for p in from_file.projects)
    assert not [f for f in from_file.findings if f.severity.value == "error"], from_file.findings


def test_the_split_declaration_is_read_with_its_joined_values():
    result = html_format.read(as_html(SPLIT_DECLARATION), "t.html")
    (project,) = result.projects
    assert project.funds.annual.total == Decimal("153.5184")
    assert [(i.level1, i.level2, i.name, i.target.text, i.note) for i in project.indicators] == [
        ("产出指标", "数量指标", "绿化美化公路", "=3500米", ""),
        ("产出指标", "数量指标", "购买发放李子苗", "≥15000株", "按发放登记"),
        ("产出指标", "质量指标", "树木成活率", "≥85%", ""),
        ("满意度指标", "服务对象满意度指标", "沿线村民满意度", "≥90%", ""),
    ]


def test_the_list_in_a_web_page_gives_its_projects():
    result = html_format.read(as_html(PROJECT_LIST), "t.html")
    assert [
        (p.name, p.department, p.funds.annual.total, len(p.indicators)) for p in result.projects
    ] == [
        ("森林防火经费", "市林业局", Decimal(120), 2),
        ("古树名木保护", "市林业局", Decimal("35.5"), 1),
    ]


def test_the_self_evaluation_workbook_gives_the_self_evaluation():
    (project,) = xlsx.read(as_xlsx(SELF_EVALUATION), "t.xlsx").projects
    assert project.evaluation is not None
    assert project.evaluation.total.executed == Decimal(1050)
    assert project.evaluation.goal_actual == "已建成冷库仓储1290.3平方米。"
    late = project.indicators[1]
    assert (late.actual.text if late.actual else None, late.score, late.deviation) == (
        "2023年12月",
        Decimal(15),
        "设备到货延迟，已约定验收",
    )


def test_the_word_period_grid_keeps_both_values():
    (project,) = docx.read(as_docx(PERIOD_GRID), "t.docx").projects
    second = project.indicators[1]
    assert (second.name, second.target.text) == ("新增学位数", "≥1800个")
    assert second.period_target is not None and second.period_target.text == "持续增加"
