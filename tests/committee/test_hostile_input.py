"""What a crafted request or a second try used to get through: each is refused, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committee.models import Activity, Decision, SubCommittee
from committee.services.meetings import open_attendance, plan_meeting, record_minutes
from committee.services.registers import create_activity
from org.models import DocumentCounter

from .factories import at, committee_term

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_meeting(community):
    committee_term(community)
    meeting = plan_meeting(community=community, kind="committee", title="例会", agenda="议题", place="会议室",
                           starts=at(TODAY))
    open_attendance(meeting=meeting)
    return record_minutes(meeting=meeting, minutes="讨论了车棚修缮。", chair="吴逸芸", recorder="方学全", on=TODAY)


def test_it_refuses_to_rewrite_the_minutes_of_a_closed_meeting(closed_meeting):
    with pytest.raises(ValidationError, match="会议已结束"):
        record_minutes(meeting=closed_meeting, minutes="从未讨论车棚。", chair="某人", recorder="某人", on=TODAY)
    closed_meeting.refresh_from_db()
    assert closed_meeting.minutes == "讨论了车棚修缮。" and closed_meeting.chair == "吴逸芸"


def test_it_refuses_to_rewrite_the_minutes_of_a_closed_meeting_through_the_page(closed_meeting, login,
                                                                                 committee_user):
    response = login(committee_user).post(reverse("committee:meeting_minutes", args=[closed_meeting.pk]), {
        "minutes": "从未讨论车棚。", "chair": "某人", "recorder": "某人", "on": TODAY.isoformat()}, follow=True)
    assert "会议已结束" in response.content.decode()
    closed_meeting.refresh_from_db()
    assert closed_meeting.minutes == "讨论了车棚修缮。"


def test_it_answers_a_non_numeric_motion_with_a_form_error_not_a_crash(closed_meeting, login, committee_user):
    client = login(committee_user)
    client.raise_request_exception = False
    response = client.post(reverse("committee:decision_add", args=[closed_meeting.pk]),
                           {"text": "修车棚", "owner": "方学全", "motion": "1 OR 1=1"})
    assert response.status_code == 400 and "修车棚" in response.content.decode()
    assert not Decision.objects.filter(meeting=closed_meeting).exists()


def test_it_refuses_a_sub_committee_of_an_unknown_kind(community, login, committee_user):
    term = committee_term(community)
    response = login(committee_user).post(reverse("committee:subcommittee_seat", args=[term.pk]),
                                          {"kind": "secret_police", "name": "吴逸芸"}, follow=True)
    assert response.status_code == 200
    assert not SubCommittee.objects.filter(term=term).exists()


def test_it_keeps_an_unknown_sub_committee_kind_out_of_the_database(community):
    term = committee_term(community)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubCommittee.objects.create(term=term, kind="secret_police")


def test_it_adds_a_seat_to_a_known_sub_committee(community, login, committee_user):
    term = committee_term(community)
    login(committee_user).post(reverse("committee:subcommittee_seat", args=[term.pk]),
                               {"kind": "mediation", "name": "吴逸芸", "is_chair": "on"})
    assert SubCommittee.objects.get(term=term, kind="mediation").seats.get().is_chair


def test_it_numbers_an_activity_notice_when_the_activity_is_created(community):
    activity = create_activity(community=community, title="义诊", body="免费义诊", place="广场",
                               starts=at(TODAY + datetime.timedelta(days=10)))
    assert activity.doc_number == f"〔{activity.day.year}〕第1号"


def test_it_writes_nothing_when_the_activity_notice_is_printed(community, login, committee_user, monkeypatch):
    monkeypatch.setattr("committee.views.registers.render_pdf", lambda *args, **kwargs: b"%PDF-1.4")
    activity = Activity.objects.create(community=community, title="郊游", body="采摘", starts=at(TODAY), place="居委会",
                                       registration_closes=TODAY - datetime.timedelta(days=2))
    response = login(committee_user).get(reverse("committee:activity_notice_pdf", args=[activity.pk]))
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.doc_number == ""
    assert not DocumentCounter.objects.exists()
