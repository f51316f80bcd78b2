"""What is due: the committee start page for one community and the dashboard for all of a user's communities."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org.access import STAFF, community_ids
from org.dashboard import Todo

from ..models import (
    Decision,
    DecisionStatus,
    DutySlot,
    MailboxItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Petition,
    PetitionStatus,
    ReviewSubject,
    Term,
)
from ..rules import HEARING_RESULT_DAYS, HEARING_SCHEDULE_DAYS, MAILBOX_ANSWER_DAYS, REVIEW_FEEDBACK_DAYS, RULES  # noqa: E501
from .meetings import notice_deadline
from .petitions import meeting_due_by
from .terms import reminder_from

WEEK = 7


@dataclass
class Item:
    text: str
    url: str
    due: datetime.date | None = None
    late: bool = False
    community: str = ""


@dataclass
class DueThisWeek:
    today: datetime.date
    meetings_to_notify: list[Item] = field(default_factory=list)
    meetings_due: list[Item] = field(default_factory=list)  # petitions that reached their threshold
    decisions: list[Item] = field(default_factory=list)  # overdue or due within the week
    mailbox: list[Item] = field(default_factory=list)
    flags: list[Item] = field(default_factory=list)  # hearing and review deadlines
    duty: list[DutySlot] = field(default_factory=list)

    def all(self) -> list[Item]:
        return self.meetings_due + self.meetings_to_notify + self.decisions + self.mailbox + self.flags


def due_this_week(*, community_ids, today: datetime.date) -> DueThisWeek:
    """Everything due within the next seven days (or already late) in the given communities."""
    horizon = today + datetime.timedelta(days=WEEK - 1)
    due = DueThisWeek(today=today)
    longest_notice = max(rule.notice_days for rule in RULES.values())
    planned = Meeting.objects.filter(community_id__in=community_ids, status=MeetingStatus.PLANNED,
                                     starts__date__lte=horizon + datetime.timedelta(days=longest_notice),
                                     starts__date__gte=today).select_related("community")
    for meeting in planned:
        deadline = notice_deadline(meeting)
        # Meetings without a notice period (the Monday staff meeting) are not waiting for a notice.
        if deadline < meeting.day and deadline <= horizon:
            due.meetings_to_notify.append(Item(
                _("发出通知：%(title)s（%(kind)s，%(day)s召开）") % {
                    "title": meeting.title, "kind": meeting.get_kind_display(), "day": meeting.day},
                reverse("committee:meeting", args=[meeting.pk]), deadline, deadline < today, meeting.community.name))
    for petition in Petition.objects.filter(community_id__in=community_ids, status=PetitionStatus.DUE) \
            .select_related("community"):
        by = meeting_due_by(petition)
        due.meetings_due.append(Item(
            _("应召开居民会议（%(composition)s）：%(subject)s——提议已达法定人数") % {
                "composition": petition.get_composition_display(), "subject": petition.subject},
            reverse("committee:petition", args=[petition.pk]), by, by < today, petition.community.name))
    decisions = Decision.objects.filter(meeting__community_id__in=community_ids, due__lte=horizon).exclude(
        status=DecisionStatus.DONE).select_related("meeting__community")
    for decision in decisions:
        if decision.due < today:
            text = _("已逾期的决定：%(text)s（%(owner)s）")
        else:
            text = _("本周到期的决定：%(text)s（%(owner)s）")
        due.decisions.append(Item(
            text % {"text": decision.text[:40], "owner": decision.owner},
            reverse("committee:decision", args=[decision.pk]), decision.due, decision.due < today,
            decision.meeting.community.name))
    for item in MailboxItem.objects.filter(community_id__in=community_ids, status=MailboxItem.Status.OPEN) \
            .select_related("community"):
        text = _("待答复的%(channel)s：%(subject)s") % {"channel": item.get_channel_display(), "subject": item.subject}
        answer_by = item.received_on + datetime.timedelta(days=MAILBOX_ANSWER_DAYS)
        due.mailbox.append(Item(text, reverse("committee:mailbox_item", args=[item.pk]), answer_by,
                                answer_by < today, item.community.name))
    hearings = Meeting.objects.filter(community_id__in=community_ids, kind=MeetingKind.HEARING).filter(
        Q(status=MeetingStatus.PLANNED) | Q(status=MeetingStatus.CLOSED, result_posted_on__isnull=True)
    ).select_related("community")
    for meeting in hearings:
        if meeting.status == MeetingStatus.PLANNED and meeting.requested_on:
            by = meeting.requested_on + datetime.timedelta(days=HEARING_SCHEDULE_DAYS)
            text = _("听证会须在收到书面要求后%(days)s日内确定并通知：%(title)s") % {
                "days": HEARING_SCHEDULE_DAYS, "title": meeting.title}
        elif meeting.status == MeetingStatus.CLOSED:
            by = meeting.day + datetime.timedelta(days=HEARING_RESULT_DAYS)
            text = _("公示听证会表决结果：%(title)s") % {"title": meeting.title}
        else:
            continue
        if by <= horizon:
            due.flags.append(Item(text, reverse("committee:meeting", args=[meeting.pk]), by, by < today,
                                  meeting.community.name))
    reviews = ReviewSubject.objects.filter(meeting__community_id__in=community_ids, feedback_sent_on__isnull=True,
                                           meeting__status=MeetingStatus.CLOSED).select_related("meeting__community")
    for subject in reviews:
        by = subject.meeting.day + datetime.timedelta(days=REVIEW_FEEDBACK_DAYS)
        if by <= horizon:
            due.flags.append(Item(_("向%(organisation)s反馈评议意见") % {"organisation": subject.organisation}, reverse(
                "committee:meeting", args=[subject.meeting_id]), by, by < today, subject.meeting.community.name))
    for term in Term.objects.filter(community_id__in=community_ids, ends__isnull=True).select_related("community"):
        # Not a week's task: from six months before the end the 换届 preparation stays on the list.
        if reminder_from(term) <= today:
            due.flags.append(Item(_("第%(number)s届居委会将于%(day)s届满：请做好换届选举准备") % {
                "number": term.number, "day": term.ends_by}, reverse("committee:organisation"), term.ends_by,
                term.ends_by < today, term.community.name))
    due.duty = list(DutySlot.objects.filter(community_id__in=community_ids, date=today).select_related("community"))
    return due


def todos(*, user, communities) -> list[Todo]:
    """Dashboard provider: the items due this week in the communities the user works for (staff roles);
    supervision members follow the decisions only."""
    ids = [c.pk for c in communities]
    staff = community_ids(user, STAFF)
    due = due_this_week(community_ids=ids, today=timezone.localdate())
    items = due.all() if staff & set(ids) else due.decisions
    return [Todo(text=i.text, url=i.url, due=i.due, late=i.late, community=i.community) for i in items]
