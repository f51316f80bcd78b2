"""Polling day and counting: boxes, issuing ballots, and the three ways ballots are entered.

Per paper (double entry by two clerks, compared paper by paper), machine-read CSV (docs/formats.md,
Machine-read ballots) and hand-counted tally sheets all end in the same Ballot and BallotMark rows, which
the tally counts.
"""

import csv
import datetime
import io
from collections import Counter, defaultdict

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Ballot,
    BallotIssue,
    BallotSource,
    BallotStatus,
    Box,
    BoxKind,
    Candidate,
    CandidateStatus,
    CountingRole,
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
from .setup import BEFORE_VOTING, box_staff_problems, cn_day, today, warn
from .tally import registered_voters, votes_by_position


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


def ballots_allowed(election: Election) -> int:
    """Ballots that may be issued in all: the registered voters and the spare ballots decided on."""
    return registered_voters(election) + (election.spare_ballots or 0)


def ballots_issued(election: Election, *, exclude: Box | None = None) -> int:
    boxes = election.boxes.filter(withdrawn_reason="")
    if exclude is not None:
        boxes = boxes.exclude(pk=exclude.pk)
    return boxes.aggregate(n=Sum("issued"))["n"] or 0


def _refuse_over_issue(election: Election, adding: int, *, exclude: Box | None = None) -> None:
    issued, allowed = ballots_issued(election, exclude=exclude) + adding, ballots_allowed(election)
    if issued > allowed:
        raise ValidationError(_(
            "发出选票将达 %(issued)s 张，多于登记选民 %(voters)s 人加备用选票 %(spare)s 张 = %(allowed)s 张；"
            "如需更多备用选票，须由选举委员会决定并登记。") % {
            "issued": issued, "voters": registered_voters(election), "spare": election.spare_ballots or 0,
            "allowed": allowed})


@transaction.atomic
def set_spare_ballots(*, election: Election, spare: int, note: str, user=None) -> Election:
    """The spare ballots (备用选票) the election committee decided on, with its decision; before voting."""
    _refuse_if_certified(election)
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("投票开始后不能再更改备用选票数"))
    if spare < 0:
        raise ValidationError(_("备用选票数不能为负数"))
    if not (note or "").strip():
        raise ValidationError(_("请写明选举委员会的决定（日期、会议）"))
    election.spare_ballots, election.spare_note = spare, note.strip()
    election.save(update_fields=["spare_ballots", "spare_note"])
    _refuse_over_issue(election, 0)
    return election


def _check_route(election: Election, kind: str, starts_on, ends_on) -> None:
    for day in (starts_on, ends_on):
        if day is not None and day > election.election_day:
            raise ValidationError(_("票箱的投票日期%(day)s晚于选举日%(election_day)s") % {
                "day": cn_day(day), "election_day": cn_day(election.election_day)})
        if day is not None and day < today():
            raise ValidationError(_("票箱的投票日期%(day)s已经过去") % {"day": cn_day(day)})
    if kind != BoxKind.MOBILE and (starts_on or ends_on):
        raise ValidationError(_("只有流动票箱在选举日前按路线投票；会场和投票站只在选举日投票"))


def _check_share(box: Box) -> None:
    if box.voters and box.issued > box.voters and not box.over_reason.strip():
        raise ValidationError(_("票箱 %(box)s 发出选票 %(issued)s 张，多于本箱选民 %(voters)s 人：请写明超发说明") % {
            "box": box.code, "issued": box.issued, "voters": box.voters})


@transaction.atomic
def add_box(*, election: Election, code: str, kind: str, name: str, issued: int = 0, route: str = "",
            starts_on: datetime.date | None = None, ends_on: datetime.date | None = None, voters: int = 0,
            over_reason: str = "") -> Box:
    """A ballot box of the election, set up before voting: the central venue, a polling station or a mobile
    box with its route days. Its ballots count against the registered voters plus the spare ballots."""
    _refuse_if_certified(election)
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("投票开始后不能再增加票箱"))
    if election.boxes.filter(code=code).exists():
        raise ValidationError(_("票箱编号“%(code)s”已存在") % {"code": code})
    if kind == BoxKind.MOBILE and starts_on is None:
        starts_on = ends_on = election.election_day  # a mobile box without a route day goes round on the day
    if starts_on is not None and ends_on is None:
        ends_on = starts_on
    _check_route(election, kind, starts_on, ends_on)
    box = Box(election=election, code=code, kind=kind, name=name, issued=issued, route=route,
              starts_on=starts_on, ends_on=ends_on, voters=voters or 0, over_reason=(over_reason or "").strip())
    box.full_clean(exclude=["election"])
    _check_share(box)
    _refuse_over_issue(election, issued)
    box.save()
    return box


