"""The committee pages rendered for the roles that may reach them, and what they show (the outcome of every URL for
every role is tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import (
    Activity,
    Attendee,
    Decision,
    DutySlot,
    Meeting,
    MeetingStatus,
    Motion,
    Petition,
    ReviewSubject,
    VolunteerMember,
    VolunteerTeam,
)
from committee.services.meetings import notify_meeting, open_attendance, plan_meeting

from .factories import MailboxFactory, MatterFactory, at, committee_term

TODAY = timezone.localdate()


@pytest.fixture
def records(community):
    term = committee_term(community)
    meeting = plan_meeting(community=community, kind="committee", title="第一次居委会会议", agenda="议题",
                           place="会议室", starts=at(TODAY))
    open_attendance(meeting=meeting)
    motion = Motion.objects.create(meeting=meeting, text="决定", entitled=7, present=7, votes_for=7,
                                   result=Motion.Result.ADOPTED)
    decision = Decision.objects.create(meeting=meeting, motion=motion, text="修缮车棚", owner="方学全",
                                       due=TODAY - datetime.timedelta(days=1))
    review = Meeting.objects.create(community=community, kind="review", title="年终评议会", agenda="评议",
                                    place="会议室", starts=at(TODAY))
    team = VolunteerTeam.objects.create(community=community, name="助老服务队", leader="葛鸿平")
    return {
        "meeting": meeting, "decision": decision, "term": term,
        "attendee": meeting.attendees.first(),
        "petition": Petition.objects.create(community=community, composition="adults", subject="停车"),
        "mailbox": MailboxFactory(community=community),
        "slot": DutySlot.objects.create(community=community, date=TODAY, name="吴逸芸"),
        "activity": Activity.objects.create(community=community, title="郊游", body="采摘", starts=at(TODAY),
                                            place="居委会", registration_closes=TODAY - datetime.timedelta(days=2)),
        "subject": ReviewSubject.objects.create(meeting=review, organisation="物业公司"),
        "matter": MatterFactory(community=community),
        "team": team,
        "volunteer": VolunteerMember.objects.create(team=team, name="陈静"),
    }


READ_OBJECT_VIEWS = [("committee:meeting", "meeting"), ("committee:attendance", "meeting"),
                     ("committee:decision", "decision")]
WRITE_OBJECT_VIEWS = [("committee:petition", "petition"), ("committee:mailbox_item", "mailbox"),
                      ("committee:duty_slot", "slot"), ("committee:activity", "activity"),
                      ("committee:review_subject", "subject"), ("committee:volunteer_team", "team")]
READ_LIST_VIEWS = ["committee:index", "committee:meetings", "committee:decisions"]
WRITE_LIST_VIEWS = ["committee:meeting_new", "committee:petitions", "committee:matters", "committee:organisation",
                    "committee:duty", "committee:mailbox", "committee:zones", "committee:seal", "committee:assets",
                    "committee:activities"]
def url(name, records, key=None):
    return reverse(name, args=[records[key].pk]) if key else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name,key", READ_OBJECT_VIEWS + [(n, None) for n in READ_LIST_VIEWS])
def test_it_lets_supervision_members_read_meetings_and_decisions(login, supervision_user, records, name, key):
    response = login(supervision_user).get(url(name, records, key))
    assert response.status_code == 200
    assert "修缮车棚" in response.content.decode() or name in ("committee:meetings", "committee:attendance")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["committee_user", "street_staff"])
@pytest.mark.parametrize("name,key", READ_OBJECT_VIEWS + WRITE_OBJECT_VIEWS
                         + [(n, None) for n in READ_LIST_VIEWS + WRITE_LIST_VIEWS])
def test_it_opens_every_page_to_the_communitys_committee_and_street_staff(login, request, records, name, key, who):
    assert login(request.getfixturevalue(who)).get(url(name, records, key)).status_code == 200


@pytest.mark.django_db
def test_it_shows_foreign_street_staff_only_their_own_communities(login, foreign_street_staff, records):
    page = login(foreign_street_staff).get(reverse("committee:decisions"))
    assert page.status_code == 200 and "修缮车棚" not in page.content.decode()


@pytest.mark.django_db
def test_it_shows_what_is_due_this_week_on_the_start_page(login, committee_user, community, records):
    plan_meeting(community=community, kind="residents", composition="representatives", title="居民代表会议",
                 agenda="工作报告", place="活动中心", starts=at(TODAY + datetime.timedelta(days=5)))
    page = login(committee_user).get(reverse("committee:index")).content.decode()
    assert "发出通知：居民代表会议" in page
    assert "已逾期的决定：修缮车棚" in page
    assert "待答复的主任信箱：小区路灯不亮" in page
    assert 'id="duty-today"' in page and "吴逸芸" in page


@pytest.mark.django_db
def test_it_lists_the_committees_items_on_the_dashboard(login, committee_user, supervision_user, records):
    page = login(committee_user).get(reverse("dashboard")).content.decode()
    assert "已逾期的决定：修缮车棚" in page and "待答复的主任信箱" in page
    page = login(supervision_user).get(reverse("dashboard")).content.decode()
    assert "已逾期的决定：修缮车棚" in page and "待答复的主任信箱" not in page


@pytest.mark.django_db
def test_it_marks_attendance_in_place_with_htmx(login, committee_user, records):
    attendee = records["attendee"]
    response = login(committee_user).post(reverse("committee:attendee_toggle", args=[attendee.pk]),
                                          {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "quorum-changed"
    assert "已签到" in response.content.decode()
    assert Attendee.objects.get(pk=attendee.pk).present


@pytest.mark.django_db
def test_it_shows_the_short_notice_warning_after_notifying(login, committee_user, community):
    meeting = plan_meeting(community=community, kind="residents", composition="adults", title="居民会议",
                           agenda="议题", place="广场", starts=at(TODAY + datetime.timedelta(days=1)))
    response = login(committee_user).post(reverse("committee:meeting_notify", args=[meeting.pk]),
                                          {"on": TODAY.isoformat()}, follow=True)
    assert "通知期不足：居民会议应至少提前3天通知并告知议题，本次仅提前1天" in response.content.decode()
    # A warning message of the act, not only the meeting page's own check of the notice.
    assert [(m.level_tag, m.message) for m in response.context["messages"]] == [
        ("success", "会议通知已发出"), ("warning", "通知期不足：居民会议应至少提前3天通知并告知议题，本次仅提前1天")]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTIFIED


@pytest.mark.django_db
def test_it_prints_the_mediation_agreement_with_signature_lines(login, committee_user, community):
    import subprocess

    matter = MatterFactory(community=community)
    meeting = plan_meeting(community=community, kind="mediation", title="漏水协调会", agenda="漏水", place="调解室",
                           starts=at(TODAY), matter=matter, urgent=True)
    notify_meeting(meeting=meeting, on=TODAY)
    open_attendance(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(outcome="agreement", agreement="楼上住户负责修复防水层")
    response = login(committee_user).get(reverse("committee:meeting_agreement_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "协调协议书" in text and "王建国" in text and "李秀英" in text and "签字或盖章" in text
