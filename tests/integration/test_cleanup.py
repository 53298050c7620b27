"""Test runs clean up after themselves: nothing of theirs is left in the temporary directory."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def env_with_tmpdir(tmpdir) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JIXIAO_", "DJANGO_", "DATABASE_URL", "PYTEST_"))
    }
    env["TMPDIR"] = str(tmpdir)
    return env


def test_importing_the_test_settings_creates_nothing(tmp_path):
    """mypy's Django plugin imports them, then ends without running any clean-up."""
    tmpdir, cwd = tmp_path / "tmp", tmp_path / "cwd"
    tmpdir.mkdir()
    cwd.mkdir()
    env = env_with_tmpdir(tmpdir) | {"PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-c", "import os, tests.web_settings; os._exit(0)"],
        cwd=cwd,
        env=env,
        timeout=60,
        check=True,
    )
    assert list(tmpdir.iterdir()) == [] and list(cwd.iterdir()) == []


def test_a_test_session_leaves_no_data_directory_behind(tmp_path):
    """A real pytest run of a web test (a database, the demo data): afterwards only pytest's
    own numbered base directory is in the temporary directory."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/web/test_pages.py::test_the_demo_loads_the_nine_seed_projects_through_the_import_path",
        ],
        cwd=ROOT,
        env=env_with_tmpdir(tmpdir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    left = sorted(p.name for p in tmpdir.iterdir() if not p.name.startswith("pytest-of-"))
    assert left == []
