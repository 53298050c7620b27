"""Pure helpers of the web layer: revision differences and the stored-data mapping."""

from __future__ import annotations

import copy

from jixiao.formats.json import project_to_json
from jixiao.web.diff import diff_data
from jixiao.web.mapping import content, name_key, to_core, to_data


def test_stored_data_maps_back_to_the_same_core_project(seed):
    for project in seed.projects:
        assert to_core(to_data(project)) == project


def test_content_ignores_where_a_project_was_read_from(seed):
    data = project_to_json(seed.projects[0])
    moved = copy.deepcopy(data)
    moved["source"] = {"file": "elsewhere.xlsx", "sheet": "S", "cell": "A1"}
    moved["indicators"][0]["source"] = {"file": "elsewhere.xlsx"}
    assert content(moved) == content(data) and moved != data


def test_names_are_keyed_without_spaces_or_width_differences():
    assert name_key("森林防火 物资采购（一）") == name_key("森林防火物资采购(一)")


def test_a_diff_names_changed_added_removed_and_moved_indicators(seed):
    old = project_to_json(seed.projects[2])
    new = copy.deepcopy(old)
    new["funds"]["annual"]["total"] = "45"
    new["indicators"][5]["target"]["text"] = "≥90%"
    new["indicators"].append({**copy.deepcopy(old["indicators"][0]), "name": "新增指标"})
    removed = new["indicators"].pop(0)
    changes = diff_data(old, new)
    where = {c["where"]: c for c in changes}
    assert where["年度金额"]["old"] == "44.91" and where["年度金额"]["new"] == "45"
    assert where["指标“装备利用率”的指标值"]["new"] == "≥90%"
    assert where["指标“新增指标”"]["kind"] == "added"
    assert where[f"指标“{removed['name']}”"]["kind"] == "removed"
    assert diff_data(old, copy.deepcopy(old)) == []
