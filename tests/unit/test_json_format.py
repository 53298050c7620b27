"""The canonical JSON: schema-valid, lossless both ways, and strict about bad input."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import jsonschema
import pytest

from jixiao.core.model import Project
from jixiao.formats import json as json_format
from jixiao.services.importing import read_bytes


def test_the_seed_as_json_validates_against_the_shipped_schema(seed):
    document = json_format.to_document(seed.projects)
    jsonschema.validate(document, json_format.schema())
    assert document["format"] == "jixiao/1"
    assert len(document["projects"]) == 9
    assert sum(len(p["indicators"]) for p in document["projects"]) == 66
    assert sum(Decimal(p["funds"]["annual"]["total"]) for p in document["projects"]) == Decimal(
        "282.8"
    )


def test_the_fixed_field_names_are_present(seed):
    project = json_format.to_document(seed.projects)["projects"][2]
    assert project["period"] == {
        "text": "2023年1月至2023年12月",
        "start": "2023-01",
        "end": "2023-12",
    }
    assert project["funds"]["annual"] == {"total": "44.91", "fiscal": "44.91", "other": None}
    indicator = project["indicators"][5]
    assert indicator["name"] == "装备利用率"
    assert indicator["target"]["kind"] == "missing"
    assert indicator["source"]["line"] == 79
    first = project["indicators"][0]["target"]
    assert (
        first["text"],
        first["kind"],
        first["operator"],
        first["value"],
        first["upper"],
        first["unit"],
    ) == (
        "3支",
        "quantitative",
        "=",
        "3",
        None,
        "支",
    )


def test_model_to_json_to_model_is_lossless_for_every_seed_project(seed):
    data = json_format.write(seed.projects)
    back = read_bytes(data, seed.projects[0].source.path)
    assert not back.fatal and back.findings == ()
    assert back.projects == seed.projects  # field by field, sources included


def test_json_to_model_to_json_is_lossless(seed):
    first = json_format.dumps(seed.projects)
    again = json_format.dumps(read_bytes(first.encode()).projects)
    assert again == first


def test_money_is_never_a_float():
    project = Project(name="x")
    project = replace(project, funds=replace(project.funds))
    text = json_format.dumps([project])
    assert "null" in text and json.loads(text)["projects"][0]["funds"]["annual"]["total"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"format": "jixiao/1", "projects": [', "JSON 格式错误"),
        (b'{"format": "jixiao/1", "projects": [{"name": 3}]}', "不符合 jixiao/1 格式"),
        (
            b'{"format": "jixiao/1", "projects": [{"name": "a", "period": {"text": "", "start": null, "end": null},'
            b' "department": "", "implementing_unit": "", "goals": {"period": "", "annual": ""}, "indicators": [],'
            b' "funds": {"period": {"total": 1.5, "fiscal": null, "other": null},'
            b' "annual": {"total": null, "fiscal": null, "other": null}}}]}',
            "funds/period/total",
        ),
    ],
)
def test_bad_json_gets_a_clear_chinese_message(data, message):
    result = json_format.read(data, "bad.json")
    assert result.fatal and message in result.findings[0].message


def test_typed_fields_that_disagree_with_the_text_are_reported_and_the_text_wins(seed):
    document = json_format.to_document(seed.projects[:1])
    document["projects"][0]["indicators"][0]["target"]["value"] = "31"
    result = json_format.read(json.dumps(document, ensure_ascii=False).encode(), "x.json")
    assert [f.rule for f in result.findings] == ["READ-JSON-TARGET"]
    assert result.projects[0].indicators[0].target.value == Decimal(30)
