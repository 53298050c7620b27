"""Page times with many projects loaded: the project list, a project page, the API list.

Run: ``.venv/bin/python -m benchmarks.web [--projects N]``.  Uses a throwaway SQLite database
(or DATABASE_URL), the real import path for the tables, and Django's test client (no network).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if "JIXIAO_DATA_DIR" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="jixiao-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["JIXIAO_DATA_DIR"] = data_dir
    os.environ.setdefault("JIXIAO_SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    sys.path.insert(0, os.getcwd())
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from django.test import Client
    from django.test.utils import setup_test_environment

    from benchmarks.corpus import corpus
    from jixiao.web import services, tallies
    from jixiao.web.demo import load_demo
    from jixiao.web.models import MonitoringRound, Project, Unit

    setup_test_environment()
    load_demo(import_seed=False)
    unit = Unit.objects.get(name="高新区应急管理局")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="demo-unit")
    start = time.perf_counter()
    plan = services.plan_import(user, unit, corpus(args.projects).encode(), "bench.txt", 2023)
    services.confirm_import(user, plan)
    loaded = time.perf_counter() - start
    client = Client()
    client.force_login(user)

    def timed(url: str) -> float:
        samples = []
        for _ in range(args.repeat):
            begin = time.perf_counter()
            response = client.get(url)
            if response.streaming:  # the streamed 汇总表: read to its end
                b"".join(response.streaming_content)
            samples.append(time.perf_counter() - begin)
            assert response.status_code == 200, url
        return statistics.median(samples)

    deep = Project.objects.order_by("id").values_list("id", flat=True)[1500]
    # half of them approved: the monitoring board covers the approved projects
    Project.objects.filter(id__in=Project.objects.values_list("id", flat=True)[::2]).update(
        status=Project.APPROVED
    )
    tallies.rebuild()  # an UPDATE of many rows passes by the counts kept at each save
    project = Project.objects.filter(status=Project.DRAFT).order_by("id")[args.projects // 4]
    monitoring_round = MonitoringRound.objects.create(year=2023, month=7, opened_by=user).id
    print(
        f"{Project.objects.count()} projects imported through the real path in {loaded:.1f} s "
        f"({os.environ.get('DATABASE_URL', 'SQLite')[:40]})"
    )
    for label, url in (
        ("project list (50 a page, totals over all)", "/projects/?year=2023"),
        ("project list, only those with errors", "/projects/?year=2023&errors=1"),
        ("project page (official table + findings)", f"/projects/{project.id}/"),
        ("editor", f"/projects/{project.id}/edit/"),
        ("dashboard (from the kept counts)", "/dashboard/?year=2023"),
        ("API list (a page of 100, keyset)", "/api/projects?year=2023"),
        ("API list, page after the 1,500th project", f"/api/projects?year=2023&after={deep}"),
        ("monitoring board (a page of 100)", f"/monitoring/{monitoring_round}/"),
        ("search, a rare project name", "/search/?q=保费补贴（1234）"),
        ("search, a word found nowhere", "/search/?q=无此内容的词语"),
        ("search, a frequent indicator (群众满意度)", "/search/?q=群众满意度"),
        ("API search, editor suggestions (设备完好)", "/api/search?q=设备完好"),
        ("unit summary, web page (streamed)", "/summary/html/?year=2023"),
        ("unit summary, XLSX (streamed)", "/summary/xlsx/?year=2023"),
    ):
        print(f"{label:<45} median {timed(url) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
