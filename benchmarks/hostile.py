"""Hostile files, built by code (nothing large is committed), and what reading each one costs.

Each file is a class of attack on the file-format layer: a bomb that decompresses to
gigabytes, a workbook that declares a million rows, a PDF of thousands of pages, a page
whose table finder is quadratic, characters XML forbids.  ``tests/integration/
test_hostile_files.py`` reads every one through the real import path in a child process
and bounds its memory; this module measures them.

Run: ``.venv/bin/python -m benchmarks.hostile [--timeout S] [--memory-cap MB] [NAME ...]``.
Every file is read by a fresh child process (``read_bytes``, the import path of the CLI and
the web); the table gives the wall time, the child's peak resident memory above a child
that read a one-line file, and the message.  A child is killed when it passes the timeout
or the memory cap (the figures of the code before the limits, which had none).
``--src DIR`` measures another checkout's ``src`` (e.g. the code before a change).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "src" / "jixiao" / "demo" / "gaoxin_yingji_2023.txt"

# --- zip containers ------------------------------------------------------------------


@dataclass(frozen=True)
class Packed:
    """A member's raw deflate data, its CRC and size, and the size the archive declares."""

    data: bytes
    crc: int
    size: int
    declared: int

    @staticmethod
    def of(content: bytes) -> Packed:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        return Packed(data, zlib.crc32(content), len(content), len(content))

    @staticmethod
    def repeated(chunk: bytes, times: int, head: bytes = b"", tail: bytes = b"") -> Packed:
        """``head + chunk * times + tail`` deflated in a fraction of the time: after a full
        flush the compressor forgets what came before, so one chunk's block is repeated."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
        block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        last = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(tail, crc)
        size = len(head) + len(chunk) * times + len(tail)
        return Packed(first + block * times + last, crc, size, size)


def zip_file(members: list[tuple[str, Packed]]) -> bytes:
    """A zip written by hand, so that it may declare sizes that are not the truth, and
    hold more than 65,535 members (zip64 end records)."""
    out = bytearray()
    central = bytearray()
    for name, packed in members:
        raw = name.encode()
        offset = len(out)
        sizes = (packed.crc, len(packed.data), packed.declared)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, len(raw), 0)
        out += raw + packed.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            *sizes,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    start, count = len(out), len(members)
    out += central
    if count > 0xFFFF:
        record = len(out)
        out += struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central), start
        )
        out += struct.pack("<IIQI", 0x07064B50, 0, record, 1)
        count = 0xFFFF
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _workbook_parts(sheets: int, shared: bool = False) -> list[tuple[str, bytes]]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kinds}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    if shared:
        overrides += (
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
        )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="{kinds}.sheet.main+xml"/>{overrides}</Types>'
    )
    package_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    entries = "".join(
        f'<sheet name="表{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    workbook = f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{entries}</sheets></workbook>'
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    if shared:
        links += f'<Relationship Id="rIdS" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{links}</Relationships>'
    )
    return [
        ("[Content_Types].xml", types.encode()),
        ("_rels/.rels", package_rels.encode()),
        ("xl/workbook.xml", workbook.encode()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.encode()),
    ]


def _cells(row: int, texts: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{t}</t></is></c>'
        for i, t in enumerate(texts)
        if t
    )
    return f'<row r="{row}">{cells}</row>'.encode()


_TABLE = [
    ["项目名称", "防汛物资采购", "", "项目实施期", "2024年"],
    ["一级指标", "二级指标", "三级指标", "", "年度指标值"],
    ["产出指标", "数量指标", "采购沙袋数量", "", "≥5000个"],
]


def _table_rows() -> bytes:
    return b"".join(_cells(n, texts) for n, texts in enumerate(_TABLE, start=1))


def _xlsx(sheets: dict[int, Packed], shared: Packed | None = None, extra=()) -> bytes:
    members = [(name, Packed.of(data)) for name, data in _workbook_parts(len(sheets), bool(shared))]
    members += [(f"xl/worksheets/sheet{n}.xml", packed) for n, packed in sheets.items()]
    if shared is not None:
        members.append(("xl/sharedStrings.xml", shared))
    members += list(extra)
    return zip_file(members)


def _small_sheet(head: bytes = b"") -> Packed:
    return Packed.of(
        _SHEET_HEAD + head + b"<sheetData>" + _table_rows() + b"</sheetData></worksheet>"
    )


def zip_bomb() -> bytes:
    """Ten worksheets of 100 MiB of blanks each, about 1 MB in all: 1 GiB declared."""
    bomb = Packed.repeated(
        b" " * MiB, 100, _SHEET_HEAD + b"<sheetData>", b"</sheetData></worksheet>"
    )
    return _xlsx(dict.fromkeys(range(1, 11), bomb))


def deflate_bomb() -> bytes:
    """One part, the shared strings, of 1 GiB (a ratio of about 1,000), sizes declared honestly."""
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb = Packed.repeated(b" " * MiB, 1024, head, b"</sst>")
    return _xlsx({1: _small_sheet()}, shared=bomb)


def lying_sizes() -> bytes:
    """The same bomb, but the archive declares the part to be 1 MiB."""
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb = Packed.repeated(b" " * MiB, 1024, head, b"</sst>")
    liar = Packed(bomb.data, bomb.crc, bomb.size, MiB)
    return _xlsx({1: _small_sheet()}, shared=liar)


def _sheet_of(megabytes: float) -> Packed:
    """A worksheet of a target table and then rows of eight cells, ``megabytes`` of XML."""
    rows = []
    size = 0
    row = 1
    while size < megabytes * 1000 * 1000:
        cells = "".join(
            f'<c r="{column}{row}" t="inlineStr"><is><t>数据{row}</t></is></c>'
            for column in "ABCDEFGH"
        )
        text = f'<row r="{row}">{cells}</row>'.encode()
        rows.append(text)
        size += len(text)
        row += 1
    return Packed.of(
        _SHEET_HEAD
        + b"<sheetData>"
        + _table_rows()
        + b"".join(rows[3:])
        + b"</sheetData></worksheet>"
    )


def many_sheets() -> bytes:
    """The tester's workbook: 20 sheets of 9.9 MB of cells each, 9 MB in all."""
    return _xlsx(dict.fromkeys(range(1, 21), _sheet_of(9.9)))


