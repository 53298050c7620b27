"""Reading and reviewing pause the cycle collector and always give it back as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from jixiao.core.source import Source
from jixiao.formats import text
from jixiao.formats.reading import Row, read_rows
from jixiao.rules.catalogue import local
from jixiao.services.review import review_projects

SEED_LIKE = "项目名称\t测试项目\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人数\t≥100人\n"


def test_the_collector_is_enabled_again_after_a_read() -> None:
    assert gc.isenabled()
    assert text.read(SEED_LIKE.encode(), "a.txt").projects
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        text.read(SEED_LIKE.encode(), "a.txt")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_comes_back_when_reading_fails() -> None:
    def rows() -> Iterator[Row]:
        yield Row(["项目名称", "测试项目"], Source("x.txt", 1))
        raise RuntimeError("the input broke")

    with pytest.raises(RuntimeError):
        read_rows(rows(), "x.txt")
    assert gc.isenabled()


def test_threads_reading_at_once_leave_the_collector_enabled() -> None:
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            barrier.wait()
            for _ in range(20):
                assert text.read(SEED_LIKE.encode(), "a.txt").projects
        except BaseException as error:  # reported to the main thread
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert gc.isenabled()


def test_a_review_pauses_the_collector_and_gives_it_back() -> None:
    projects = text.read(SEED_LIKE.encode(), "a.txt").projects
    seen: list[bool] = []

    def watched():  # the projects are handed over while the review runs
        for project in projects:
            seen.append(gc.isenabled())
            yield project

    assert review_projects(watched(), local()).findings
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        review_projects(projects, local())
        assert not gc.isenabled()
    finally:
        gc.enable()
