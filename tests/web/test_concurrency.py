"""Two people saving the same project at the same moment: one wins, the other is told."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from jixiao.core.targets import parse_target
from jixiao.web import services
from jixiao.web.demo import load_demo
from jixiao.web.mapping import to_core
from jixiao.web.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_saves_of_one_version_never_both_land():
    load_demo()
    project = Project.objects.get(name="森林防火物资采购")
    user = get_user_model().objects.get(username="demo-unit")
    version = project.version
    base = to_core(project.current.data)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(value: str) -> None:
        core = replace(
            base,
            indicators=tuple(
                replace(i, target=parse_target(value)) if i.name == "装备利用率" else i
                for i in base.indicators
            ),
        )
        barrier.wait()
        try:
            services.save(user, project.id, core, version, f"保存 {value}")
            outcomes.append("saved")
        except services.Conflict:
            outcomes.append("conflict")
        except Exception as error:  # reported in the assertion, not lost in the thread
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in ("≥80%", "≥90%")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "saved"]
    project.refresh_from_db()
    assert project.revisions.count() == 2 and project.version == version + 1