@transaction.atomic
def withdraw_box(*, box: Box, reason: str, user=None) -> Box:
    """A box set up by mistake is withdrawn before voting, with its reason on the record (never emptied by an
    all-zero tally sheet); its ballots go back to the stock."""
    box = _lock_box(box)
    election = box.election
    _refuse_if_certified(election)
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("投票开始后票箱不能撤销"))
    if box.withdrawn_reason:
        raise ValidationError(_("票箱 %(box)s 已经撤销") % {"box": box.code})
    if not (reason or "").strip():
        raise ValidationError(_("请写明撤销理由"))
    warn(election=election, stage="boxes", user=user, text=_("票箱%(box)s（发出选票%(issued)s张）撤销：%(reason)s") % {
        "box": box.code, "issued": box.issued, "reason": reason.strip()})
    box.withdrawn_reason, box.issued = reason.strip(), 0
    box.save(update_fields=["withdrawn_reason", "issued"])
    return box


def voting_days(election: Election) -> tuple[datetime.date, datetime.date]:
    """The first and last day ballots may be issued: the mobile boxes' route days and election day."""
    first = election.boxes.filter(kind=BoxKind.MOBILE, withdrawn_reason="", starts_on__isnull=False).order_by(
        "starts_on").values_list("starts_on", flat=True).first()
    return min(first or election.election_day, election.election_day), election.election_day


@transaction.atomic
def open_polling(*, election: Election) -> Election:
    """Polling begins: only after the roll and the formal candidates are posted, on a voting day, with the
    scrutineers and counters appointed and every mobile box staffed as the rules ask."""
    _refuse_if_certified(election)
    if election.status != ElectionStatus.CANDIDATES_POSTED:
        raise ValidationError(_("选举处于“%(status)s”阶段：须先公布选民名单和正式候选人名单，才能开始投票") % {
            "status": election.get_status_display()})
    first, last = voting_days(election)
    on = today()
    if on < first:
        raise ValidationError(_("今天（%(on)s）不是投票日：投票从%(first)s开始（选举日%(day)s）") % {
            "on": cn_day(on), "first": cn_day(first), "day": cn_day(election.election_day)})
    if on > last:
        raise ValidationError(_("选举日%(day)s已过，不能再开始投票") % {"day": cn_day(last)})
    workers = election.workers.all()
    if not workers.filter(is_chief=True).exists() or not workers.filter(role=CountingRole.COUNTER).exists():
        raise ValidationError(_("投票开始前须任命总监票人和计票人"))
    problems = box_staff_problems(election)
    if problems:
        raise ValidationError(problems)
    if election.boxes.filter(kind=BoxKind.MOBILE, withdrawn_reason="").exists() and not election.mobile_list_on:
        raise ValidationError(_("使用流动票箱的，须先公布参加流动票箱投票的选民名单"))
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
    if box.withdrawn_reason:
        raise ValidationError(_("票箱 %(box)s 已经撤销") % {"box": box.code})
    on = today()
    if box.kind == BoxKind.MOBILE and box.starts_on and box.ends_on:
        if not (box.starts_on <= on <= box.ends_on or on == election.election_day):
            raise ValidationError(_("流动票箱 %(box)s 的投票日期是%(starts)s至%(ends)s，今天不能发放选票") % {
                "box": box.code, "starts": cn_day(box.starts_on), "ends": cn_day(box.ends_on)})
    elif on != election.election_day:
        raise ValidationError(_("%(box)s只在选举日（%(day)s）发放选票") % {
            "box": box.name, "day": cn_day(election.election_day)})
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
    _refuse_over_issue(election, 1)
    Box.objects.filter(pk=box.pk).update(issued=F("issued") + 1)
    return issue


