"""Docs that are generated from the code must match it; every rule is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.docgen import generated_docs
from jixiao.rules.catalogue import all_rules
from jixiao.services.catalogue import documented_ids

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("relative", sorted(generated_docs()))
def test_a_generated_doc_matches_the_code(relative):
    committed = (ROOT / relative).read_text("utf-8")
    assert committed == generated_docs()[relative], (
        f"run: python -m jixiao.docgen ({relative} is stale)"
    )


def test_every_rule_has_a_section_with_title_fix_and_explanation():
    rules_md = (ROOT / "docs" / "rules.md").read_text("utf-8")
    for rule in all_rules():
        assert f"### {rule.id}\n" in rules_md
        assert rule.check.title and rule.check.fix
        assert rule.check.explanation, f"{rule.id} has no explanation (docstring)"


def test_every_rule_id_is_unique_and_well_formed():
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert all(i.replace("-", "").isalnum() and i.isupper() for i in ids)


def test_every_finding_id_that_can_be_emitted_is_documented():
    rules_md = (ROOT / "docs" / "rules.md").read_text("utf-8")
    for finding_id in documented_ids():
        assert f"### {finding_id}\n" in rules_md


def test_the_rule_catalogue_has_at_least_twenty_rules_with_a_basis():
    rules = all_rules()
    assert len(rules) >= 20
    assert all(r.check.basis for r in rules)


def test_the_glossary_names_code_that_exists():
    glossary = (ROOT / "docs" / "glossary.md").read_text("utf-8")
    import jixiao.core.framework as framework
    import jixiao.core.model as model

    for name in ("Project", "Indicator", "Target", "FundLine", "Goals", "Period"):
        assert f"`{name}`" in glossary
        assert hasattr(model, name) or name == "Target"
    for term in framework.LEVEL1:
        assert term in glossary


def test_every_environment_variable_the_code_reads_is_documented():
    read = set()
    for path in (ROOT / "src" / "jixiao").rglob("*.py"):
        read |= set(
            re.findall(
                r"(?:environ(?:\.get)?[\[(]|_flag\()\s*\"((?:JIXIAO_|DATABASE_)[A-Z_]+)\"",
                path.read_text("utf-8"),
            )
        )
    assert {"JIXIAO_SECRET_KEY", "DATABASE_URL", "JIXIAO_LOG_LEVEL", "JIXIAO_SECURE"} <= read
    table = (ROOT / "docs" / "web.md").read_text("utf-8")
    assert not [name for name in sorted(read) if f"| `{name}` |" not in table]


def test_the_operations_section_covers_processes_logs_backups_and_upgrades():
    web = (ROOT / "docs" / "web.md").read_text("utf-8")
    operations = web.split("## 运维", 1)[1].split("\n## ", 1)[0]
    for heading in (
        "### 作为 systemd 服务运行",
        "### 信号",
        "### 日志",
        "### 备份与恢复",
        "### 升级",
    ):
        assert heading in operations
    for command in ("jixiao backup", "jixiao restore", "systemctl reload", "JIXIAO_LOG_LEVEL"):
        assert command in operations
