"""Disputed ballots (疑难选票, docs/domain.md, Elections: disputed ballots): numbered as they are committed, decided
by the election committee by vote, counted as decided, and none may be left undecided when the count closes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lib.text import listed

from ..models import Ballot, BallotStatus, DisputedBallot, DisputedDecision, Election, ElectionStatus, Sealed
from .dates import cn_day, today

UNDECIDED = gettext_noop("还有 %(count)s 张疑难选票（第 %(numbers)s 号）未经选举委员会认定，不能结束计票")

# How a decided paper counts: the ballot's status the tally reads.
COUNTS_AS = {DisputedDecision.VALID: BallotStatus.READABLE, DisputedDecision.PARTLY: BallotStatus.READABLE,
             DisputedDecision.INVALID: BallotStatus.SPOILED}


def file_disputed(*, election: Election, papers: list[tuple[int, dict]]) -> list[DisputedBallot]:
    """The records of newly written disputed papers, [(ballot id, {issue, and for an archive its number and
    decision})]. Papers without a number get the next ones in the election, in the order given; the election
    row is locked so two boxes committed at once do not draw the same number (the database refuses a double)."""
    if not papers:
        return []
    Election.objects.select_for_update().filter(pk=election.pk).first()
    last = DisputedBallot.objects.filter(election=election).aggregate(m=Max("number"))["m"] or 0
    rows = []
    for ballot_id, data in papers:
        number = data.get("number")
        if number is None:
            last = number = last + 1
        rows.append(DisputedBallot(election=election, ballot_id=ballot_id, **(data | {"number": number})))
    return DisputedBallot.objects.bulk_create(rows)


def undecided_numbers(election: Election) -> list[int]:
    return list(DisputedBallot.objects.filter(election=election, decision=DisputedDecision.PENDING)
                .order_by("number").values_list("number", flat=True))


def refuse_if_undecided(election: Election) -> None:
    """The count closes only once the election committee has decided every disputed paper."""
    numbers = undecided_numbers(election)
    if numbers:
        raise ValidationError(_(UNDECIDED) % {"count": len(numbers), "numbers": listed(numbers, sentence=UNDECIDED)})


def void_by_post(election: Election) -> dict[str, list[int]]:
    """{position code: ballot ids of partly valid papers that do not count for it}; few rows, read once a tally."""
    void: dict[str, list[int]] = {}
    for ballot_id, posts in DisputedBallot.objects.filter(election=election, decision=DisputedDecision.PARTLY) \
            .values_list("ballot_id", "void_posts"):
        for code in posts:
            void.setdefault(code, []).append(ballot_id)
    return void


def how_counted(disputed: DisputedBallot, titles: dict[str, str]) -> str:
    """The 认定表's column on how the decided paper counts, in words."""
    if disputed.decision == DisputedDecision.VALID:
        return _("按所选计票")
    if disputed.decision == DisputedDecision.INVALID:
        return _("计入无效票，不计任何人得票")
    if disputed.decision == DisputedDecision.PARTLY:
        posts = _("、").join(titles.get(code, code) for code in disputed.void_posts)
        return _("%(posts)s不计票，其余职位按所选计票") % {"posts": posts}
    return _("待认定，暂不计票")


def disputed_rows(*, election: Election) -> list[dict]:
    """Every disputed paper of the election in number order, with its marks as read and how it counts."""
    titles = dict(election.positions.order_by("order", "id").values_list("code", "title"))
    papers = list(DisputedBallot.objects.filter(election=election).select_related("ballot__box")
                  .prefetch_related("ballot__marks__position").order_by("number"))
    rows = []
    for disputed in papers:
        marks: dict[str, list[str]] = {}
        for mark in sorted(disputed.ballot.marks.all(), key=lambda m: m.pk):
            marks.setdefault(mark.position.code, []).append(mark.name)
        rows.append({"disputed": disputed, "box": disputed.ballot.box.code, "serial": disputed.ballot.serial,
                     "marks": [(title, marks[code]) for code, title in titles.items() if code in marks],
                     "how": how_counted(disputed, titles)})
    return rows


@transaction.atomic
def decide(*, disputed: DisputedBallot, decision: str, void_posts: list[str], votes_for: int, votes_against: int,
           votes_abstain: int, decided_on: datetime.date, user=None) -> DisputedBallot:
    """Record the election committee's decision on one disputed paper and its vote, while the count is open.
    The paper then counts as decided: whole or in part, or as an invalid ballot. A decision may be recorded
    again, after a new vote, until the count closes; the audit trail keeps the earlier one."""
    election = Election.objects.select_for_update().get(pk=disputed.election_id)
    if election.status == ElectionStatus.CERTIFIED:
        raise Sealed()
    if election.status != ElectionStatus.COUNTING:
        raise ValidationError(_("疑难选票在计票中认定；计票已经结束"))
    disputed = DisputedBallot.objects.select_for_update().select_related("ballot").get(pk=disputed.pk)
    if decision not in (DisputedDecision.VALID, DisputedDecision.PARTLY, DisputedDecision.INVALID):
        raise ValidationError(_("请选择认定结果：整张有效、部分有效或无效票"))
    codes = list(election.positions.order_by("order", "id").values_list("code", flat=True))
    void_posts = [code for code in codes if code in set(void_posts or [])]
    if decision == DisputedDecision.PARTLY:
        if not void_posts:
            raise ValidationError(_("部分有效的选票须选出不计票的职位"))
        if len(void_posts) == len(codes):
            raise ValidationError(_("所有职位都不计票的，应认定为无效票"))
    else:
        void_posts = []
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError(_("表决票数不能为负数"))
    members = election.committee_members.count()
    voting = votes_for + votes_against + votes_abstain
    if members and voting > members:
        raise ValidationError(_("参加表决 %(voting)s 人，多于选举委员会成员 %(members)s 人") % {
            "voting": voting, "members": members})
    if votes_for <= votes_against + votes_abstain:
        raise ValidationError(_("同意 %(for)s 票，未过参加表决的 %(voting)s 人半数：认定未通过，请重新讨论表决") % {
            "for": votes_for, "voting": voting})
    if decided_on > today():
        raise ValidationError(_("认定日期%(day)s还没有到") % {"day": cn_day(decided_on)})
    if decided_on < election.election_day:
        raise ValidationError(_("认定日期%(day)s早于选举日%(election_day)s") % {
            "day": cn_day(decided_on), "election_day": cn_day(election.election_day)})
    disputed.decision, disputed.void_posts, disputed.decided_on = decision, void_posts, decided_on
    disputed.votes_for, disputed.votes_against, disputed.votes_abstain = votes_for, votes_against, votes_abstain
    disputed.recorded_by = user
    disputed.full_clean(exclude=["election", "ballot", "recorded_by"])
    disputed.save()
    Ballot.objects.filter(pk=disputed.ballot_id).update(status=COUNTS_AS[decision])
    return disputed
