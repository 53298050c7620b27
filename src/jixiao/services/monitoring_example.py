"""An example 1–7月 monitoring round of the seed's nine projects, for docs/monitoring.md and
the demo website.  The values are made up — plausible, deterministic, and labelled as an
example wherever they are shown; the targets are the seed's own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from jixiao.core.model import Indicator, Monitoring, Progress, Project, Spending
from jixiao.core.monitoring import prorated
from jixiao.core.targets import Kind, format_decimal, parse_target

MONTH = 7
LABEL = "（示例数据）"
# Share of each project's budget spent by the end of July, in the order of the seed.
SPENT = ("0.62", "0.35", "0.48", "0.71", "0.20", "0.55", "0.66", "0.41", "0.58")
# Progress of quantitative indicators against the time (1 = exactly on schedule), in turn.
PACE = ("1.05", "0.72", "0.45", "1.30", "0.90", "0.98", "0.55", "1.10")
LIKELY = ("确定能", "确定能", "有可能", "确定能", "完全不可能", "确定能")


def example(
    projects: list[Project] | tuple[Project, ...],
    spent_shares: Sequence[str] = SPENT,
    paces: Sequence[str] = PACE,
    likely: Sequence[str] = LIKELY,
) -> list[Project]:
    """The seed projects with an example 1–7月 monitoring report each (the shares spent, the
    paces and the likelihoods taken in turn; the province benchmark draws its own)."""
    result = []
    counter = 0
    for number, project in enumerate(projects):
        spent = Decimal(spent_shares[number % len(spent_shares)])
        total = project.funds.annual.total
        executed = None if total is None else (total * spent).quantize(Decimal("0.01"))
        indicators = []
        for indicator in project.indicators:
            indicators.append(
                _with_progress(
                    indicator, Decimal(paces[counter % len(paces)]), likely[counter % len(likely)]
                )
            )
            counter += 1
        result.append(
            replace(
                project,
                indicators=tuple(indicators),
                monitoring=Monitoring(
                    month=MONTH,
                    total=Spending(planned=total, executed=executed, predicted=total),
                    fiscal=Spending(
                        planned=project.funds.annual.fiscal,
                        executed=executed if project.funds.annual.fiscal == total else None,
                    ),
                    goal_progress="按计划推进" + LABEL,
                    reason="" if spent >= Decimal("0.4") else "采购合同尚未签订" + LABEL,
                ),
            )
        )
    return result


def _with_progress(indicator: Indicator, pace: Decimal, likely: str) -> Indicator:
    target = indicator.target
    if target.kind is Kind.QUANTITATIVE and target.value is not None and not target.relative:
        if prorated(indicator):  # a count: so much of the year's target by July
            achieved_value = (target.value * pace * MONTH / 12).quantize(Decimal(1))
        elif target.operator is not None and target.operator.value in ("<=", "<"):
            achieved_value = target.value * min(pace, Decimal(1))  # within the limit, or above
            achieved_value = achieved_value if pace <= 1 else target.value * pace
        elif pace >= Decimal("0.9"):  # a rate or a state: reached, or a little short
            achieved_value = target.value
        else:
            achieved_value = target.value * Decimal("0.97")
        achieved = (
            f"{format_decimal(achieved_value.quantize(Decimal('0.1')).normalize())}{target.unit}"
        )
        likely = "确定能" if pace >= Decimal("0.8") else "有可能"
    elif target.kind is Kind.TIME:
        achieved = "按计划推进"
    else:
        achieved = "正在推进"
    reason = "" if likely == "确定能" else "资金下达较晚，采购延后" + LABEL
    return replace(
        indicator,
        progress=Progress(
            achieved=parse_target(achieved),
            predicted=target if target.text.strip() else None,
            likelihood=likely,
            reasons=("经费保障",) if reason else (),
            reason=reason,
            measures="加快采购和验收进度" + LABEL if reason else "",
        ),
    )
