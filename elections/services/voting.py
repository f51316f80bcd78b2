"""Polling day and the opening of the count: ballots allowed and issued, boxes, the box summary.

The three ways ballots are entered are in entry.py (per paper, double entry) and sheets.py (machine-read CSV,
hand-counted tally sheets); the public board (唱票板) is in board.py.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Sum
from django.utils.translation import gettext as _

from lib.outcome import Outcome

from ..models import (
    Ballot,
    BallotIssue,
    Box,
    BoxKind,
    CountingRole,
    Election,
    ElectionStatus,
    EntryPaper,
    Proxy,
    Sealed,
    VoterRollEntry,
)
from .dates import cn_day, today, warn
from .setup import BEFORE_VOTING, box_staff_problems
from .tally import registered_voters


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


def _lock_box(box: Box) -> Box:
    """The box row locked for this transaction: entries of one box are serialised, so none is lost or doubled."""
    return Box.objects.select_for_update().select_related("election").get(pk=box.pk)


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
def withdraw_box(*, box: Box, reason: str, user=None) -> Outcome[Box]:
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
    withdrawn = warn(election=election, stage="boxes", user=user, text=_(
        "票箱%(box)s（发出选票%(issued)s张）撤销：%(reason)s") % {
        "box": box.code, "issued": box.issued, "reason": reason.strip()})
    box.withdrawn_reason, box.issued = reason.strip(), 0
    box.save(update_fields=["withdrawn_reason", "issued"])
    return Outcome.of(box, withdrawn)


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


def box_summary(*, election: Election) -> list[dict]:
    """Per box: issued, returned, entry state; a box that returned more than it was given is flagged. The entry
    progress per pass, and per clerk within a pass (`first_clerks`, `second_clerks`: (username, papers) in the
    order the clerks started), for the election committee following several boxes entered at once."""
    returned = dict(Ballot.objects.filter(election=election).values_list("box_id").annotate(n=Count("id"))
                    .order_by())
    passes = defaultdict(lambda: defaultdict(int))
    clerks = defaultdict(lambda: defaultdict(list))
    for row in (EntryPaper.objects.filter(session__box__election=election)
                .values("session__box_id", "session__pass_number", "clerk__username")
                .annotate(n=Count("id"), started=Min("id")).order_by("started")):
        box_id, pass_number = row["session__box_id"], row["session__pass_number"]
        passes[box_id][pass_number] += row["n"]
        clerks[box_id][pass_number].append((row["clerk__username"], row["n"]))
    rows = []
    for box in election.boxes.order_by("id"):
        got = returned.get(box.pk, 0)
        rows.append({"box": box, "returned": got, "over": got > box.issued,
                     "first": passes[box.pk][1], "second": passes[box.pk][2],
                     "first_clerks": clerks[box.pk][1], "second_clerks": clerks[box.pk][2]})
    return rows