@transaction.atomic
def record_destroyed(*, election: Election, destroyed: int, user=None) -> Election:
    """The unused ballots, counted and destroyed (作废销毁) after polling and before the boxes are opened:
    they must be exactly the allowed ballots less those issued."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    _refuse_if_certified(election)
    if election.status != ElectionStatus.VOTING:
        raise ValidationError(_("剩余选票在投票结束后、开箱计票前清点销毁"))
    unused = ballots_allowed(election) - ballots_issued(election)
    if destroyed != unused:
        raise ValidationError(_(
            "销毁 %(destroyed)s 张与账面不符：登记选民 %(voters)s 人 + 备用 %(spare)s 张 − 已发出 %(issued)s 张 = "
            "剩余 %(unused)s 张。请重新清点。") % {
            "destroyed": destroyed, "voters": registered_voters(election), "spare": election.spare_ballots or 0,
            "issued": ballots_issued(election), "unused": unused})
    election.ballots_destroyed, election.destroyed_on = destroyed, today()
    election.save(update_fields=["ballots_destroyed", "destroyed_on"])
    return election


@transaction.atomic
def open_counting(*, election: Election) -> Election:
    """Polls close and the boxes are opened in public, on election day or after, once the unused ballots
    were destroyed: ballots may now be entered."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    _refuse_if_certified(election)
    if election.status != ElectionStatus.VOTING:
        raise ValidationError(_("选举处于“%(status)s”阶段，不能开始计票") % {"status": election.get_status_display()})
    if today() < election.election_day:
        raise ValidationError(_("开箱计票在选举日（%(day)s）投票结束后进行") % {"day": cn_day(election.election_day)})
    if election.ballots_destroyed is None:
        raise ValidationError(_("开箱计票前须清点并登记作废销毁的剩余选票"))
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


def _claim_route(box: Box, route: str) -> None:
    """A box's ballots come in by one route only: the first entry fixes it, a committed box refuses all."""
    if box.withdrawn_reason:
        raise ValidationError(_("票箱 %(box)s 已经撤销") % {"box": box.code})
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    if box.route_of_entry and box.route_of_entry != route:
        raise ValidationError(_("票箱 %(box)s 已按“%(used)s”录入，不能再改用“%(route)s”") % {
            "box": box.code, "used": BallotSource(box.route_of_entry).label, "route": BallotSource(route).label})
    if not box.route_of_entry:
        box.route_of_entry = route
        box.save(update_fields=["route_of_entry"])


def entered_other_pass(*, box: Box, pass_number: int, clerk) -> bool:
    """Whether `clerk` typed papers of the box's other pass. Looked up by that pass's session, not by the clerk:
    a clerk of a whole street's count has entered tens of thousands of papers (bench/ballot_entry.py)."""
    other = EntrySession.objects.filter(box=box, pass_number=3 - pass_number).values_list("pk", flat=True).first()
    return other is not None and EntryPaper.objects.filter(session_id=other, clerk=clerk).exists()


