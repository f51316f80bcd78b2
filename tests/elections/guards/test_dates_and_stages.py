"""Elections III, sections 1–3 (dates, stages in order, ballot accounting): guards the law puts on an
election (docs/domain.md, Elections: guards), each through the service and through the page, refused and allowed.
The numbers in the section titles are the issue's points."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import (
    BoxKind,
    CountingRole,
    ElectionStatus,
    ElectionWorker,
    Mode,
)
from elections.services import certification as cert
from elections.services import roll, setup, sheets, voting
from tests.elections.factories import ElectionFactory, rule_set
from tests.factories import UserFactory
from tests.residents.factories import ResidentFactory

from .. import stages
from .common import DAY, TODAY, _certified, days, posted_election

pytestmark = pytest.mark.django_db


# 1. Dates ------------------------------------------------------------------------------------------------------


def test_it_refuses_an_election_day_in_the_past_and_records_one_too_near(community):
    with pytest.raises(ValidationError, match="不在今天之后"):
        setup.create_election(community=community, rule_set=rule_set(), term_number=1, mode=Mode.DIRECT,
                              election_day=TODAY - days(1))
    near = setup.create_election(community=community, rule_set=rule_set(), term_number=1, mode=Mode.DIRECT,
                                 election_day=TODAY + days(15))
    assert "已不能按期公布" in near.value.warnings.get().text
    assert near.warnings == (near.value.warnings.get().text,)
    far = setup.create_election(community=ResidentFactory().community, rule_set=rule_set(), term_number=1,
                                mode=Mode.DIRECT, election_day=TODAY + days(30))
    assert not far.value.warnings.exists() and far.warnings == ()


def test_the_election_page_refuses_a_past_day_keeping_what_was_typed(login, street_staff, community):
    client = login(street_staff)
    data = {"community": community.code, "rule_set": rule_set().pk, "term_number": 3, "mode": "direct",
            "election_day": "2020-01-01"}
    page = client.post(reverse("elections:index"), data).content.decode()
    assert "不在今天之后" in page and 'value="2020-01-01"' in page and 'value="3"' in page
    response = client.post(reverse("elections:index"), data | {"election_day": DAY.isoformat()})
    assert response.status_code == 302


def test_it_refuses_to_open_voting_before_the_first_voting_day(community):
    election = posted_election(community)
    with pytest.raises(ValidationError, match="不是投票日：投票从2030年2月20日开始"):
        voting.open_polling(election=election)
    with stages.on(DAY):
        assert voting.open_polling(election=election).status == ElectionStatus.VOTING


def test_a_mobile_box_opens_voting_on_its_route_days_and_issues_only_then(community):
    election = posted_election(community)
    with stages.on(DAY - days(2)):
        box = voting.add_box(election=election, code="M1", kind=BoxKind.MOBILE, name="流动票箱一",
                             starts_on=DAY - days(1), ends_on=DAY - days(1))
        venue = voting.add_box(election=election, code="C", kind=BoxKind.VENUE, name="中心会场")
        for name in ["周箱", "吴箱", stages.COMMITTEE[1]]:
            ElectionWorker.objects.create(election=election, name=name, role=CountingRole.BOX_STAFF, box=box)
        setup.record_stage(election=election, stage="mobile_list", on=DAY - days(2))
        with pytest.raises(ValidationError, match="投票从2030年2月19日开始"):
            voting.open_polling(election=election)
    voter = election.roll.first()
    with stages.on(DAY - days(1)):
        voting.open_polling(election=election)
        with pytest.raises(ValidationError, match="只在选举日（2030年2月20日）发放选票"):
            voting.issue_ballot(election=election, box=venue, voter=voter)
        voting.issue_ballot(election=election, box=box, voter=voter)


def test_the_page_refuses_to_open_voting_early(login, street_staff, community):
    election = posted_election(community)
    page = login(street_staff).post(reverse("elections:counting_stage", args=[election.pk]), {"step": "polling"},
                                    follow=True).content.decode()
    assert "不是投票日" in page
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_POSTED


def test_it_refuses_to_open_the_boxes_before_election_day(community):
    election = stages.at_stage(posted_election(community), ElectionStatus.VOTING, ballots_destroyed=0)
    with pytest.raises(ValidationError, match="开箱计票在选举日"):
        voting.open_counting(election=election)
    with stages.on(DAY, hour=17):
        assert voting.open_counting(election=election).status == ElectionStatus.COUNTING


def test_objections_filed_late_or_decided_late_are_recorded_and_out_of_order_refused(community):
    voter = ResidentFactory(community=community)
    election = ElectionFactory(community=community, election_day=DAY)
    stages.form_committee(election)
    roll.build_voter_roll(election=election)
    roll.post_roll(election=election, on=TODAY)
    election.refresh_from_db()
    with pytest.raises(ValidationError, match="早于选民名单公布"):
        roll.file_objection(election=election, resident=voter, kind="included", filed_by="王芳", reason="已迁出",
                            on=TODAY - days(1))
    with stages.on(TODAY + days(7)):
        objection = roll.file_objection(election=election, resident=voter, kind="included", filed_by="王芳",
                                        reason="已迁出").value
        assert "超过名单公布之日起5日的申诉期限" in election.warnings.get(stage="objections").text
        with pytest.raises(ValidationError, match="早于异议提出"):
            roll.decide_objection(objection=objection, upheld=False, note="不成立", on=TODAY + days(6))
    with stages.on(TODAY + days(11)):
        roll.decide_objection(objection=objection, upheld=False, note="核实仍在住")
    assert election.warnings.filter(stage="objections", text__contains="3日的期限").exists()


def test_a_handover_late_is_recorded_and_one_dated_before_certification_refused(community):
    election = _certified(community)
    with stages.on(TODAY + days(12)):
        with pytest.raises(ValidationError, match="不能早于结果确认日期"):
            cert.hand_over(election=election, starts=TODAY - days(1))
        cert.hand_over(election=election)
    assert "工作移交于2030年1月22日完成，晚于规定的2030年1月13日" in election.warnings.get(stage="handover").text


# 2. Stages in order ------------------------------------------------------------------------------------------


def test_voting_cannot_open_before_the_roll_and_candidates_are_posted(community):
    election = stages.at_stage(posted_election(community), ElectionStatus.ROLL_POSTED)
    with stages.on(DAY), pytest.raises(ValidationError, match="须先公布选民名单和正式候选人名单"):
        voting.open_polling(election=election)


def test_after_certification_objections_committee_members_and_counters_are_refused(community):
    election = _certified(community)
    resident = ResidentFactory(community=election.community)
    election.refresh_from_db()
    with pytest.raises(ValidationError, match="投票已经开始"):
        roll.file_objection(election=election, resident=resident, kind="omitted", filed_by="王", reason="漏登")
    with pytest.raises(ValidationError, match="投票前公告的事项不能再修改"):
        setup.add_committee_member(election=election, name="新成员")
    with pytest.raises(ValidationError, match="投票前公告的事项不能再修改"):
        setup.add_worker(election=election, name="新计票", role=CountingRole.COUNTER)


def test_workers_are_appointed_before_voting_and_frozen_then(community, login, street_staff):
    election = posted_election(community)
    setup.add_worker(election=election, name="郑唱票", role=CountingRole.CALLER)
    stages.at_stage(election, ElectionStatus.VOTING)
    page = login(street_staff).post(reverse("elections:add_worker", args=[election.pk]),
                                    {"name": "加计票", "role": "counter"}, follow=True).content.decode()
    assert "投票前公告的事项不能再修改" in page and 'value="加计票"' in page
    assert not election.workers.filter(name="加计票").exists()


def test_an_objection_upheld_after_voting_opened_cannot_change_the_roll(community):
    election = posted_election(community)
    voter = election.roll.first()
    objection = roll.file_objection(election=election, resident=voter.resident, kind="included", filed_by="王",
                                    reason="已迁出").value
    stages.at_stage(election, ElectionStatus.VOTING)
    with pytest.raises(ValidationError, match="选民名单不能再更改"):
        roll.decide_objection(objection=objection, upheld=True, note="成立")
    assert election.roll.filter(pk=voter.pk).exists()


# 3. Ballot accounting ------------------------------------------------------------------------------------------


def test_ballots_issued_never_exceed_the_voters_plus_the_recorded_spares(community):
    election = posted_election(community)  # 4 voters
    with pytest.raises(ValidationError, match="发出选票将达 300 张，多于登记选民 4 人加备用选票 0 张"):
        voting.add_box(election=election, code="T", kind=BoxKind.STATION, name="测试票箱", issued=300)
    with pytest.raises(ValidationError, match="选举委员会的决定"):
        voting.set_spare_ballots(election=election, spare=2, note="")
    voting.set_spare_ballots(election=election, spare=2, note="选举委员会1月9日会议决定")
    assert voting.add_box(election=election, code="T", kind=BoxKind.STATION, name="投票站", issued=6).issued == 6


def test_a_box_issued_more_than_its_voters_asks_for_a_reason(community):
    election = posted_election(community)
    voting.set_spare_ballots(election=election, spare=4, note="决定")
    with pytest.raises(ValidationError, match="请写明超发说明"):
        voting.add_box(election=election, code="M1", kind=BoxKind.MOBILE, name="流动", issued=5, voters=3)
    box = voting.add_box(election=election, code="M1", kind=BoxKind.MOBILE, name="流动", issued=5, voters=3,
                         over_reason="两张备用，以防写错")
    assert box.over_reason == "两张备用，以防写错"


def test_unused_ballots_are_counted_and_destroyed_before_the_boxes_open(community, login, street_staff):
    election = posted_election(community)
    voting.set_spare_ballots(election=election, spare=1, note="决定")
    voting.add_box(election=election, code="C", kind=BoxKind.VENUE, name="中心会场", issued=3)
    stages.at_stage(election, ElectionStatus.VOTING)
    with stages.on(DAY, hour=17):
        with pytest.raises(ValidationError, match="开箱计票前须清点"):
            voting.open_counting(election=election)
        with pytest.raises(ValidationError, match="剩余 2 张"):
            voting.record_destroyed(election=election, destroyed=3)
        client = login(street_staff)
        page = client.post(reverse("elections:ballots_act", args=[election.pk, "destroyed"]), {"destroyed": "2"},
                           follow=True).content.decode()
        assert "已登记剩余选票作废销毁" in page
        assert voting.open_counting(election=election).status == ElectionStatus.COUNTING


def test_a_mistaken_box_is_withdrawn_before_voting_with_its_reason_never_emptied_by_a_blank_sheet(community):
    election = posted_election(community)
    voting.set_spare_ballots(election=election, spare=300, note="决定")
    box = voting.add_box(election=election, code="T", kind=BoxKind.STATION, name="测试票箱", issued=300)
    with pytest.raises(ValidationError, match="请写明撤销理由"):
        voting.withdraw_box(box=box, reason=" ")
    voting.withdraw_box(box=box, reason="测试时误建")
    box.refresh_from_db()
    assert box.issued == 0 and "测试票箱" not in election.warnings.get(stage="boxes").text
    assert "票箱T（发出选票300张）撤销：测试时误建" == election.warnings.get(stage="boxes").text
    other = voting.add_box(election=election, code="S", kind=BoxKind.STATION, name="投票站", issued=3)
    stages.counting(election)
    with stages.on(DAY, hour=17):
        with pytest.raises(ValidationError, match="不能以空白计票单清空"):
            sheets.enter_tally_sheet(box=other, returned=0, valid=0, invalid=0, counts={}, user=UserFactory())
        with pytest.raises(ValidationError, match="投票开始后票箱不能撤销"):
            voting.withdraw_box(box=other, reason="晚了")


def test_a_posted_date_or_the_election_day_changed_goes_on_the_record(election):
    setup.record_stage(election=election, stage="announcement", on=TODAY - days(5))
    setup.record_stage(election=election, stage="announcement", on=TODAY - days(3))
    assert "选举公告的日期由2030年1月5日改为2030年1月7日。" in election.warnings.get(stage="announcement").text
    with pytest.raises(ValidationError, match="不在今天之后"):
        setup.update_election(election=election, election_day=TODAY)
    setup.update_election(election=election, election_day=DAY + days(7))
    assert "选举日由2030年2月20日改为2030年2月27日。" == election.warnings.get(stage="election").text
