"""Where a parsed element came from: a file and a line (text), sheet!cell, page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    path: str = ""
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None

    def __str__(self) -> str:
        where = self.path or "<输入>"
        if self.line is not None:
            return f"{where}:{self.line}"
        if self.sheet is not None:
            return f"{where}:{self.sheet}!{self.cell or ''}"
        if self.page is not None:
            return f"{where}:第{self.page}页"
        return where

    def sort_key(self) -> tuple[str, int]:
        return (self.path, self.line if self.line is not None else 0)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {}
        if self.path:
            data["file"] = self.path
        for key in ("line", "sheet", "cell", "page"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> Source:
        if not data:
            return cls()
        line = data.get("line")
        page = data.get("page")
        sheet = data.get("sheet")
        cell = data.get("cell")
        return cls(
            path=str(data.get("file", "")),
            line=int(line) if isinstance(line, int) else None,
            sheet=str(sheet) if sheet is not None else None,
            cell=str(cell) if cell is not None else None,
            page=int(page) if isinstance(page, int) else None,
        )