def many_cells() -> bytes:
    """Six sheets of 10 MB of cells: under every size limit, 120,000 rows to stream."""
    return _xlsx(dict.fromkeys(range(1, 7), _sheet_of(10)))


def million_rows() -> bytes:
    """A target table, and one more cell at the last row and column Excel has."""
    last = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = Packed.of(
        _SHEET_HEAD
        + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        + _table_rows()
        + last
        + b"</sheetData></worksheet>"
    )
    return _xlsx({1: sheet})


def many_members() -> bytes:
    """A real small workbook and 200,000 empty members (the central directory is read whole)."""
    empty = Packed.of(b"")
    extra = [(f"{n:x}", empty) for n in range(200_000)]
    return _xlsx({1: _small_sheet()}, extra=extra)


def entity_bomb() -> bytes:
    """Shared strings with a DTD whose entities expand a billion times ("billion laughs")."""
    entities = '<!ENTITY a0 "项目名称">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    shared = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&a9;</t></si></sst>"
    ).encode()
    sheet = (
        _SHEET_HEAD
        + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        + _table_rows()[len(b'<row r="1">') :].split(b"</row>", 1)[1]
        + b"</sheetData></worksheet>"
    )
    return _xlsx({1: Packed.of(sheet)}, shared=Packed.of(shared))


# --- Word ----------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(body: bytes) -> bytes:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
        + body
        + b"</w:body></w:document>"
    )
    return zip_file(
        [
            ("[Content_Types].xml", Packed.of(types.encode())),
            ("_rels/.rels", Packed.of(rels.encode())),
            ("word/document.xml", Packed.of(document)),
        ]
    )


