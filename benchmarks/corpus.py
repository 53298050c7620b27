"""A deterministic synthetic corpus of realistic target tables in the published text form.

Vocabulary and value forms come from the seed (高新区应急管理局 2023) and DOMAIN.md:
merged cells, full-width signs, header variants, qualitative values, the odd
shifted row and missing value.  The same ``seed`` gives the same bytes.
"""

from __future__ import annotations

import random
from decimal import Decimal

UNITS = ["高新区应急管理局", "高新区财政局", "高新区教育局", "高新区卫生健康局", "高新区城市管理局"]
PROJECTS = [
    "安全生产监管第三方服务经费",
    "农村住房保险保费补贴",
    "森林防火物资采购",
    "通信网络资源租用费用",
    "执法服装采购经费",
    "应急救援储备物资采购",
    "工作业务经费",
    "规划编制经费",
    "指挥中心运维费",
    "校舍维修改造",
    "公共卫生服务补助",
    "道路照明设施维护",
    "垃圾分类宣传",
    "基层医疗设备购置",
]
QUANTITY = [
    ("开展安全培训次数", "次"),
    ("检查企业数量", "家"),
    ("采购物资数量", "件"),
    ("维护设备数量", "台"),
    ("印发宣传品数量", "万页"),
    ("参保户数", "户"),
    ("租用链路数量", "条"),
    ("编制预案数量", "个"),
]
QUALITY = [
    ("检查覆盖率", "%"),
    ("设备完好率", "%"),
    ("验收合格率", "%"),
    ("政府采购率", "%"),
    ("补贴发放准确率", "%"),
    ("系统故障率", "%"),
]
TIMELINESS = [
    ("隐患整改及时率", "%"),
    ("故障修复响应时间", "分钟"),
    ("资金拨付及时率", "%"),
    ("项目完成时限", "个月"),
    ("采购及时性", "%"),
]
BENEFIT = [
    ("社会效益指标", "安全生产事故率"),
    ("社会效益指标", "群众安全意识"),
    ("可持续影响指标", "设备使用年限"),
    ("经济效益指标", "减少经济损失"),
    ("生态效益指标", "垃圾减量率"),
    ("可持续影响指标", "长效机制建立"),
]
SATISFACTION = ["服务对象满意度", "群众满意度", "企业满意度", "参训人员满意度"]
QUALITATIVE = ["降低", "提升", "良好", "优秀", "有效提高", "明显改善", "及时"]
SIGNS = ["≥", "≥", "≥", ">", "≤", "", "不低于", "＞ ", ">="]


def _value(rng: random.Random, unit: str) -> str:
    if rng.random() < 0.02:
        return ""
    sign = rng.choice(SIGNS)
    if unit == "%":
        number = rng.choice([80, 85, 90, 95, 98, 100])
        if rng.random() < 0.05:
            return f"{number - 5}%-{number}%"
        return f"{sign}{number}%"
    if sign == "不低于":
        sign = "≥"
    return f"{sign}{rng.randint(1, 2000)}{unit}"


def furniture(rng: random.Random) -> list[str]:
    return [
        "本级预算项目绩效目标表",
        "",
        "(2023年度)",
        "",
        "填报单位(盖章)",
        "",
        rng.choice(["单位: 万元", "单位：万元"]),
        "",
    ]


