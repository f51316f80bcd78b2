"""The street's election report (换届选举情况统计, docs/domain.md, Street statistics): per community and in total,
from certified results only. A fixed number of queries whatever the number of communities.

For each community the report takes its latest certified main election of the year (or of any year) and the
certified further rounds and tie votes that followed it. The elected are the names the certified results declare;
what is known of each (sex, age, party, education, ethnicity) comes from the candidate record and the resident
it is linked to. 交叉任职 and 一肩挑 come from the committee roster of the term the election handed over to.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from committee.models import CommitteeMember, CommitteePost, PartyPost
from lib.charts import Bar, bar_chart, stacked_chart
from org.models import Community, StreetOffice
from org.street import Section
from residents.models import Education, Ethnicity, Political
from residents.statistics import adults_by_community

from .models import Candidate, Certification, ElectionKind, Mode

# 直接选举率应达到85%以上 (docs/domain.md, Street statistics).
DIRECT_TARGET = 0.85
YOUNG_AGE, OLD_AGE = 35, 60  # 35岁以下 and 60岁以上 include 35 and 60 (以上、以下 include the number itself)
PARTY = (Political.CPC, Political.CPC_PROBATIONARY)
COLLEGE = (Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE)  # 大专以上


@dataclass(frozen=True)
class Person:
    """One elected person as far as the records know them (None: not recorded)."""

    name: str
    sex: str = ""  # "M", "F" or "" when not recorded
    age: int | None = None  # on the election day
    party: bool | None = None
    college: bool | None = None
    minority: bool | None = None


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass
class Figures:
    """One row of the report (a community, or the total of the street)."""

    name: str
    certified: int = 0  # communities with a certified result (1 or 0 for a community's row)
    direct: int = 0  # of which by direct election
    mode: str = ""
    election_day: datetime.date | None = None
    valid: bool = True
    adults: int = 0
    registered: int = 0
    issued: int = 0
    returned: int = 0
    seats: int = 0
    elected: list[Person] = field(default_factory=list)
    further_rounds: int = 0
    tie_votes: int = 0
    cross: int | None = None  # 交叉任职: members of the new term who also hold a party post (None: no roster yet)
    one_shoulder: int | None = None  # 一肩挑: the director is the party secretary
    term_members: int = 0

    # Rates as fractions (None when the base is zero).
    @staticmethod
    def _share(part, whole) -> float | None:
        return part / whole if whole else None

    @property
    def registration_rate(self):
        return self._share(self.registered, self.adults)

    @property
    def turnout(self):
        return self._share(self.returned, self.registered)

    @property
    def direct_share(self):
        return self._share(self.direct, self.certified)

    @property
    def elected_count(self) -> int:
        return len(self.elected)

    @property
    def unfilled(self) -> int:
        return max(0, self.seats - self.elected_count)

    def _count(self, test) -> int:
        return sum(1 for p in self.elected if test(p))

    @property
    def women(self) -> int:
        return self._count(lambda p: p.sex == "F")

    @property
    def men(self) -> int:
        return self._count(lambda p: p.sex == "M")

    @property
    def party(self) -> int:
        return self._count(lambda p: p.party)

    @property
    def college(self) -> int:
        return self._count(lambda p: p.college)

    @property
    def minority(self) -> int:
        return self._count(lambda p: p.minority)

    @property
    def young(self) -> int:
        return self._count(lambda p: p.age is not None and p.age <= YOUNG_AGE)

    @property
    def old(self) -> int:
        return self._count(lambda p: p.age is not None and p.age >= OLD_AGE)

    @property
    def middle(self) -> int:
        return self._count(lambda p: p.age is not None and YOUNG_AGE < p.age < OLD_AGE)

    @property
    def age_unknown(self) -> int:
        return self._count(lambda p: p.age is None)

    @property
    def unrecorded(self) -> int:
        """Elected people without a linked resident: their party, education and ethnicity are not known."""
        return self._count(lambda p: p.party is None)

    @property
    def average_age(self) -> float | None:
        ages = [p.age for p in self.elected if p.age is not None]
        return sum(ages) / len(ages) if ages else None

    @property
    def women_share(self):
        return self._share(self.women, self.elected_count)

    @property
    def party_share(self):
        return self._share(self.party, self.elected_count)

    @property
    def college_share(self):
        return self._share(self.college, self.elected_count)

    @property
    def cross_rate(self):
        return self._share(self.cross, self.term_members) if self.cross is not None else None


@dataclass
class Report:
    street: StreetOffice
    year: int | None
    years: list[int]
    rows: list[Figures]  # communities with a certified result
    missing: list[Community]  # communities without one
    total: Figures
    charts: dict = field(default_factory=dict)

    @property
    def communities(self) -> int:
        return len(self.rows) + len(self.missing)


def report_years(*, street: StreetOffice) -> list[int]:
    """Years with at least one certified main election in the street, latest first."""
    return list(Certification.objects.filter(
        election__community__street=street, election__kind=ElectionKind.MAIN, certified_at__isnull=False)
        .annotate(year=ExtractYear("election__election_day")).values_list("year", flat=True)
        .distinct().order_by("-year"))


def election_report(*, street: StreetOffice, year: int | None = None, communities=None) -> Report:
    """The report of `year` (None: the latest certified election of each community, whatever its year), over the
    street's communities (or the given ones of it)."""
    communities = list(communities if communities is not None
                       else Community.objects.filter(street=street).order_by("code"))
    ids = [c.pk for c in communities]
    mains = Certification.objects.filter(
        election__community_id__in=ids, election__kind=ElectionKind.MAIN, certified_at__isnull=False).select_related(
        "election").order_by("election__election_day", "election__id")
    if year is not None:
        mains = mains.filter(election__election_day__year=year)
    latest = {c.election.community_id: c for c in mains}  # the last one of each community wins
    followups = defaultdict(list)
    for certification in Certification.objects.filter(
            election__parent_id__in=[c.election_id for c in latest.values()],
            election__kind__in=[ElectionKind.FURTHER, ElectionKind.TIE],  # a by-election fills a later vacancy
            certified_at__isnull=False).select_related("election").order_by("election__election_day", "election__id"):
        followups[certification.election.parent_id].append(certification)
    election_ids = [c.election_id for c in latest.values()] + [
        f.election_id for group in followups.values() for f in group]
    candidates = {(c.election_id, c.position.code, c.name): c for c in Candidate.objects.filter(
        election_id__in=election_ids).select_related("position", "resident")}
    members = defaultdict(list)
    for member in CommitteeMember.objects.filter(term_id__in=[c.term_id for c in latest.values() if c.term_id]):
        members[member.term_id].append(member)
    adults = adults_by_community(days={pk: c.election.election_day for pk, c in latest.items()})

    rows, missing = [], []
    for community in communities:
        certification = latest.get(community.pk)
        if certification is None:
            missing.append(community)
            continue
        rows.append(_row(community, certification, followups[certification.election_id], candidates,
                         members.get(certification.term_id), adults[community.pk]))
    total = _total(rows)
    return Report(street=street, year=year, years=report_years(street=street), rows=rows, missing=missing,
                  total=total, charts=_charts(rows, total))


