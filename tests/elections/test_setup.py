import datetime

import pytest
from django.core.exceptions import ValidationError

from elections.models import CountingRole, RuleSet
from elections.rulesets import install_rule_sets
from elections.services import dates
from elections.services import setup as service
from tests.elections.factories import (
    DEFAULT,
    GANSU,
    JIANGXI,
    LANZHOU,
    CandidateFactory,
    ElectionFactory,
    PositionFactory,
    rule_set,
)
from tests.elections.stages import form_committee, on
from tests.residents.factories import HouseholdFactory, ResidentFactory

DAY = datetime.date(2030, 3, 16)


@pytest.fixture(autouse=True)
def _eve_of_the_vote():
    # The acts of these tests are dated before DAY: the clock stands on the eve of the vote, so none is in the
    # future (an act dated after today is refused).
    with on(DAY - datetime.timedelta(days=1)):
        yield


def test_it_installs_the_rule_sets_once(db):
    install_rule_sets()
    install_rule_sets()
    assert RuleSet.objects.filter(is_template=True).count() == 4
    gansu = RuleSet.objects.get(name=GANSU)
    assert (gansu.candidates_posted_days, gansu.voter_cards_days, gansu.handover_days, gansu.age_rule) == (
        3, 10, 10, "on_day")


def test_it_binds_an_election_to_a_copy_of_its_rule_set(community):
    template = rule_set(DEFAULT)
    election = service.create_election(community=community, rule_set=template, term_number=4, mode="direct",
                                       election_day=DAY).value
    template.candidates_posted_days = 9
    template.save()
    election.rules.refresh_from_db()
    assert election.rules.pk != template.pk and not election.rules.is_template
    assert election.rules.copied_from == template
    assert election.rules.candidates_posted_days == 3
    assert [(p.code, p.seats) for p in election.positions.all()] == [("director", 1), ("deputy", 1), ("member", 5)]
    install_rule_sets()
    assert RuleSet.objects.get(pk=template.pk).candidates_posted_days == 3


def test_it_refuses_a_second_election_of_the_same_term(community):
    service.create_election(community=community, rule_set=rule_set(), term_number=4, mode="direct",
                            election_day=DAY)
    with pytest.raises(ValidationError, match="第4届换届选举已经存在"):
        service.create_election(community=community, rule_set=rule_set(), term_number=4, mode="direct",
                                election_day=DAY)


def test_it_warns_when_the_committee_is_even_or_outside_five_to_nine(community):
    election = ElectionFactory(community=community, positions=True)
    assert service.seat_warnings(election) == []
    assert service.set_seats(election=election, seats={"member": 4}).warnings == ("居委会成员共6人，宜为单数。",)
    assert service.set_seats(election=election, seats={"member": 2}).warnings == ("居委会成员共4人，应为5至9人。",
                                                                                  "居委会成员共4人，宜为单数。")


def test_it_keeps_one_chair_of_the_election_committee(community):
    election = ElectionFactory(community=community)
    service.add_committee_member(election=election, name="江兆", role="chair")
    with pytest.raises(ValidationError, match="已有主任"):
        service.add_committee_member(election=election, name="陈海树", role="chair")


def test_it_refuses_a_candidate_or_close_relative_as_scrutineer_or_counter(community):
    election = ElectionFactory(community=community)
    household = HouseholdFactory(community=community)
    candidate_person = ResidentFactory(community=community, household=household, relation="head")
    spouse = ResidentFactory(community=community, household=household, relation="spouse")
    lodger = ResidentFactory(community=community, household=household, relation="other")
    CandidateFactory(position=PositionFactory(election=election), resident=candidate_person,
                     name=candidate_person.name)
    with pytest.raises(ValidationError, match="是候选人，不得担任监票人或计票人"):
        service.add_worker(election=election, name="", role=CountingRole.COUNTER, resident=candidate_person)
    with pytest.raises(ValidationError, match=f"是候选人{candidate_person.name}的近亲属"):
        service.add_worker(election=election, name="", role=CountingRole.SCRUTINEER, resident=spouse)
    service.add_worker(election=election, name="", role=CountingRole.CALLER, resident=spouse)
    service.add_worker(election=election, name="", role=CountingRole.SCRUTINEER, resident=lodger, is_chief=True)
    assert election.workers.count() == 2


@pytest.mark.parametrize(("rules_name", "expected"), [
    (DEFAULT, {"roll": 20, "cards": 2, "candidates": 3, "proxies": 1, "handover": -3}),
    (GANSU, {"roll": 20, "cards": 10, "candidates": 3, "proxies": 3, "handover": -10}),
    (LANZHOU, {"roll": 20, "cards": 2, "candidates": 5, "proxies": 1, "handover": -3}),
])
def test_it_computes_the_deadlines_from_the_rule_set(community, rules_name, expected):
    election = service.create_election(community=community, rule_set=rule_set(rules_name), term_number=5,
                                       mode="direct", election_day=DAY).value
    due = dates.deadlines(election)
    assert {k: (DAY - due[k]).days for k in expected} == expected


