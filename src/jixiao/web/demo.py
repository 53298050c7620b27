"""Demo data: the finance bureau, 高新区应急管理局 with the nine 2023 seed projects (imported
through the real import path), and three demo accounts.  Only ``jixiao demo`` calls this."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao.core.model import Project as CoreProject
from jixiao.core.targets import Kind, Operator, format_decimal
from jixiao.services.monitoring_example import MONTH as example_month
from jixiao.services.monitoring_example import example
from jixiao.web import evaluations, services
from jixiao.web import monitoring as web_monitoring
from jixiao.web.evaluations import Entry, base_of, default_entry
from jixiao.web.models import Membership, Project, ReviewAssignment, Unit

PASSWORD = "jixiao-demo"
ACCOUNTS = (
    ("demo-unit", "演示填报人", Membership.FILLER),
    ("demo-reviewer", "演示审核人", Membership.REVIEWER),
    ("demo-admin", "演示管理员", Membership.ADMIN),
)
SEED = "gaoxin_yingji_2023.txt"


@transaction.atomic
def load_demo(
    *, import_seed: bool = True, evaluations: bool = False, monitoring: bool = False
) -> None:
    finance, _ = Unit.objects.get_or_create(name="高新区财政局", defaults={"kind": Unit.FINANCE})
    unit, _ = Unit.objects.get_or_create(
        name="高新区应急管理局", defaults={"kind": Unit.DEPARTMENT, "parent": finance}
    )
    users = {}
    model = get_user_model()
    for username, full_name, role in ACCOUNTS:
        user, created = model.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(PASSWORD)
        user.is_active = True
        if role == Membership.ADMIN:
            user.is_staff = user.is_superuser = True
        user.save()
        Membership.objects.get_or_create(
            user=user, unit=finance if role != Membership.FILLER else unit, role=role
        )
        users[role] = user
    ReviewAssignment.objects.get_or_create(reviewer=users[Membership.REVIEWER], unit=unit)
    if import_seed and not Project.objects.filter(unit=unit).exists():
        data = resources.files("jixiao").joinpath(f"demo/{SEED}").read_bytes()
        plan = services.plan_import(users[Membership.FILLER], unit, data, SEED, 2023)
        services.confirm_import(users[Membership.FILLER], plan)
        if evaluations:
            _demo_evaluations(users[Membership.FILLER], users[Membership.REVIEWER], unit)
        if monitoring:
            _demo_monitoring(users, unit)


EXAMPLE = "（演示数据：实际值为示例）"


def example_entry(
    base: CoreProject,
    spent: Decimal = Decimal("0.93"),
    reached: Decimal = Decimal("0.9"),
    shortfalls: int = 1,
) -> Entry:
    """A plausible year-end entry for the approved targets ``base``, labelled as an example:
    every target reached as written, except the first ``shortfalls`` quantitative ones at
    ``reached`` of their value with the reason, and ``spent`` of the budget spent (the demo:
    one at 90 % and 93 % spent; the province benchmark varies them)."""
    entry = default_entry(base)
    total = base.funds.annual.total
    if total is not None:
        entry.budget["total"]["executed"] = format_decimal(
            (total * spent).quantize(Decimal("0.01"))
        )
    short = 0
    for indicator, row in zip(base.indicators, entry.rows, strict=True):
        target = indicator.target
        row.actual = target.text
        if (
            short < shortfalls
            and target.kind is Kind.QUANTITATIVE
            and target.value
            and target.operator in (Operator.GE, Operator.EQ, None)
        ):
            row.actual = f"{format_decimal((target.value * reached).normalize())}{target.unit}"
            row.deviation = "部分采购合同延至次年一季度交付；已督促供应商按期供货。" + EXAMPLE
            short += 1
    entry.goal_actual = "年度目标基本完成。" + EXAMPLE
    return entry


def _demo_evaluations(filler: Any, reviewer: Any, unit: Unit) -> None:
    """Four projects without errors approved; three with a self-evaluation: one approved,
    one submitted, one draft — so that every page of the year's end has something to show."""
    approved = list(Project.objects.filter(unit=unit, errors=0).order_by("name")[:4])
    for project in approved:
        services.transition(filler, project.id, "submit")
        services.transition(reviewer, project.id, "approve")
    for number, project in enumerate(approved[:3]):
        project.refresh_from_db()
        entry = example_entry(base_of(project))
        evaluations.save(filler, project.id, entry, 0, "填写自评" + EXAMPLE)
        if number < 2:
            evaluations.transition(filler, project.id, "submit")
        if number < 1:
            evaluations.transition(reviewer, project.id, "approve")


def disable_demo_accounts() -> int:
    """Production never keeps the demo logins usable."""
    return (
        get_user_model()
        .objects.filter(username__in=[a[0] for a in ACCOUNTS], is_active=True)
        .update(is_active=False)
    )


def _demo_monitoring(users: dict[str, Any], unit: Unit) -> None:
    """A 2023 1–7月 round with the example values of ``jixiao.services.monitoring_example`` for the
    approved projects: all reported, two submitted, one of them sent back for rectification."""
    filler, reviewer = users[Membership.FILLER], users[Membership.REVIEWER]
    opened = web_monitoring.open_round(users[Membership.ADMIN], 2023, example_month)
    approved = list(Project.objects.filter(unit=unit, status=Project.APPROVED).order_by("name"))
    cores = example([web_monitoring.base_of(p) for p in approved])
    for number, (project, core) in enumerate(zip(approved, cores, strict=True)):
        entry = web_monitoring.entry_of(core)
        for row in entry.rows:  # the example's 完全不可能 rows come with their reason
            if row.likelihood == "完全不可能" and not row.reason:
                row.reason = "资金下达较晚" + EXAMPLE
        web_monitoring.save(filler, opened.id, project.id, entry, 0, "填写监控" + EXAMPLE)
        if number < 2:
            web_monitoring.transition(filler, opened.id, project.id, "submit")
        if number == 0:
            web_monitoring.transition(
                reviewer,
                opened.id,
                project.id,
                "rectify",
                "红灯指标请说明整改措施和完成时限。" + EXAMPLE,
            )
