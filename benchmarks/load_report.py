"""Print a locust ``*_stats.csv`` as a Markdown table: requests, failures, p50/p95/p99 (ms)
and requests/s per endpoint.  Usage: ``python -m benchmarks.load_report FILE [TITLE]``."""

from __future__ import annotations

import csv
import sys


def main() -> None:
    path = sys.argv[1]
    title = sys.argv[2] if len(sys.argv) > 2 else path
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total is None or int(total["Request Count"]) == 0:
        sys.exit(f"{path}: no request was made")
    print(f"\n### {title}\n")
    print("| request | count | failures | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        method = f"{row['Type']} " if row["Type"] and not name.startswith(("PUT", "POST")) else ""
        print(
            f"| {method}{name} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )


if __name__ == "__main__":
    main()
