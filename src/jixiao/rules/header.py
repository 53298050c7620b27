"""Rules on the header block: 项目名称, 主管部门, 实施单位, 项目实施期."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.core.findings import Severity
from jixiao.core.model import Project
from jixiao.rules.basis import COMPLETE, FORM
from jixiao.rules.registry import Hit, asks, rule


@rule(
    "HDR-NAME-MISSING",
    Severity.ERROR,
    "项目名称缺失",
    "填写与预算项目库一致的项目名称。",
    COMPLETE,
)
def name_missing(project: Project) -> Iterator[Hit]:
    """项目名称是绩效目标与预算项目对应的唯一依据，不能为空。"""
    if not project.name.strip():
        yield Hit("项目名称为空", project.source_of("name"))


# A name that starts with a zero-led number ("00…", "01…": no name does), a
# sequence number with its delimiter ("1.", "2、", "(3)") or a bullet: a mark
# left over from the list the table was copied from.  A bare number such as
# "119", "5G" or "2023年" is part of many real names and is not flagged.
_STRAY_PREFIX = re.compile(
    r"^(?P<mark>0\d{0,2}(?![\d年月日号])|\d{1,2}[.、．)）](?!\d)|[(（]\d{1,2}[)）]|[-—*#●·•]+)"
)


@rule(
    "HDR-NAME-STRAY",
    Severity.WARNING,
    "项目名称带有疑似误录的编号或符号",
    "删除名称前的编号或符号，使项目名称与预算项目库中的名称一致。",
    FORM,
)
def name_stray_mark(project: Project) -> Iterator[Hit]:
    """名称开头的数字或符号（不是年份、不是名称的一部分）多半是复制时带入的序号或标记。"""
    match = _STRAY_PREFIX.match(project.name.strip())
    if match:
        mark = match.group("mark")
        rest = project.name.strip()[len(mark) :]
        yield Hit(
            f"项目名称“{project.name}”开头的“{mark}”像是误录的编号或标记，不是名称的一部分",
            project.source_of("name"),
            fix=f"把项目名称改为“{rest}”（如与项目库一致）。",
        )


@rule(
    "HDR-DEPT-MISSING",
    Severity.ERROR,
    "主管部门缺失",
    "填写主管部门名称（部分表式还要求部门编码）。",
    COMPLETE,
)
def department_missing(project: Project) -> Iterator[Hit]:
    """主管部门决定绩效目标由哪个部门审核和汇总。表式中没有这一栏时不报告（只报告留空的）。"""
    if not project.department.strip() and asks(project, "department"):
        yield Hit(f"项目“{project.name}”没有填写主管部门", project.source_of("department"))


@rule(
    "HDR-UNIT-MISSING",
    Severity.ERROR,
    "实施单位缺失",
    "填写负责实施项目的预算单位。",
    COMPLETE,
)
def unit_missing(project: Project) -> Iterator[Hit]:
    """实施单位是绩效目标的责任主体，监控和自评都按实施单位进行。表式中没有这一栏时不报告。"""
    if not project.implementing_unit.strip() and asks(project, "implementing_unit"):
        yield Hit(f"项目“{project.name}”没有填写实施单位", project.source_of("implementing_unit"))


@rule(
    "HDR-PERIOD-MISSING",
    Severity.ERROR,
    "项目实施期缺失或无法识别",
    "按“2023年1月至2023年12月”的格式填写项目实施期。",
    COMPLETE,
)
def period_missing(project: Project) -> Iterator[Hit]:
    """实施期决定实施期目标与年度目标、实施期金额与年度金额的关系。表式中没有这一栏时不报告。"""
    text = project.period.text.strip()
    if not asks(project, "period"):
        return  # the form has no 实施期 (many 自评表, lists of projects)
    if not text:
        yield Hit(f"项目“{project.name}”没有填写项目实施期", project.source_of("period"))
    elif project.period.start is None and not (
        project.year is not None and re.fullmatch(r"[1一]年|1[2]个月|[一1]个年度", text)
    ):  # "1年" in a table of a stated budget year: that year
        yield Hit(f"项目实施期“{text}”无法识别为起止年月", project.source_of("period"))


@rule(
    "HDR-PERIOD-ORDER",
    Severity.ERROR,
    "项目实施期的结束早于开始",
    "检查实施期的起止年月是否写反或写错。",
    COMPLETE,
)
def period_order(project: Project) -> Iterator[Hit]:
    """实施期的结束年月不能早于开始年月。"""
    start, end = project.period.start, project.period.end
    if start is not None and end is not None and end < start:
        yield Hit(
            f"项目实施期“{project.period.text}”的结束（{end}）早于开始（{start}）",
            project.source_of("period"),
        )


@rule(
    "HDR-PERIOD-YEAR",
    Severity.WARNING,
    "预算年度不在项目实施期内",
    "核对表头的预算年度和项目实施期：年度绩效目标必须落在实施期之内。",
    COMPLETE,
)
def period_year(project: Project) -> Iterator[Hit]:
    """表格标明的预算年度（如“(2023年度)”）应当在项目实施期之内。"""
    start, end = project.period.start, project.period.end
    if project.year is None or start is None or end is None:
        return
    if not start.year <= project.year <= end.year:
        yield Hit(
            f"预算年度 {project.year} 不在项目实施期“{project.period.text}”之内",
            project.source_of("period"),
        )


RULES = (
    name_missing,
    name_stray_mark,
    department_missing,
    unit_missing,
    period_missing,
    period_order,
    period_year,
)