@transaction.atomic
def record_paper(*, box: Box, pass_number: int, clerk, marks: dict, spoiled: bool = False,
                 serial: int | None = None) -> EntryPaper:
    """Enter one ballot paper in pass 1 or 2 of a box; the next serial is allocated when none is given."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if pass_number not in (1, 2):
        raise ValidationError(_("录入遍次只能是第1遍或第2遍"))
    _claim_route(box, BallotSource.PAPER)
    if entered_other_pass(box=box, pass_number=pass_number, clerk=clerk):
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


def candidate_numbers(election: Election) -> dict[str, list[str]]:
    """{position code: formal candidates' names in ballot order}: a candidate's number (docs/domain.md,
    Elections: numeric entry) is its place in the list, from 1, as printed on the ballot."""
    numbers: dict[str, list[str]] = {code: [] for code in
                                     election.positions.order_by("order", "id").values_list("code", flat=True)}
    for code, name in (Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL)
                       .order_by("ballot_order", "id").values_list("position__code", "name")):
        numbers[code].append(name)
    return numbers


SPOILED_KEY = "*"
BLANK_KEY = "0"
WRITE_IN_KEY = "+"


def _digits_per_number(names: list[str]) -> int:
    # Up to nine candidates a digit each; a post with ten or more is typed two digits a candidate (01, 12).
    return 1 if len(names) <= 9 else 2


def parse_keys(*, numbers: dict[str, list[str]], titles: dict[str, str], keys: str) -> tuple[dict, bool]:
    """A paper typed as keys (docs/domain.md, Elections: numeric entry) as ({position code: [names]}, spoiled).

    One group per post in ballot order, separated by spaces; a group is the candidates' numbers, `0` for a
    blank post, `+name` for a write-in; fewer groups leave the remaining posts blank; `*` alone is a spoiled
    paper. Over-marked posts are kept as typed: the tally voids them.
    """
    keys = (keys or "").replace("\u3000", " ").replace("＋", WRITE_IN_KEY).strip()
    if keys == SPOILED_KEY:
        return {}, True
    groups, codes = keys.split(), list(numbers)
    if len(groups) > len(codes):
        raise ValidationError(_("输入了 %(typed)s 组，本选票只有 %(posts)s 个职位") % {
            "typed": len(groups), "posts": len(codes)})
    marks: dict[str, list[str]] = {}
    for code, group in zip(codes, groups, strict=False):
        digits, *write_ins = group.split(WRITE_IN_KEY)
        names, width = numbers[code], _digits_per_number(numbers[code])
        if digits == BLANK_KEY and not write_ins:
            continue
        if not digits.isdigit() and digits:
            raise ValidationError(_("%(position)s：“%(group)s”应为候选人编号，另选他人以“+”开头") % {
                "position": titles[code], "group": group})
        if len(digits) % width:
            raise ValidationError(_("%(position)s：候选人编号为两位数，“%(digits)s”位数不对") % {
                "position": titles[code], "digits": digits})
        chosen = []
        for at in range(0, len(digits), width):
            number = int(digits[at:at + width])
            if not 1 <= number <= len(names):
                raise ValidationError(_("%(position)s没有 %(number)s 号候选人（共 %(count)s 名）") % {
                    "position": titles[code], "number": number, "count": len(names)})
            chosen.append(names[number - 1])
        chosen += [name.strip() for name in write_ins if name.strip()]
        if chosen:
            marks[code] = chosen
    return marks, False


@transaction.atomic
def record_keys(*, box: Box, pass_number: int, clerk, keys: str, serial: int | None = None) -> EntryPaper:
    """Enter one paper typed as keys (see parse_keys), through record_paper and all its guards."""
    election = box.election
    marks, spoiled = parse_keys(numbers=candidate_numbers(election), keys=keys, titles=dict(
        election.positions.values_list("code", "title")))
    return record_paper(box=box, pass_number=pass_number, clerk=clerk, marks=marks, spoiled=spoiled, serial=serial)


@transaction.atomic
def correct_paper(*, paper: EntryPaper, clerk, marks: dict, spoiled: bool = False) -> EntryPaper:
    """Re-enter a paper of one pass after looking at the ballot again (only a clerk of that pass may)."""
    box = _lock_box(paper.session.box)
    _require_counting(box.election)
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    if entered_other_pass(box=box, pass_number=paper.session.pass_number, clerk=clerk):
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
    # newline="" keeps a carriage return inside a field a field's content, as the csv module wants it.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
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
        box = boxes[code]
        if box.entered or box.withdrawn_reason or box.route_of_entry not in ("", BallotSource.CSV):
            bad("box", _("票箱 %(box)s 已经录入、已撤销或正在以其他方式录入，不能再导入机读选票") % {"box": code})
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
    for code in {p["box"] for p in papers.values()}:
        _claim_route(_lock_box(boxes[code]), BallotSource.CSV)
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
    """Take a box's hand-counted totals if they reconcile; a second clerk confirms them against the paper
    (confirm_tally_sheet), and only then do they become ballots that tally to the same counts."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if TallySheet.objects.filter(box=box).exists():
        raise ValidationError(_("票箱 %(box)s 的计票单已经录入，等待第二名录入员核对") % {"box": box.code})
    _claim_route(box, BallotSource.SHEET)
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
    if returned == 0 and box.issued:
        raise ValidationError(_("票箱 %(box)s 发出选票 %(issued)s 张，计票单却一张未收回：请核对票箱；"
                                "设错的票箱应在投票前撤销，不能以空白计票单清空") % {
                                    "box": box.code, "issued": box.issued})
    positions = {p.code: p for p in election.positions.all()}
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
    return TallySheet.objects.create(box=box, returned=returned, valid=valid, invalid=invalid, counts=cleaned,
                                     entered_by=user)


def _sheet_ballots(sheet: TallySheet) -> list[dict]:
    box = sheet.box
    ballots = [{"box": box.code, "serial": n, "status": "", "marks": {}} for n in range(1, sheet.valid + 1)]
    ballots += [{"box": box.code, "serial": n, "status": BallotStatus.SPOILED, "marks": {}}
                for n in range(sheet.valid + 1, sheet.returned + 1)]
    for code, per_name in sheet.counts.items():
        for ballot, names in zip(ballots, _spread(per_name, sheet.valid), strict=False):
            if names:
                ballot["marks"][code] = names
    return ballots


@transaction.atomic
def confirm_tally_sheet(*, box: Box, user) -> TallySheet:
    """A second clerk, not the one who typed it, confirms the tally sheet against the paper: the box is entered."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    sheet = TallySheet.objects.filter(box=box).first()
    if sheet is None:
        raise ValidationError(_("票箱 %(box)s 还没有录入计票单") % {"box": box.code})
    if sheet.confirmed_at:
        raise ValidationError(_("票箱 %(box)s 的计票单已经核对") % {"box": box.code})
    if user is None or sheet.entered_by_id == getattr(user, "pk", None):
        raise ValidationError(_("计票单须由另一名录入员核对确认"))
    sheet.confirmed_by, sheet.confirmed_at = user, timezone.now()
    sheet.save(update_fields=["confirmed_by", "confirmed_at"])
    _commit(election=election, box=box, ballots=_sheet_ballots(sheet), source=BallotSource.SHEET)
    return sheet


@transaction.atomic
def discard_tally_sheet(*, box: Box, user) -> None:
    """An unconfirmed tally sheet that the second clerk found wrong is taken back, to be entered again."""
    box = _lock_box(box)
    _require_counting(box.election)
    sheet = TallySheet.objects.filter(box=box, confirmed_at__isnull=True).first()
    if sheet is None:
        raise ValidationError(_("没有待核对的计票单"))
    warn(election=box.election, stage="counting", user=user,
         text=_("票箱%(box)s的计票单经核对不符，退回重新录入") % {"box": box.code})
    sheet.delete()


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


BOARD_SALT = "elections.board"
BOARD_MAX_AGE = 3 * 24 * 3600  # a token outlives election night, not the term
BOARD_OPEN = (ElectionStatus.COUNTING, ElectionStatus.CLOSED)
TALLY_STROKES = ["", "一", "丅", "下", "止"]


def board_token(election: Election) -> str:
    """The signed link of the public board (唱票板) the counting team opens on the projector."""
    return signing.dumps(election.pk, salt=BOARD_SALT)


def election_for_board(token: str) -> Election | None:
    """The election a board token names, while its count is open or just closed; None otherwise."""
    try:
        pk = signing.loads(token, salt=BOARD_SALT, max_age=BOARD_MAX_AGE)
    except signing.BadSignature:
        return None
    return Election.objects.filter(pk=pk, status__in=BOARD_OPEN).select_related("community").first()


def tally_marks(votes: int) -> str:
    """Votes written as the counting room writes them on the blackboard: a 正 for every five."""
    return "正" * (votes // 5) + TALLY_STROKES[votes % 5]


def board_counts(*, election: Election) -> dict:
    """The count as it stands (docs/domain.md, Elections: the public board): per post each formal
    candidate's votes and the write-ins, from the committed ballots and the first pass of the boxes still being
    entered (the pass called out aloud). Spoiled papers and over-marked posts count for nobody. Names of
    candidates and write-ins only: nothing about who voted."""
    positions = list(election.positions.order_by("order", "id"))
    committed = votes_by_position(election, positions)
    counts = {p.code: Counter(committed.get(p.pk, {})) for p in positions}
    seats = {p.code: p.seats for p in positions}
    papers = Ballot.objects.filter(election=election).count()
    spoiled = Ballot.objects.filter(election=election, status=BallotStatus.SPOILED).count()
    live = EntryPaper.objects.filter(session__box__election=election, session__box__entered=False,
                                     session__box__withdrawn_reason="", session__pass_number=1)
    for is_spoiled, marks in live.values_list("spoiled", "marks"):
        papers += 1
        if is_spoiled:
            spoiled += 1
            continue
        for code, names in marks.items():
            if code in counts and len(names) <= seats[code]:
                counts[code].update(names)
    numbers = candidate_numbers(election)
    rows = []
    for p in positions:
        names = numbers[p.code]
        rows.append({
            "code": p.code, "title": p.title, "seats": p.seats,
            "candidates": [{"number": n, "name": name, "votes": counts[p.code][name],
                            "marks": tally_marks(counts[p.code][name])} for n, name in enumerate(names, start=1)],
            "write_ins": sorted(((name, votes) for name, votes in counts[p.code].items() if name not in names),
                                key=lambda item: (-item[1], item[0])),
        })
    return {"papers": papers, "spoiled": spoiled, "positions": rows,
            "closed": election.status != ElectionStatus.COUNTING}
