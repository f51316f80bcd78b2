import datetime

import pytest

from committee.models import MailboxItem, MeetingStatus
from committee.statistics import MAILBOX_ANSWER_DAYS, mailbox_answers, meetings_held, street_compliance

from .factories import MeetingFactory, at

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 8, 20)  # January to July are over; the second half year is running


def held(community, day, kind="committee"):
    extra = {"composition": "representatives"} if kind == "residents" else {}
    return MeetingFactory(community=community, kind=kind, starts=at(day), status=MeetingStatus.CLOSED,
                          minutes="记录", minutes_recorded_on=day, **extra)


def test_it_counts_the_months_with_a_committee_meeting_and_the_half_years_with_a_residents_meeting(
        community, other_community):
    for month in (1, 2, 3, 5, 6, 7):  # April missing
        held(community, datetime.date(2024, month, 12))
    held(community, datetime.date(2024, 8, 5))  # this month: counts once held
    held(community, datetime.date(2024, 3, 20))  # a second meeting in March is still one month
    held(community, datetime.date(2024, 5, 9), kind="residents")
    held(community, datetime.date(2023, 12, 9))  # another year
    found = meetings_held(community_ids=[community.pk, other_community.pk], year=2024, today=TODAY)
    committee, residents = found["committee"], found["residents"]
    assert (committee[community.pk].done, committee[community.pk].due) == (7, 8)
    assert (committee[other_community.pk].done, committee[other_community.pk].due) == (0, 7)
    assert (residents[community.pk].done, residents[community.pk].due) == (1, 1)
    assert residents[other_community.pk].missed


def test_it_holds_mailbox_answers_to_their_deadline(community):
    def letter(received, answered=None):
        item = MailboxItem.objects.create(community=community, channel="mailbox", subject="路灯", received_on=received)
        if answered:
            MailboxItem.objects.filter(pk=item.pk).update(status="answered", answer="已修", answered_on=answered)

    day = datetime.date(2024, 6, 1)
    letter(day, day + datetime.timedelta(days=MAILBOX_ANSWER_DAYS))  # on the last day: in time
    letter(day, day + datetime.timedelta(days=MAILBOX_ANSWER_DAYS + 1))  # late
    letter(day)  # open past its deadline: late
    letter(TODAY - datetime.timedelta(days=3))  # open, not due yet
    tally = mailbox_answers(community_ids=[community.pk], year=2024, today=TODAY)[community.pk]
    assert (tally.done, tally.due, tally.late, tally.waiting) == (1, 3, 2, 1)
    cell = street_compliance(communities=[community], year=2024, today=TODAY).columns[2].cells[community.pk]
    assert cell.late and cell.text.startswith("1/3")
