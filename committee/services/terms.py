"""The term's life between two elections (docs/domain.md, Term's life): its end date and the reminder six months
before it, an extension by the street, and members leaving by resignation, recall or automatic end."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import DateChecks

from ..models import (
    Appraisal,
    CommitteeMember,
    Composition,
    Leaving,
    MemberAbsence,
    MemberAppraisal,
    Petition,
    Recall,
    RecallStatus,
    Term,
)
from .people import end_seat_account
from .petitions import count_petition

REMINDER_MONTHS = 6  # 换届 preparation starts six months before the term ends
RECALL_VOTE_DAYS = 30  # the committee calls the residents' meeting within 30 days of the request
RECALL_STREET_DAYS = 60  # failing that, the street calls it within 60 days of the request
RECALL_REPEAT_MONTHS = 5  # a failed recall is not asked again on the same facts within five months
RECALL_PETITIONS = (Composition.ADULTS, Composition.REPRESENTATIVES)
ABSENCE_MONTHS = 1  # 无正当理由连续一个月以上未参加社区居民委员会工作的，可视作自动离职


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier when negative); the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def reminder_from(term: Term) -> datetime.date:
    """From this day the committee prepares the election (换届): six months before the term's end."""
    return months_after(term.ends_by, -REMINDER_MONTHS)


@transaction.atomic
def extend_term(*, term: Term, to: datetime.date, decision: str, decided_on: datetime.date) -> Term:
    """The street postpones the election by a recorded decision: the term runs on, at most the rule set's
    extension (Term.extension_months_max, half a year by default)."""
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.ends is not None:
        raise ValidationError(_("该届已经结束，不能延期"))
    if not decision.strip():
        raise ValidationError({"decision": _("请写明街道的延期决定（文号或会议）")})
    checks = DateChecks().not_future("decided_on", _("延期决定日期"), decided_on)
    checks.not_after("decided_on", _("延期决定日期"), decided_on, _("届满日期"), term.due_on)
    latest = months_after(term.due_on, term.extension_months_max)
    checks.not_before("to", _("延期至"), to, _("届满次日"), term.due_on + datetime.timedelta(days=1))
    checks.not_after("to", _("延期至"), to, _("届满后%(months)s个月") % {"months": term.extension_months_max}, latest)
    checks.check()
    term.extended_to, term.extension_decision, term.extension_decided_on = to, decision.strip(), decided_on
    term.save(update_fields=["extended_to", "extension_decision", "extension_decided_on"])
    return term


def _leave(member: CommitteeMember, *, on: datetime.date, how: str, note: str) -> CommitteeMember:
    member = CommitteeMember.objects.select_for_update().select_related("term").get(pk=member.pk)
    if member.ends is not None:
        raise ValidationError(_("%(name)s 已于 %(day)s 离任") % {"name": member.name, "day": member.ends})
    DateChecks().not_before("on", _("离任日期"), on, _("任职开始日期"), member.starts).check()
    member.ends, member.left_how, member.left_note = on, how, note
    member.save(update_fields=["ends", "left_how", "left_note"])
    end_seat_account(member)
    return member


@transaction.atomic
def resign(*, member: CommitteeMember, letter_on: datetime.date, approved_on: datetime.date) -> CommitteeMember:
    """A member resigns by a written, dated letter to the committee, accepted by the representatives' meeting;
    the seat is vacant from that meeting's day."""
    (DateChecks().not_future("letter_on", _("书面申请日期"), letter_on)
     .not_future("approved_on", _("居民代表会议通过日期"), approved_on)
     .not_before("approved_on", _("居民代表会议通过日期"), approved_on, _("书面申请日期"), letter_on).check())
    return _leave(member, on=approved_on, how=Leaving.RESIGNED, note=_(
        "书面辞职申请 %(letter)s，居民代表会议 %(approved)s 通过") % {"letter": letter_on, "approved": approved_on})


