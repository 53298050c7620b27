"""Parse + review throughput in tables per second, against the floor.

The floor reads the same bytes, decodes them and splits them into cells, with
nothing else.  Run: ``.venv/bin/python -m benchmarks.throughput [--tables N]``.
Single process, so one core.

Every timed run reads tables it has not read before (a corpus of its own random seed):
the reader keeps what it worked out about a cell's text (``lru_cache``), and a file
read again finds every cell's answer waiting — 1.5–2 times faster than a new file,
which holds new names and values.  A first corpus of another seed is read before
timing, as a server has read files before: the vocabulary's words are known, the new
tables' own texts are not.  The same tables read again are timed too, for comparison
with the figures measured that way before (2026-11-30).
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from benchmarks.corpus import corpus, mixed_corpus
from benchmarks.layouts import LAYOUTS
from jixiao.core import collector
from jixiao.core.targets import parse_target
from jixiao.formats import text
from jixiao.formats.base import ReadResult
from jixiao.formats.limits import Budget, Limits
from jixiao.rules.catalogue import local
from jixiao.services.review import review_projects

# One file of thousands of tables: far over what one import may hold (50,000 rows), so
# the benchmark reads it with limits raised to its size — the same code, counting as usual.
BENCHMARK_LIMITS = Limits(
    file_bytes=1 << 30, rows=10_000_000, cells=100_000_000, elements=100_000_000, seconds=3600
)

T = TypeVar("T")


def read(data: bytes) -> ReadResult:
    return text.read(data, "bench.txt", Budget(BENCHMARK_LIMITS))


def floor(data: bytes) -> int:
    decoded = text.decode(data)
    assert decoded is not None
    return sum(len(line.split("\t")) for line in decoded[0].splitlines())


def full(data: bytes) -> int:
    result = read(data)
    review_projects(result.projects, local())
    return len(result.projects)


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """The time of one call of ``function``, and its answer."""
    start = time.perf_counter()
    answer = function()
    return time.perf_counter() - start, answer


def parts(make: Callable[..., str], tables: int, repeat: int) -> None:
    """Each part of parse + review alone, per table, on tables not read before (corpora of
    seeds of their own): where the 200 µs of a table at 5,000 tables/s go."""
    floors, reads, reviews, grammar = [], [], [], []
    for n in range(repeat):
        data = make(tables, seed=4000 + n).encode("utf-8")
        floors.append(timed(partial(floor, data))[0])
        seconds, result = timed(partial(read, data))
        reads.append(seconds)
        reviews.append(timed(partial(review_projects, result.projects, local()))[0])
        # The target grammar alone, as the reader calls it (the collector paused), on values
        # it has not seen: those of another new corpus.
        other = read(make(tables, seed=6000 + n).encode("utf-8"))
        values = [i.target.text for p in other.projects for i in p.indicators if i.target.text]
        parse_target.cache_clear()
        with collector.paused():
            grammar.append(timed(partial(list, map(parse_target, values)))[0])
    print("each part alone (best of the runs, tables not read before):")
    for label, seconds in (
        ("floor (decode + split)", min(floors)),
        ("reading", min(reads)),
        ("review (every rule)", min(reviews)),
        ("  the target grammar of the values (in reading)", min(grammar)),
    ):
        print(
            f"  {label:<48} {seconds / tables * 1e6:8.1f} µs/table "
            f"{tables / seconds:10,.0f} tables/s"
        )


def best_of(repeat: int, function: Callable[[bytes], int], data: bytes) -> tuple[float, int]:
    return best_over([data] * repeat, function)


def best_over(inputs: list[bytes], function: Callable[[bytes], int]) -> tuple[float, int]:
    """The shortest time of ``function`` over ``inputs``, one run each, and its answer."""
    runs = [timed(partial(function, data)) for data in inputs]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--corpus",
        choices=("seed", "mixed"),
        default="seed",
        help="seed: tab-separated like the seed; mixed: every layout of benchmarks.layouts",
    )
    parser.add_argument(
        "--by-layout",
        action="store_true",
        help="with --corpus mixed: also each layout alone (parse + review, tables/s)",
    )
    parser.add_argument(
        "--parts",
        action="store_true",
        help="also reading, review and the target grammar each alone (µs per table)",
    )
    args = parser.parse_args()
    make = corpus if args.corpus == "seed" else mixed_corpus
    data = make(args.tables).encode("utf-8")
    result = read(data)
    assert len(result.projects) == args.tables, "the corpus must load completely"
    findings = review_projects(result.projects, local()).findings
    # New tables for every timed run: seeds other than the one read above.
    fresh = [make(args.tables, seed=1000 + n).encode("utf-8") for n in range(args.repeat)]
    floor_s, _ = best_over(fresh, floor)
    full_s, projects = best_over(fresh, full)
    assert projects == args.tables
    again_s, _ = best_of(args.repeat, full, data)
    indicators = sum(len(p.indicators) for p in result.projects)
    print(
        f"corpus ({args.corpus}): {args.tables} tables, {indicators} indicators, "
        f"{len(data) / 1e6:.1f} MB, {len(findings)} findings"
    )
    print(
        f"python {platform.python_version()} on {platform.machine()}, best of {args.repeat}, "
        "each run on tables not read before"
    )
    print(
        f"floor (decode + split into cells): {args.tables / floor_s:,.0f} tables/s ({floor_s * 1000:.0f} ms)"
    )
    print(
        f"parse + review (rule set local):   {args.tables / full_s:,.0f} tables/s ({full_s * 1000:.0f} ms)"
    )
    print(f"ratio to the floor: {full_s / floor_s:.1f}x the floor's time")
    print(
        f"the same tables read again (every cell's answer kept): {args.tables / again_s:,.0f} "
        f"tables/s, {again_s / floor_s:.1f}x the floor"
    )
    if args.parts:
        parts(make, args.tables, args.repeat)
    if args.corpus == "mixed" and args.by_layout:
        for layout in LAYOUTS:
            alone = [
                mixed_corpus(args.tables, seed=2000 + n, only=layout.__name__).encode("utf-8")
                for n in range(args.repeat)
            ]
            seconds, loaded = best_over(alone, full)
            assert loaded == args.tables, f"{layout.__name__}: the corpus must load completely"
            print(f"  {layout.__name__:<14} {args.tables / seconds:7,.0f} tables/s")


if __name__ == "__main__":
    main()