def _tc(text: str, merge: str = "") -> str:
    props = (
        f'<w:tcPr><w:vMerge w:val="{merge}"/></w:tcPr>'
        if merge == "restart"
        else ("<w:tcPr><w:vMerge/></w:tcPr>" if merge else "")
    )
    return f"<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def deep_merge() -> bytes:
    """A table of 5,000 rows whose first column is one cell merged down all of them."""
    rows = ["<w:tr>" + _tc("项目名称") + _tc("防汛物资采购") + _tc("") + "</w:tr>"]
    rows.append("<w:tr>" + _tc("一级指标") + _tc("二级指标") + _tc("三级指标") + "</w:tr>")
    for n in range(5000):
        merge = "restart" if n == 0 else "continue"
        rows.append(
            "<w:tr>"
            + _tc("产出指标" if n == 0 else "", merge)
            + _tc("数量指标")
            + _tc(f"指标{n}")
            + "</w:tr>"
        )
    grid = "<w:tblGrid>" + '<w:gridCol w:w="2000"/>' * 3 + "</w:tblGrid>"
    return _docx(f"<w:tbl>{grid}{''.join(rows)}</w:tbl>".encode())


def xml_elements() -> bytes:
    """A document of 1.2 million empty paragraphs (30 MB) that do not compress well."""
    generator = random.Random(11)
    body = b"".join(b'<w:p w:rsidR="%08X"/>' % generator.getrandbits(32) for _ in range(1_200_000))
    return _docx(body)


# --- PDF -----------------------------------------------------------------------------


def pdf_file(objects: list[bytes]) -> bytes:
    """Objects 1..n (object 1 the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", deflated: bool = False) -> bytes:
    filters = b" /Filter /FlateDecode" if deflated else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(data), filters, extra) + data + b"\nendstream"


_TEXT = b"BT /F1 12 Tf 72 720 Td (Project name) Tj ET"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pages(
    contents: list[bytes], resources: bytes = b"<< /Font << /F1 3 0 R >> >>", more=()
) -> bytes:
    """Pages with the given content streams (object numbers from 4 on), and more objects after."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        _FONT,
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
            % (resources, 5 + 2 * i)
        )
        objects.append(content)
    objects += list(more)
    return pdf_file(objects)


def _zlib_repeated(chunk: bytes, times: int, head: bytes) -> bytes:
    """A zlib stream (what FlateDecode holds) of ``head + chunk * times``, built fast."""
    packed = Packed.repeated(chunk, times, head)
    adler = zlib.adler32(head)
    for _ in range(times):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + packed.data + struct.pack(">I", adler)


def pdf_bomb() -> bytes:
    """A page of text, then a page whose 2 MB content stream inflates to 2 GiB."""
    bomb = _zlib_repeated(b" " * MiB, 2048, _TEXT + b"\n")
    return _pages([_stream(_TEXT), _stream(bomb, deflated=True)])


def pdf_many_pages() -> bytes:
    """5,000 small pages of text."""
    return _pages([_stream(_TEXT)] * 5000)


def pdf_many_chars() -> bytes:
    """One page that shows three million characters (a content stream of 3 MB, 10 KB deflated)."""
    content = b"BT /F1 1 Tf 10 10 Td (" + b"a" * (3 * 1000 * 1000) + b") Tj ET"
    return _pages([_stream(zlib.compress(content, 9), deflated=True)])


def pdf_ruling_grid() -> bytes:
    """One page ruled by 150 horizontal and 150 vertical lines: 22,500 crossings."""
    lines = [b"0.1 w"]
    for i in range(150):
        lines.append(b"%.2f 30 m %.2f 810 l S" % (30 + i * 3.6, 30 + i * 3.6))
        lines.append(b"30 %.2f m 570 %.2f l S" % (30 + i * 5.2, 30 + i * 5.2))
    content = _TEXT + b"\n" + b"\n".join(lines)
    return _pages([_stream(zlib.compress(content), deflated=True)])


