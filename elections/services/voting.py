"""Polling day and counting: boxes, issuing ballots, and the three ways ballots are entered.

Per paper (double entry by two clerks, compared paper by paper), machine-read CSV (docs/formats.md,
Machine-read ballots) and hand-counted tally sheets all end in the same Ballot and BallotMark rows, which
the tally counts.
"""

import csv
import datetime
import io
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils.translation import gettext as _

from ..models import (
    Ballot,
    BallotIssue,
    BallotSource,
    BallotStatus,
    Box,
    Election,
    ElectionStatus,
    EntryPaper,
    EntrySession,
    Proxy,
    Sealed,
    TallySheet,
    VoterRollEntry,
)
from .archive import write_ballots

BEFORE_POLLING = (ElectionStatus.PREPARING, ElectionStatus.ROLL_POSTED, ElectionStatus.CANDIDATES_POSTED)


def _refuse_if_certified(election: Election) -> None:
    # The caller's copy may be stale: the status is read again, the database being the judge.
    election.refresh_from_db(fields=["status"])
    if election.status == ElectionStatus.CERTIFIED:
        raise Sealed()


def _require_counting(election: Election) -> None:
    _refuse_if_certified(election)
    if election.status != ElectionStatus.COUNTING:
        raise ValidationError(_("选举处于“%(status)s”阶段，只有计票中才能录入选票") % {
            "status": election.get_status_display()})


@transaction.atomic
def add_box(*, election: Election, code: str, kind: str, name: str, issued: int = 0, route: str = "",
            starts_on: datetime.date | None = None, ends_on: datetime.date | None = None) -> Box:
    """A ballot box of the election: the central venue, a polling station or a mobile box with its route."""
    _refuse_if_certified(election)
    if election.status in (ElectionStatus.CLOSED,):
        raise ValidationError(_("计票已结束，不能再增加票箱"))
    if election.boxes.filter(code=code).exists():
        raise ValidationError(_("票箱编号“%(code)s”已存在") % {"code": code})
    box = Box(election=election, code=code, kind=kind, name=name, issued=issued, route=route,
              starts_on=starts_on, ends_on=ends_on)
    box.full_clean(exclude=["election"])
    box.save()
    return box


@transaction.atomic
def open_polling(*, election: Election) -> Election:
    """Polling day begins: ballots may now be issued."""
    _refuse_if_certified(election)
    if election.status not in BEFORE_POLLING:
        raise ValidationError(_("选举处于“%(status)s”阶段，不能开始投票") % {"status": election.get_status_display()})
    election.status = ElectionStatus.VOTING
    election.save(update_fields=["status"])
    return election


@transaction.atomic
def issue_ballot(*, election: Election, box: Box, voter: VoterRollEntry, holder: VoterRollEntry | None = None,
                 user=None) -> BallotIssue:
    """Hand a ballot to `voter` (or to `holder`, their registered proxy) after checking the voter card.

    One ballot per voter is a database constraint: a second issue fails whoever tries it.
    """
    _refuse_if_certified(election)
    if election.status != ElectionStatus.VOTING:
        raise ValidationError(_("选举处于“%(status)s”阶段，不能发放选票") % {"status": election.get_status_display()})
    if box.election_id != election.pk:
        raise ValidationError(_("票箱不属于本次选举"))
    if voter.election_id != election.pk or not voter.active:
        raise ValidationError(_("选民证 %(serial)s 不在本次选举的选民名单中") % {"serial": voter.serial})
    proxy = None
    if holder is not None:
        proxy = Proxy.objects.filter(election=election, principal=voter, holder=holder).first()
        if proxy is None:
            raise ValidationError(_("%(name)s 没有登记为选民证 %(serial)s 的受托人") % {
                "name": holder.resident.name, "serial": voter.serial})
    try:
        with transaction.atomic():
            issue = BallotIssue.objects.create(election=election, box=box, voter=voter, proxy=proxy, issued_by=user)
    except IntegrityError:
        raise ValidationError(_("选民证 %(serial)s 已经领取过选票") % {"serial": voter.serial}) from None
    Box.objects.filter(pk=box.pk).update(issued=F("issued") + 1)
    return issue


