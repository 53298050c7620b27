"""The reader scored against hand-written golden files of 40 real published tables.

The figure is printed at the end of the test run and recorded in docs/formats.md
(``python -m jixiao.docgen``).  See tests/corpus/README.md for what is annotated.
"""

from __future__ import annotations

import subprocess
import sys
from functools import lru_cache

import pytest

from jixiao.services.importing import read_path
from tests.corpus.golden import HERE, Score, load_all, score_corpus

TABLES = sorted(HERE.glob("*.txt"))


@lru_cache(maxsize=1)
def scores() -> tuple[Score, Score]:
    complete, _ = score_corpus(read_path, complete_only=True)
    every, _ = score_corpus(read_path, complete_only=False)
    return complete, every


def test_every_table_of_the_corpus_has_a_golden_file():
    annotated = {golden.file for golden in load_all()}
    assert annotated == {path.name for path in TABLES}
    assert len(TABLES) == 40


@pytest.mark.parametrize("path", TABLES, ids=[p.name[:3] for p in TABLES])
def test_a_real_table_is_read_without_an_internal_error(path):
    result = read_path(path)
    assert all(f.rule != "INTERNAL" for f in result.findings)
    for project in result.projects:
        for indicator in project.indicators:
            assert indicator.name or indicator.target.text, "no empty indicator is invented"


def test_at_least_95_percent_of_the_indicators_of_complete_projects_are_read_exactly():
    complete, _ = scores()
    assert complete.indicators >= 100
    ratio = complete.indicators_exact / complete.indicators
    assert ratio >= 0.95, complete.summary() + "\n" + "\n".join(complete.misses)


def test_every_complete_project_is_found_by_its_name():
    complete, _ = scores()
    assert complete.projects_named == complete.projects, "\n".join(complete.misses)


def test_the_truncated_tables_are_read_too():
    # Not the goal of the issue (complete projects are): a floor that catches regressions.
    _, every = scores()
    assert every.indicators_exact / every.indicators >= 0.80, every.summary()
    assert every.evaluation_equal / every.evaluation_fields >= 0.95, every.summary()


def test_the_command_line_never_shows_a_traceback_on_a_real_table():
    run = subprocess.run(
        [sys.executable, "-m", "jixiao", "check", "--no-progress", *map(str, TABLES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1, 2)
    assert "Traceback" not in run.stderr + run.stdout
    assert "检查了 40 个文件" in run.stdout
