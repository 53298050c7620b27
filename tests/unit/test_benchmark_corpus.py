"""The benchmark's synthetic corpus is deterministic and loads completely (not a timed test)."""

from __future__ import annotations

from benchmarks.corpus import corpus
from jixiao.core.targets import Kind
from jixiao.formats import text


def test_the_same_seed_gives_the_same_corpus():
    assert corpus(20, seed=7) == corpus(20, seed=7)
    assert corpus(20, seed=7) != corpus(20, seed=8)


def test_every_generated_table_loads_with_nine_indicators():
    result = text.read(corpus(200).encode(), "bench.txt")
    assert not result.fatal and result.findings == ()
    assert len(result.projects) == 200
    assert all(len(p.indicators) == 9 for p in result.projects)
    kinds = {i.target.kind for p in result.projects for i in p.indicators}
    assert {Kind.QUANTITATIVE, Kind.QUALITATIVE, Kind.MISSING} <= kinds
    assert Kind.UNRECOGNIZED not in kinds
