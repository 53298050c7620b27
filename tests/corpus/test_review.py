"""The review scored against hand-checked findings of the corpus' complete tables.

Two figures (recorded in docs/seed-review.md by ``python -m jixiao.docgen``): the tables
as read — the whole path a user takes, the reader's mistakes included — and the same
projects with their indicator rows as the golden files have them (the rules alone).
The goal: at most 5% of raised findings false and at least 90% of expected findings
found — met by the rules alone; the tables as read carry the reader's mistakes too (OCR
noise, a cut monitoring table), and their floors catch regressions of what is reached today.
"""

from __future__ import annotations

import json
from functools import lru_cache

from jixiao.rules.catalogue import all_rules
from jixiao.services.catalogue import documented_ids
from jixiao.services.importing import read_path
from tests.corpus.golden import load_all
from tests.corpus.review_golden import ReviewScore, golden_files, score_review


@lru_cache(maxsize=1)
def scores() -> tuple[ReviewScore, ReviewScore]:
    return score_review(read_path), score_review(read_path, golden_rows=True)


def test_every_table_with_a_complete_project_has_its_findings_file():
    with_complete = {g.file for g in load_all() if any(p.complete for p in g.projects)}
    annotated = {json.loads(p.read_text("utf-8"))["file"] for p in golden_files()}
    assert annotated == with_complete


def test_the_findings_files_name_known_rules_and_complete_projects():
    complete = {(g.file, p.name) for g in load_all() for p in g.projects if p.complete}
    rules = {r.id for r in all_rules()}
    for path in golden_files():
        golden = json.loads(path.read_text("utf-8"))
        for project in golden["projects"]:
            assert (golden["file"], project["name"]) in complete, project["name"]
            for item in project["findings"]:
                assert item["rule"] in rules and item["rule"] in documented_ids(), item
                assert item["severity"] in ("error", "warning", "info"), item
                assert item["why"].strip(), item


def test_the_rules_alone_find_what_a_reviewer_finds_with_few_false_alarms():
    _, rows = scores()
    assert rows.expected >= 60
    assert rows.found_ratio >= 0.95, rows.summary() + "\n" + "\n".join(rows.misses)
    assert rows.false_ratio <= 0.05, rows.summary() + "\n" + "\n".join(rows.false_alarms)
    assert rows.same_severity == rows.true, rows.summary()


def test_the_tables_as_read_are_reviewed_too():
    read, _ = scores()
    assert read.found_ratio >= 0.90, read.summary() + "\n" + "\n".join(read.misses)
    assert read.false_ratio <= 0.22, read.summary() + "\n" + "\n".join(read.false_alarms)
