"""Page and API times, one request at a time, on a province already loaded by
``benchmarks.province`` (DATABASE_URL): as a unit's filler, a department's reviewer and the
administrator (who sees every project of a year).

Run: ``DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.pages [--year 2025]``.
Django's test client in this process: no network, no app server — the time of the view and
its queries, not of gunicorn (``benchmarks/load.sh`` measures that, under load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-summary", action="store_true", help="skip the 汇总表 of a year")
    args = parser.parse_args()
    os.environ.setdefault("JIXIAO_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("JIXIAO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jixiao.web.models import Evaluation, MonitoringReport, MonitoringRound, Project, Unit

    setup_test_environment()
    year = args.year
    users = {
        name: get_user_model().objects.get(username=name) for name in ("filler-0", "reviewer-0")
    }
    users["admin"] = get_user_model().objects.get(username="demo-admin")
    users["admin"].is_active = True
    users["admin"].save()
    own = Project.objects.filter(unit__memberships__user=users["filler-0"], year=year)
    mine = own.order_by("id").first()
    assert mine is not None, "load a province first (benchmarks.province)"
    draft = own.filter(status__in=(Project.DRAFT, Project.RETURNED)).order_by("id").first()
    assert draft is not None
    monitoring_round, _ = MonitoringRound.objects.get_or_create(
        year=year, month=7, defaults={"opened_by": users["admin"]}
    )
    # the year-end and in-year pages of the projects the bulk load gave them to
    evaluated = (
        Evaluation.objects.filter(project__unit__memberships__user=users["filler-0"])
        .order_by("id")
        .values_list("project_id", flat=True)
        .first()
    )
    reported = (
        MonitoringReport.objects.filter(round=monitoring_round)
        .order_by("id")
        .values_list("project_id", flat=True)
        .first()
    )
    assert evaluated is not None and reported is not None, "load a province first"
    deep = Project.objects.filter(year=year).order_by("id").values_list("id", flat=True)[20_000]
    # the largest unit: the 汇总表 of one unit, as its filler or reviewer downloads it
    units = Project.objects.filter(year=year).values("unit").distinct().count()
    total = Project.objects.count()
    print(
        f"{total:,} projects in {connection.vendor}; {year}: "
        f"{Project.objects.filter(year=year).count():,} projects over {units:,} units; "
        f"filler-0 has {own.count()} in {year}"
    )
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)

    def timed(who: str, url: str) -> tuple[float, float]:
        samples = []
        for _ in range(args.repeat):
            begin = time.perf_counter()
            response = clients[who].get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            samples.append(time.perf_counter() - begin)
            assert response.status_code == 200 and body, (url, response.status_code)
        return statistics.median(samples), max(samples)

    unit = Unit.objects.get(id=mine.unit_id)
    pages = [
        ("filler-0", "project list (own unit)", f"/projects/?year={year}"),
        ("filler-0", "project page", f"/projects/{mine.id}/"),
        ("filler-0", "editor", f"/projects/{draft.id}/edit/"),
        ("filler-0", "dashboard (own unit)", f"/dashboard/?year={year}"),
        ("reviewer-0", "queue", "/queue/"),
        ("reviewer-0", "project list (20 units)", f"/projects/?year={year}"),
        ("reviewer-0", "dashboard (20 units)", f"/dashboard/?year={year}"),
        ("reviewer-0", "API list, a page of 100", f"/api/projects?year={year}&limit=100"),
        ("reviewer-0", "search 培训", "/search/?q=培训"),
        ("reviewer-0", "API search 满意度", "/api/search?q=满意度"),
        ("reviewer-0", "monitoring board", f"/monitoring/{monitoring_round.id}/"),
        ("filler-0", "self-evaluation", f"/projects/{evaluated}/evaluation/"),
        ("admin", "monitoring report", f"/monitoring/{monitoring_round.id}/projects/{reported}/"),
        ("reviewer-0", "dashboard of a past year", f"/dashboard/?year={year - 1}"),
        ("admin", "dashboard of a past year", f"/dashboard/?year={year - 1}"),
        ("admin", "project list (the whole year)", f"/projects/?year={year}"),
        ("admin", "dashboard (the whole year)", f"/dashboard/?year={year}"),
        ("admin", "dashboard, one unit", f"/dashboard/?year={year}&unit={unit.id}"),
        ("admin", "API list, a page of 500", f"/api/projects?year={year}&limit=500"),
        ("admin", "API list, after the 20,000th", f"/api/projects?year={year}&after={deep}"),
        ("admin", "API list, with errors", f"/api/projects?year={year}&errors=true"),
        ("admin", "search 满意度", "/search/?q=满意度"),
        ("admin", "monitoring board (the whole year)", f"/monitoring/{monitoring_round.id}/"),
        ("admin", "evaluations (API), a past year", f"/api/evaluations?year={year - 1}"),
        # the admin site (Django's), where the operator sets up units, users and roles
        ("admin", "admin site: projects", "/admin/jixiao/project/"),
        ("admin", "admin site: projects approved", "/admin/jixiao/project/?status__exact=approved"),
        ("admin", "admin site: projects named 培训", "/admin/jixiao/project/?q=培训"),
        ("admin", "admin site: revisions", "/admin/jixiao/revision/"),
        ("admin", "admin site: events", "/admin/jixiao/event/"),
        ("admin", "admin site: units", "/admin/jixiao/unit/"),
        ("admin", "admin site: one unit", f"/admin/jixiao/unit/{unit.id}/change/"),
        ("admin", "admin site: memberships", "/admin/jixiao/membership/"),
        ("admin", "admin site: deleting a unit", f"/admin/jixiao/unit/{unit.id}/delete/"),
        ("admin", "admin site: deleting a user", f"/admin/auth/user/{users['admin'].id}/delete/"),
        ("admin", "admin site: login records", "/admin/axes/accesslog/"),
    ]
    print(f"{'as':<11} {'page':<36} {'median':>9} {'max':>9}")
    for who, label, url in pages:
        median, worst = timed(who, url)
        print(f"{who:<11} {label:<36} {median * 1000:7.1f} ms {worst * 1000:7.1f} ms")
    # The 汇总表 of the whole year as the administrator: its rows stream from the database
    # to a temporary file; the memory the process holds at the most while writing it.
    for fmt in () if args.no_summary else ("xlsx", "html"):
        tracemalloc.start()
        begin = time.perf_counter()
        response = clients["admin"].get(f"/summary/{fmt}/?year={year}")
        size = sum(len(piece) for piece in response.streaming_content)
        seconds = time.perf_counter() - begin
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"汇总表 {fmt} of {year} ({Project.objects.filter(year=year).count():,} projects): "
            f"{seconds:.1f} s, {size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