def _person(name: str, candidate: Candidate | None, day: datetime.date) -> Person:
    if candidate is None:  # a write-in (另选他人): only the name is on record
        return Person(name=name)
    resident = candidate.resident
    if resident is None:
        return Person(name=name, sex=candidate.gender)
    return Person(name=name, sex=candidate.gender or resident.sex, age=_age(resident.birth_date, day),
                  party=resident.political in PARTY if resident.political else None,
                  college=resident.education in COLLEGE if resident.education else None,
                  minority=resident.ethnicity != Ethnicity.HAN if resident.ethnicity else None)


def _row(community, certification, followups, candidates, members, adults) -> Figures:
    election, result = certification.election, certification.result
    row = Figures(name=community.name, certified=1, direct=int(election.mode == Mode.DIRECT),
                  mode=str(Mode(election.mode).label), election_day=election.election_day, valid=result["valid"],
                  adults=adults, registered=result["registered_voters"], issued=result["ballots_issued"],
                  returned=result["ballots_returned"], seats=sum(p["seats"] for p in result["positions"]))
    seen = set()
    for part in [certification, *followups]:
        for position in part.result["positions"]:
            for name in position["elected"]:
                if (position["code"], name) in seen:
                    continue
                seen.add((position["code"], name))
                candidate = candidates.get((part.election_id, position["code"], name))
                row.elected.append(_person(name, candidate, part.election.election_day))
    row.further_rounds = sum(1 for f in followups if f.election.kind == ElectionKind.FURTHER)
    row.tie_votes = sum(1 for f in followups if f.election.kind == ElectionKind.TIE)
    if members is not None:
        row.term_members = len(members)
        row.cross = sum(1 for m in members if m.party_post)
        row.one_shoulder = sum(1 for m in members
                               if m.position == CommitteePost.DIRECTOR and m.party_post == PartyPost.SECRETARY)
    return row


