"""`jixiao demo` and `jixiao serve` as a user starts them: real processes, real HTTP."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )


def session(sid: int) -> list[int]:
    """The processes of a session (start_new_session=True makes the started process its leader):
    gunicorn's workers included, wherever their parent went."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp session
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> str:
    """Stop the server as a user or systemd does: a signal to the process that was started,
    not to its process group.  Nothing of it may be left running."""
    process.send_signal(sig)
    try:
        output, _ = process.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"the server did not stop on signal {sig}:\n{output}") from None
    deadline = time.monotonic() + 10
    while session(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = session(process.pid)
    if left:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError(f"processes left running after signal {sig}: {left}\n{output}")
    return output


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JIXIAO_", "DJANGO_", "DATABASE_URL"))
    }
    env["JIXIAO_DATA_DIR"] = str(data_dir)
    return env


def login(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    opener.open(
        urllib.request.Request(
            f"{base}/login/", body.encode(), headers={"Referer": f"{base}/login/"}
        )
    )
    return opener


def test_the_demo_serves_the_seed_and_prints_the_logins(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(
        ["demo", "--data-dir", str(tmp_path / "data"), "--port", str(port)],
        clean_env(tmp_path / "unused"),
    )
    try:
        wait_for(f"{base}/login/")
        opener = login(base, "demo-unit", "jixiao-demo")
        page = opener.open(f"{base}/projects/?year=2023").read().decode()
        assert "合计 9 个项目" in page and "282.8" in page
        css = opener.open(f"{base}/static/jixiao/app.css")
        assert css.status == 200 and b"--brand" in css.read()
        with pytest.raises(urllib.error.HTTPError):
            opener.open(f"{base}/no-such-page/")
    finally:
        output = stop(process)
    # Django's log (level INFO by default) and gunicorn's, on the console in one format.
    assert "[WARNING] django.request: Not Found: /no-such-page/" in output
    assert '"GET /no-such-page/ HTTP/1.1" 404' in output, "gunicorn's access log"
    assert f"jixiao 演示：{base}/" in output
    assert (
        "demo-unit" in output
        and "demo-reviewer" in output
        and "demo-admin" in output
        and "jixiao-demo" in output
    )
    assert (tmp_path / "data" / "jixiao.sqlite3").exists()


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    run = run_to_the_end(
        ["serve", "--data-dir", str(tmp_path), "--port", str(free_port())], clean_env(tmp_path)
    )
    assert run.returncode == 2 and "JIXIAO_SECRET_KEY" in run.stdout


def test_serve_runs_without_demo_accounts(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    demo = start(["demo", "--data-dir", str(data), "--port", str(port)], clean_env(data))
    try:
        wait_for(f"http://127.0.0.1:{port}/login/")
    finally:
        stop(demo)
    env = clean_env(data) | {
        "JIXIAO_SECRET_KEY": "a-production-secret-for-the-test",
        "JIXIAO_SECURE": "0",
    }
    port = free_port()
    server = start(["serve", "--data-dir", str(data), "--port", str(port), "--workers", "2"], env)
    try:
        wait_for(f"http://127.0.0.1:{port}/login/")
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/").read().decode()
        assert "演示账号" not in page
        # gunicorn's sync workers: no kept-alive connection ties a client to one process, each
        # request goes to a free one (with threads, one process did most of the load test).
        # http.client asks HTTP/1.1 without "Connection: close" (urllib would ask for close).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz")
        answer = connection.getresponse()
        answer.read()
        connection.close()
        assert answer.status == 200 and answer.headers["Connection"] == "close"
    finally:
        output = stop(server)
    assert "已停用数据库中的演示账号" in output
    with sqlite3.connect(data / "jixiao.sqlite3") as db:
        active = db.execute(
            "select count(*) from auth_user where username like 'demo-%' and is_active"
        ).fetchone()[0]
    assert active == 0


@pytest.mark.parametrize("url", ["/api/openapi.json"])
def test_nothing_is_fetched_from_outside(url, tmp_path):
    """Pages and the API description name no external host (intranet, no CDN)."""
    port = free_port()
    process = start(
        ["demo", "--data-dir", str(tmp_path / "d"), "--port", str(port)], clean_env(tmp_path)
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/login/")
        login_page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/").read().decode()
        described = urllib.request.urlopen(f"http://127.0.0.1:{port}{url}").read().decode()
    finally:
        stop(process)
    assert "https://" not in login_page and "http://" not in login_page
    assert "cdn" not in described.lower()


def run_to_the_end(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command expected to end by itself; if it serves instead, it is stopped, all of it."""
    process = start(args, env)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"jixiao {args[0]} did not end:\n{output}") from None
    return subprocess.CompletedProcess(args, process.returncode, output, "")


def demo_session(tmp_path: Path, **env: str) -> tuple[subprocess.Popen[str], int, Path]:
    data = tmp_path / "data"
    port = free_port()
    process = start(["demo", "--data-dir", str(data), "--port", str(port)], clean_env(data) | env)
    try:
        wait_for(f"http://127.0.0.1:{port}/login/")
    except AssertionError:
        stop(process)
        raise
    return process, port, data


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_to_the_demo_stops_all_of_it_and_frees_the_port(tmp_path, sig):
    process, port, _ = demo_session(tmp_path)
    running = session(process.pid)
    assert process.pid in running and len(running) >= 2, "gunicorn's master and a worker"
    stop(process, sig)  # asserts that no process of the session is left
    assert process.returncode == 0
    assert port_is_free(port)


def test_serve_reloads_on_hup_and_stops_on_term(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    env = clean_env(data) | {"JIXIAO_SECRET_KEY": "a-production-secret-for-the-test"}
    env["JIXIAO_SECURE"] = "0"
    server = start(["serve", "--data-dir", str(data), "--port", str(port), "--workers", "1"], env)
    try:
        wait_for(f"http://127.0.0.1:{port}/login/")
        workers = set(session(server.pid)) - {server.pid}
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            renewed = set(session(server.pid)) - {server.pid}
            if renewed and not renewed & workers:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("HUP did not replace the worker")
        wait_for(f"http://127.0.0.1:{port}/login/")
        assert server.poll() is None, "HUP reloads, the server keeps running"
    finally:
        output = stop(server)
    assert server.returncode == 0 and "Handling signal: hup" in output
    assert port_is_free(port)


def test_the_control_socket_is_in_the_data_directory_not_in_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    process, port, data = demo_session(
        tmp_path, HOME=str(home), XDG_RUNTIME_DIR="", JIXIAO_LOG_LEVEL="error"
    )
    control = data / f"gunicorn-{port}.ctl"
    try:
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/")
        assert control.is_socket()
        gunicornc = Path(sys.executable).parent / "gunicornc"
        shown = subprocess.run(
            [str(gunicornc), "-s", str(control), "-j", "-c", "show workers"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        assert '"pid"' in shown.stdout
    finally:
        output = stop(process)
    assert not (home / ".gunicorn").exists()
    assert not control.exists(), "removed when the server stops"
    assert "Not Found" not in output and "[INFO]" not in output, "JIXIAO_LOG_LEVEL=error"


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_a_port_in_use_is_said_in_chinese_before_anything_starts(tmp_path, command):
    data = tmp_path / "data"
    env = clean_env(data) | {"JIXIAO_SECRET_KEY": "a-production-secret-for-the-test"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_to_the_end([command, "--data-dir", str(data), "--port", str(port)], env)
    assert run.returncode == 2
    assert run.stdout == (
        f"jixiao：端口 {port} 已被占用（127.0.0.1:{port}），可能另一个 jixiao 或其他程序正在"
        "使用它。请用 --port 换一个端口，或先停止占用它的程序。\n"
    ), "the message alone: no banner, no English from gunicorn"
    assert not data.exists(), "nothing was set up"


def test_a_wrong_log_level_is_said_in_chinese(tmp_path):
    run = run_to_the_end(
        ["demo", "--data-dir", str(tmp_path / "d"), "--port", str(free_port())],
        clean_env(tmp_path) | {"JIXIAO_LOG_LEVEL": "loud"},
    )
    assert run.returncode == 2 and "JIXIAO_LOG_LEVEL" in run.stdout and "无效" in run.stdout
    assert "Traceback" not in run.stdout


def test_an_unreachable_database_is_said_in_chinese(tmp_path):
    port = free_port()  # nothing listens there
    env = clean_env(tmp_path) | {
        "JIXIAO_SECRET_KEY": "a-production-secret-for-the-test",
        "DATABASE_URL": f"postgres://jixiao@127.0.0.1:{port}/jixiao",
    }
    run = run_to_the_end(
        ["serve", "--data-dir", str(tmp_path / "d"), "--port", str(free_port())], env
    )
    assert run.returncode == 2 and "无法连接或升级数据库" in run.stdout
    assert "Traceback" not in run.stdout


def test_systemd_is_told_when_the_server_is_ready(tmp_path):
    """Type=notify units: the process systemd started (gunicorn's master, after the exec)
    sends READY=1 on $NOTIFY_SOCKET once it serves; systemd accepts it only from that pid."""
    address = str(tmp_path / "notify")
    credentials = struct.calcsize("3i")  # the sender's pid, uid, gid
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(address)
        notify.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        notify.settimeout(60)
        process, _, _ = demo_session(tmp_path, NOTIFY_SOCKET=address)
        try:
            message, ancillary, _, _ = notify.recvmsg(4096, socket.CMSG_SPACE(credentials))
        finally:
            stop(process)
    assert b"READY=1" in message
    ((level, kind, data),) = ancillary
    assert (level, kind) == (socket.SOL_SOCKET, socket.SCM_CREDENTIALS)
    assert struct.unpack("3i", data[:credentials])[0] == process.pid


def test_sync_workers_give_a_long_export_time_and_threads_keep_connections(tmp_path):
    """A sync worker answering one request past --timeout is killed: the province's 汇总表 of a
    year streams for about two minutes, so the sync workers of `jixiao serve` wait ten; the
    demo's threads keep connections and a short --timeout (only a hung process is killed)."""
    from jixiao.web.server import gunicorn_command

    def option(command: list[str], name: str) -> str | None:
        return command[command.index(name) + 1] if name in command else None

    served = gunicorn_command("127.0.0.1", 8000, 5, 1, tmp_path, "INFO")
    assert option(served, "--worker-class") == "sync"
    assert int(option(served, "--timeout") or 0) >= 300
    assert option(served, "--keep-alive") is None and option(served, "--threads") is None
    demo = gunicorn_command("127.0.0.1", 8000, 1, 8, tmp_path, "INFO")
    assert option(demo, "--worker-class") == "gthread" and option(demo, "--threads") == "8"
    assert option(demo, "--timeout") == "120" and option(demo, "--keep-alive") == "75"
    assert served.count("--timeout") == 1 and demo.count("--timeout") == 1
