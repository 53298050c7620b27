"""Print the corpus figure at the end of the run (when the corpus tests ran)."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.corpus import test_corpus

    if test_corpus.scores.cache_info().currsize == 0:
        return
    complete, every = test_corpus.scores()
    terminalreporter.write_sep("=", "reading corpus (tests/corpus)")
    terminalreporter.write_line("complete projects: " + complete.summary())
    terminalreporter.write_line("every annotated row: " + every.summary())
