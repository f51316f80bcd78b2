import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from elections.models import ElectionStatus, Mode, ObjectionKind, VoterRollEntry
from elections.services import roll as roll_service
from elections.services.roll import REASONS, build_voter_roll, post_roll
from residents.models import ElectionWish, Hukou, Living
from residents.services import years_before
from tests.elections.factories import DEFAULT, GANSU, JIANGXI, ElectionFactory, rules_copy
from tests.elections.stages import form_committee, on
from tests.residents.factories import GroupFactory, HouseholdFactory, RepresentativeFactory, ResidentFactory

DAY = datetime.date(2030, 3, 16)


@pytest.fixture(autouse=True)
def _eve_of_the_vote():
    # The acts of these tests are dated before DAY: the clock stands on the eve of the vote, so none is in the
    # future (an act dated after today is refused).
    with on(DAY - datetime.timedelta(days=1)):
        yield
BOTH = pytest.mark.parametrize("rules_name", [DEFAULT, GANSU])


def election_for(community, rules_name=DEFAULT, **kwargs):
    return ElectionFactory(community=community, election_day=DAY, rules=rules_copy(rules_name), **kwargs)


def resident(community, **kwargs):
    return ResidentFactory(community=community, **kwargs)


def reason_of(election, person):
    _rows, reasons = roll_service.evaluate(election)
    return reasons.get(person.pk)


@BOTH
def test_it_registers_a_resident_who_turns_18_on_the_day(community, rules_name):
    person = resident(community, birth_date=years_before(DAY, 18))
    assert reason_of(election_for(community, rules_name), person) is None


@pytest.mark.parametrize(("rules_name", "turns_18"), [
    (DEFAULT, DAY + datetime.timedelta(days=1)), (JIANGXI, datetime.date(2030, 4, 1))])
def test_it_excludes_a_resident_who_turns_18_after_the_counting_date(community, rules_name, turns_18):
    person = resident(community, birth_date=years_before(turns_18, 18))
    assert reason_of(election_for(community, rules_name), person) == "under_18"


@pytest.mark.parametrize(("rules_name", "expected"), [(DEFAULT, "under_18"), (GANSU, "under_18"), (JIANGXI, None)])
def test_it_counts_18_within_the_month_only_under_the_jiangxi_rules(community, rules_name, expected):
    # Turns 18 on 31 March 2030, after the 16 March election day but within its month.
    person = resident(community, birth_date=datetime.date(2012, 3, 31))
    assert reason_of(election_for(community, rules_name), person) == expected


@BOTH
def test_it_registers_a_migrant_who_has_lived_here_exactly_one_year(community, rules_name):
    person = resident(community, registration=Hukou.ELSEWHERE, move_in_date=years_before(DAY, 1),
                      election_wish=ElectionWish.REGISTER)
    assert reason_of(election_for(community, rules_name), person) is None


@BOTH
def test_it_excludes_a_migrant_one_day_short_of_a_year(community, rules_name):
    person = resident(community, registration=Hukou.ELSEWHERE,
                      move_in_date=years_before(DAY, 1) + datetime.timedelta(days=1),
                      election_wish=ElectionWish.REGISTER)
    assert reason_of(election_for(community, rules_name), person) == "resident_under_one_year"


@BOTH
def test_it_excludes_a_migrant_who_did_not_ask(community, rules_name):
    person = resident(community, registration=Hukou.ELSEWHERE, move_in_date=datetime.date(2000, 1, 1))
    assert reason_of(election_for(community, rules_name), person) == "not_opted_in"


@BOTH
def test_it_excludes_a_separated_resident_without_a_wish_and_registers_one_who_asks(community, rules_name):
    silent = resident(community, living=Living.AWAY)
    asking = resident(community, living=Living.AWAY, election_wish=ElectionWish.REGISTER)
    election = election_for(community, rules_name)
    assert reason_of(election, silent) == "not_opted_in"
    assert reason_of(election, asking) is None


@BOTH
def test_it_excludes_those_who_declined_were_deprived_moved_or_died(community, rules_name):
    declined = resident(community, election_wish=ElectionWish.DECLINE)
    deprived = resident(community, deprived=True, election_wish=ElectionWish.DECLINE)
    moved = resident(community, living=Living.MOVED, deprived=True)
    dead = resident(community, living=Living.DECEASED)
    election = election_for(community, rules_name)
    assert [reason_of(election, p) for p in (declined, deprived, moved, dead)] == [
        "declined", "deprived", "moved_or_deceased", "moved_or_deceased"]


