import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from committee.models import Composition, Decision, MeetingStatus, Motion
from committee.services.meetings import (
    add_attendee,
    mark_attendance,
    notify_meeting,
    open_attendance,
    plan_meeting,
    quorum,
    record_decision,
    record_mediation_outcome,
    record_minutes,
    vote_motion,
)
from residents.services.representatives import add_unit_representative
from tests.residents.factories import RepresentativeFactory, ResidentFactory

from .factories import MatterFactory, at, committee_term

TODAY = timezone.localdate()


def in_days(days):
    return at(TODAY + datetime.timedelta(days=days))


def residents_meeting(community, composition=Composition.ADULTS, days=5):
    meeting = plan_meeting(community=community, kind="residents", composition=composition, title="居民会议",
                           agenda="审议居委会工作报告", place="社区活动中心", starts=in_days(days))
    notify_meeting(meeting=meeting, on=TODAY)
    return meeting


def present(meeting, count):
    for attendee in meeting.attendees.order_by("id")[:count]:
        mark_attendance(attendee=attendee, present=True)


@pytest.mark.django_db
def test_it_refuses_a_decision_of_a_residents_meeting_without_quorum(community):
    for _ in range(5):
        ResidentFactory(community=community)
    meeting = residents_meeting(community)
    open_attendance(meeting=meeting)
    present(meeting, 2)
    q = quorum(meeting)
    assert (q.entitled, q.present, q.needed, q.met) == (5, 2, 3, False)
    with pytest.raises(ValidationError, match="未达到法定人数"):
        vote_motion(meeting=meeting, text="同意加装电梯", votes_for=2, votes_against=0, abstentions=0)
    with pytest.raises(ValidationError, match="须经出席人过半数表决通过"):
        record_decision(meeting=meeting, text="加装电梯", owner="方学全")
    assert not Decision.objects.exists()
    # The database refuses an adopted motion without quorum too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.create(meeting=meeting, text="x", entitled=5, present=2, quorum_required=True, votes_for=2,
                              result=Motion.Result.ADOPTED)
    present(meeting, 3)
    motion = vote_motion(meeting=meeting, text="同意加装电梯", votes_for=3, votes_against=0, abstentions=0)
    assert motion.result == Motion.Result.ADOPTED
    decision = record_decision(meeting=meeting, text="加装电梯", owner="方学全", motion=motion)
    assert decision.status == "open"