def _total(rows: list[Figures]) -> Figures:
    total = Figures(name=_("合计"))
    for row in rows:
        for name in ("certified", "direct", "adults", "registered", "issued", "returned", "seats", "further_rounds",
                     "tie_votes"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.elected.extend(row.elected)
        if row.cross is not None:
            total.cross = (total.cross or 0) + row.cross
            total.one_shoulder = (total.one_shoulder or 0) + row.one_shoulder
            total.term_members += row.term_members
    total.valid = all(row.valid for row in rows)
    return total


def percent(share: float | None, places: int = 0) -> str:
    """A share as the report prints it: 72%, or — without a base."""
    return "—" if share is None else f"{share * 100:.{places}f}%"


def _charts(rows: list[Figures], total: Figures) -> dict:
    if not rows:
        return {}
    return {
        "turnout": bar_chart([Bar(label=r.name, value=(r.turnout or 0) * 100, text=percent(r.turnout, 1))
                              for r in rows], title=_("各社区投票率")),
        "direct": bar_chart(
            [Bar(label=r.name, value=100 * r.direct, text=r.mode) for r in rows]
            + [Bar(label=_("全街道"), value=(total.direct_share or 0) * 100, text=percent(total.direct_share),
                   late=(total.direct_share or 0) < DIRECT_TARGET)],
            title=_("直接选举比例"), target=DIRECT_TARGET * 100,
            target_label=_("目标 %(target)s") % {"target": percent(DIRECT_TARGET)}),
        "women": stacked_chart([(r.name, [r.women, r.men, r.elected_count - r.women - r.men]) for r in rows],
                               parts=[_("女"), _("男"), _("未登记")], title=_("当选成员性别")),
        "age": stacked_chart([(r.name, [r.young, r.middle, r.old, r.age_unknown]) for r in rows],
                             parts=[_("35岁以下"), _("36至59岁"), _("60岁以上"), _("年龄未知")],
                             title=_("当选成员年龄")),
    }


def street_section(*, communities, year: int, today: datetime.date) -> Section | None:
    """Street page provider (org/street.py): the summary of the latest certified elections."""
    communities = list(communities)
    if not communities:
        return None
    report = election_report(street=communities[0].street, communities=communities)
    return Section(title=_("换届选举"), template="elections/_street_summary.html",
                   context={"report": report, "table": report_table(report)}, order=10)



def _columns() -> list[tuple[str, str, object]]:
    """(group, header, value of a Figures row) of the report table, in the order of the page, the PDF and the XLSX."""
    def avg(r):
        return "—" if r.average_age is None else f"{r.average_age:.1f}"

    def of(n, share):
        return f"{n}（{percent(share)}）"

    return [
        (_("选民登记"), _("18岁以上居民"), lambda r: r.adults),
        (_("选民登记"), _("登记选民"), lambda r: r.registered),
        (_("选民登记"), _("登记率"), lambda r: percent(r.registration_rate, 1)),
        (_("投票"), _("发出选票"), lambda r: r.issued),
        (_("投票"), _("参加投票"), lambda r: r.returned),
        (_("投票"), _("投票率"), lambda r: percent(r.turnout, 1)),
        (_("投票"), _("直选比例"), lambda r: percent(r.direct_share)),
        (_("当选"), _("应选"), lambda r: r.seats),
        (_("当选"), _("当选"), lambda r: r.elected_count),
        (_("当选"), _("女性"), lambda r: of(r.women, r.women_share)),
        (_("当选"), _("中共党员"), lambda r: of(r.party, r.party_share)),
        (_("当选"), _("平均年龄"), avg),
        (_("当选"), _("35岁以下"), lambda r: r.young),
        (_("当选"), _("60岁以上"), lambda r: r.old),
        (_("当选"), _("大专以上"), lambda r: of(r.college, r.college_share)),
        (_("当选"), _("少数民族"), lambda r: r.minority),
        (_("两委"), _("交叉任职"), lambda r: "—" if r.cross is None else of(r.cross, r.cross_rate)),
        (_("两委"), _("一肩挑"), lambda r: "—" if r.one_shoulder is None else r.one_shoulder),
        (_("其他"), _("另行选举"), lambda r: r.further_rounds),
        (_("其他"), _("未选出"), lambda r: r.unfilled),
    ]


def report_table(report: Report) -> dict:
    """The report as a table: two header rows (groups spanning their columns) and the body rows as text or
    numbers, the total last; what the page, the PDF and the XLSX all show."""
    columns = _columns()
    groups = []
    for group, _header, _value in columns:
        if groups and groups[-1][0] == group:
            groups[-1][1] += 1
        else:
            groups.append([group, 1])
    body = [[row.name, row.mode, *[value(row) for _g, _h, value in columns]] for row in report.rows]
    total = [report.total.name, "", *[value(report.total) for _g, _h, value in columns]] if report.rows else []
    return {"groups": groups, "headers": [h for _g, h, _v in columns], "rows": body, "total": total}


def report_workbook(report: Report) -> bytes:
    """The report as an XLSX in the shape of a report table: title, two header rows, a row per community, the
    total, and the communities without a certified result underneath."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from lib.spreadsheet import escape_formula

    table = report_table(report)
    book = Workbook()
    sheet = book.active
    sheet.title = _("换届选举统计")
    width = 2 + len(table["headers"])
    sheet.cell(row=1, column=1, value=report_title(report)).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    for column, header in ((1, _("社区")), (2, _("选举方式"))):
        sheet.cell(row=2, column=column, value=header)
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    column = 3
    for group, span in table["groups"]:
        sheet.cell(row=2, column=column, value=group).alignment = Alignment(horizontal="center")
        if span > 1:
            sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + span - 1)
        column += span
    for i, header in enumerate(table["headers"], start=3):
        sheet.cell(row=3, column=i, value=header)
    for cells in (sheet[2], sheet[3]):
        for cell in cells:
            cell.font = Font(bold=True)
    at = 4
    for values in [*table["rows"], *([table["total"]] if table["total"] else [])]:
        for i, value in enumerate(values, start=1):
            sheet.cell(row=at, column=i, value=escape_formula(value) if isinstance(value, str) else value)
        at += 1
    if report.missing:
        names = "、".join(c.name for c in report.missing)
        sheet.cell(row=at + 1, column=1, value=escape_formula(_("尚无已确认结果的社区：%(names)s") % {"names": names}))
    sheet.column_dimensions["A"].width = 14
    for i in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 11
    sheet.freeze_panes = "B4"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def report_title(report: Report) -> str:
    if report.year:
        return _("%(street)s%(year)s年社区居民委员会换届选举情况统计表") % {"street": report.street.name,
                                                                     "year": report.year}
    return _("%(street)s社区居民委员会换届选举情况统计表") % {"street": report.street.name}
