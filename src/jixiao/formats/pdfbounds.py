"""Bounds on pdfminer (under pdfplumber), which has none of its own.

pdfminer inflates a stream whole with ``zlib.decompress`` (a 2 MB stream became 2 GiB),
decodes LZW and run-length data into unbounded lists, repairs a damaged deflate stream
one byte at a time with quadratic concatenation, and interprets a page however many
characters its content draws (forms drawing forms: 10^8 characters from 2 KB).  Here:

- **Decoding.**  The decoders pdfminer's ``PDFStream.decode`` calls are replaced, once, by
  bounded ones that stop as soon as the output passes ``Limits.pdf_stream_bytes`` (a
  stream) or what is left of ``Limits.pdf_decoded_bytes`` (the file): a bomb is refused
  without being inflated.  pdfminer looks these functions up in its module when it
  decodes, so every stream it ever decodes (cross-reference and object streams, page
  content, forms, fonts, character maps) goes through them.  The budget is the one of
  the import under way in this thread (``active``); outside an import the default
  limits still bound each stream.  CCITT fax data (images only) is never decoded.
- **Pages.**  ``BoundedPage`` is pdfplumber's page with a layout device that counts the
  characters, lines and images of the page against ``Limits.pdf_page_objects`` and checks
  the deadline as it goes; ``find_tables`` refuses a page whose ruling lines would cross
  more than ``Limits.pdf_page_crossings`` times (pdfplumber's table finder is quadratic in
  the crossings: 150 × 150 lines took 19 s).

``tests/integration/test_hostile_files.py`` fails if an upgrade of pdfminer bypasses these.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jixiao.formats.limits import DEFAULT, Budget, LimitExceeded

_ACTIVE: ContextVar[Budget | None] = ContextVar("jixiao_pdf_budget", default=None)
_PIECE = 1024
_CHUNK = 64 * 1024


@contextmanager
def active(budget: Budget) -> Iterator[None]:
    """Bound pdfminer's decoding by ``budget`` while the block runs (in this context)."""
    token = _ACTIVE.set(budget)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


class _Output:
    """Decoded bytes, refused as soon as they pass what the budget allows."""

    def __init__(self) -> None:
        self.budget = _ACTIVE.get()
        limits = self.budget.limits if self.budget is not None else DEFAULT
        self.room: float = limits.pdf_stream_bytes
        self.name = "pdf_stream_bytes"
        if self.budget is not None:
            left = limits.pdf_decoded_bytes - self.budget.spent("pdf_decoded_bytes")
            if left < self.room:
                self.room, self.name = left, "pdf_decoded_bytes"
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.room:
            limits = self.budget.limits if self.budget is not None else DEFAULT
            value = self.size
            if self.name == "pdf_decoded_bytes" and self.budget is not None:
                value += int(self.budget.spent("pdf_decoded_bytes"))
            error = LimitExceeded(self.name, value, limits, at_least=True)
            if self.budget is not None:
                self.budget.exceeded = self.budget.exceeded or error
            raise error
        self.parts.append(data)
        if self.budget is not None:
            self.budget.check_time()

    def result(self) -> bytes:
        data = b"".join(self.parts)
        if self.budget is not None:
            self.budget.spend("pdf_decoded_bytes", len(data))
        return data


def _inflate(data: bytes, tolerant: bool) -> bytes:
    """zlib data inflated in bounded steps (1 KB in, at most 64 KB out at a time).

    ``tolerant``: what came out before damage is kept (pdfminer's ``decompress_corrupted``,
    which went one byte at a time); else damage raises ``zlib.error`` like ``decompress``."""
    output = _Output()
    inflater = zlib.decompressobj()
    try:
        for start in range(0, len(data), _PIECE):
            step = inflater.decompress(data[start : start + _PIECE], _CHUNK)
            while step:
                output.add(step)
                if inflater.eof:
                    break
                step = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            if inflater.eof:
                break
        if not inflater.eof and not tolerant:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    except zlib.error:
        if not tolerant:
            raise
    return output.result()


