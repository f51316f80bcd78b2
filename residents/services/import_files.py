"""Reading a residents file (CSV or XLSX) into its header and rows of text, within the limits an import takes."""

import codecs
import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from ..resources import REQUIRED, NumberCell, columns

# Limits of an import, checked before (or, for rows, while) a file is parsed, so that no file costs the worker
# more than a couple of hundred MB. Why these numbers: the largest community registers a few tens of thousands
# of people in the columns of docs/formats.md; its full export is 12 MB as CSV and 9 MB as XLSX at
# 100,000 rows (91 MB unpacked). So 20 MB, 100,000 rows and 60 columns (room for a clerk's own extra columns)
# take any real file, and an export of the largest community re-imports.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
# Cells of a CSV, counted as its separators before it is parsed: 100,000 rows of 30 columns. The csv module
# builds a whole record at once, so one line of millions of commas would otherwise be a list of millions.
MAX_CELLS = 3_000_000
# An XLSX is a zip: a 1 MB file can unpack to gigabytes. The worksheets are streamed, so they may unpack to
# 200 MB (the 100,000-row export: 77 MB), but a single cell is read whole: no text or tag may be longer than
# Excel's longest cell (32,767 characters, under 96 KB). The shared strings are held in memory: 16 MB (about
# 12 MB for 100,000 rows typed in Excel) costs at most some 90 MB as Python strings. Every other part (styles,
# workbook, relationships…) is parsed whole into objects that take some 80 times their size (a 1 MB
# styles.xml: 80 MB), while a real workbook's are a few KB each: 1 MB together.
MAX_XLSX_SHEETS_BYTES = 200 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_XLSX_OTHER_PARTS_BYTES = 1024 * 1024
MAX_XLSX_RUN_BYTES = 128 * 1024

# The header is looked for in this many rows from the top: room for a title, a date line and blank rows.
HEADER_SEARCH_ROWS = 10


class FileUnreadable(ValueError):
    """The file is neither UTF-8 CSV nor XLSX, or is larger than an import takes."""


# --- reading -----------------------------------------------------------------------------------

def _cell(value) -> str:
    """A cell as text: XLSX gives numbers and dates. A number keeps its mark (NumberCell): an ID number that was
    typed into a cell not formatted as text was stored with 15 significant digits at most."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return NumberCell(str(int(value)))
    if isinstance(value, int | float):
        return NumberCell(str(value))
    return str(value).strip()


def _read_bytes(source) -> bytes:
    """The file's bytes, refused unread beyond MAX_UPLOAD_BYTES."""
    if isinstance(source, str | Path):
        if Path(source).stat().st_size > MAX_UPLOAD_BYTES:
            raise FileUnreadable(upload_too_large())
        return Path(source).read_bytes()
    data = source.read(MAX_UPLOAD_BYTES + 1)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileUnreadable(upload_too_large())
    return data


def upload_too_large() -> str:
    """The refusal of a file over MAX_UPLOAD_BYTES, for the upload form too."""
    return _("文件过大：导入文件最大 %(mb)s MB（约 %(rows)s 行）。请按居民小组拆分成几个文件分别导入。") % {
        "mb": MAX_UPLOAD_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}


def _too_many_rows() -> str:
    return _("文件行数过多：最多 %(rows)s 行。请按居民小组拆分成几个文件分别导入。") % {"rows": f"{MAX_ROWS:,}"}


CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _check_xlsx_parts(data: bytes) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits (the sizes the zip declares, which zipfile
    enforces) or hold what an XML parser would blow up, before openpyxl reads anything. A part counts as a
    worksheet (streamed) only where openpyxl streams it; the parts it reads whole are small in a real workbook,
    whatever this file claims they are."""
    from xml.etree import ElementTree

    unpacks_too_big = FileUnreadable(
        _("XLSX 文件解压后过大（含超长文字或大量空白单元格），请另存为 CSV UTF-8 后再导入"))
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = {p.filename: p.file_size for p in book.infolist()}
        if parts.get("[Content_Types].xml", 0) > MAX_XLSX_OTHER_PARTS_BYTES:
            raise unpacks_too_big
        raw_manifest = book.read("[Content_Types].xml")
        if b"<!ENTITY" in raw_manifest:
            raise unpacks_too_big
        manifest = ElementTree.fromstring(raw_manifest)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise FileUnreadable(_("无法读取 XLSX 文件")) from exc
    by_extension = {d.get("Extension", "").lower(): d.get("ContentType", "")
                    for d in manifest.iter(f"{CONTENT_TYPES_NS}Default")}
    by_name = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
               for o in manifest.iter(f"{CONTENT_TYPES_NS}Override")}
    sheets = shared = other = 0
    streamed = set()
    for name, size in parts.items():
        kind = by_name.get(name) or by_extension.get(name.rpartition(".")[2].lower(), "")
        if kind.endswith(".worksheet+xml") and name.startswith("xl/worksheets/") and name.endswith(".xml"):
            sheets += size
            streamed.add(name)
        elif kind.endswith(".sharedStrings+xml"):
            shared = max(shared, size)
            streamed.add(name)
        else:
            other += size
    if sheets > MAX_XLSX_SHEETS_BYTES or shared > MAX_SHARED_STRINGS_BYTES or other > MAX_XLSX_OTHER_PARTS_BYTES:
        raise unpacks_too_big
    try:
        for name in parts:
            _scan_xlsx_part(book, name, unpacks_too_big, streamed=name in streamed)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a damaged part (CRC, truncated data)
        raise FileUnreadable(_("无法读取 XLSX 文件")) from exc


def _scan_xlsx_part(book: zipfile.ZipFile, name: str, refusal: FileUnreadable, *, streamed: bool) -> None:
    """Unpack a part in slices and refuse it if it declares entities (which expand, a "billion laughs", in
    whatever reads the part) or, for a part the parser streams, if a stretch between two `<` (one cell's text,
    one tag) is longer than MAX_XLSX_RUN_BYTES: the parser holds that stretch whole in memory."""
    run, tail = 0, b""
    with book.open(name) as part:
        while chunk := part.read(1024 * 1024):
            if b"<!ENTITY" in tail + chunk[:16] or b"<!ENTITY" in chunk:
                raise refusal
            tail = chunk[-16:]
            if not streamed:
                continue
            pieces = chunk.split(b"<")
            longest = run + len(pieces[0])
            if len(pieces) > 1:
                longest = max(longest, max(map(len, pieces[1:])))
                run = len(pieces[-1])
            else:
                run = longest
            if longest > MAX_XLSX_RUN_BYTES:
                raise refusal


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _check_xlsx_parts(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; all mean "cannot read"
        raise FileUnreadable(_("无法读取 XLSX 文件")) from exc
    # The declared size (e.g. A1:XFD2000) is the writer's claim, not the data: openpyxl would pad every row to
    # it. Read each row only as far as its last cell; the rows the header may be in whole (a wider header is
    # refused), the data rows no further than a header can reach.
    sheet.reset_dimensions()
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            yield [_cell(v) for v in (row if number < HEADER_SEARCH_ROWS else row[:MAX_COLUMNS])]
    except Exception as exc:  # damaged XML further into the sheet
        raise FileUnreadable(_("无法读取 XLSX 文件")) from exc


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if data.count(b",") > MAX_CELLS:
        raise FileUnreadable(_("单元格过多：最多 %(cells)s 个。请按居民小组拆分成几个文件分别导入。") % {
            "cells": f"{MAX_CELLS:,}"})
    encoding = _csv_encoding(data)
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""))
    try:
        for number, row in enumerate(reader):
            if number == 0 and row and row[0].startswith("\ufeff"):  # GB18030's own byte-order mark, decoded
                row[0] = row[0][1:]
            yield [c.strip() for c in (row if number < HEADER_SEARCH_ROWS else row[:MAX_COLUMNS])]
    except csv.Error:  # a cell beyond the csv module's 128 KB, from a quote that never closes
        raise FileUnreadable(_("第 %(row)s 行附近无法读取：单元格过长或引号未闭合") % {
            "row": reader.line_num}) from None


def _csv_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the superset of GBK that Excel on Chinese Windows saves CSV in.
    Checked in slices, so that the whole text is never held at once: decoded, 20 MB can take 80 MB."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1024 * 1024):
                decoder.decode(data[start:start + 1024 * 1024])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileUnreadable(
        _("文件不是 CSV（UTF-8 或 GB18030/GBK 编码），也不是 XLSX（请在表格软件中另存为 CSV 或 XLSX）"))


def _limited(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows after the header, with a file of more than MAX_ROWS of them refused as soon as the next is read."""
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise FileUnreadable(_too_many_rows())
        yield row


@dataclass
class Table:
    header: list[str]
    header_row: int  # as the spreadsheet numbers it: 1 unless title rows stand above the header
    rows: Iterator[list[str]]  # the rows after the header, in order (empty ones too, so that numbers hold)


def _find_header(first: list[list[str]]) -> int:
    """Which of the file's first rows is its header: the first that holds every required header; failing that
    (a header with a typo), the one holding most known headers, so that its errors can be reported."""
    known = set(columns())
    for i, row in enumerate(first):
        if set(REQUIRED) <= set(row):
            return i
    counts = [len(known & set(row)) for row in first]
    if counts and max(counts):
        return counts.index(max(counts))
    return 0  # no header anywhere: the first row is reported as one


def read_table(source) -> Table:
    """The header and the data rows of a CSV (UTF-8 or GB18030) or XLSX file, cells as stripped text. Title rows
    above the header (a merged 后北岸社区居民花名册) are skipped.

    The file is refused (FileUnreadable) beyond the limits above: its size, columns and cells here, its rows
    as they are read (the rows come lazily)."""
    data = _read_bytes(source)
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    first = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    at = _find_header(first)
    header = first[at] if first else []
    width = len(header)
    while width and not header[width - 1]:
        width -= 1  # trailing empty header cells of a spreadsheet
    if width > MAX_COLUMNS:
        raise FileUnreadable(_("列数过多：最多 %(columns)s 列，请删除多余的列") % {"columns": MAX_COLUMNS})
    return Table(header[:width], at + 1, _limited(itertools.chain(first[at + 1:], rows)))
