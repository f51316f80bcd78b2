"""What a clerk found trying the pages in a browser: the mailbox deadline on the to-do list, a notice sent after
its meeting, a motion already carried out offered again."""

import datetime

import pytest
from django.utils import timezone

from committee.rules import MAILBOX_ANSWER_DAYS
from committee.services.due import due_this_week
from committee.services.meetings import notice_warnings
from tests.committee.factories import MailboxFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_it_lists_an_open_letter_with_its_answer_deadline_not_the_day_it_came(community):
    today = timezone.localdate()
    MailboxFactory(community=community, received_on=today - datetime.timedelta(days=20))
    (item,) = due_this_week(community_ids=[community.pk], today=today).mailbox
    assert item.due == today - datetime.timedelta(days=20 - MAILBOX_ANSWER_DAYS) and item.late


def test_it_says_a_notice_went_out_after_its_meeting_instead_of_a_period_of_zero_days(community):
    meeting = MeetingFactory(community=community, kind="staff")
    after = meeting.day + datetime.timedelta(days=1)
    assert notice_warnings(meeting, on=after) == [f"通知于会议之后（{after.isoformat()}）才发出"]
    assert notice_warnings(meeting, on=meeting.day) == []