@transaction.atomic
def open_counting(*, election: Election) -> Election:
    """Polls close and the boxes are opened in public: ballots may now be entered."""
    _refuse_if_certified(election)
    if election.status not in (ElectionStatus.VOTING, *BEFORE_POLLING):
        raise ValidationError(_("选举处于“%(status)s”阶段，不能开始计票") % {"status": election.get_status_display()})
    election.status = ElectionStatus.COUNTING
    election.save(update_fields=["status"])
    return election


def _clean_marks(election: Election, marks: dict) -> dict[str, list[str]]:
    """{position code: [names]} with names trimmed, blanks dropped and each name once per position."""
    codes = set(election.positions.values_list("code", flat=True))
    cleaned = {}
    for code, names in (marks or {}).items():
        if code not in codes:
            raise ValidationError(_("职位“%(code)s”不属于本次选举") % {"code": code})
        seen = []
        for name in names:
            name = (name or "").strip()
            if len(name) > 50:
                raise ValidationError(_("姓名“%(name)s…”过长") % {"name": name[:10]})
            if name and name not in seen:
                seen.append(name)
        if seen:
            cleaned[code] = seen
    return cleaned


def _lock_box(box: Box) -> Box:
    """The box row locked for this transaction: entries of one box are serialised, so none is lost or doubled."""
    return Box.objects.select_for_update().select_related("election").get(pk=box.pk)


@transaction.atomic
def record_paper(*, box: Box, pass_number: int, clerk, marks: dict, spoiled: bool = False,
                 serial: int | None = None) -> EntryPaper:
    """Enter one ballot paper in pass 1 or 2 of a box; the next serial is allocated when none is given."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if pass_number not in (1, 2):
        raise ValidationError(_("录入遍次只能是第1遍或第2遍"))
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    if EntryPaper.objects.filter(session__box=box, clerk=clerk).exclude(session__pass_number=pass_number).exists():
        raise ValidationError(_("同一票箱的两遍录入须由不同的录入员完成"))
    session, _created = EntrySession.objects.get_or_create(box=box, pass_number=pass_number)
    if serial is None:
        serial = (session.papers.aggregate(m=Max("serial"))["m"] or 0) + 1
    elif serial < 1:
        raise ValidationError(_("选票序号应为正整数"))
    elif session.papers.filter(serial=serial).exists():
        raise ValidationError(_("第%(pass_number)s遍已录入第 %(serial)s 张选票") % {
            "pass_number": pass_number, "serial": serial})
    return EntryPaper.objects.create(session=session, serial=serial, clerk=clerk, spoiled=spoiled,
                                     marks={} if spoiled else _clean_marks(election, marks))


@transaction.atomic
def correct_paper(*, paper: EntryPaper, clerk, marks: dict, spoiled: bool = False) -> EntryPaper:
    """Re-enter a paper of one pass after looking at the ballot again (only a clerk of that pass may)."""
    box = _lock_box(paper.session.box)
    _require_counting(box.election)
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    other = 3 - paper.session.pass_number
    if EntryPaper.objects.filter(session__box=box, session__pass_number=other, clerk=clerk).exists():
        raise ValidationError(_("录入员不能修改另一遍的录入"))
    paper.spoiled = spoiled
    paper.marks = {} if spoiled else _clean_marks(box.election, marks)
    paper.clerk = clerk
    paper.save()
    return paper


def _as_comparable(paper: EntryPaper | None):
    if paper is None:
        return None
    return (paper.spoiled, tuple(sorted((code, tuple(sorted(names))) for code, names in paper.marks.items())))


def compare_box(*, box: Box) -> dict:
    """The two passes of a box side by side: every serial where they differ, and whether they agree."""
    papers = {1: {}, 2: {}}
    for paper in EntryPaper.objects.filter(session__box=box).select_related("session", "clerk"):
        papers[paper.session.pass_number][paper.serial] = paper
    differences = []
    for serial in sorted(set(papers[1]) | set(papers[2])):
        first, second = papers[1].get(serial), papers[2].get(serial)
        if _as_comparable(first) != _as_comparable(second):
            differences.append({"serial": serial, "first": first, "second": second})
    return {
        "first": len(papers[1]), "second": len(papers[2]), "differences": differences,
        "agree": bool(papers[1]) and not differences,
    }


@transaction.atomic
def commit_box(*, box: Box, user=None) -> int:
    """Both passes agree: the papers become the box's ballots. Returns the number of ballots."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    comparison = compare_box(box=box)
    if not comparison["first"] or not comparison["second"]:
        raise ValidationError(_("每个票箱须由两名录入员各录入一遍"))
    if not comparison["agree"]:
        serials = _("、").join(str(d["serial"]) for d in comparison["differences"][:10])
        raise ValidationError(_("两遍录入不一致（第 %(serials)s 张），请核对选票后修改") % {"serials": serials})
    papers = EntryPaper.objects.filter(session__box=box, session__pass_number=1).order_by("serial")
    ballots = [{"box": box.code, "serial": p.serial, "status": BallotStatus.SPOILED if p.spoiled else "",
                "marks": p.marks} for p in papers]
    return _commit(election=election, box=box, ballots=ballots, source=BallotSource.PAPER)


