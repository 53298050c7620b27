from typing import Any

from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _one_core_per_query(sender: Any, connection: Any, **kwargs: Any) -> None:
    """No parallel plans on the application's PostgreSQL connections.  Its queries read a page
    of rows through an index; when the planner still chose a parallel plan, starting the two
    workers cost ~15 ms before the first row (the reviewer's search: 73 → 45 ms, 200,000
    projects) and took the other cores from the requests waiting (benchmarks.md).  A plain SET,
    so that it works through a connection pooler too."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")


class WebConfig(AppConfig):
    default = True  # the module holds the login records' config too
    name = "jixiao.web"
    label = "jixiao"
    verbose_name = "绩效目标"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_one_core_per_query, dispatch_uid="jixiao-one-core-per-query")


class LoginRecordsConfig(AxesConfig):  # type: ignore[misc]  # axes ships no types
    """django-axes (login throttling and its records), under a Chinese name in the admin site."""

    verbose_name = "登录安全"
