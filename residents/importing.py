"""Import of a residents file into one community: validate every row in bulk, then write set-based.

The per-row path of django-import-export runs a few queries per row (about 20 rows/s on large
files), and its bulk mode cannot tie an error to a row. So the columns and cell parsing come from
ResidentResource (the same widgets the export renders with), while this module reads every row,
checks every rule of docs/formats.md (Residents file) against data preloaded in a few queries, and only when the
whole file is clean writes it with bulk inserts and updates that keep the audit trail. All or nothing;
rows match existing residents on the ID number, and a row that changes nothing writes nothing.
"""

import codecs
import csv
import datetime
import io
import itertools
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lib.masking import mask_id_number
from org.models import Community

from .bulk import insert_with_history
from .models import (
    Household,
    Living,
    Registration,
    Relation,
    Representative,
    RepresentativeEnd,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from .resources import REQUIRED, CellError, NumberCell, columns
from .services import pinyin_of

CHANGE_REASON = "导入居民名单"
BATCH = 2000
# Resident fields an import sets; `phone` etc. only when the file has that column.
COLUMN_ATTRS = {
    "姓名": "name", "性别": None, "出生日期": None, "户号": "household_number", "与户主关系": "relation",
    "居民小组": "group_name", "地址": "address", "户籍": "registration", "居住情况": "living",
    "入住日期": "move_in_date", "政治权利": "deprived", "参选意愿": "election_wish", "联系电话": "phone",
    "人群标签": "labels", "身份证号": None, "民族": "ethnicity", "政治面貌": "political", "文化程度": "education",
}
RESIDENT_FIELDS = ("name", "sex", "birth_date", "household_id", "relation", "group_id", "address", "registration",
                   "living", "move_in_date", "deprived", "election_wish", "phone", "ethnicity", "political",
                   "education")
CREATE_COLUMNS = ("community_id", "household_id", "relation", "group_id", "name", "name_pinyin", "id_number", "sex",
                  "birth_date", "address", "registration", "living", "move_in_date", "deprived", "election_wish",
                  "phone", "ethnicity", "political", "education", "version")
NEW_DEFAULTS = {"address": "", "move_in_date": None, "deprived": False, "election_wish": "", "phone": "",
                "ethnicity": "", "political": "", "education": ""}
OPTIONAL_FIELDS = {"address": "地址", "move_in_date": "入住日期", "deprived": "政治权利",
                   "election_wish": "参选意愿", "phone": "联系电话", "ethnicity": "民族", "political": "政治面貌",
                   "education": "文化程度"}

Progress = Callable[[int, int, str], None]

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
# A file whose every row is wrong says so in its first few hundred errors; the rest are counted, not listed
# (a 200 MB junk file once gave 616,202 errors and a 40 MB preview page).
MAX_ERRORS = 300
# The header is looked for in this many rows from the top: room for a title, a date line and blank rows.
HEADER_SEARCH_ROWS = 10


@dataclass
class ImportReport:
    """What an import found and did (or, on a dry run or with errors, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups_created: int = 0
    households_created: int = 0
    labels_added: int = 0
    labels_closed: int = 0
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)
    error_count: int = 0  # every error found; `errors` lists the first MAX_ERRORS of them (and how many more)
    # What was read otherwise than written and the clerk should know, e.g. a 15-digit number stored as 18 digits.
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return ngettext("发现 %(count)s 处错误，未写入任何数据", "发现 %(count)s 处错误，未写入任何数据",
                            self.error_count) % {"count": self.error_count}
        counts = {"rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                  "groups": self.groups_created, "households": self.households_created,
                  "labels_added": self.labels_added, "labels_closed": self.labels_closed}
        if self.dry_run:
            return _("共 %(rows)s 行：预检通过，将新增 %(created)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化；"
                     "新建居民小组 %(groups)s 个、户 %(households)s 户；"
                     "标签新增 %(labels_added)s 个、结束 %(labels_closed)s 个") % counts
        return _("共 %(rows)s 行：已新增 %(created)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化；"
                 "新建居民小组 %(groups)s 个、户 %(households)s 户；"
                 "标签新增 %(labels_added)s 个、结束 %(labels_closed)s 个") % counts

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("rows", "created", "updated", "unchanged", "groups_created",
                                               "households_created", "labels_added", "labels_closed",
                                               "dry_run", "errors", "error_count", "notices")}


class FileUnreadable(ValueError):
    """The file is neither UTF-8 CSV nor XLSX, or is larger than an import takes."""


@dataclass(slots=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    id_number: str = ""
    name: str = ""
    sex: str = ""
    birth_date: datetime.date | None = None
    household_number: str = ""
    relation: str = ""
    group_name: str = ""
    address: str = ""
    registration: str = ""
    living: str = ""
    move_in_date: datetime.date | None = None
    deprived: bool = False
    election_wish: str = ""
    phone: str = ""
    labels: frozenset = frozenset()
    ethnicity: str = ""
    political: str = ""
    education: str = ""


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


# --- validation --------------------------------------------------------------------------------

def row_error(row: int, header: str, reason: str) -> str:
    """`第 7 行 身份证号: 校验位错误`: the row as the spreadsheet numbers it, the header as the file has it."""
    return _("第 %(row)s 行 %(column)s: %(reason)s") % {"row": row, "column": header, "reason": reason}


class Problems:
    """Errors of the file, kept with their row and column so they come out in reading order."""

    def __init__(self, order: list[str]):
        self.order = {h: i for i, h in enumerate(order)}
        self.found: list[tuple[int, int, str]] = []
        self.more = 0  # errors past MAX_ERRORS: counted, not kept

    def add(self, row: int, header: str, reason: str) -> None:
        if len(self.found) >= MAX_ERRORS:
            self.more += 1
            return
        self.found.append((row, self.order.get(header, -1), row_error(row, header, reason)))

    def messages(self) -> list[str]:
        listed = [message for _row, _column, message in sorted(self.found)]
        if self.more:
            listed.append(ngettext("……以及另外 %(count)s 处错误（请先改正以上错误再导入）",
                                   "……以及另外 %(count)s 处错误（请先改正以上错误再导入）",
                                   self.more) % {"count": self.more})
        return listed

    @property
    def count(self) -> int:
        return len(self.found) + self.more

    def __bool__(self):
        return bool(self.found)


def _check_header(header: list[str], at: int, problems: Problems) -> dict[str, int]:
    known = columns()
    index = {}
    for i, name in enumerate(header):
        if not name and all(not h for h in header[i:]):
            break  # trailing empty header cells of a spreadsheet
        if name not in known:
            problems.add(at, name or _("第 %(n)s 列") % {"n": i + 1}, _("未知的列（请检查列名是否写错）"))
        elif name in index:
            problems.add(at, name, _("列名重复"))
        else:
            index[name] = i
    for name in REQUIRED:
        if name not in index:
            problems.add(at, name, _("缺少必填列"))
    return index


def _parse_rows(table: Table, index: dict[str, int], problems: Problems, notices: list[str],
                progress: Progress | None) -> list[Row]:
    known = columns()
    cleaners = [(header, i, COLUMN_ATTRS[header], known[header].widget.clean) for header, i in index.items()]
    required = set(REQUIRED)
    today = timezone.localdate()
    rows = []
    for number, cells in enumerate(table.rows, start=table.header_row + 1):
        if not any(cells):
            continue  # an empty line is not a resident
        row = Row(number=number)
        parsed, bad = {}, set()
        for header, i, attr, clean in cleaners:
            value = cells[i] if i < len(cells) else ""
            if value == "" and header in required:
                problems.add(number, header, _("必填"))
                bad.add(header)
                continue
            try:
                cleaned = clean(value)
            except CellError as exc:
                problems.add(number, header, str(exc))
                bad.add(header)
                continue
            parsed[header] = cleaned
            if attr:
                setattr(row, attr, cleaned)
        identity = parsed.get("身份证号")
        if identity is not None:
            # Translators: %(column)s is a column name of the file, kept in Chinese.
            mismatch = _("与%(column)s不符") % {"column": "身份证号"}
            row.id_number = identity.number
            row.sex, row.birth_date = identity.sex, identity.birth_date
            if identity.old_number:
                notices.append(row_error(number, "身份证号", _("15位旧号码，按18位 %(number)s 保存") % {
                    "number": mask_id_number(identity.number)}))
            if parsed.get("性别") and parsed["性别"] != identity.sex:
                problems.add(number, "性别", mismatch)
            if parsed.get("出生日期") and parsed["出生日期"] != identity.birth_date:
                problems.add(number, "出生日期", mismatch)
        if row.move_in_date:
            if row.move_in_date > today:
                problems.add(number, "入住日期", _("不能晚于今天"))
            elif row.birth_date and row.move_in_date < row.birth_date:
                # Translators: %(column)s is a column name of the file, kept in Chinese.
                problems.add(number, "入住日期", _("早于%(column)s") % {"column": "出生日期"})
        elif row.registration == Registration.ELSEWHERE and row.living == Living.LIVING and "入住日期" not in bad:
            # Translators: the column and its values as the file must write them (Chinese in any language).
            problems.add(number, "入住日期", _("%(column)s为%(elsewhere)s且%(living)s时必填") % {
                "column": "户籍", "elsewhere": "外地", "living": "在住"})
        rows.append(row)
        if progress and number % 5000 == 0:
            progress(number, 0, _("正在检查"))
    return rows


def _chunks(values: list, size: int = 5000) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


@dataclass
class Existing:
    """What the database already holds that the file's rows touch, loaded in a few queries."""

    groups: dict[str, ResidentGroup]
    households: dict[str, Household]
    residents: dict[str, Resident]  # by ID number, this community
    elsewhere: dict[str, str]  # ID number → community name, for residents of other communities
    members: dict[int, list[tuple[str, str, str]]]  # household id → (id number, relation, name) of all members
    labels: dict[int, dict[str, ResidentLabel]]  # resident id → label → open label


def _load_existing(community: Community, rows: list[Row]) -> Existing:
    ids = [r.id_number for r in rows if r.id_number]
    groups = {g.name: g for g in ResidentGroup.objects.filter(community=community)}
    households = {h.number: h for h in Household.objects.filter(community=community)}
    residents = {r.id_number: r for r in Resident.objects.filter(community=community)}
    elsewhere = {}
    for chunk in _chunks(ids):
        elsewhere.update(Resident.objects.filter(id_number__in=chunk).exclude(community=community)
                         .values_list("id_number", "community__name"))
    members = defaultdict(list)
    for r in residents.values():
        members[r.household_id].append((r.id_number, r.relation, r.name))
    labels = defaultdict(dict)
    for label in ResidentLabel.objects.filter(resident__community=community, ends__isnull=True):
        labels[label.resident_id][label.label] = label
    return Existing(groups, households, residents, elsewhere, members, labels)


def _check_across_rows(rows: list[Row], existing: Existing, problems: Problems) -> None:
    first_seen: dict[str, int] = {}
    for row in rows:
        if not row.id_number:
            continue
        if row.id_number in first_seen:
            problems.add(row.number, "身份证号", _("与第 %(row)s 行重复") % {"row": first_seen[row.id_number]})
        else:
            first_seen[row.id_number] = row.number
        if row.id_number in existing.elsewhere:
            problems.add(row.number, "身份证号", _("已在%(community)s登记，一人只能登记一处") % {
                "community": existing.elsewhere[row.id_number]})

    # Exactly one head per household, counting members already registered that the file leaves alone.
    in_file = set(first_seen)
    by_household: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.household_number and row.relation:
            by_household[row.household_number].append(row)
    for number, members in by_household.items():
        household = existing.households.get(number)
        staying = [m for m in existing.members.get(household.pk, [])
                   if m[0] not in in_file] if household else []
        heads = [r for r in members if r.relation == Relation.HEAD]
        staying_heads = [m for m in staying if m[1] == Relation.HEAD]
        if not heads and not staying_heads:
            problems.add(members[0].number, "与户主关系", _("户 %(household)s 没有户主") % {"household": number})
        for extra in heads[1:]:
            problems.add(extra.number, "与户主关系", _("户 %(household)s 只能有一名户主，已有第 %(row)s 行") % {
                "household": number, "row": heads[0].number})
        if heads and staying_heads:
            problems.add(heads[0].number, "与户主关系", _("户 %(household)s 已有户主 %(head)s（不在本文件中）") % {
                "household": number, "head": staying_heads[0][2]})
    # A head who leaves a household that keeps other members leaves it without a head.
    household_numbers = {h.pk: n for n, h in existing.households.items()}
    for row in rows:
        current = existing.residents.get(row.id_number)
        if not current or current.relation != Relation.HEAD:
            continue
        old_number = household_numbers[current.household_id]
        if old_number == row.household_number or old_number in by_household:
            continue
        left = [m for m in existing.members[current.household_id] if m[0] not in in_file]
        if left:
            problems.add(row.number, "户号", _("户主迁往户 %(new)s 后，户 %(old)s 将没有户主") % {
                "new": row.household_number, "old": old_number})


# --- writing -----------------------------------------------------------------------------------

def _resident_values(row: Row, household_id, group_id, given: set[str], current: Resident | None) -> dict:
    values = {"name": row.name, "sex": row.sex, "birth_date": row.birth_date, "household_id": household_id,
              "relation": row.relation, "group_id": group_id, "registration": row.registration,
              "living": row.living}
    for attr, header in OPTIONAL_FIELDS.items():
        if header in given:
            values[attr] = getattr(row, attr)
        elif current is not None:
            values[attr] = getattr(current, attr)  # a column the file does not have leaves the value alone
    return values


def import_residents(*, path_or_file, community: Community, dry_run: bool = False, user=None,
                     progress: Progress | None = None) -> ImportReport:
    """Validate the whole file; if it is clean and not a dry run, write it in one transaction."""
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(path_or_file)
    except FileUnreadable as exc:
        report.errors, report.error_count = [row_error(1, _("文件"), str(exc))], 1
        return report
    problems = Problems(table.header)
    index = _check_header(table.header, table.header_row, problems)
    if problems:  # with wrong columns, every row would only repeat the same mistake
        report.errors, report.error_count = problems.messages(), problems.count
        return report
    try:
        rows = _parse_rows(table, index, problems, report.notices, progress)
    except FileUnreadable as exc:
        report.errors, report.error_count = [row_error(1, _("文件"), str(exc))], 1
        return report
    report.rows = len(rows)
    if progress:
        progress(0, len(rows), _("正在核对已有数据"))
    existing = _load_existing(community, rows)
    _check_across_rows(rows, existing, problems)
    if problems:
        report.errors, report.error_count = problems.messages(), problems.count
        return report
    try:
        with transaction.atomic():
            _write(rows, set(index), existing, community, report, user=user, progress=progress)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:  # another clerk changed the registry between our check and our write
        # The database's own words name a constraint, never shown to a clerk.
        report.errors = [row_error(1, _("文件"), _("写入时与其他修改冲突，未写入任何数据，请重试"))]
        report.error_count = 1
    return report


def _write(rows: list[Row], given: set[str], existing: Existing, community: Community, report: ImportReport,
           *, user, progress: Progress | None) -> None:
    today = timezone.localdate()
    history = {"default_user": user, "default_change_reason": CHANGE_REASON, "batch_size": BATCH}

    new_groups = [ResidentGroup(community=community, name=name)
                  for name in dict.fromkeys(r.group_name for r in rows) if name not in existing.groups]
    bulk_create_with_history(new_groups, ResidentGroup, **history)
    report.groups_created = len(new_groups)
    groups = existing.groups | {g.name: g for g in new_groups}

    # A household's address is its head's (or, without a head in the file, its first row's).
    address_of: dict[str, str] = {}
    for row in rows:
        if row.relation == Relation.HEAD or row.household_number not in address_of:
            address_of[row.household_number] = row.address
    new_households = [(community.pk, n, a if "地址" in given else "")
                      for n, a in address_of.items() if n not in existing.households]
    household_pks = {n: h.pk for n, h in existing.households.items()}
    household_pks |= insert_with_history(Household, ("community_id", "number", "address"), new_households,
                                         key="number", scope=Household.objects.filter(community=community),
                                         user=user, reason=CHANGE_REASON)
    report.households_created = len(new_households)
    if "地址" in given:
        moved_address = []
        for number, address in address_of.items():
            household = existing.households.get(number)
            if household and household.address != address:
                household.address = address
                moved_address.append(household)
        bulk_update_with_history(moved_address, Household, ["address"], **history)
    if progress:
        progress(0, len(rows), _("正在写入"))

    to_create, to_update, demote_first = [], [], []
    row_of: dict[str, Row] = {}
    for row in rows:
        row_of[row.id_number] = row
        current = existing.residents.get(row.id_number)
        values = _resident_values(row, household_pks[row.household_number], groups[row.group_name].pk,
                                  given, current)
        if current is None:
            values |= {"community_id": community.pk, "id_number": row.id_number, "name_pinyin": pinyin_of(row.name),
                       "version": 1}
            to_create.append(tuple(values.get(c, NEW_DEFAULTS.get(c)) for c in CREATE_COLUMNS))
            continue
        changed = [f for f in RESIDENT_FIELDS if getattr(current, f) != values[f]]
        if not changed:
            continue
        if current.relation == Relation.HEAD and ("relation" in changed or "household_id" in changed):
            demote_first.append(current)
        if "name" in changed:
            current.name_pinyin = pinyin_of(row.name)
        for f in changed:
            setattr(current, f, values[f])
        current.version += 1
        to_update.append(current)

    # The one-head constraint is checked row by row: take the head role away from every changed head
    # first, so a swap of heads (or a head moving into another household) never meets a second head.
    if demote_first:
        Resident.objects.filter(pk__in=[r.pk for r in demote_first]).update(relation=Relation.OTHER)
    fields = [*RESIDENT_FIELDS, "name_pinyin", "version"]
    bulk_update_with_history(to_update, Resident, fields, **history)
    report.updated = len(to_update)
    if progress:
        progress(report.updated, len(rows), _("正在写入"))
    created = insert_with_history(Resident, CREATE_COLUMNS, to_create, key="id_number", scope=Resident.objects.all(),
                                  user=user, reason=CHANGE_REASON)
    report.created = len(to_create)
    report.unchanged = len(rows) - report.created - report.updated
    if progress:
        progress(len(rows), len(rows), _("正在写入"))

    _close_representatives_of_leavers(to_update, today, user)
    if "人群标签" in given:
        resident_pks = {r.id_number: r.pk for r in existing.residents.values()} | created
        _sync_labels(rows, resident_pks, existing, today, report, history)


def _close_representatives_of_leavers(updated: list[Resident], today: datetime.date, user) -> None:
    """Someone who moved away or died is no longer a representative."""
    gone = {r.pk for r in updated if r.living in (Living.MOVED, Living.DECEASED)}
    if not gone:
        return
    terms = list(Representative.objects.filter(resident_id__in=gone, ends__isnull=True))
    for term in terms:
        term.ends = max(today, term.starts)
        term.ended_by = RepresentativeEnd.MOVED
    bulk_update_with_history(terms, Representative, ["ends", "ended_by"], default_user=user,
                             default_change_reason=CHANGE_REASON)


def _sync_labels(rows: list[Row], resident_pks: dict[str, int], existing: Existing, today, report, history) -> None:
    """Open the labels the file names and close (never delete) the open ones it no longer names."""
    to_add, to_close = [], []
    for row in rows:
        pk = resident_pks[row.id_number]
        held = existing.labels.get(pk, {})
        to_add.extend((pk, label, today, None, "") for label in row.labels - held.keys())
        for label, record in held.items():
            if label not in row.labels:
                record.ends = max(today, record.starts) if record.starts else today
                to_close.append(record)
    bulk_update_with_history(to_close, ResidentLabel, ["ends"], **history)
    # Set-based, like the residents: bulk_create_with_history spent more on thousands of labels than the rest.
    insert_with_history(ResidentLabel, ("resident_id", "label", "starts", "ends", "note"), to_add,
                        key=("resident_id", "label", "ends"), scope=ResidentLabel.objects.all(),
                        user=history["default_user"], reason=CHANGE_REASON)
    report.labels_added, report.labels_closed = len(to_add), len(to_close)


# --- export and background job -----------------------------------------------------------------

def export_residents(*, community: Community, file_format: str) -> bytes:
    """The community's residents in the file format (csv: UTF-8 with BOM, so spreadsheet software reads it)."""
    from .resources import ResidentResource

    dataset = ResidentResource(community=community).export()
    if file_format == "xlsx":
        return _workbook(dataset.headers, dataset)
    return ("\ufeff" + dataset.export("csv")).encode("utf-8")


def import_template() -> bytes:
    """The empty residents file offered on the import page: the header row alone, in the columns' order."""
    return _workbook(list(columns()), [])


SHEET_TITLE = "居民花名册"
# Columns whose digits a spreadsheet would turn into a number (an ID number loses its last digits, a phone number
# nothing yet, but a landline its leading 0): formatted as text (@), so that what a clerk types there stays text.
TEXT_COLUMNS = ("身份证号", "联系电话")


def _workbook(header: list[str], rows: Iterable) -> bytes:
    """One sheet named 居民花名册, the TEXT_COLUMNS formatted as text, the cells as the resource rendered them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streamed: a street-size community is 100,000 rows
    sheet = book.create_sheet(SHEET_TITLE)
    text = {i for i, name in enumerate(header) if name in TEXT_COLUMNS}
    for i in text:
        column = sheet.column_dimensions[get_column_letter(i + 1)]
        column.number_format, column.width = "@", 21

    def cell(i, value):
        if i not in text:
            return value or None
        written = WriteOnlyCell(sheet, value=value or None)
        written.number_format = "@"
        return written

    sheet.append(header)
    for row in rows:
        sheet.append([cell(i, value) for i, value in enumerate(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import_job(*, job, path: str, community_id: int, dry_run: bool, user_id: int | None = None,
                   file_name: str = "") -> None:
    """Job function (org.jobs) for the upload page: a dry run for the preview, or the confirmed import."""
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage

    from org import jobs

    user = get_user_model().objects.filter(pk=user_id).first()
    community = Community.objects.get(pk=community_id)
    keep = False  # the uploaded registry is personal data: kept only while a clean preview awaits confirmation
    try:
        with default_storage.open(path, "rb") as handle:
            report = import_residents(path_or_file=handle, community=community, dry_run=dry_run, user=user,
                                      progress=lambda done, total, message: jobs.report(job, done=done, total=total,
                                                                                       message=message))
        if not report.ok:
            jobs.fail(job, message=report.summary(), errors=report.errors)
            return
        jobs.report(job, done=report.rows, total=report.rows, message=report.summary())
        if report.notices:  # a successful job has no errors: its list carries what the preview must tell the clerk
            type(job).objects.filter(pk=job.pk).update(errors=report.notices)
        keep = dry_run
    finally:
        if not keep:
            default_storage.delete(path)
    if keep:
        _queue_purge()


IMPORT_UPLOADS = "residents/imports"
# A clean preview waits this long for its confirmation; then the upload is deleted (purge_import_files).
IMPORT_UPLOAD_LIFETIME = datetime.timedelta(hours=24)


def _queue_purge() -> None:
    """Have the task worker delete this preview's upload when it expires, if nobody confirmed it by then. Where
    tasks run at once and cannot wait (development), the daily `purge_import_files` does it."""
    from django_tasks import default_task_backend

    from .tasks import purge_import_files

    if default_task_backend.supports_defer:
        later = timezone.now() + IMPORT_UPLOAD_LIFETIME + datetime.timedelta(minutes=5)
        purge_import_files.using(run_after=later).enqueue()


def purge_import_uploads(*, older_than: datetime.timedelta) -> int:
    """Delete uploads whose preview was never confirmed (run daily: `purge_import_files`); how many went."""
    from django.core.files.storage import default_storage

    if not default_storage.exists(IMPORT_UPLOADS):
        return 0
    cutoff = timezone.now() - older_than
    _dirs, names = default_storage.listdir(IMPORT_UPLOADS)
    old = [f"{IMPORT_UPLOADS}/{name}" for name in names
           if default_storage.get_modified_time(f"{IMPORT_UPLOADS}/{name}") < cutoff]
    for path in old:
        default_storage.delete(path)
    return len(old)
