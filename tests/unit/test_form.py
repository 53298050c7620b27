"""The split layout's 指标性质 | 指标值 | 度量单位: every target splits and reads back as itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.targets import parse_target
from jixiao.formats.form import split_target

EXAMPLES = [
    "≥100人",
    "≤5%",
    "2023年12月前",
    "2023年3月-6月",
    "±5%以内",
    "较上年提高5%",
    "定性",
    "有效提升",
    "",
]


def _joined(nature: str, value: str, unit: str) -> str:
    return value if nature == "定性" else f"{nature}{value}{unit}"


@pytest.mark.parametrize("text", EXAMPLES)
def test_each_kind_of_target_splits_and_reads_back(text):
    target = parse_target(text)
    back = parse_target(_joined(*split_target(target)))
    assert (back.kind, back.render()) == (target.kind, target.render())


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=30), st.sampled_from(EXAMPLES)))
def test_any_target_splits_without_failing(text):
    nature, value, unit = split_target(parse_target(text))
    assert all(isinstance(part, str) for part in (nature, value, unit))