def pdf_xobject_repeat() -> bytes:
    """Forms that draw the form below them ten times, eight deep: 10^8 characters from 2 KB."""
    depth = 8
    first = 6  # objects 1-3 catalog, pages, font; 4 the page, 5 its content
    forms = []
    for level in range(depth):
        number = first + level
        if level == depth - 1:
            body = b"BT /F1 12 Tf 72 720 Td (x) Tj ET"
            resources = b"<< /Font << /F1 3 0 R >> >>"
        else:
            body = b" ".join([b"/X Do"] * 10)
            resources = b"<< /XObject << /X %d 0 R >> /Font << /F1 3 0 R >> >>" % (number + 1)
        forms.append(
            _stream(
                body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources
            )
        )
    page = _TEXT + b" /X Do"
    resources = b"<< /Font << /F1 3 0 R >> /XObject << /X %d 0 R >> >>" % first
    return _pages([_stream(page)], resources, more=forms)


# --- HTML and text -------------------------------------------------------------------


def html_tags() -> bytes:
    """19 MB of paragraphs: a parsed document of six million elements."""
    return "<html><body><table><tr><td>项目名称</td></tr></table>".encode() + b"<p>" * (
        19 * 1000 * 1000 // 3
    )


def html_spans() -> bytes:
    """A table of 1,000 rows, each cell spanning 1,000 rows and 1,000 columns."""
    row = '<tr><td rowspan="1000" colspan="1000">项目名称</td></tr>'
    return f"<html><body><table>{row * 1000}</table></body></html>".encode()


def text_lines() -> bytes:
    """19 MB of lines that each say 项目名称: nine hundred thousand tables begun."""
    return "项目名称\t测试\n".encode() * (19 * 1000 * 1000 // 20)


def control_characters_json() -> bytes:
    """The canonical JSON of a seed project whose names hold \\x01, \\x1f and a lone surrogate."""
    sys.path.insert(0, str(ROOT / "src"))
    from jixiao.formats.json import to_document
    from jixiao.formats.text import read

    project = read(SEED.read_bytes(), "seed.txt").projects[0]
    document = to_document([project])
    spoil = "\x01\x1f\ud800"
    for item in document["projects"]:
        item["name"] += spoil
        item["department"] += spoil
        for indicator in item["indicators"]:
            indicator["name"] += spoil
    return json.dumps(document, ensure_ascii=True).encode()


def control_characters_text() -> bytes:
    """The seed with a control character after every project name (few enough to be text)."""
    lines = SEED.read_text("utf-8").split("\n")
    spoilt = [
        line.replace("\t", "\x01\t", 2) if line.startswith("项目名称") else line for line in lines
    ]
    return "\n".join(spoilt).encode()


def huge_name() -> bytes:
    """The seed's first table with a project name of 100,000 characters."""
    text = SEED.read_text("utf-8")
    return text.replace("森林防火物资采购", "森" * 100_000, 1).encode()


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "zip-bomb.xlsx": ("10 parts × 100 MiB of blanks, 1 GiB declared", zip_bomb),
    "deflate-bomb.xlsx": ("shared strings of 1 GiB in one part, ratio ≈ 1,000", deflate_bomb),
    "lying-sizes.xlsx": ("the same part declared as 1 MiB", lying_sizes),
    "many-sheets.xlsx": ("20 sheets × 9.9 MB of cells (the tester's file)", many_sheets),
    "many-cells.xlsx": ("6 sheets × 10 MB of cells, within the size limits", many_cells),
    "million-rows.xlsx": (
        "A1:XFD1048576 declared, a cell in the last row and column",
        million_rows,
    ),
    "many-members.xlsx": ("200,000 members in the central directory", many_members),
    "entity-bomb.xlsx": ("shared strings with a billion-laughs DTD", entity_bomb),
    "deep-merge.docx": ("a table of 5,000 rows, one cell merged down all of them", deep_merge),
    "xml-elements.docx": ("a document of 1.2 million elements (30 MB)", xml_elements),
    "pdf-bomb.pdf": ("a content stream of 2 MB that inflates to 2 GiB", pdf_bomb),
    "many-pages.pdf": ("5,000 small pages", pdf_many_pages),
    "many-chars.pdf": ("one page showing 3 million characters", pdf_many_chars),
    "ruling-grid.pdf": ("one page ruled 150 × 150 (22,500 crossings)", pdf_ruling_grid),
    "xobject-repeat.pdf": ("forms drawing forms, 10^8 characters from 2 KB", pdf_xobject_repeat),
    "many-tags.html": ("19 MB of paragraphs, six million elements", html_tags),
    "spans.html": ("1,000 cells spanning 1,000 × 1,000", html_spans),
    "many-lines.txt": ("19 MB of lines that each open a table", text_lines),
    "control-chars.json": ("names with \\x01, \\x1f and a lone surrogate", control_characters_json),
    "control-chars.txt": ("project names with \\x01", control_characters_text),
    "huge-name.txt": ("a project name of 100,000 characters", huge_name),
}


