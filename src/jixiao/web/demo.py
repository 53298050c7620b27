"""Demo data: the finance bureau, 高新区应急管理局 with the nine 2023 seed projects (imported
through the real import path), and three demo accounts.  Only ``jixiao demo`` calls this."""

from __future__ import annotations

from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao.web import services
from jixiao.web.models import Membership, Project, ReviewAssignment, Unit

PASSWORD = "jixiao-demo"
ACCOUNTS = (
    ("demo-unit", "演示填报人", Membership.FILLER),
    ("demo-reviewer", "演示审核人", Membership.REVIEWER),
    ("demo-admin", "演示管理员", Membership.ADMIN),
)
SEED = "gaoxin_yingji_2023.txt"


@transaction.atomic
def load_demo(*, import_seed: bool = True) -> None:
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


def disable_demo_accounts() -> int:
    """Production never keeps the demo logins usable."""
    return (
        get_user_model()
        .objects.filter(username__in=[a[0] for a in ACCOUNTS], is_active=True)
        .update(is_active=False)
    )
