"""`jixiao backup` and `jixiao restore`, run as an operator runs them, on the database the web
tests use: SQLite, and in scripts/test.sh's second stage a real PostgreSQL (pg_dump,
pg_restore and psql from PATH)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from jixiao.web.demo import load_demo
from jixiao.web.models import Project, Unit

# Committed data: pg_dump and SQLite's backup read the database from another process.
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The URL of the test database the ORM here uses."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    quote = urllib.parse.quote
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = quote(settings["HOST"] or "", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(settings['NAME'], safe='')}"


def jixiao(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_", "DATABASE"))
    }
    environment |= {"DATABASE_URL": database_url(), "JIXIAO_SECRET_KEY": "backup-tests"} | env
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def snapshot() -> dict[str, object]:
    return {
        "projects": sorted(Project.objects.values_list("name", "version")),
        "units": sorted(Unit.objects.values_list("name", flat=True)),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    }


def test_a_backup_restores_the_data_as_it_was(tmp_path):
    load_demo()
    before = snapshot()
    assert len(before["projects"]) == 9  # type: ignore[arg-type]
    backup = tmp_path / "jixiao.backup"

    made = jixiao("backup", str(backup), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stderr.startswith(f"已备份到 {backup}")
    assert backup.read_bytes().startswith(
        b"SQLite format 3\x00" if connection.vendor == "sqlite" else b"PGDMP"
    )

    # After the backup: projects deleted, one renamed, a unit and a user added.
    forest = Project.objects.get(name="森林防火物资采购")
    Project.objects.exclude(pk=forest.pk).delete()
    forest.name = "改过的名字"
    forest.save()
    Unit.objects.create(name="备份之后的单位", kind=Unit.DEPARTMENT)
    get_user_model().objects.create_user("after-the-backup", password="a-long-password-1")
    assert snapshot() != before

    restored = jixiao("restore", str(backup), "--yes", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "已用" in restored.stderr and "恢复数据库" in restored.stderr
    assert snapshot() == before
    assert not list(tmp_path.glob(".*partial")), "no half-written file left"


def test_restore_asks_for_confirmation_and_changes_nothing_without_it(tmp_path):
    load_demo()
    backup = tmp_path / "jixiao.backup"
    assert jixiao("backup", str(backup), cwd=tmp_path).returncode == 0
    Project.objects.all().delete()

    refused = jixiao("restore", str(backup), cwd=tmp_path)  # stdin is not a terminal
    assert refused.returncode == 2
    assert refused.stderr == "jixiao：恢复会用备份覆盖数据库中的全部数据；确认请加 --yes。\n"
    assert Project.objects.count() == 0


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(tmp_path):
    load_demo()
    other_kind = tmp_path / "other.backup"
    other_kind.write_bytes(
        b"PGDMP\x01\x0e\x00" if connection.vendor == "sqlite" else b"SQLite format 3\x00" * 8
    )
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("绩效目标表", "utf-8")

    run = jixiao("restore", str(other_kind), "--yes", cwd=tmp_path)
    assert run.returncode == 2
    if connection.vendor == "sqlite":
        assert "是 PostgreSQL 的备份（pg_dump），当前数据库是 SQLite" in run.stderr
    else:
        assert "是 SQLite 数据库的备份，当前数据库是 PostgreSQL" in run.stderr
    run = jixiao("restore", str(not_a_backup), "--yes", cwd=tmp_path)
    assert run.returncode == 2 and "不是 jixiao backup 写出的备份文件" in run.stderr
    run = jixiao("restore", str(tmp_path / "missing.backup"), "--yes", cwd=tmp_path)
    assert run.returncode == 2 and "无法读取" in run.stderr
    assert Project.objects.count() == 9
    assert "Traceback" not in run.stderr


def test_a_missing_database_or_client_program_is_said_in_chinese(tmp_path):
    run = jixiao(
        "backup",
        str(tmp_path / "b"),
        "--data-dir",
        str(tmp_path / "no-such-dir"),
        cwd=tmp_path,
        DATABASE_URL="",
    )
    assert run.returncode == 2 and "没有找到数据库" in run.stderr
    assert not (tmp_path / "no-such-dir").exists()

    nothing_listens = "postgres://jixiao@127.0.0.1:9/jixiao"
    run = jixiao("backup", str(tmp_path / "b"), cwd=tmp_path, DATABASE_URL=nothing_listens, PATH="")
    assert run.returncode == 2 and "找不到 pg_dump" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "b").exists()
