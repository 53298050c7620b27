"""Reading and reviewing many files at once (``jixiao check`` on a folder): the files are
shared among worker processes, one per core, and the answers joined in the order of the
files, so that the output is exactly what one process gives."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jixiao.core.findings import Finding, sort_findings
from jixiao.formats.base import ReadResult
from jixiao.rules.catalogue import get_ruleset
from jixiao.services.importing import read_path
from jixiao.services.review import Review, findings_of

# What a folder contributes: the files a table can be in (other files are left alone).
TABLE_SUFFIXES = frozenset(
    (".txt", ".csv", ".tsv", ".json", ".xlsx", ".xlsm", ".docx", ".pdf", ".html", ".htm")
)
SERIAL_BELOW = 8  # fewer files than this are read in this process: no pool to start


def expand(paths: Iterable[str]) -> list[str]:
    """The paths as given; a folder stands for the tables in it and its subfolders (hidden
    ones left out), in the order of their names — a folder with none stays itself, and is
    reported as a folder."""
    found: list[str] = []
    for path in paths:
        folder = Path(path)
        inside = (
            [
                str(item)
                for item in sorted(folder.rglob("*"))
                if item.is_file()
                and item.suffix.lower() in TABLE_SUFFIXES
                and not any(part.startswith(".") for part in item.relative_to(folder).parts)
            ]
            if folder.is_dir()
            else []
        )
        found.extend(inside or [path])
    return found


@dataclass(frozen=True)
class Checked:
    path: str
    result: ReadResult
    findings: list[Finding]
    versions: tuple[str, ...]


def _check(path: str, ruleset: str) -> Checked:
    chosen = get_ruleset(ruleset)
    assert chosen is not None
    result = read_path(path)
    findings, versions = findings_of(result.projects, chosen)
    return Checked(path, result, findings, versions)


def check_paths(
    paths: list[str], ruleset: str, jobs: int = 0, step: Callable[[], None] | None = None
) -> tuple[list[tuple[str, ReadResult]], Review]:
    """Read and review every file, on ``jobs`` processes (0: one per core); ``step`` is
    called after each file (a progress bar)."""
    jobs = jobs or os.cpu_count() or 1
    checked: Iterator[Checked]
    if jobs == 1 or len(paths) < SERIAL_BELOW:
        checked = (_check(path, ruleset) for path in paths)
        return _joined(checked, ruleset, step)
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        checked = pool.map(_check, paths, [ruleset] * len(paths), chunksize=chunk)
        return _joined(checked, ruleset, step)


def _joined(
    checked: Iterable[Checked], ruleset: str, step: Callable[[], None] | None
) -> tuple[list[tuple[str, ReadResult]], Review]:
    results: list[tuple[str, ReadResult]] = []
    findings: list[Finding] = []
    versions: dict[str, None] = {}
    for item in checked:
        results.append((item.path, item.result))
        findings.extend(item.findings)
        versions.update(dict.fromkeys(item.versions))
        if step is not None:
            step()
    chosen = get_ruleset(ruleset)
    assert chosen is not None
    review = Review(chosen.name, tuple(sort_findings(findings)), tuple(versions))
    return results, review
