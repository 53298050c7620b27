"""`jixiao demo` and `jixiao serve` as a user starts them: real processes, real HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
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


def stop(process: subprocess.Popen[str]) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
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
    finally:
        output = stop(process)
    assert f"jixiao 演示：{base}/" in output
    assert (
        "demo-unit" in output
        and "demo-reviewer" in output
        and "demo-admin" in output
        and "jixiao-demo" in output
    )
    assert (tmp_path / "data" / "jixiao.sqlite3").exists()


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "jixiao", "serve", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert run.returncode == 2 and "JIXIAO_SECRET_KEY" in run.stderr


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
