"""`jixiao backup` and `jixiao restore`: the whole database to one file, and back.

- SQLite: SQLite's online backup API, page by page, consistent while the site runs; the backup
  is itself a SQLite database.  Restoring copies it back the same way, in one transaction.
- PostgreSQL: ``pg_dump --format=custom``; restoring drops the application's tables (and its
  SQL functions) and loads the archive (``pg_restore`` to SQL, run by ``psql`` in a single
  transaction: either the database is the backup afterwards, or it is unchanged).  pg_dump,
  pg_restore and psql are taken from PATH; the connection comes from DATABASE_URL, the
  password through the environment (never on a command line).

Every file the site keeps is in the database, so the database is the whole backup;
JIXIAO_SECRET_KEY and the other settings are configuration, kept apart.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from jixiao.web import server

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
EXIT_OK, EXIT_FAILED = 0, 2


class BackupError(Exception):
    """Why a backup or a restore cannot be done, in Chinese, for the user."""


def backup(target: str, data_dir: str | None) -> int:
    return _reported(_backup, Path(target), data_dir)


def restore(source: str, data_dir: str | None, confirmed: bool) -> int:
    return _reported(_restore, Path(source), data_dir, confirmed)


def _reported(action: Any, *args: Any) -> int:
    try:
        message = action(*args)
    except BackupError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_FAILED
    print(message, file=sys.stderr)
    return EXIT_OK


def _backup(target: Path, data_dir: str | None) -> str:
    database = _database(data_dir, must_exist=True)
    if target.is_dir():
        raise BackupError(f"{target} 是一个文件夹；请给出备份文件的名字。")
    if not target.parent.is_dir():
        raise BackupError(f"文件夹 {target.parent} 不存在。")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        if _is_sqlite(database):
            source = Path(database["NAME"])
            if target.exists() and target.resolve() == source.resolve():
                raise BackupError("备份文件不能是数据库文件本身。")
            with (
                closing(_sqlite_connect(source, read_only=True)) as db,
                closing(sqlite3.connect(partial)) as copy,
            ):
                db.backup(copy)
            how = "SQLite 在线备份"
        else:
            _run(
                [_tool("pg_dump"), "--format=custom", f"--file={partial}"],
                database,
                "pg_dump",
            )
            how = "pg_dump"
        os.replace(partial, target)
    except OSError as error:
        raise BackupError(f"无法写入 {target}：{error.strerror}。") from None
    finally:
        partial.unlink(missing_ok=True)
    return f"已备份到 {target}（{how}，{target.stat().st_size} 字节）。"


def _restore(source: Path, data_dir: str | None, confirmed: bool) -> str:
    try:
        with source.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"无法读取 {source}：{error.strerror}。") from None
    database = _database(data_dir, must_exist=False)
    sqlite = _is_sqlite(database)
    if header.startswith(PG_DUMP_HEADER) and sqlite:
        raise BackupError(
            f"{source} 是 PostgreSQL 的备份（pg_dump），当前数据库是 SQLite；"
            f"请在 DATABASE_URL 指向 PostgreSQL 时恢复。"
        )
    if header == SQLITE_HEADER and not sqlite:
        raise BackupError(
            f"{source} 是 SQLite 数据库的备份，当前数据库是 PostgreSQL（DATABASE_URL）；"
            f"请在不设置 DATABASE_URL、用 SQLite 时恢复。"
        )
    if header != SQLITE_HEADER and not header.startswith(PG_DUMP_HEADER):
        raise BackupError(f"{source} 不是 jixiao backup 写出的备份文件。")
    _confirm(confirmed)
    if sqlite:
        _restore_sqlite(source, Path(database["NAME"]))
    else:
        _restore_postgresql(source, database)
    return (
        f"已用 {source} 恢复数据库。启动网站时会执行数据库迁移"
        f"（备份来自较早的版本时，数据随之升级）。"
    )


def _confirm(confirmed: bool) -> None:
    if confirmed:
        return
    question = "恢复会用备份覆盖数据库中的全部数据。请先停止网站。输入 yes 继续："
    if not sys.stdin.isatty():
        raise BackupError("恢复会用备份覆盖数据库中的全部数据；确认请加 --yes。")
    if input(question).strip().lower() != "yes":
        raise BackupError("已取消，数据库没有改变。")


def _database(data_dir: str | None, *, must_exist: bool) -> dict[str, Any]:
    """The database of the settings (DATABASE_URL, or SQLite in the data directory)."""
    data = server.data_dir_path(data_dir)
    if not os.environ.get("DATABASE_URL"):
        path = data / "jixiao.sqlite3"
        if must_exist and not path.is_file():
            raise BackupError(
                f"没有找到数据库 {path}。数据目录不对吗？用 --data-dir 或环境变量 "
                f"JIXIAO_DATA_DIR 指定；PostgreSQL 用环境变量 DATABASE_URL。"
            )
        if not must_exist:
            data.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.db import connection

    django.setup()
    settings: dict[str, Any] = connection.settings_dict
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError("备份和恢复只支持 SQLite 和 PostgreSQL。")
    return settings


def _is_sqlite(database: dict[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("sqlite3")


def _sqlite_connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:  # never creates a database where there was none
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    return sqlite3.connect(path, timeout=20)


def _restore_sqlite(source: Path, target: Path) -> None:
    try:
        with closing(_sqlite_connect(source, read_only=True)) as backup_db:
            (check,) = backup_db.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master")}
            if check != "ok" or "django_migrations" not in tables:
                raise BackupError(f"{source} 已损坏，或者不是 jixiao 的数据库备份。")
            with closing(_sqlite_connect(target, read_only=False)) as db:
                backup_db.backup(db)  # in one step: one transaction on the database
    except sqlite3.DatabaseError as error:
        raise BackupError(f"无法用 {source} 恢复：{error}。") from None


def _restore_postgresql(source: Path, database: dict[str, Any]) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    _run([pg_restore, "--list", str(source)], database, "pg_restore")  # a readable archive?
    from django.db import connection

    tables = connection.introspection.table_names()
    drop = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:  # the functions the migrations create (0015)
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc AS p "
            "JOIN pg_namespace AS n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'jixiao\\_%'"
        )
        functions = [row[0] for row in cursor.fetchall()]
    connection.close()
    with _scratch() as scratch:
        script = scratch / "restore.sql"
        _run(
            [pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(source)],
            database,
            "pg_restore",
        )
        first = scratch / "drop.sql"
        first.write_text(
            (f"DROP TABLE IF EXISTS {drop} CASCADE;\n" if drop else "")
            + "".join(f"DROP FUNCTION IF EXISTS {f} CASCADE;\n" for f in functions),
            "utf-8",
        )
        single = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
        _run([psql, *single, "-f", str(first), "-f", str(script)], database, "psql")


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="jixiao-restore-") as scratch:
        yield Path(scratch)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}。PostgreSQL 的备份和恢复需要它（与数据库服务器同一主版本的客户端程序，"
            f"Debian/Ubuntu：apt install postgresql-client），并且要在 PATH 中。"
        )
    return found


def _run(command: list[str], database: dict[str, Any], name: str) -> None:
    """A PostgreSQL client program, connected through the PG* environment variables."""
    env = os.environ.copy()
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    sslmode = database.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    env["PGOPTIONS"] = "-c client_min_messages=warning"
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"无法运行 {name}：{error.strerror}。") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise BackupError(f"{name} 失败（退出码 {done.returncode}）：{detail}")