@BOTH
def test_it_counts_every_resident_once_in_the_report_of_the_format(community, rules_name):
    group = GroupFactory(community=community, name="第一居民小组")
    GroupFactory(community=community, name="第二居民小组")
    resident(community, group=group)
    resident(community, group=group, birth_date=datetime.date(2020, 1, 1))
    resident(community, group=group, living=Living.DECEASED)
    election = election_for(community, rules_name)
    result = build_voter_roll(election=election)
    assert set(result) == {"election", "election_day", "registered", "excluded", "by_group"}
    assert list(result["excluded"]) == REASONS
    assert result["registered"] == 1
    assert result["registered"] + sum(result["excluded"].values()) == community.residents.count()
    assert result["by_group"]["第一居民小组"] == 1 and result["by_group"]["第二居民小组"] == 0
    assert result["election_day"] == "2030-03-16"
    assert VoterRollEntry.objects.filter(election=election).count() == 1


def test_it_prints_the_report_as_json_from_the_command(community):
    resident(community)
    election = election_for(community)
    out = io.StringIO()
    call_command("voter_roll", "--election", str(election.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["election"] == election.pk and data["registered"] == 1
    assert data["excluded"]["under_18"] == 0


def test_it_fails_the_command_for_a_missing_election(db):
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="不存在"):
        call_command("voter_roll", "--election", "999999")


def test_it_numbers_voter_cards_and_refreshes_without_duplicates(community):
    people = [resident(community) for _ in range(3)]
    election = election_for(community)
    build_voter_roll(election=election)
    build_voter_roll(election=election)
    serials = sorted(election.roll.values_list("serial", flat=True))
    assert serials == [1, 2, 3]
    assert set(election.roll.values_list("resident_id", flat=True)) == {p.pk for p in people}


def test_it_freezes_the_roll_once_posted(community):
    resident(community)
    election = election_for(community)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=25))
    election.refresh_from_db()
    assert election.status == ElectionStatus.ROLL_POSTED
    with pytest.raises(ValidationError, match="不能重新生成"):
        build_voter_roll(election=election)


@pytest.mark.parametrize("rules_name", [DEFAULT, GANSU])
def test_a_roll_posted_19_days_before_is_lawful_but_on_the_record(community, rules_name):
    resident(community)
    election = election_for(community, rules_name)
    form_committee(election)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=19))
    (warning,) = election.warnings.filter(stage="roll")
    assert "公布选民名单于2030年2月25日完成" in warning.text and "规定的2030年2月24日" in warning.text


@pytest.mark.parametrize("rules_name", [DEFAULT, GANSU])
def test_a_roll_posted_20_days_before_leaves_no_warning(community, rules_name):
    resident(community)
    election = election_for(community, rules_name)
    form_committee(election)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=20))
    assert not election.warnings.exists()


def test_it_keeps_a_person_on_one_active_roll_only(community):
    person = resident(community)
    first = election_for(community)
    build_voter_roll(election=first)
    second = election_for(community)
    with pytest.raises(ValidationError, match=person.name):
        build_voter_roll(election=second)


def test_it_puts_only_the_household_delegates_on_a_household_roll(community):
    household = HouseholdFactory(community=community)
    head = resident(community, household=household)
    spouse = resident(community, household=household)
    election = election_for(community, mode=Mode.HOUSEHOLD)
    roll_service.choose_household_delegate(election=election, resident=spouse)
    result = build_voter_roll(election=election)
    assert result["registered"] == 1
    assert result["excluded"]["not_household_delegate"] == 1
    assert list(election.roll.values_list("resident_id", flat=True)) == [spouse.pk]
    assert head.pk != spouse.pk


def test_it_puts_only_the_representatives_on_a_representative_roll(community):
    rep = RepresentativeFactory(resident=resident(community))
    resident(community)
    election = election_for(community, mode=Mode.REPRESENTATIVE)
    result = build_voter_roll(election=election)
    assert result["registered"] == 1
    assert list(election.roll.values_list("resident_id", flat=True)) == [rep.resident_id]


def test_it_decides_objections_before_the_day_and_corrects_the_roll(community):
    voter = resident(community)
    missing = resident(community, election_wish=ElectionWish.DECLINE)
    election = election_for(community)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=25))
    election.refresh_from_db()
    added = roll_service.file_objection(election=election, resident=missing, kind=ObjectionKind.OMITTED,
                                        filed_by="王芳", reason="本人已改变主意",
                                        on=DAY - datetime.timedelta(days=20)).value
    roll_service.decide_objection(objection=added, upheld=True, note="核实后补登",
                                  on=DAY - datetime.timedelta(days=18))
    assert election.roll.filter(resident=missing).exists()
    late = roll_service.file_objection(election=election, resident=voter, kind=ObjectionKind.WRONGLY_INCLUDED,
                                       filed_by="李娜", reason="已迁出", on=DAY - datetime.timedelta(days=2)).value
    with pytest.raises(ValidationError, match="选举日前作出处理决定"):
        roll_service.decide_objection(objection=late, upheld=True, note="迟了", on=DAY)
    assert election.roll.filter(resident=voter).exists()
