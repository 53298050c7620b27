"""Export throughput in tables per second for XLSX and PDF, against the floor: the bare
library writing the same cells with no layout logic (no merges, styles, widths, wrapping).

Run: ``.venv/bin/python -m benchmarks.export [--tables N]``.  Single process, so one core.

``--indicators 1000 10000``: instead, the time to export one project of that many
indicators in every format (the seed's first project, its indicators repeated under
their categories and numbered), best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable, Sequence

from benchmarks.corpus import corpus
from jixiao.core.model import Project
from jixiao.formats import pdf, text, xlsx
from jixiao.formats.form import build_form, load_layout
from jixiao.formats.registry import EXPORT_FORMATS


def cells_of(projects: Sequence[Project]) -> list[list[tuple[int, int, str]]]:
    """The same cells the layout writes, as (row, column, text), one list per project."""
    layout = load_layout("standard")
    result = []
    for project in projects:
        form = build_form(project, layout)
        top = form.header_rows
        cells = [(c.row, c.col, c.text) for c in form.header]
        cells += [(top + c.row, c.col, c.text) for c in form.grid]
        result.append(cells)
    return result


def bare_xlsx(cells: list[list[tuple[int, int, str]]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for index, project in enumerate(cells):
        sheet = workbook.create_sheet(f"s{index}")
        for row, col, value in project:
            sheet.cell(row=row + 1, column=col + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bare_pdf(cells: list[list[tuple[int, int, str]]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = pdf.register_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for project in cells:
        page.setFont(font, 9)
        for row, col, value in project:
            page.drawString(40 + col * 100, 800 - row * 14, value[:40])
        page.showPage()
    page.save()
    return buffer.getvalue()


def one_project(indicators: int) -> Project:
    """The seed's first project with ``indicators`` indicators, its own repeated and numbered."""
    from dataclasses import replace
    from pathlib import Path

    seed = Path(__file__).resolve().parent.parent / "src/jixiao/demo/gaoxin_yingji_2023.txt"
    project = text.read(seed.read_bytes(), "seed.txt").projects[0]
    own = project.indicators
    ordered = sorted(range(indicators), key=lambda n: n % len(own))  # categories stay together
    many = tuple(replace(own[n % len(own)], name=f"{own[n % len(own)].name}{n}") for n in ordered)
    return replace(project, indicators=many)


def by_indicators(counts: list[int], repeat: int) -> None:
    from jixiao.services.exporting import export

    print(f"one project, best of {repeat}; seconds to export")
    print(f"{'indicators':>10}  " + "  ".join(f"{fmt:>7}" for fmt in EXPORT_FORMATS))
    for count in counts:
        project = one_project(count)
        figures = []
        for fmt in EXPORT_FORMATS:
            try:
                seconds = timed(lambda f=fmt, p=project: export([p], f), repeat)
                figures.append(f"{seconds:>7.2f}")
            except Exception as error:  # the code before the fix: say what failed
                figures.append(f"{type(error).__name__[:7]:>7}")
        print(f"{count:>10,}  " + "  ".join(figures), flush=True)


def timed(function: Callable[[], bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--indicators", type=int, nargs="+", help="one project this large")
    args = parser.parse_args()
    if args.indicators:
        by_indicators(args.indicators, args.repeat)
        return
    projects = text.read(corpus(args.tables).encode(), "bench.txt").projects
    assert len(projects) == args.tables
    layout = load_layout("standard")
    cells = cells_of(projects)
    pdf.register_font()
    print(f"{args.tables} tables, best of {args.repeat}")
    for name, ours, floor in (
        ("xlsx", lambda: xlsx.write(projects, layout), lambda: bare_xlsx(cells)),
        ("pdf", lambda: pdf.write(projects, layout), lambda: bare_pdf(cells)),
    ):
        ours_s, floor_s = timed(ours, args.repeat), timed(floor, args.repeat)
        print(
            f"{name}: jixiao {args.tables / ours_s:,.0f} tables/s ({ours_s:.2f} s); "
            f"floor {args.tables / floor_s:,.0f} tables/s ({floor_s:.2f} s); "
            f"ratio {ours_s / floor_s:.1f}x the floor's time"
        )


if __name__ == "__main__":
    main()