@pytest.mark.django_db
def test_it_adopts_a_motion_only_with_more_than_half_of_those_present(community):
    committee_term(community)
    meeting = plan_meeting(community=community, kind="committee", title="居委会会议", agenda="购置办公电脑",
                           place="会议室", starts=at(TODAY))
    open_attendance(meeting=meeting)
    present(meeting, 6)
    tied = vote_motion(meeting=meeting, text="购置电脑", votes_for=3, votes_against=2, abstentions=1)
    assert tied.result == Motion.Result.REJECTED
    with pytest.raises(ValidationError, match="须经出席人过半数表决通过"):
        record_decision(meeting=meeting, text="购置电脑", owner="吴逸芸", motion=tied)
    adopted = vote_motion(meeting=meeting, text="购置电脑", votes_for=4, votes_against=2, abstentions=0)
    assert (adopted.result, adopted.present, adopted.entitled) == (Motion.Result.ADOPTED, 6, 7)
    with pytest.raises(ValidationError, match="超过实到人数"):
        vote_motion(meeting=meeting, text="x", votes_for=5, votes_against=2, abstentions=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.create(meeting=meeting, text="x", entitled=7, present=6, votes_for=3,
                              result=Motion.Result.ADOPTED)


@pytest.mark.django_db
def test_it_refuses_a_fourth_mediation_session_on_the_same_matter(community):
    matter = MatterFactory(community=community)
    for number in range(1, 4):
        meeting = plan_meeting(community=community, kind="mediation", title=f"第{number}次协调会", agenda="漏水",
                               place="调解室", starts=at(TODAY + datetime.timedelta(days=8 * number)), matter=matter)
        assert meeting.session_number == number
        assert set(meeting.attendees.values_list("name", flat=True)) == {"王建国", "李秀英"}
    with pytest.raises(ValidationError, match="以3次为限.*不能召开第4次"):
        plan_meeting(community=community, kind="mediation", title="第4次协调会", agenda="漏水", place="调解室",
                     starts=at(TODAY + datetime.timedelta(days=40)), matter=matter)
    assert matter.sessions.count() == 3


@pytest.mark.django_db
def test_it_closes_a_matter_without_agreement_after_the_third_session(community):
    matter = MatterFactory(community=community)
    for number in range(1, 4):
        meeting = plan_meeting(community=community, kind="mediation", title="协调会", agenda="漏水", place="调解室",
                               starts=at(TODAY), matter=matter, urgent=True)
        open_attendance(meeting=meeting)
        record_mediation_outcome(meeting=meeting, outcome="no_agreement", agreement="双方意见分歧较大")
        record_minutes(meeting=meeting, minutes="各自陈述", chair="吴逸芸", recorder="蒋惠琴", on=TODAY)
        matter.refresh_from_db()
        assert matter.status == ("no_agreement" if number == 3 else "open")


@pytest.mark.django_db
def test_it_warns_when_the_notice_period_of_the_kind_is_short(community):
    short = plan_meeting(community=community, kind="residents", composition=Composition.REPRESENTATIVES,
                         title="居民代表会议", agenda="议题", place="会议室", starts=in_days(2))
    warnings = notify_meeting(meeting=short, on=TODAY).warnings
    assert warnings == ("通知期不足：居民会议应至少提前3天通知并告知议题，本次仅提前2天",)
    short.refresh_from_db()
    assert short.status == MeetingStatus.NOTIFIED and short.doc_number.startswith(f"〔{TODAY.year}〕第")
    enough = plan_meeting(community=community, kind="residents", composition=Composition.REPRESENTATIVES,
                          title="居民代表会议", agenda="议题", place="会议室", starts=in_days(3))
    assert notify_meeting(meeting=enough, on=TODAY).warnings == ()
    matter = MatterFactory(community=community)
    mediation = plan_meeting(community=community, kind="mediation", title="协调会", agenda="漏水", place="调解室",
                             starts=at(TODAY + datetime.timedelta(days=5)), matter=matter)
    assert "应至少提前7天" in notify_meeting(meeting=mediation, on=TODAY).warnings[0]
    urgent = plan_meeting(community=community, kind="mediation", title="协调会", agenda="冲突激化", place="调解室",
                          starts=at(TODAY + datetime.timedelta(days=1)), matter=matter, urgent=True)
    assert notify_meeting(meeting=urgent, on=TODAY).warnings == ()


@pytest.mark.django_db
def test_it_warns_when_a_hearing_is_scheduled_more_than_seven_days_after_the_request(community):
    hearing = plan_meeting(community=community, kind="hearing", title="加装电梯听证会", agenda="加装电梯",
                           place="会议室", starts=at(TODAY + datetime.timedelta(days=3)), requester="区住建局",
                           requested_on=TODAY - datetime.timedelta(days=9))
    assert notify_meeting(meeting=hearing, on=TODAY).warnings == (
        "听证会应在收到书面听证要求后7日内确定时间、地点和人员并通知，本次在第9日",)


@pytest.mark.django_db
def test_it_derives_the_entitled_list_of_each_composition_with_ex_officio_members(community):
    head = ResidentFactory(community=community, relation="head")
    ResidentFactory(community=community, household=head.household, relation="spouse")
    ResidentFactory(community=community, birth_date=TODAY.replace(year=TODAY.year - 10))  # a child: not entitled
    rep = RepresentativeFactory(resident=ResidentFactory(community=community))
    term = committee_term(community, size=5)
    director = term.members.get(position="director")
    director.resident = rep.resident
    director.save()
    adults_meeting = residents_meeting(community, Composition.ADULTS)
    assert open_attendance(meeting=adults_meeting) == 3
    households = residents_meeting(community, Composition.HOUSEHOLDS)
    open_attendance(meeting=households)
    seats = households.attendees
    assert seats.filter(kind="household").count() == 2
    assert seats.get(household=head.household).name == head.name
    assert seats.filter(kind="ex_officio").count() == 5
    representatives = residents_meeting(community, Composition.REPRESENTATIVES)
    open_attendance(meeting=representatives)
    assert representatives.attendees.filter(kind="representative").count() == 1
    # The director is a representative already: seated once, the four other members ex officio.
    assert representatives.attendees.filter(kind="ex_officio").count() == 4
    ResidentFactory(community=community)
    assert adults_meeting.attendees.count() == 3  # the snapshot does not move


@pytest.mark.django_db
def test_it_seats_a_units_representative_at_a_representatives_meeting(community):
    RepresentativeFactory(resident=ResidentFactory(community=community))
    add_unit_representative(community=community, unit_name="市第三中学", person_name="吴霞", sex="F",
                            starts=TODAY - datetime.timedelta(days=30))
    meeting = residents_meeting(community, Composition.REPRESENTATIVES)
    assert open_attendance(meeting=meeting) == 2
    unit = meeting.attendees.get(resident__isnull=True)
    assert (unit.kind, unit.name, unit.note) == ("representative", "吴霞", "市第三中学")


@pytest.mark.django_db
def test_it_does_not_count_guests_toward_quorum(community):
    committee_term(community, size=3)
    meeting = plan_meeting(community=community, kind="joint", title="党政联席会议", agenda="通报", place="会议室",
                           starts=at(TODAY))
    add_attendee(meeting=meeting, name="李书记", note="党支部书记")
    add_attendee(meeting=meeting, name="街道联络员", counts=False)
    open_attendance(meeting=meeting)
    assert quorum(meeting).entitled == 4


@pytest.mark.django_db
def test_the_meeting_page_offers_only_the_adopted_motions_not_yet_carried_out(community, login, committee_user):
    for _ in range(5):
        ResidentFactory(community=community)
    meeting = residents_meeting(community)
    open_attendance(meeting=meeting)
    present(meeting, 3)
    done = vote_motion(meeting=meeting, text="同意加装电梯", votes_for=3, votes_against=0, abstentions=0)
    record_decision(meeting=meeting, text="加装电梯", owner="方学全", motion=done)
    vote_motion(meeting=meeting, text="同意修缮车棚", votes_for=3, votes_against=0, abstentions=0)
    page = login(committee_user).get(f"/committee/meetings/{meeting.pk}/").content.decode()
    select = page[page.index('name="motion"'):]
    select = select[:select.index("</select>")]
    assert "同意修缮车棚" in select and "同意加装电梯" not in select
