"""Print the corpus figure at the end of the run (when the corpus tests ran)."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.corpus import test_corpus, test_review

    if test_corpus.scores.cache_info().currsize:
        complete, every = test_corpus.scores()
        terminalreporter.write_sep("=", "reading corpus (tests/corpus)")
        terminalreporter.write_line("complete projects: " + complete.summary())
        terminalreporter.write_line("every annotated row: " + every.summary())
    if test_review.scores.cache_info().currsize:
        read, rows = test_review.scores()
        terminalreporter.write_sep("=", "review corpus (tests/corpus/*.findings.json)")
        terminalreporter.write_line("tables as read: " + read.summary())
        terminalreporter.write_line("golden rows: " + rows.summary())
