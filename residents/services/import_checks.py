"""Checking a residents file: its header, each row's cells, and the rules across rows against the registry."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.masking import mask_id_number
from org.models import Community

from ..models import (
    Household,
    Hukou,
    Living,
    Relation,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from ..resources import REQUIRED, CellError, columns
from .import_files import Table

# Resident fields an import sets; `phone` etc. only when the file has that column.
COLUMN_ATTRS = {
    "姓名": "name", "性别": None, "出生日期": None, "户号": "household_number", "与户主关系": "relation",
    "居民小组": "group_name", "地址": "address", "户籍": "registration", "居住情况": "living",
    "入住日期": "move_in_date", "政治权利": "deprived", "参选意愿": "election_wish", "联系电话": "phone",
    "人群标签": "labels", "身份证号": None, "民族": "ethnicity", "政治面貌": "political", "文化程度": "education",
}

Progress = Callable[[int, int, str], None]

# A file whose every row is wrong says so in its first few hundred errors; the rest are counted, not listed
# (a 200 MB junk file once gave 616,202 errors and a 40 MB preview page).
MAX_ERRORS = 300


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
        elif row.registration == Hukou.ELSEWHERE and row.living == Living.LIVING and "入住日期" not in bad:
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
