"""Property tests of the dates of every committee and disclosure register: for any pair of dates out of order,
and for any day after today where something done is recorded, the service refuses, naming the field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committee.models import (
    Asset,
    Decision,
    MailboxItem,
    Meeting,
    Petition,
    ResponsibilityZone,
    ReviewSubject,
    VolunteerTeam,
)
from committee.services import add_volunteer, meetings, petitions, registers
from disclosure import services as disclosure
from disclosure.models import Category
from tests.committee.factories import MailboxFactory, MatterFactory, MeetingFactory, MemberFactory, TermFactory, at
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Two different days, earlier first, both past or today: the order is what is wrong, not the calendar.
DAYS = st.dates(min_value=datetime.date(2010, 1, 1), max_value=TODAY)
PAIRS = st.tuples(DAYS, DAYS).filter(lambda p: p[0] != p[1]).map(sorted)


def _meeting(community, day, **fields) -> Meeting:
    fields.setdefault("status", "open")
    return MeetingFactory(community=community, starts=at(day), **fields)


def minutes_before_meeting(community, earlier, later):
    meeting = _meeting(community, later, kind="staff")
    meetings.record_minutes(meeting=meeting, minutes="记录", chair="吴逸芸", recorder="方学全", on=earlier)


def decision_due_before_meeting(community, earlier, later):
    meetings.record_decision(meeting=_meeting(community, later, kind="staff"), text="修车棚", owner="方学全",
                             due=earlier)


def progress_before_meeting(community, earlier, later):
    decision = Decision.objects.create(meeting=_meeting(community, later, kind="staff"), text="修车棚", owner="方学全")
    meetings.add_progress(decision=decision, note="已联系施工方", on=earlier)


def report_before_done(community, earlier, later):
    decision = Decision.objects.create(meeting=_meeting(community, datetime.date(2010, 1, 1), kind="staff"),
                                       text="修车棚", owner="方学全", status="done", done_on=later)
    meetings.report_back(decision=decision, on=earlier, to="居民会议")


def hearing_result_before_hearing(community, earlier, later):
    meeting = _meeting(community, later, kind="hearing", status="closed", minutes_recorded_on=later,
                       requested_on=later)
    meetings.post_hearing_result(meeting=meeting, on=earlier)


def notice_before_request(community, earlier, later):
    meeting = MeetingFactory(community=community, kind="hearing", requested_on=later,
                             starts=at(TODAY + datetime.timedelta(days=5)))
    meetings.notify_meeting(meeting=meeting, on=earlier)


def hearing_before_request(community, earlier, later):
    meetings.plan_meeting(community=community, kind="hearing", title="加装电梯听证会", agenda="电梯", place="会议室",
                          starts=at(earlier), requester="区住建局", requested_on=later)


def mediation_before_matter(community, earlier, later):
    matter = MatterFactory(community=community, opened_on=later)
    meetings.plan_meeting(community=community, kind="mediation", title="协调会", agenda="漏水", place="调解室",
                          starts=at(earlier), matter=matter, urgent=True)


def review_report_asked_after_review(community, earlier, later):
    meetings.add_review_subject(meeting=_meeting(community, earlier, kind="review"), organisation="物业公司",
                                report_requested_on=later)


def review_report_received_before_asked(community, earlier, later):
    subject = ReviewSubject.objects.create(meeting=_meeting(community, later, kind="review"), organisation="物业公司",
                                           report_requested_on=later)
    meetings.grade_review_subject(subject=subject, report_received_on=earlier, grade="pass", opinion="",
                                  feedback_sent_on=None)


def answer_before_letter(community, earlier, later):
    registers.answer_item(item=MailboxFactory(community=community, received_on=later), answer="已处理", by="吴逸芸",
                          on=earlier)


def closed_before_answer(community, earlier, later):
    item = MailboxFactory(community=community, received_on=later, answer="已处理", answered_on=later,
                          status=MailboxItem.Status.ANSWERED)
    registers.close_item(item=item, on=earlier)


def signature_before_petition(community, earlier, later):
    petition = Petition.objects.create(community=community, composition="adults", subject="停车收费", filed_on=later)
    petitions.add_signature(petition=petition, resident=ResidentFactory(community=community), on=earlier)


def item_period_ends_before_it_starts(community, earlier, later):
    disclosure.create_item(community=community, category=Category.ON_REQUEST, title="停车收费标准",
                           period_start=later, period_end=earlier, body="收费标准见附件。")


BEFORE_ITS_NEIGHBOUR = [minutes_before_meeting, decision_due_before_meeting, progress_before_meeting,
                        report_before_done, hearing_result_before_hearing, notice_before_request,
                        hearing_before_request, mediation_before_matter, review_report_asked_after_review,
                        review_report_received_before_asked, answer_before_letter, closed_before_answer,
                        signature_before_petition, item_period_ends_before_it_starts]


def written(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.parametrize("register", BEFORE_ITS_NEIGHBOUR, ids=lambda f: f.__name__)
@SETTINGS
@given(pair=PAIRS)
def test_it_refuses_any_date_out_of_order_with_its_neighbour(community, register, pair):
    earlier, later = pair
    with pytest.raises(ValidationError) as refused:
        register(community, earlier, later)
    assert any(written(earlier) in m or written(later) in m for m in refused.value.messages)


def seal_use(community, day):
    registers.record_seal_use(community=community, used_on=day, reason="出具证明", user_name="王建国",
                              stamped_by="吴逸芸")


def letter(community, day):
    registers.receive_item(community=community, channel="visit", received_on=day, subject="路灯不亮")


def visit(community, day):
    zone = ResponsibilityZone.objects.filter(community=community).first() or ResponsibilityZone.objects.create(
        community=community, name="1-5幢", member=MemberFactory(term=TermFactory(community=community)))
    registers.record_visit(zone=zone, visited_on=day, visited="3幢住户")


def purchase(community, day):
    asset = Asset.objects.get_or_create(community=community, name="折叠椅")[0]
    registers.record_movement(asset=asset, kind="bought", quantity=1, on=day, value=Decimal("50"))


def minutes(community, day):
    meeting = _meeting(community, TODAY, kind="staff")
    meetings.record_minutes(meeting=meeting, minutes="记录", chair="吴逸芸", recorder="方学全", on=day)


def volunteer(community, day):
    team = VolunteerTeam.objects.get_or_create(community=community, name="巡逻队")[0]
    add_volunteer(team=team, name=f"志愿者{day:%Y%m%d}", joined_on=day)


def petition(community, day):
    petitions.file_petition(community=community, composition="adults", subject="停车收费", filed_on=day)


def matter(community, day):
    meetings.open_matter(community=community, subject="漏水", facts="", opened_on=day, parties=["王建国", "李秀英"])


def monthly_item(community, day):
    start = day.replace(day=1)
    disclosure.create_item(community=community, category=Category.FINANCES, title="社区经费收支",
                           period_start=start, period_end=disclosure.month_end(start), body="收支见表。")


NOT_AFTER_TODAY = [seal_use, letter, visit, purchase, minutes, volunteer, petition, matter, monthly_item]


@pytest.mark.parametrize("register", NOT_AFTER_TODAY, ids=lambda f: f.__name__)
@SETTINGS
@given(ahead=st.integers(min_value=1, max_value=3 * 365))
def test_it_refuses_any_day_after_today(community, register, ahead):
    with pytest.raises(ValidationError, match="晚于今天|尚未结束"):
        register(community, TODAY + datetime.timedelta(days=ahead))


@SETTINGS
@given(value=st.decimals(max_value=Decimal("-0.01"), min_value=Decimal("-99999999"), places=2))
def test_it_refuses_any_negative_amount(community, value):
    asset = Asset.objects.get_or_create(community=community, name="折叠椅")[0]
    with pytest.raises(ValidationError, match="金额（元）不能为负数"):
        registers.record_movement(asset=asset, kind="written_off", quantity=1, on=TODAY, value=value, source="损坏")
    assert not asset.movements.exists()