def _commit(*, election: Election, box: Box | None, ballots: list[dict], source: str) -> int:
    positions = {p.code: p for p in election.positions.all()}
    candidates = {(c.position_id, c.name): c.pk for c in election.candidates.all()}
    boxes = {b.code: b for b in election.boxes.all()}
    count = write_ballots(election=election, ballots=ballots, boxes=boxes, positions=positions,
                          candidates=candidates, source=source)
    codes = {b["box"] for b in ballots} | ({box.code} if box else set())
    Box.objects.filter(election=election, code__in=codes).update(entered=True)
    return count


CSV_HEADERS = ["box", "serial", "position", "marks", "status"]


@transaction.atomic
def import_ballots(*, election: Election, text: str) -> int:
    """Add machine-read ballots (docs/formats.md, Machine-read ballots) to an election that is counting.
    All or nothing."""
    _require_counting(election)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [h for h in CSV_HEADERS if h not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("第 1 行 表头: 缺少列 %(columns)s") % {"columns": ", ".join(missing)})
    boxes = {b.code: b for b in election.boxes.all()}
    positions = {p.code: p for p in election.positions.all()}
    existing = set(Ballot.objects.filter(election=election).values_list("box__code", "serial"))
    papers: dict[tuple[str, int], dict] = {}
    for line, row in enumerate(reader, start=2):
        def bad(field, reason, line=line):
            raise ValidationError(_("第 %(line)s 行 %(field)s: %(reason)s") % {
                "line": line, "field": field, "reason": reason})

        code = (row["box"] or "").strip()
        if code not in boxes:
            bad("box", _("票箱“%(code)s”不属于本次选举") % {"code": code})
        try:
            serial = int((row["serial"] or "").strip())
        except ValueError:
            bad("serial", _("应为正整数"))
        if serial < 1:
            bad("serial", _("应为正整数"))
        if (code, serial) in existing:
            bad("serial", _("票箱 %(box)s 的第 %(serial)s 张选票已经录入") % {"box": code, "serial": serial})
        status = (row["status"] or "").strip()
        if status not in BallotStatus.values:
            bad("status", _("应为空或 spoiled"))
        position = (row["position"] or "").strip()
        if position and position not in positions:
            bad("position", _("职位“%(code)s”不属于本次选举") % {"code": position})
        names = [n.strip() for n in (row["marks"] or "").split(";") if n.strip()]
        if len(set(names)) != len(names):
            bad("marks", _("同一职位的姓名重复"))
        if any(len(n) > 50 for n in names):
            bad("marks", _("姓名不能超过50个字"))
        paper = papers.setdefault((code, serial), {"box": code, "serial": serial, "status": status, "marks": {},
                                                   "line": line})
        if paper["status"] != status:
            bad("status", _("与第 %(line)s 行同一张选票的状态不一致") % {"line": paper["line"]})
        if position:
            if position in paper["marks"]:
                bad("position", _("同一张选票的职位“%(code)s”重复（见第 %(line)s 行）") % {
                    "code": position, "line": paper["line"]})
            if names:
                paper["marks"][position] = names
    if not papers:
        raise ValidationError(_("第 2 行: 文件中没有选票"))
    return _commit(election=election, box=None, ballots=list(papers.values()), source=BallotSource.CSV)