class _Zlib:
    """What pdfminer's module sees as ``zlib``: the real one, with a bounded ``decompress``."""

    error = zlib.error

    def decompress(self, data: bytes) -> bytes:
        return _inflate(data, tolerant=False)

    def decompressobj(self) -> Any:
        return zlib.decompressobj()

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _decompress_corrupted(data: bytes) -> bytes:
    return _inflate(data, tolerant=True)


def _lzwdecode(data: bytes) -> bytes:
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    output = _Output()
    for chunk in LZWDecoder(BytesIO(data)).run():
        output.add(chunk)
    return output.result()


def _rldecode(data: bytes) -> bytes:
    """Run-length data (PDF 1.7, 7.4.5), bounded; pdfminer's makes a list of ints."""
    output = _Output()
    position = 0
    while position < len(data):
        length = data[position]
        if length == 128:
            break
        if length < 128:
            output.add(data[position + 1 : position + length + 2])
            position += length + 2
        else:
            output.add(data[position + 1 : position + 2] * (257 - length))
            position += 2
    return output.result()


def _no_ccitt(data: bytes, params: object) -> bytes:
    raise ValueError("CCITT fax data is only in images, which are never decoded here")


def install() -> None:
    """Replace pdfminer's decoders by the bounded ones (once; idempotent)."""
    from pdfminer import pdftypes

    bounded: dict[str, object] = {
        "zlib": _Zlib(),
        "decompress_corrupted": _decompress_corrupted,
        "lzwdecode": _lzwdecode,
        "rldecode": _rldecode,
        "ccittfaxdecode": _no_ccitt,
    }
    for name, replacement in bounded.items():
        if not hasattr(pdftypes, name):  # pdfminer changed: fail loudly, never read unbounded
            raise RuntimeError(f"pdfminer.pdftypes has no {name} to bound")
        setattr(pdftypes, name, replacement)


# --- pages -------------------------------------------------------------------------------


def bounded_page_class() -> Any:
    """pdfplumber's ``Page`` whose layout counts what the page draws (made on first use:
    pdfplumber is imported only when a PDF is read)."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
    from pdfplumber.table import TableFinder, TableSettings

    class CountingDevice(PDFPageAggregatorWithMarkedContent):
        def __init__(self, budget: Budget, where: str, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.budget, self.where, self.objects = budget, where, 0

        def counted(self) -> None:
            self.objects += 1
            self.budget.tick()
            if not self.objects & 255:
                self.budget.require("pdf_page_objects", self.objects, self.where, at_least=True)

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.counted()
            advance: float = super().render_char(*args, **kwargs)
            return advance

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            self.counted()
            super().paint_path(*args, **kwargs)

        def render_image(self, *args: Any, **kwargs: Any) -> None:
            self.counted()
            super().render_image(*args, **kwargs)

        def begin_figure(self, *args: Any, **kwargs: Any) -> None:
            self.counted()  # a form drawn again and again is counted, even if it draws nothing
            super().begin_figure(*args, **kwargs)

    class BoundedFinder(TableFinder):
        def __init__(self, page: Any, settings: Any, budget: Budget, where: str) -> None:
            self.budget, self.where = budget, where
            super().__init__(page, settings)

        def get_edges(self) -> Any:
            edges = super().get_edges()
            vertical = sum(1 for edge in edges if edge["orientation"] == "v")
            horizontal = len(edges) - vertical
            self.budget.require("pdf_page_crossings", vertical * horizontal, self.where)
            return edges

    class BoundedPage(Page):
        budget: Budget

        @property
        def where(self) -> str:
            return f"PDF 第 {self.page_number} 页："

        @property
        def layout(self) -> Any:
            if hasattr(self, "_layout"):
                return self._layout
            device = CountingDevice(
                self.budget,
                self.where,
                self.pdf.rsrcmgr,
                pageno=self.page_number,
                laparams=self.pdf.laparams,
            )
            PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            self._layout = device.get_result()
            return self._layout

        def find_tables(self, table_settings: Any = None) -> Any:
            settings = TableSettings.resolve(table_settings)
            return BoundedFinder(self, settings, self.budget, self.where).tables

    return BoundedPage