def table_rows(rng: random.Random, number: int) -> list[list[str]]:
    """A plainer table as rows of cells, for writing in every layout (``benchmarks.layouts``)."""
    unit = rng.choice(UNITS)
    name = f"{rng.choice(PROJECTS)}（{number}）"
    amount = Decimal(rng.randint(5, 500000)) / Decimal(100)
    rows = [
        ["项目名称", name, "主管部门", unit],
        ["实施单位", unit, "项目实施期", "2023年1月至2023年12月"],
        ["年度金额", str(amount)],
        ["年度目标", f"保障{name}顺利实施，完成年度各项工作任务。"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
    ]
    previous = ("", "")
    for level1, level2, pool in (
        ("产出指标", "数量指标", QUANTITY),
        ("产出指标", "质量指标", QUALITY),
        ("产出指标", "时效指标", TIMELINESS),
    ):
        for indicator, measure in rng.sample(pool, 2 if level2 != "时效指标" else 1):
            value = _value(rng, measure) or "≥1次"
            rows.append(
                [
                    level1 if level1 != previous[0] else "",
                    level2 if (level1, level2) != previous else "",
                    indicator,
                    value.replace("＞ ", ">"),
                ]
            )
            previous = (level1, level2)
    level2, indicator = rng.choice(BENEFIT)
    rows.append(["效益指标", level2, indicator, rng.choice(QUALITATIVE)])
    rows.append(["满意度指标", "服务对象满意度指标", rng.choice(SATISFACTION), "≥90%"])
    return rows


def mixed_corpus(count: int, seed: int = 2023, only: str = "") -> str:
    """Tables in every layout of ``benchmarks.layouts`` (or ``only`` the one named), one
    after another, with furniture."""
    from benchmarks.layouts import LAYOUTS

    layouts = [layout for layout in LAYOUTS if layout.__name__ == only] if only else LAYOUTS
    rng = random.Random(seed)
    parts = []
    for number in range(count):
        layout = layouts[number % len(layouts)]
        parts.append("\n".join(furniture(rng)) + layout(table_rows(rng, number + 1)))
    return "\n\n".join(parts) + "\n"


def table(rng: random.Random, number: int) -> str:
    unit = rng.choice(UNITS)
    name = f"{rng.choice(PROJECTS)}（{number}）"
    amount = Decimal(rng.randint(5, 500000)) / Decimal(100)
    other = Decimal(rng.randint(0, 100)) / Decimal(100) if rng.random() < 0.2 else None
    fiscal = amount - (other or 0)
    colon = rng.choice([": ", ":", "："])
    money = rng.choice(["资金投入 (万元)", "资金投入(万元)"])
    goal = f"保障{name}顺利实施，完成年度各项工作任务，提升服务水平和群众满意度。"
    lines = [
        "本级预算项目绩效目标表",
        "",
        "(2023年度)",
        "",
        "填报单位(盖章)",
        "",
        rng.choice(["单位: 万元", "单位：万元"]),
        "",
        f"项目名称\t{name}\t\t项目实施期\t2023年1月至2023年12月",
        f"主管部门\t{unit}\t\t实施单位\t{unit}",
        f"{money}\t实施期金额\t{amount}\t年度金额\t{amount}",
        f"\t其中{colon}财政拨款\t{fiscal}\t其中{colon}财政拨款\t{fiscal}",
        f"\t其他资金\t{other or ''}\t其他资金\t{other or ''}",
        "绩效目标\t实施期目标\t\t年度目标\t",
        f"\t{goal}\t\t{goal}\t",
        "一级指标\t二级指标\t三级指标\t\t年度指标值",
    ]
    rows: list[tuple[str, str, str, str]] = []
    for level2, pool, count in (
        ("数量指标", QUANTITY, 3),
        ("质量指标", QUALITY, 2),
        ("时效指标", TIMELINESS, 1),
    ):
        for indicator, measure in rng.sample(pool, count):
            rows.append(("产出指标", level2, indicator, _value(rng, measure)))
    for level2, indicator in rng.sample(BENEFIT, 2):
        value = rng.choice(QUALITATIVE) if rng.random() < 0.5 else _value(rng, "%")
        rows.append(("效益指标", level2, indicator, value))
    rows.append(("满意度指标", "服务对象满意度指标", rng.choice(SATISFACTION), _value(rng, "%")))
    previous = ("", "")
    for level1, level2, indicator, value in rows:
        shown1 = level1 if level1 != previous[0] else ""
        shown2 = level2 if (level1, level2) != previous else ""
        previous = (level1, level2)
        if rng.random() < 0.03 and shown1:  # a row shifted right by one column
            lines.append(f"\t{shown1}\t{shown2}\t{indicator}\t{value}")
        else:
            lines.append(f"{shown1}\t{shown2}\t{indicator}\t\t{value}")
    lines += ["", ""]
    return "\n".join(lines)


def corpus(count: int, seed: int = 2023) -> str:
    rng = random.Random(seed)
    return "\n".join(table(rng, n + 1) for n in range(count))