def _spread(counts: dict[str, int], valid: int) -> list[list[str]]:
    """Names on `valid` ballots so each name is on as many ballots as it has votes, never twice on one.

    Wrap-around: name after name fills consecutive slots taken modulo the number of ballots; since no
    count exceeds `valid`, a name never meets itself, and each ballot gets at most ceil(total / valid) names.
    """
    papers: list[list[str]] = [[] for _ in range(valid)]
    slot = 0
    for name, votes in counts.items():
        for _vote in range(votes):
            papers[slot % valid].append(name)
            slot += 1
    return papers


@transaction.atomic
def enter_tally_sheet(*, box: Box, returned: int, valid: int, invalid: int, counts: dict[str, dict[str, int]],
                      user=None) -> TallySheet:
    """Accept a box's hand-counted totals if they reconcile; they become ballots that tally to the same counts."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经录入") % {"box": box.code})
    if min(returned, valid, invalid) < 0:
        raise ValidationError(_("票数不能为负数"))
    if valid + invalid != returned:
        raise ValidationError(
            _("计票单不平衡：有效票 %(valid)s 张 + 无效票 %(invalid)s 张 = %(sum)s 张，"
              "与收回选票 %(returned)s 张不符（相差 %(difference)s 张）") % {
                "valid": valid, "invalid": invalid, "sum": valid + invalid, "returned": returned,
                "difference": returned - valid - invalid})
    if returned > box.issued:
        raise ValidationError(_("收回选票 %(returned)s 张多于票箱 %(box)s 发出的选票 %(issued)s 张") % {
            "returned": returned, "box": box.code, "issued": box.issued})
    positions = {p.code: p for p in election.positions.all()}
    ballots = [{"box": box.code, "serial": n, "status": "", "marks": {}} for n in range(1, valid + 1)]
    ballots += [{"box": box.code, "serial": n, "status": BallotStatus.SPOILED, "marks": {}}
                for n in range(valid + 1, returned + 1)]
    cleaned: dict[str, dict[str, int]] = {}
    for code, per_name in (counts or {}).items():
        if code not in positions:
            raise ValidationError(_("职位“%(code)s”不属于本次选举") % {"code": code})
        per_name = {name.strip(): int(votes) for name, votes in per_name.items() if name.strip() and int(votes)}
        for name, votes in per_name.items():
            if votes < 0 or votes > valid:
                raise ValidationError(_("%(position)s %(name)s 得票 %(votes)s 张，不能多于有效票 %(valid)s 张") % {
                    "position": positions[code].title, "name": name, "votes": votes, "valid": valid})
        total, limit = sum(per_name.values()), positions[code].seats * valid
        if total > limit:
            raise ValidationError(_("%(position)s得票合计 %(total)s 张，多于有效票 %(valid)s 张 × 应选 "
                                    "%(seats)s 人 = %(limit)s") % {
                "position": positions[code].title, "total": total, "valid": valid, "seats": positions[code].seats,
                "limit": limit})
        cleaned[code] = per_name
        for ballot, names in zip(ballots, _spread(per_name, valid), strict=False):
            if names:
                ballot["marks"][code] = names
    sheet = TallySheet.objects.create(box=box, returned=returned, valid=valid, invalid=invalid, counts=cleaned,
                                      entered_by=user)
    _commit(election=election, box=box, ballots=ballots, source=BallotSource.SHEET)
    return sheet


def box_summary(*, election: Election) -> list[dict]:
    """Per box: issued, returned, entry state; a box that returned more than it was given is flagged."""
    returned = dict(Ballot.objects.filter(election=election).values_list("box_id").annotate(n=Count("id"))
                    .order_by())
    passes = defaultdict(dict)
    for box_id, pass_number, n in (EntryPaper.objects.filter(session__box__election=election)
                                   .values_list("session__box_id", "session__pass_number")
                                   .annotate(n=Count("id")).order_by()):
        passes[box_id][pass_number] = n
    rows = []
    for box in election.boxes.order_by("id"):
        got = returned.get(box.pk, 0)
        rows.append({"box": box, "returned": got, "over": got > box.issued,
                     "first": passes[box.pk].get(1, 0), "second": passes[box.pk].get(2, 0)})
    return rows
