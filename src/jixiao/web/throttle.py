"""Login throttling: per user name at an address (django-axes), and per address.

django-axes locks a user name at an address after five failures.  One wrong password on
each of many user names would never be slowed by that; this handler also locks an
address after ``JIXIAO_LOGIN_FAILURES_PER_ADDRESS`` failures over any user names within
the cool-off time.  The limit per address is higher than the one per name: several
people of one office may share an address (NAT).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class AddressAwareHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        own: int = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return own
        since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
        spread = (
            AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
                total=Sum("failures_since_start")
            )["total"]
            or 0
        )
        if spread >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(own, int(get_failure_limit(request, credentials)))
        return own
