"""`jixiao demo` and `jixiao serve`: set up Django from the environment, migrate, run gunicorn.

After the setup this process *becomes* gunicorn's master (``os.execv``): there is one process to
stop, signals reach gunicorn directly (TERM graceful stop, INT quick stop, HUP reload — in the
demo HUP stops, as closing its terminal should), and nothing is left behind when it ends.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
EXIT_USAGE = 2
# A Unix socket's path has room for 107 bytes; a longer data directory gets no control socket.
_MAX_SOCKET_PATH = 100


class StartError(Exception):
    """Why the server cannot start, in Chinese, for the user."""


def data_dir_path(data_dir: str | None) -> Path:
    if data_dir:
        os.environ["JIXIAO_DATA_DIR"] = str(Path(data_dir).resolve())
    return Path(os.environ.get("JIXIAO_DATA_DIR", "jixiao-data")).resolve()


def log_level() -> str:
    """``JIXIAO_LOG_LEVEL`` (default INFO), checked before anything starts."""
    level = os.environ.get("JIXIAO_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise StartError(
            f"环境变量 JIXIAO_LOG_LEVEL 的值“{os.environ['JIXIAO_LOG_LEVEL']}”无效，"
            f"可用：{'、'.join(LOG_LEVELS)}。"
        )
    return level


def check_port(host: str, port: int) -> None:
    """Bind the address once, as gunicorn will, so that a taken port is reported in Chinese
    before anything is printed or started (gunicorn would retry, then fail in English)."""
    family = socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((host, port))
        except socket.gaierror:
            raise StartError(f"无法解析主机名“{host}”，请检查 --host。") from None
        except OSError as error:
            raise StartError(_bind_message(error, host, port)) from None


def _bind_message(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"端口 {port} 已被占用（{host}:{port}），可能另一个 jixiao 或其他程序正在使用它。"
            f"请用 --port 换一个端口，或先停止占用它的程序。"
        )
    if error.errno == errno.EACCES:
        return (
            f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）。"
            f"请用 --port 换一个 1024 以上的端口，或在前面放一个反向代理。"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}，不能在它上面提供服务；请检查 --host。"
    return f"不能在 {host}:{port} 上提供服务（操作系统错误 {error.errno}）。"


def _is_ipv6(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6, host)
    except (OSError, ValueError):
        return False
    return True


def setup(data: Path, *, demo: bool) -> None:
    try:
        (data / "static").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StartError(f"无法创建数据目录 {data}：{error.strerror}。") from None
    if demo:
        os.environ["JIXIAO_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.core.management import call_command
    from django.db import DatabaseError

    django.setup()
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as error:
        raise StartError(f"无法连接或升级数据库（DATABASE_URL）：{error}".strip()) from None


def default_workers() -> int:
    """gunicorn's advice for its sync workers: two per core and one more."""
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_command(
    host: str, port: int, workers: int, threads: int, data: Path, level: str
) -> list[str]:
    """The command line of gunicorn.  ``threads`` 1: gunicorn's sync workers, one request at a
    time per process and no keep-alive, so that each request goes to whichever process is free
    and every core does its share (with threads, a client's kept-alive connection stays with
    the process that took it: in the load test one of three processes did 80 % of the work and
    the others waited, benchmarks.md); more: one process of that many threads (the demo)."""
    bind = f"[{host}]:{port}" if _is_ipv6(host) else f"{host}:{port}"
    control = data / f"gunicorn-{port}.ctl"
    if len(os.fsencode(control)) <= _MAX_SOCKET_PATH:
        # gunicornc's socket: in the data directory, not in ~/.gunicorn shared by every server.
        control_socket = ["--control-socket", str(control)]
    else:
        control_socket = ["--no-control-socket"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "jixiao.web.wsgi:application",
        # Our own hooks; also keeps a gunicorn.conf.py of the current directory out.
        "--config",
        "python:jixiao.web.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        str(workers),
        *_concurrency(threads),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        "--log-level",
        level.lower(),
        *control_socket,
    ]


def _concurrency(threads: int) -> list[str]:
    if threads == 1:
        # A sync worker that answers one request for longer than --timeout is killed: the
        # administrator's 汇总表 of a province's year (40,000 projects) streams for about two
        # minutes (benchmarks.md).  Ten minutes, then the worker is taken for hung.
        return ["--worker-class", "sync", "--timeout", "600"]
    # Threads: the worker's main thread tells the master it lives while a request runs, so
    # --timeout only catches a hung process.  Keep an idle connection longer than a person
    # (or a proxy) pauses between two requests: with gunicorn's 2 s, a client reusing a
    # connection just as the server closed it got "connection reset" (seen in the load test).
    return [
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--keep-alive",
        "75",
    ]


def exec_gunicorn(command: list[str]) -> None:
    """Replace this process by gunicorn's master (never returns)."""
    from django.db import connections

    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


def demo(data_dir: str | None, host: str, port: int) -> int:
    return _started(_demo, data_dir, host, port)


def serve(data_dir: str | None, host: str, port: int, workers: int | None) -> int:
    return _started(_serve, data_dir, host, port, workers)


def _started(start: Callable[..., None], *args: object) -> int:
    """Run a start function; it ends by becoming gunicorn, or says in Chinese why it cannot."""
    try:
        start(*args)
    except StartError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_USAGE
    return 0  # not reached: the process became gunicorn


def _demo(data_dir: str | None, host: str, port: int) -> None:
    data = data_dir_path(data_dir)
    level = log_level()
    check_port(host, port)  # before anything is written or printed
    setup(data, demo=True)
    from jixiao.web.demo import ACCOUNTS, PASSWORD, load_demo

    load_demo(evaluations=True, monitoring=True)
    check_port(host, port)  # again: the setup took a moment
    print(f"jixiao 演示：http://{host}:{port}/", flush=True)
    print(f"数据目录：{data}", flush=True)
    for username, name, _ in ACCOUNTS:
        print(f"  {username:<14} {name}    密码 {PASSWORD}", flush=True)
    print("按 Ctrl+C 停止。", flush=True)
    exec_gunicorn(gunicorn_command(host, port, 1, 8, data, level))


def _serve(data_dir: str | None, host: str, port: int, workers: int | None) -> None:
    if not os.environ.get("JIXIAO_SECRET_KEY"):
        raise StartError("生产环境必须设置环境变量 JIXIAO_SECRET_KEY（一串足够长的随机字符）。")
    data = data_dir_path(data_dir)
    level = log_level()
    check_port(host, port)
    setup(data, demo=False)
    from jixiao.web.demo import disable_demo_accounts

    if disable_demo_accounts():
        print("已停用数据库中的演示账号（生产环境不允许演示账号登录）。", file=sys.stderr)
    check_port(host, port)
    exec_gunicorn(gunicorn_command(host, port, workers or default_workers(), 1, data, level))