@transaction.atomic
def file_recall(*, member: CommitteeMember, petition: Petition, reason: str,
                received_on: datetime.date) -> Recall:
    """The committee receives a written recall request with its reasons, signed by at least 1/5 of the voters
    or 1/3 of the representatives (the petition's signatures, counted on the day it is received)."""
    if member.ends is not None:
        raise ValidationError(_("%(name)s 已离任") % {"name": member.name})
    if petition.community_id != member.term.community_id:
        raise ValidationError({"petition": _("该提议不属于本社区")})
    if petition.composition not in RECALL_PETITIONS:
        raise ValidationError({"petition": _("罢免须由五分之一以上有选举权的居民或三分之一以上居民代表提议")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明罢免理由")})
    DateChecks().not_future("received_on", _("收到罢免请求日期"), received_on).not_before(
        "received_on", _("收到罢免请求日期"), received_on, _("提议提出日期"), petition.filed_on).check()
    count = count_petition(petition, on=received_on)
    if not count.reached:
        raise ValidationError(_("提议人数不足：%(signatures)s 人签名，须达 %(needed)s 人（%(base)s 人的%(share)s）") % {
            "signatures": count.signatures, "needed": count.needed, "base": count.base, "share": count.share})
    if Recall.objects.filter(member=member, status=RecallStatus.PENDING).exists():
        raise ValidationError(_("对 %(name)s 已有待表决的罢免请求") % {"name": member.name})
    since = months_after(received_on, -RECALL_REPEAT_MONTHS)
    failed = Recall.objects.filter(member=member, status=RecallStatus.FAILED, voted_on__gt=since).first()
    if failed:
        raise ValidationError(_(
            "对 %(name)s 的罢免于 %(day)s 未获通过，五个月内（%(until)s 前）不得以同一事实和理由再次提出") % {
            "name": member.name, "day": failed.voted_on, "until": months_after(failed.voted_on, RECALL_REPEAT_MONTHS)})
    return Recall.objects.create(member=member, petition=petition, reason=reason.strip(), received_on=received_on)


def recall_vote_due(recall: Recall) -> tuple[datetime.date, datetime.date]:
    """The last day for the committee's residents' meeting, and for the street's when the committee did not."""
    return (recall.received_on + datetime.timedelta(days=RECALL_VOTE_DAYS),
            recall.received_on + datetime.timedelta(days=RECALL_STREET_DAYS))


@transaction.atomic
def record_recall_vote(*, recall: Recall, voted_on: datetime.date, called_by_street: bool,
                       passed: bool) -> Recall:
    """The residents' meeting voted on the recall; if it passed, the member leaves that day."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if recall.status != RecallStatus.PENDING:
        raise ValidationError(_("该罢免请求已经表决"))
    committee_by, street_by = recall_vote_due(recall)
    checks = (DateChecks().not_future("voted_on", _("表决日期"), voted_on)
              .not_before("voted_on", _("表决日期"), voted_on, _("收到罢免请求日期"), recall.received_on))
    if called_by_street:
        checks.not_after("voted_on", _("表决日期"), voted_on, _("街道召集的期限（收到请求后60日）"), street_by)
    else:
        checks.not_after("voted_on", _("表决日期"), voted_on,
                         _("居委会召集的期限（收到请求后30日；逾期由街道在60日内召集）"), committee_by)
    checks.check()
    recall.status = RecallStatus.PASSED if passed else RecallStatus.FAILED
    recall.voted_on, recall.called_by_street = voted_on, called_by_street
    recall.save(update_fields=["status", "voted_on", "called_by_street"])
    if passed:
        _leave(recall.member, on=voted_on, how=Leaving.RECALLED,
               note=_("居民会议 %(day)s 表决罢免") % {"day": voted_on})
    return recall


@transaction.atomic
def record_appraisal(*, member: CommitteeMember, year: int, reviewed_on: datetime.date,
                     grade: str) -> MemberAppraisal:
    """The year-end review's grade of a member; a second 不称职 in a row ends the member's post that day."""
    if member.ends is not None:
        raise ValidationError(_("%(name)s 已离任") % {"name": member.name})
    DateChecks().not_future("reviewed_on", _("评议日期"), reviewed_on).check()
    if member.appraisals.filter(year=year).exists():
        raise ValidationError({"year": _("%(name)s %(year)s 年度已有评议结果") % {"name": member.name, "year": year}})
    previous = member.appraisals.filter(year__lt=year).order_by("-year").first()
    appraisal = MemberAppraisal.objects.create(member=member, year=year, reviewed_on=reviewed_on, grade=grade)
    if grade == Appraisal.UNFIT and previous is not None and previous.grade == Appraisal.UNFIT:
        _leave(member, on=reviewed_on, how=Leaving.UNFIT, note=_("%(first)s、%(second)s 年度连续两次评议为不称职") % {
            "first": previous.year, "second": year})
    return appraisal


def _month_reached(first: datetime.date) -> datetime.date:
    """The day an absence that began on `first` has lasted a whole month (1 March → 31 March)."""
    return months_after(first, ABSENCE_MONTHS) - datetime.timedelta(days=1)


@transaction.atomic
def record_absence(*, member: CommitteeMember, starts: datetime.date, ends: datetime.date, with_leave: bool,
                   reason: str) -> MemberAbsence:
    """Register a spell in which a member did not take part in the committee's work. Spells without leave that
    follow each other day after day count as one; when they reach a month the member has left (自动离职) on the
    day the month was complete, by the same path as the other automatic end."""
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    if member.ends is not None:
        raise ValidationError(_("%(name)s 已于 %(day)s 离任") % {"name": member.name, "day": member.ends})
    (DateChecks().not_future("ends", _("缺勤结束日期"), ends)
     .not_before("ends", _("缺勤结束日期"), ends, _("缺勤开始日期"), starts)
     .not_before("starts", _("缺勤开始日期"), starts, _("任职开始日期"), member.starts).check())
    if member.absences.filter(starts__lte=ends, ends__gte=starts).exists():
        raise ValidationError({"starts": _("%(name)s 在这段时间内已登记缺勤") % {"name": member.name}})
    absence = MemberAbsence.objects.create(member=member, starts=starts, ends=ends, with_leave=with_leave,
                                           reason=reason.strip())
    if not with_leave:
        first, last = _unexcused_run(member, absence)
        if last >= _month_reached(first):
            _leave(member, on=_month_reached(first), how=Leaving.ABSENT, note=_(
                "自 %(first)s 起无正当理由连续一个月以上未参加居委会工作") % {"first": first.isoformat()})
    return absence


def _unexcused_run(member: CommitteeMember, absence: MemberAbsence) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the unbroken run of absences without leave that `absence` belongs to."""
    first, last = absence.starts, absence.ends
    spells = list(member.absences.filter(with_leave=False).order_by("starts").values_list("starts", "ends"))
    for starts, ends in reversed([s for s in spells if s[1] < first]):
        if ends + datetime.timedelta(days=1) != first:
            break
        first = starts
    for starts, ends in [s for s in spells if s[0] > last]:
        if starts != last + datetime.timedelta(days=1):
            break
        last = ends
    return first, last
