"""The committee's printed papers, read back with pdftotext. Who may open them is tested in test_views.py."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import Asset, AssetMovement, VolunteerMember, VolunteerShift, VolunteerTeam
from committee.services import current_members
from committee.services.meetings import (
    mark_attendance,
    notify_meeting,
    open_attendance,
    plan_meeting,
    record_minutes,
    vote_motion,
)
from committee.services.registers import create_activity, fill_roster, record_movement

from .factories import at, committee_term

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 15)
MOBILE = re.compile(r"1[3-9]\d{9}")


def text_of(response) -> str:
    """The PDF's text without any whitespace (pdftotext spaces CJK text unevenly)."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    out = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    return "".join(out.decode().split())


def test_it_prints_the_meeting_notice_with_title_agenda_and_number(login, committee_user, community):
    meeting = plan_meeting(community=community, kind="committee", title="第三次居委会会议", agenda="研究加装电梯方案",
                           place="社区会议室", starts=at(DAY + datetime.timedelta(days=3), hour=14))
    notify_meeting(meeting=meeting, on=DAY)
    meeting.refresh_from_db()
    text = text_of(login(committee_user).get(reverse("committee:meeting_notice_pdf", args=[meeting.pk])))
    assert "关于召开第三次居委会会议的通知" in text
    assert "2024年6月18日14:00在社区会议室召开第三次居委会会议" in text
    assert "研究加装电梯方案" in text and meeting.doc_number in text and "2024年6月15日" in text


def test_it_prints_the_minutes_with_attendance_votes_and_signatures(login, supervision_user, community):
    committee_term(community)
    meeting = plan_meeting(community=community, kind="committee", title="六月居委会会议", agenda="购置办公电脑",
                           place="社区会议室", starts=at(DAY))
    open_attendance(meeting=meeting)
    for attendee in meeting.attendees.order_by("id")[:5]:
        mark_attendance(attendee=attendee, present=True)
    vote_motion(meeting=meeting, text="同意购置两台办公电脑", votes_for=4, votes_against=1, abstentions=0)
    record_minutes(meeting=meeting, minutes="会议讨论了办公设备更新。", chair="吴逸芸", recorder="方学全", on=DAY)
    # The supervision group reads meetings and their minutes.
    text = text_of(login(supervision_user).get(reverse("committee:meeting_minutes_pdf", args=[meeting.pk])))
    assert "六月居委会会议会议记录" in text and "会议讨论了办公设备更新。" in text
    assert "吴逸芸" in text and "方学全" in text
    assert "7人" in text and "5人（缺席2人）" in text  # entitled, present
    assert "同意购置两台办公电脑" in text and "通过" in text


def test_it_prints_the_months_duty_roster_with_the_members_on_duty(login, committee_user, community):
    committee_term(community, size=3)
    fill_roster(community=community, year=2024, month=6,
                members=list(current_members(community=community, on=DAY)))
    text = text_of(login(committee_user).get(reverse("committee:duty_pdf"), {"month": "2024-06"}))
    assert "2024年6月值班表" in text
    assert "2024年6月1日" in text and "2024年6月30日" in text
    for name in ("吴逸芸", "方学全", "印彦邦"):
        assert name in text
    assert "周六、周日照常值班" in text


def test_it_prints_the_activity_notice_with_its_closing_day_and_a_document_number(login, committee_user, community):
    activity = create_activity(community=community, title="春季郊游", body="组织居民赴农场采摘草莓。",
                               starts=at(DAY, hour=8), place="居委会门口", phone="0519-86681234", capacity=40)
    text = text_of(login(committee_user).get(reverse("committee:activity_notice_pdf", args=[activity.pk])))
    activity.refresh_from_db()
    assert activity.doc_number and activity.doc_number in text
    assert "关于举办春季郊游的通告" in text and "组织居民赴农场采摘草莓。" in text
    assert "请务必于2024年6月13日前报名" in text and "0519-86681234" in text and "名额40人" in text


def test_it_prints_a_volunteer_teams_weekly_schedule_without_phone_numbers(login, committee_user, community):
    team = VolunteerTeam.objects.create(community=community, name="助老服务队", service="上门陪护", leader="葛鸿平")
    VolunteerMember.objects.create(team=team, name="陈静", phone="13812345678")
    VolunteerMember.objects.create(team=team, name="王芳", phone="13987654321")
    VolunteerShift.objects.create(team=team, weekday=1, starts=datetime.time(8), ends=datetime.time(10),
                                  place="3幢", task="陪护独居老人")
    VolunteerShift.objects.create(team=team, weekday=5, starts=datetime.time(14), ends=datetime.time(16, 30),
                                  place="活动室", task="读报")
    text = text_of(login(committee_user).get(reverse("committee:volunteer_schedule_pdf", args=[team.pk])))
    assert "助老服务队志愿服务排班表" in text and "上门陪护" in text and "葛鸿平" in text
    assert "周二08:00—10:00" in text and "陪护独居老人" in text
    assert "周六14:00—16:30" in text and "读报" in text
    assert "队员（2人）" in text and "王芳、陈静" in text
    assert not MOBILE.search(text)


@pytest.fixture
def ledger(community, other_community):
    chairs = Asset.objects.create(community=community, name="折叠椅", unit="把", location="活动室")
    laptop = Asset.objects.create(community=community, name="笔记本电脑", unit="台", location="办公室")
    elsewhere = Asset.objects.create(community=other_community, name="投影仪", unit="台")
    for asset, quantity in ((chairs, 37), (laptop, 3), (elsewhere, 1)):
        record_movement(asset=asset, kind=AssetMovement.Kind.BOUGHT, quantity=quantity, on=DAY)
    record_movement(asset=chairs, kind=AssetMovement.Kind.WRITTEN_OFF, quantity=6, on=DAY + datetime.timedelta(days=1),
                    source="损坏")
    return {"chairs": chairs, "laptop": laptop}


def test_it_prints_the_handover_list_of_a_day_with_its_signature_lines(login, committee_user, community, ledger):
    text = text_of(login(committee_user).get(reverse("committee:asset_handover_pdf"), {"on": "2024-06-15"}))
    assert f"{community.name}居民委员会财产移交清单" in text
    assert "截至2024年6月15日，财物台账在册物品共2项" in text
    assert "折叠椅37把活动室" in text and "笔记本电脑3台办公室" in text and "投影仪" not in text
    assert "移交人" in text and "接收人" in text and "监交人" in text and "签字" in text


def test_it_prints_todays_handover_list_by_default(login, street_staff, community, ledger):
    text = text_of(login(street_staff).get(reverse("committee:asset_handover_pdf")))
    today = timezone.localdate()
    assert f"截至{today.year}年{today.month}月{today.day}日" in text
    assert "折叠椅31把" in text  # after the write-off of six


def test_it_answers_a_bad_handover_date_with_400(login, committee_user, ledger):
    response = login(committee_user).get(reverse("committee:asset_handover_pdf"), {"on": "2024-13-45"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()


def test_it_gives_another_communitys_committee_only_their_own_handover_list(login, other_committee_user, ledger):
    text = text_of(login(other_committee_user).get(reverse("committee:asset_handover_pdf"), {"on": "2024-06-15"}))
    assert "投影仪1台" in text and "折叠椅" not in text and "笔记本电脑" not in text
