import datetime

import pytest
from django.utils import timezone

from committee.models import Decision, Meeting
from tests.committee.factories import committee_term
from tests.factories import PASSWORD, CommunityFactory, committee_of
from tests.residents.factories import ResidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_notifies_a_residents_meeting_takes_attendance_votes_records_minutes_and_tracks_the_decision(
        page, live_server, log_in):
    community = CommunityFactory(name="后北岸社区")
    committee_term(community)
    for name in ["王建国", "李秀英", "陈静"]:
        ResidentFactory(community=community, name=name)
    user = committee_of(community)
    # Held four days ago and notified a week before: its minutes and the decision's progress are recorded
    # today, never before the meeting.
    day = timezone.localdate() - datetime.timedelta(days=4)
    log_in(page, user.username, PASSWORD)

    page.goto(f"{live_server.url}/committee/meetings/new/")
    page.select_option("#id_kind", "residents")
    page.select_option("#id_composition", "adults")
    page.fill("#id_title", "2025年上半年居民会议")
    page.fill("#id_agenda", "一、审议居委会工作报告\n二、讨论加装电梯")
    page.fill("#id_place", "社区活动中心")
    page.fill("#id_starts", f"{day:%Y-%m-%d}T19:00")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#notify-form")

    page.fill("#notify-form #id_on", f"{day - datetime.timedelta(days=7):%Y-%m-%d}")
    page.click("#notify-form button[type=submit]")
    page.wait_for_selector("text=打印通知（PDF）")
    assert "通知期不足" not in page.content()

    page.click("#open-attendance")
    page.wait_for_selector("text=已按登记生成应到人员名单，共3人")
    assert "应到 3 人，实到 0 人" in page.inner_text("#quorum")
    for count, name in enumerate(["王建国", "李秀英"], start=1):
        page.click(f"button[data-seat='{name}']")
        page.wait_for_selector(f"#quorum:has-text('实到 {count} 人')")
    assert "已过半数" in page.inner_text("#quorum")

    page.click("text=2025年上半年居民会议")
    page.fill("#motion-form #id_text", "同意在3幢加装电梯")
    page.fill("#motion-form #id_votes_for", "2")
    page.fill("#motion-form #id_votes_against", "0")
    page.fill("#motion-form #id_abstentions", "0")
    page.fill("#motion-form #id_owner", "方学全")
    page.fill("#motion-form #id_due", f"{day + datetime.timedelta(days=30):%Y-%m-%d}")
    page.click("#motion-form button[type=submit]")
    page.wait_for_selector("text=表决通过：赞成2票，超过实到2人的半数")

    page.fill("#minutes-form #id_chair", "吴逸芸")
    page.fill("#minutes-form #id_recorder", "蒋惠琴")
    page.fill("#minutes-form #id_minutes", "会议审议了工作报告，表决同意加装电梯。")
    page.click("#minutes-form button[type=submit]")
    page.wait_for_selector("text=会议记录已保存，会议结束")
    assert page.inner_text("#meeting-status") == "已结束"

    page.click("#decisions a:has-text('同意在3幢加装电梯')")
    page.fill("#progress-form #id_note", "已征得3幢全体住户同意，电梯已完成安装验收")
    page.check("#progress-form #id_done")
    page.click("#progress-form button[type=submit]")
    page.wait_for_selector("#decision-status:has-text('已完成')")

    decision = Decision.objects.get()
    assert decision.status == "done" and decision.owner == "方学全"
    meeting = Meeting.objects.get()
    assert meeting.status == "closed" and meeting.attendees.filter(present=True).count() == 2
