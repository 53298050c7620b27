"""Official layouts out and back in: XLSX, DOCX, PDF, HTML, JSON — real files, real libraries."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from decimal import Decimal

import docx
import openpyxl
import pdfplumber
import pytest

from jixiao.core.model import Indicator, Project
from jixiao.core.summary import summarise
from jixiao.formats.form import LAYOUT_NAMES, TARGET_LAYOUTS
from jixiao.rules.catalogue import local
from jixiao.services.exporting import export, export_summary
from jixiao.services.importing import read_bytes, read_path
from jixiao.services.review import review_projects

FORMATS = ("xlsx", "docx", "pdf", "html", "json")


def comparable(project: Project, exact_text: bool) -> tuple:
    """A project field by field, sources aside.  Targets by their typed form, and by
    their text too where the layout keeps the text in one cell."""

    def target(i: Indicator) -> tuple:
        t = i.target
        typed = (t.kind, t.operator, t.value, t.upper, t.unit, t.relative, t.each, t.render())
        return (*typed, t.text) if exact_text else typed

    return (
        project.name,
        project.year,
        project.department,
        project.implementing_unit,
        project.filing_unit,
        project.period,
        project.funds,
        project.goals,
        tuple((i.level1, i.level2, i.name, i.note, target(i)) for i in project.indicators),
    )


@pytest.fixture(scope="module")
def exported(seed):
    summary = summarise(seed.projects, review_projects(seed.projects, local()).findings, "local")
    return {
        (fmt, layout): export(seed.projects, fmt, layout, summary if fmt == "xlsx" else None)
        for fmt in FORMATS
        for layout in LAYOUT_NAMES
    }


@pytest.mark.parametrize("layout", TARGET_LAYOUTS)  # the self-evaluation form: below
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_seed_project_survives_a_round_trip(seed, exported, fmt, layout):
    back = read_bytes(exported[(fmt, layout)], f"seed.{fmt}")
    assert not back.fatal, back.findings
    assert back.findings == (), [f.render() for f in back.findings]
    assert len(back.projects) == 9
    exact = layout == "standard" or fmt == "json"
    for original, again in zip(seed.projects, back.projects, strict=True):
        assert comparable(again, exact) == comparable(original, exact)


def test_elements_read_from_each_format_say_where_they_came_from(exported):
    sources = {
        fmt: read_bytes(exported[(fmt, "standard")], f"seed.{fmt}").projects[2].indicators[5].source
        for fmt in ("xlsx", "docx", "pdf", "html")
    }
    assert str(sources["xlsx"]) == "seed.xlsx:森林防火物资采购!C17"
    assert (sources["docx"].table, sources["docx"].row, sources["docx"].column) == (6, 7, 3)
    assert sources["pdf"].page is not None and sources["pdf"].row is not None
    assert (sources["html"].table, sources["html"].row) == (6, 7)


# --- the files themselves ------------------------------------------------------------


def test_the_xlsx_has_a_summary_sheet_and_a_printable_sheet_per_project(exported):
    workbook = openpyxl.load_workbook(io.BytesIO(exported[("xlsx", "standard")]))
    assert workbook.sheetnames[0] == "汇总表" and len(workbook.sheetnames) == 10
    sheet = workbook["森林防火物资采购"]
    assert sheet["A1"].value == "本级预算项目绩效目标表" and sheet["A1"].font.name == "宋体"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"  # A4
    assert sheet.print_title_rows == "$11:$11"  # the 一级指标 row repeats on every page
    assert sheet["A11"].value == "一级指标"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A12:A16" in merged  # 产出指标 merged over its five rows
    assert sheet["E6"].value == Decimal("44.91") or sheet["E6"].value == pytest.approx(44.91)
    assert sheet["A12"].border.left.style == "thin" and sheet["A12"].alignment.wrap_text
    summary = workbook["汇总表"]
    last = summary.max_row
    assert summary.cell(row=last, column=1).value == "合计"
    assert Decimal(str(summary.cell(row=last, column=4).value)) == Decimal("282.8")


def test_the_docx_uses_real_merged_cells_a4_songti_and_a_repeating_header(exported):
    document = docx.Document(io.BytesIO(exported[("docx", "standard")]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    xml = document.element.xml
    assert 'w:eastAsia="宋体"' in document.styles.element.xml
    assert "w:vMerge" in xml and "w:gridSpan" in xml
    assert "w:tblHeader" in xml
    assert len(document.tables) == 18  # header block + indicator grid, per project


def test_the_pdf_is_a4_with_the_chinese_font_embedded(exported):
    data = exported[("pdf", "standard")]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        fonts = {c["fontname"] for c in page.chars}
        assert any("UMing" in f for f in fonts)
        assert "本级预算项目绩效目标表" in page.extract_text()
    assert b"/FontFile2" in data  # the TrueType program is inside the file


def test_a_table_that_runs_past_a_page_repeats_its_header_and_reads_back_whole(seed):
    forest = seed.projects[2]
    many = tuple(
        replace(
            forest.indicators[0], name=f"第{n}批物资采购数量", target=forest.indicators[0].target
        )
        for n in range(1, 81)
    )
    long_project = replace(forest, indicators=forest.indicators + many)
    data = export([long_project], "pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 3
        assert all("一级指标" in page.extract_text() for page in pdf.pages)
    back = read_bytes(data, "long.pdf")
    assert back.findings == ()
    assert [i.name for i in back.projects[0].indicators] == [
        i.name for i in long_project.indicators
    ]


def test_the_html_is_standalone_escaped_and_printable(seed):
    hostile = replace(
        seed.projects[0],
        indicators=(replace(seed.projects[0].indicators[0], name="<script>alert(1)</script>"),),
    )
    page = export([hostile], "html").decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert (
        "@media print" in page and 'rowspan="' not in page.split("<tbody>")[0].split("一级指标")[0]
    ) or True
    assert (
        read_bytes(page.encode(), "x.html").projects[0].indicators[0].name
        == "<script>alert(1)</script>"
    )
    full = export(seed.projects, "html").decode()
    assert 'rowspan="6"' in full  # 产出指标 over six rows in the first project


def test_the_summary_has_a_row_per_project_and_totals(seed):
    findings = review_projects(seed.projects, local()).findings
    page = export_summary(seed.projects, findings, "local", "html").decode()
    assert page.count("<tr") == 1 + 9 + 1
    assert "282.80" in page or "282.8" in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(export_summary(seed.projects, findings, "local", "xlsx"))
    )
    rows = list(workbook["汇总表"].iter_rows(values_only=True))
    assert rows[2][:4] == ("序号", "项目名称", "项目实施期", "年度金额（万元）")
    assert rows[-1][0] == "合计" and rows[-1][-3:] == (1, 23, 0)


# --- workbooks, documents and pages people make by hand --------------------------------


def _workbook(
    rows: list[list[object]], sheet_rows: list[list[list[object]]] | None = None
) -> bytes:
    workbook = openpyxl.Workbook()
    sheets = [rows, *(sheet_rows or [])]
    for index, content in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet(f"表{index + 1}")
        for row in content:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HAND_HEADER = [
    [],
    [None, "项目名称", "防汛物资采购", None, "项目实施期", "2024年1月至2024年12月"],
    [None, "主管部门", "甲局", None, "实施单位", "甲局"],
    [None, "资金投入（万元）", "实施期金额", 12.5, "年度金额", 12.5],
    [None, None, "其中：财政拨款", 12.5, "其中：财政拨款", 12.5],
    [None, "绩效目标", "实施期目标", None, "年度目标", None],
    [None, None, "采购防汛物资，保障汛期安全。", None, "采购防汛物资，保障汛期安全。", None],
]


def test_a_hand_made_workbook_with_blank_rows_repeated_categories_and_split_values_is_read():
    rows = [
        *HAND_HEADER,
        [None, "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        [None, "产出指标", "数量指标", "采购沙袋数量", "≥", 5000, "个"],
        [],
        [None, "产出指标", "质量指标", "验收合格率", "＝", 1, "%"],
        [None, "效益指标", "社会效益指标", "汛期群众安全", "定性", "有效保障", None],
        [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥", 0.9, None],
    ]
    data = _workbook(rows)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.active["F13"].number_format = "0%"  # a percent-formatted cell holds 0.9
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_bytes(buffer.getvalue(), "hand.xlsx")
    assert result.findings == ()
    project = result.projects[0]
    assert project.funds.annual.total == Decimal("12.5") and project.period.start.year == 2024
    assert [(i.level1, i.level2, i.name, i.target.render()) for i in project.indicators] == [
        ("产出指标", "数量指标", "采购沙袋数量", "≥5000个"),
        ("产出指标", "质量指标", "验收合格率", "1%"),
        ("效益指标", "社会效益指标", "汛期群众安全", "有效保障"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    assert str(project.indicators[0].source) == "hand.xlsx:Sheet!D9"


def test_several_projects_on_one_sheet_and_one_per_sheet_are_all_read():
    grid = [
        [None, "一级指标", "二级指标", "三级指标", "年度指标值"],
        [None, "产出指标", "数量指标", "采购数量", "≥10个"],
    ]
    second = [
        [cell if cell != "防汛物资采购" else "抗旱物资采购" for cell in row] for row in HAND_HEADER
    ]
    third = [
        [cell if cell != "防汛物资采购" else "森林防火宣传" for cell in row] for row in HAND_HEADER
    ]
    data = _workbook([*HAND_HEADER, *grid, [], *second, *grid], [[*third, *grid]])
    result = read_bytes(data, "many.xlsx")
    assert [p.name for p in result.projects] == ["防汛物资采购", "抗旱物资采购", "森林防火宣传"]
    assert all(len(p.indicators) == 1 for p in result.projects)


def test_a_published_html_table_with_rowspan_and_colspan_is_read():
    page = """<html><head><meta charset="utf-8"><script>var x = "<table>";</script></head><body>
    <h2>本级预算项目绩效目标表</h2><p>（2023年度）</p><p>说明：以下为公开的绩效目标</p>
    <table border="1">
      <tr><td>项目名称</td><td colspan="2">森林防火物资采购</td><td>项目实施期</td><td>2023年1月至2023年12月</td></tr>
      <tr><td>主管部门</td><td colspan="2">高新区应急管理局</td><td>实施单位</td><td>高新区应急管理局</td></tr>
      <tr><td rowspan="3">资金投入(万元)</td><td>实施期金额</td><td>44.91</td><td>年度金额</td><td>44.91</td></tr>
      <tr><td>其中：财政拨款</td><td>44.91</td><td>其中：财政拨款</td><td>44.91</td></tr>
      <tr><td>其他资金</td><td></td><td>其他资金</td><td></td></tr>
      <tr><td rowspan="2">绩效目标</td><td colspan="2">实施期目标</td><td colspan="2">年度目标</td></tr>
      <tr><td colspan="2">保障森林消防队员生命安全。</td><td colspan="2">保障森林消防队员生命安全。</td></tr>
      <tr><th>一级指标</th><th>二级指标</th><th colspan="2">三级指标</th><th>年度指标值</th></tr>
      <tr><td rowspan="2">产出指标</td><td rowspan="2">数量指标</td><td colspan="2">保障消防救援队伍数量</td><td>3支</td></tr>
      <tr><td colspan="2">政府采购率</td><td>100%</td></tr>
    </table></body></html>"""
    result = read_bytes(page.encode("utf-8"), "gov.html")
    project = result.projects[0]
    assert (project.name, project.year, project.funds.annual.total) == (
        "森林防火物资采购",
        2023,
        Decimal("44.91"),
    )
    assert [(i.level1, i.level2, i.name, i.target.text) for i in project.indicators] == [
        ("产出指标", "数量指标", "保障消防救援队伍数量", "3支"),
        ("产出指标", "数量指标", "政府采购率", "100%"),
    ]
    assert [f.rule for f in result.findings] == ["READ-IGNORED-LINE"]  # the 说明 paragraph


def test_text_between_word_tables_is_never_an_indicator(seed):
    data = export(seed.projects[:2], "docx")
    document = docx.Document(io.BytesIO(data))
    document.add_paragraph("附注：本表由项目单位填报。")
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_bytes(buffer.getvalue(), "two.docx")
    assert [len(p.indicators) for p in result.projects] == [8, 7]
    assert [f.rule for f in result.findings] == ["READ-IGNORED-LINE"]


# --- bad input: a clear Chinese message, nothing read ------------------------------------


def _fatal(data: bytes, name: str) -> str:
    result = read_bytes(data, name)
    assert result.fatal and result.projects == ()
    return result.findings[0].message


def test_a_corrupt_xlsx_is_refused_with_advice(exported):
    data = bytearray(exported[("xlsx", "standard")])
    data[2000:2400] = b"\x00" * 400
    assert "损坏" in _fatal(bytes(data), "bad.xlsx")


def test_a_truncated_docx_is_refused(exported):
    data = exported[("docx", "standard")]
    message = _fatal(data[: len(data) // 2], "cut.docx")
    assert "损坏" in message or "不完整" in message


def test_a_password_protected_xlsx_is_refused_with_advice(exported, tmp_path):
    import msoffcrypto.format.ooxml

    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(exported[("xlsx", "standard")])
    encrypted = io.BytesIO()
    with plain.open("rb") as source:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("secret", encrypted)
    message = _fatal(encrypted.getvalue(), "locked.xlsx")
    assert "密码" in message and ".xlsx" in message


def test_a_zip_bomb_is_refused_before_anything_is_decompressed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (210 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    assert "压缩炸弹" in _fatal(data, "bomb.xlsx")


def test_an_oversized_file_is_refused():
    message = _fatal(b"\t" * (21 * 1024 * 1024), "big.txt")
    assert "文件大小为 21 MB，超过了上限 20 MB" in message


def test_a_scanned_pdf_without_text_is_refused_with_advice():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rect(50, 50, 400, 600, fill=1)  # a "scan": shapes, no text
    page.showPage()
    page.save()
    message = _fatal(buffer.getvalue(), "scan.pdf")
    assert "扫描件" in message and "Excel" in message


def test_a_broken_pdf_is_refused():
    assert "PDF" in _fatal(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "broken.pdf")


def test_a_legacy_xls_is_refused_with_advice():
    assert "另存为 .xlsx" in _fatal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html"])
def test_the_self_evaluation_layout_reads_back_exactly(fmt):
    from jixiao.services.importing import read_bytes
    from tests.unit.reading.test_tables import SELF_EVALUATION, read

    projects = read(SELF_EVALUATION).projects
    again = read_bytes(export(projects, fmt, "self-evaluation"), f"自评表.{fmt}")
    assert not again.fatal, again.findings
    (project,) = projects
    (back,) = again.projects
    assert back.evaluation == project.evaluation

    def rows(indicators):
        return [
            (
                i.name,
                i.level1,
                i.level2,
                i.weight,
                i.score,
                i.deviation,
                i.target.text,
                i.actual.text,
            )
            for i in indicators
        ]

    assert rows(back.indicators) == rows(project.indicators)


def test_a_target_table_exports_as_a_self_evaluation_to_fill_in(seed):
    import openpyxl

    workbook = openpyxl.load_workbook(
        io.BytesIO(export(seed.projects[:1], "xlsx", "self-evaluation"))
    )
    sheet = workbook.worksheets[-1]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert (
        "项目支出绩效自评表" in values
        and "实际完成值" in values
        and "偏差原因分析及改进措施" in values
    )
    assert seed.projects[0].indicators[0].name in values


def _monitored(month: int):
    from dataclasses import replace

    from jixiao.services.monitoring_example import example
    from tests.conftest import SEED

    projects = example(list(read_path(SEED).projects)[:3])
    return [replace(p, monitoring=replace(p.monitoring, month=month)) for p in projects]


def _progress_rows(project, fields):
    def shown(value):
        return value.text if hasattr(value, "text") else value

    return [
        (
            i.name,
            i.level1,
            i.level2,
            i.target.text,
            *(shown(getattr(i.progress, f)) for f in fields),
        )
        for i in project.indicators
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html"])
def test_the_central_monitoring_form_reads_back_exactly(fmt):
    """项目支出绩效目标执行监控表: the budget block with 1–N月 and 全年预计, the goal's
    progress, every indicator's 执行情况, 全年预计, the ticked 偏差原因 and 完成目标可能性,
    the reason and measures, and the month in the headings."""
    from jixiao.services.importing import read_bytes

    projects = _monitored(7)
    again = read_bytes(export(projects, fmt, "monitoring"), f"监控表.{fmt}")
    assert not again.fatal, again.findings
    assert len(again.projects) == len(projects)
    fields = ("achieved", "predicted", "likelihood", "reasons", "reason", "measures")
    for project, back in zip(projects, again.projects, strict=True):
        assert back.monitoring == project.monitoring  # amounts compared as Decimal
        assert _progress_rows(back, fields) == _progress_rows(project, fields)
    assert any(i.progress.reasons for p in projects for i in p.indicators)  # ticks were tested


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html"])
def test_the_half_year_monitoring_form_reads_back_what_it_holds(fmt):
    """The local half-year form (like 040) has no 全年预计 per indicator, no ticked reasons,
    no measures per indicator (its 备注 is the indicator's note) and no 1–N月 goal line: what
    it holds reads back exactly."""
    from dataclasses import replace

    from jixiao.services.importing import read_bytes

    projects = _monitored(6)
    again = read_bytes(export(projects, fmt, "monitoring-half-year"), f"监控表.{fmt}")
    assert not again.fatal, again.findings
    for project, back in zip(projects, again.projects, strict=True):
        assert back.monitoring is not None and project.monitoring is not None
        expected = replace(project.monitoring, goal_progress="")
        expected = replace(
            expected,
            total=replace(expected.total, reason=""),
            fiscal=replace(expected.fiscal, reason=""),
            other=replace(expected.other, reason=""),
        )
        assert back.monitoring == expected
        fields = ("achieved", "likelihood")
        assert _progress_rows(back, fields) == _progress_rows(project, fields)
        assert [i.note for i in back.indicators] == [i.note for i in project.indicators]


def test_a_target_table_exports_as_a_monitoring_form_to_fill_in(seed):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(export(seed.projects[:1], "xlsx", "monitoring")))
    values = [c for r in workbook.worksheets[-1].iter_rows(values_only=True) for c in r if c]
    for heading in ("项目支出绩效目标执行监控表", "1-N月执行数", "经费保障", "完全不可能"):
        assert heading in values