# --- measuring -------------------------------------------------------------------------

_CHILD = """
import json, sys, time
from pathlib import Path
def peak_kb():
    # The child's own high-water mark: ru_maxrss would include the parent's memory at the
    # fork, which a large test or benchmark process would add to every figure.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
from jixiao.services.importing import read_bytes
data = Path(sys.argv[1]).read_bytes()
start = time.perf_counter()
result = read_bytes(data, Path(sys.argv[1]).name)
seconds = time.perf_counter() - start
first = result.findings[0] if result.findings else None
print(json.dumps({
    "seconds": seconds,
    "fatal": result.fatal,
    "projects": len(result.projects),
    "rule": first.rule if first else "",
    "message": first.message if first else "",
    "peak_kb": peak_kb(),
}, ensure_ascii=False))
"""


@dataclass
class Measured:
    """What reading one file cost a child process, and what it said."""

    seconds: float
    peak_mb: float  # the child's own high-water mark of resident memory
    killed: str = ""  # why the child was killed (past the timeout or the memory cap)
    result: dict[str, Any] | None = None  # the child's report (see _CHILD)
    stderr: str = ""

    @property
    def outcome(self) -> str:
        if self.killed:
            return self.killed
        if self.result is None:
            lines = self.stderr.strip().splitlines()
            return "crashed: " + (lines[-1] if lines else "no output")
        said = f"{self.result['rule'] or 'read'}: {self.result['message'][:90]}"
        return said if self.result["fatal"] else f"{self.result['projects']} projects; {said}"


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(path: Path, env: dict[str, str], timeout: float, cap_mb: float) -> Measured:
    """Read ``path`` in a child process; kill it past ``timeout`` seconds or ``cap_mb``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path)], stdout=out, stderr=err, env=env
        )
        killed = ""
        peak = 0
        while child.poll() is None:
            peak = max(peak, _peak_kb(child.pid))
            elapsed = time.perf_counter() - start
            if elapsed > timeout or peak > cap_mb * 1024:
                killed = f"killed after {elapsed:.0f} s at {peak / 1024:,.0f} MB"
                child.kill()
                child.wait()
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        report, stderr = out.read().decode(), err.read().decode(errors="replace")
    if killed or not report.strip():
        return Measured(elapsed, peak / 1024, killed, None, stderr)
    result = json.loads(report)
    peak = max(peak, result["peak_kb"])
    return Measured(result["seconds"], peak / 1024, "", result, stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*", help="only these files (default: all)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--memory-cap", type=float, default=6000, help="MB")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the jixiao sources to measure")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=args.src)
    with tempfile.TemporaryDirectory() as folder:
        baseline_file = Path(folder) / "one-line.txt"
        baseline_file.write_text("项目名称\t测试\n", encoding="utf-8")
        base = measure(baseline_file, env, args.timeout, args.memory_cap)
        print(f"sources: {args.src}")
        print(f"baseline child (a one-line file): {base.peak_mb:,.0f} MB")
        print(f"{'file':20} {'size':>9} {'time':>8} {'memory':>9}  outcome")
        for name, (_, build) in HOSTILE.items():
            if args.names and name not in args.names:
                continue
            path = Path(folder) / name
            data = build()
            path.write_bytes(data)
            got = measure(path, env, args.timeout, args.memory_cap)
            print(
                f"{name:20} {len(data) / 1024:>7,.0f}KB {got.seconds:>7.1f}s "
                f"{got.peak_mb - base.peak_mb:>+7,.0f}MB  {got.outcome}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
