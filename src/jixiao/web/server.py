"""`jixiao demo` and `jixiao serve`: set up Django from the environment, migrate, run gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def setup(data_dir: str | None, *, demo: bool) -> None:
    if data_dir:
        os.environ["JIXIAO_DATA_DIR"] = str(Path(data_dir).resolve())
    data = Path(os.environ.get("JIXIAO_DATA_DIR", "jixiao-data")).resolve()
    (data / "static").mkdir(parents=True, exist_ok=True)
    if demo:
        os.environ["JIXIAO_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> int:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "jixiao.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]
    try:
        return subprocess.call(command, env=os.environ.copy())
    except KeyboardInterrupt:
        return 0


def demo(data_dir: str | None, host: str, port: int) -> int:
    setup(data_dir, demo=True)
    from jixiao.web.demo import ACCOUNTS, PASSWORD, load_demo

    load_demo()
    print(f"jixiao 演示：http://{host}:{port}/", flush=True)
    print(
        f"数据目录：{os.environ.get('JIXIAO_DATA_DIR', Path('jixiao-data').resolve())}", flush=True
    )
    for username, name, _ in ACCOUNTS:
        print(f"  {username:<14} {name}    密码 {PASSWORD}", flush=True)
    print("按 Ctrl+C 停止。", flush=True)
    return run_gunicorn(host, port, workers=1, threads=8)


def serve(data_dir: str | None, host: str, port: int, workers: int) -> int:
    if not os.environ.get("JIXIAO_SECRET_KEY"):
        print(
            "jixiao：生产环境必须设置环境变量 JIXIAO_SECRET_KEY（一串足够长的随机字符）。",
            file=sys.stderr,
        )
        return 2
    setup(data_dir, demo=False)
    from jixiao.web.demo import disable_demo_accounts

    if disable_demo_accounts():
        print("已停用数据库中的演示账号（生产环境不允许演示账号登录）。", file=sys.stderr)
    return run_gunicorn(host, port, workers=workers, threads=4)
