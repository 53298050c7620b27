"""Where a parsed element came from: a file and a line (text), sheet!cell, page."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    path: str = ""
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    table: int | None = None  # 1-based: the n-th table of a document or page
    row: int | None = None  # 1-based row within that table
    column: int | None = None  # 1-based column within that row

    def __str__(self) -> str:
        where = self.path or "<输入>"
        if self.line is not None:
            return f"{where}:{self.line}"
        if self.sheet is not None:
            return f"{where}:{self.sheet}!{self.cell or ''}"
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column is not None:
            parts.append(f"第{self.column}列")
        return f"{where}:{''.join(parts)}" if parts else where

    def sort_key(self) -> tuple[str, int, int, int, int]:
        """Reading order within a file.  Sheets have no order among themselves here
        (a stable sort keeps the order they were read in); ``cell_order`` orders a sheet."""
        if self.sheet is not None:
            return (self.path, 0, 0, 0, 0)
        return (
            self.path,
            self.page or 0,
            self.table or 0,
            self.line if self.line is not None else (self.row or 0),
            self.column or 0,
        )

    def cell_order(self) -> tuple[int, int]:
        """(row, column) of a ``sheet!A1`` cell, for ordering within one sheet."""
        match = re.fullmatch(r"([A-Z]+)(\d+)", self.cell or "")
        if not match:
            return (0, 0)
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        return (int(match.group(2)), column)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {}
        if self.path:
            data["file"] = self.path
        for key in ("line", "sheet", "cell", "page", "table", "row", "column"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> Source:
        if not data:
            return cls()

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) else None

        def text(key: str) -> str | None:
            value = data.get(key)
            return str(value) if value is not None else None

        return cls(
            path=str(data.get("file", "")),
            line=number("line"),
            sheet=text("sheet"),
            cell=text("cell"),
            page=number("page"),
            table=number("table"),
            row=number("row"),
            column=number("column"),
        )