def test_it_marks_stages_done_and_late_on_the_timeline(community):
    election = ElectionFactory(community=community, election_day=DAY)
    stages = {s.key: s for s in dates.timeline(election)}
    assert not stages["roll"].done
    assert stages["roll"].late(DAY - datetime.timedelta(days=19))
    assert not stages["roll"].late(DAY - datetime.timedelta(days=20))
    with pytest.raises(ValidationError, match="发放选民证"):
        service.record_stage(election=election, stage="cards", on=DAY)


def test_it_loads_the_demo_election_once(community):
    from elections import demo
    from elections.models import CandidateStatus, Election, ElectionStatus

    names = {n for names in demo.FORMS.values() for n in names} | {n for names in demo.FORMAL.values() for n in names}
    names |= {n for n, _role in demo.COMMITTEE} | {n for n, _role, _chief in demo.WORKERS}
    for name in names:
        ResidentFactory(community=community, name=name)
    demo.load(street=community.street, size="small")
    demo.load(street=community.street, size="small")
    election = Election.objects.get(community=community)
    assert election.status == ElectionStatus.ROLL_POSTED and election.roll.count() == len(names)
    assert election.candidates.filter(status=CandidateStatus.FORMAL).count() == 10
    assert election.committee_members.count() == 7
    assert all(m.resident_id for m in election.committee_members.all())
    assert not election.warnings.exists()


def test_it_lists_late_and_coming_stages_on_the_dashboard(community, street_staff, login):
    election = ElectionFactory(community=community, election_day=dates.today() + datetime.timedelta(days=10))
    todos = service.stage_todos(user=street_staff, communities=[community])
    late = [t for t in todos if t.late]
    assert any(t.text == f"{election.name}：选民名单张榜公布" for t in late)
    assert f"{election.name}：选民名单张榜公布" in login(street_staff).get("/").content.decode()


@pytest.mark.parametrize(("rules_name", "days"), [(DEFAULT, 2), (GANSU, 10)])
def test_voter_cards_handed_out_late_are_recorded_as_late(community, rules_name, days):
    from elections.services.roll import build_voter_roll, post_roll
    from tests.elections.factories import rules_copy

    ResidentFactory(community=community)
    election = ElectionFactory(community=community, election_day=DAY, rules=rules_copy(rules_name))
    form_committee(election)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=25))
    election.refresh_from_db()
    with pytest.raises(ValidationError, match="早于选民名单公布"):
        service.record_stage(election=election, stage="cards", on=DAY - datetime.timedelta(days=26))
    service.record_stage(election=election, stage="cards", on=DAY - datetime.timedelta(days=days))
    assert not election.warnings.filter(stage="cards").exists()
    service.record_stage(election=election, stage="cards", on=DAY - datetime.timedelta(days=days - 1))
    late, changed = election.warnings.filter(stage="cards").order_by("id")
    assert late.text.startswith("发放选民证于") and f"选举日2030年3月16日前{days}日" in late.text
    assert changed.text.startswith("发放选民证的日期由")
    assert election.cards_issued_on == DAY - datetime.timedelta(days=days - 1)


@pytest.mark.parametrize(("rules_name", "days"), [(DEFAULT, 3), (JIANGXI, 2)])
def test_a_polling_notice_posted_late_is_on_the_record_and_one_on_election_day_refused(community, rules_name,
                                                                                       days):
    from tests.elections.factories import rules_copy

    election = ElectionFactory(community=community, election_day=DAY, rules=rules_copy(rules_name))
    service.record_stage(election=election, stage="polling_notice", on=DAY - datetime.timedelta(days=days - 1))
    assert "公告投票时间和地点于" in election.warnings.get(stage="polling_notice").text
    with on(DAY), pytest.raises(ValidationError, match="须在选举日（2030年3月16日）之前完成"):
        service.record_stage(election=election, stage="polling_notice", on=DAY)


@pytest.mark.parametrize("status", ["voting", "counting", "closed", "certified"])
def test_it_refuses_to_change_the_venue_or_hours_once_voting_has_opened(community, status):
    election = ElectionFactory(community=community, election_day=DAY, venue="社区活动中心", voting_hours="8:00-12:00",
                               status=status)
    for change in ({"venue": "别处"}, {"voting_hours": "8:00-9:00"}):
        with pytest.raises(ValidationError, match="投票前公告的事项不能再修改"):
            service.update_election(election=election, **change)
    election.refresh_from_db()
    assert (election.venue, election.voting_hours) == ("社区活动中心", "8:00-12:00")


@pytest.mark.parametrize("status", ["voting", "certified"])
def test_it_refuses_to_record_a_stage_date_once_voting_has_opened(community, status):
    election = ElectionFactory(community=community, election_day=DAY, status=status)
    with pytest.raises(ValidationError, match="投票前公告的事项不能再修改"):
        service.record_stage(election=election, stage="announcement", on=DAY - datetime.timedelta(days=30))
    election.refresh_from_db()
    assert election.announced_on is None


def test_it_changes_the_venue_before_voting_opens(community):
    election = ElectionFactory(community=community, election_day=DAY, venue="社区活动中心", status="candidates_posted")
    service.update_election(election=election, venue="社区广场", voting_hours="8:00-12:00")
    election.refresh_from_db()
    assert election.venue == "社区广场"
