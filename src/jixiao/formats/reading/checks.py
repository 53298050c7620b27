"""What the reader reports about a table: each kind of finding, with its fix and explanation."""

from __future__ import annotations

from jixiao.core.findings import Check, Severity

AMOUNT_UNREADABLE = Check(
    id="READ-AMOUNT",
    severity=Severity.ERROR,
    title="金额不是数字",
    fix="金额以万元填写数字，例如“102.9”；没有的金额留空。",
    explanation="资金投入中的金额必须是数字；无法识别时该金额按“未填写”处理，原文写在提示中。",
)
YUAN_CONVERTED = Check(
    id="READ-YUAN",
    severity=Severity.INFO,
    title="金额以元填写，已换算为万元",
    fix="绩效目标表的金额以万元填写；以元填写的金额读取时按 1 万元 = 10000 元精确换算。",
    explanation="表格或单元格注明金额单位为元（“单位：元”、“1,250,000元”）时，金额精确换算为万元；"
    "提示中写明第一个金额的原文和换算结果，每张表提示一次。",
)
UNKNOWN_ROW = Check(
    id="READ-UNKNOWN-ROW",
    severity=Severity.WARNING,
    title="无法识别的行",
    fix="检查该行是否属于表格；若是指标行，请把一级、二级、三级指标和指标值放在各自的列中。",
    explanation="表格内既不是表头、资金、目标，也不是指标的行。该行内容不会丢失，而是原样写在提示中。",
)
EXTRA_CELLS = Check(
    id="READ-EXTRA-CELLS",
    severity=Severity.WARNING,
    title="指标行有多余的单元格",
    fix="每个指标行只填写一级、二级、三级指标、指标值（和备注）；多余的内容请移入备注。",
    explanation="指标值之后还有不属于任何列的内容：这些内容被保存为该指标的备注。",
)
EMPTY_CATEGORY = Check(
    id="READ-EMPTY-CATEGORY",
    severity=Severity.WARNING,
    title="指标类别下没有三级指标",
    fix="为该类别填写至少一个三级指标和指标值，或删除空的类别行。",
    explanation="一行只有一级或二级指标名称，而它下面没有任何三级指标。",
)
IGNORED_LINE = Check(
    id="READ-IGNORED-LINE",
    severity=Severity.INFO,
    title="表格之外的内容未读取",
    fix="如果这段内容属于某张绩效目标表，请把它放进该表的相应单元格。",
    explanation="表格之前或之后、不属于任何表格的文字：网站导航、发布信息、“扫一扫”、“打印本页”、"
    "盖章与签字栏、注释、附件说明等。连续的几行合为一条提示，说明行号范围和开头的内容。",
)
PLACEHOLDER_ROW = Check(
    id="READ-PLACEHOLDER-ROW",
    severity=Severity.INFO,
    title="模板的空白占位行未读取",
    fix="删除模板中没有填写的占位行（如“指标2”“……”），或者把它填写完整。",
    explanation="表格模板里预留、没有填写内容的指标行（只有“指标2”“……”之类的编号）不是指标，"
    "不会被读成指标。",
)
SYNONYM_CATEGORY = Check(
    id="READ-CATEGORY-SYNONYM",
    severity=Severity.INFO,
    title="一级指标使用了框架之外的名称",
    fix="按财预〔2021〕101号的指标框架填写一级指标：产出指标、成本指标、效益指标、满意度指标。",
    explanation="有的表格把一级指标写作“项目完成指标”“预期产出指标”“效果指标”等。读取时按框架中对应的"
    "类别理解，原文照样保留；每张表只提示一次。",
)
UNIT_CONFLICT = Check(
    id="READ-UNIT-CONFLICT",
    severity=Severity.WARNING,
    title="度量单位与指标值不符",
    fix="指标值与度量单位分列填写时，度量单位只写一次，并与数值相符（如指标值“28.8”、单位“万元”）。",
    explanation="度量单位一列写的单位与指标值本身所带的单位不同（如指标值“28.8万元”、单位“%”），"
    "或给定性指标值写了单位。读取时只保留指标值，单位列的内容写在提示中。",
)
TRADITIONAL = Check(
    id="READ-TRADITIONAL",
    severity=Severity.INFO,
    title="繁体字表格已按简体读取",
    fix="如有原始的简体表格，请使用原始表格。",
    explanation="镜像网站转载的表格常被转换成繁体字，有时还在字后插入拼音。读取时转换为简体、"
    "去掉插入的拼音，文件本身不变。",
)
SUBTOTAL_ROW = Check(
    id="READ-SUBTOTAL-ROW",
    severity=Severity.INFO,
    title="合计行未作为项目读取",
    fix="无需修改：合计、小计行是汇总，不是项目。",
    explanation="多个项目列在一张表里时，部门或单位的合计、小计行只是金额的汇总：不读成项目或指标。",
)
LOW_CONFIDENCE = Check(
    id="READ-LOW-CONFIDENCE",
    severity=Severity.ERROR,
    title="表格没有可靠地读出",
    fix="请检查原表格：最好提供原始的 Excel 或 Word 文件；如果只能提供文字，"
    "请让每个单元格之间有制表符或“|”分隔。",
    explanation="一张表读出的内容不足以信任：没有项目名称、大部分行无法识别、大部分指标没有指标值，"
    "或者找不到指标表。这不是审核意见，而是读取没有成功：读出的内容照样列出，但不能当作结果。",
)
NO_GRID = Check(
    id="READ-NO-INDICATORS",
    severity=Severity.WARNING,
    title="表格中没有找到绩效指标",
    fix="确认表格包含绩效指标（一级、二级、三级指标和指标值）；如被截断，请提供完整的表格。",
    explanation="表头读出了项目，但之后没有任何指标行：表格被截断，或者指标以文字叙述的形式写在别处。",
)

CHECKS: tuple[Check, ...] = (
    AMOUNT_UNREADABLE,
    YUAN_CONVERTED,
    UNKNOWN_ROW,
    EXTRA_CELLS,
    EMPTY_CATEGORY,
    IGNORED_LINE,
    PLACEHOLDER_ROW,
    SYNONYM_CATEGORY,
    UNIT_CONFLICT,
    TRADITIONAL,
    SUBTOTAL_ROW,
    LOW_CONFIDENCE,
    NO_GRID,
)
