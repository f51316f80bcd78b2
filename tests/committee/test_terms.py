"""The term's life: its end from the rule set's length, the 换届 reminder, the street's extension, and members
leaving by resignation, recall or two 不称职 grades in a row."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committee.models import Composition, Leaving, Petition, RecallStatus
from committee.services import start_term
from committee.services.due import due_this_week
from committee.services.petitions import add_signature
from committee.services.terms import (
    extend_term,
    file_recall,
    months_after,
    record_appraisal,
    record_recall_vote,
    resign,
)
from tests.elections import stages
from tests.residents.factories import RepresentativeFactory, ResidentFactory

from .factories import MemberFactory, TermFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_adds_months_keeping_the_day_or_the_months_last():
    assert months_after(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert months_after(D(2027, 1, 1), -6) == D(2026, 7, 1)
    assert months_after(D(2024, 12, 15), 1) == D(2025, 1, 15)


def test_it_ends_a_term_after_the_rule_sets_length_and_three_years_by_default(community):
    assert TermFactory(community=community, starts=D(2024, 2, 29)).due_on == D(2027, 2, 28)
    five = start_term(community=community, number=5, starts=D(2025, 1, 1), members=[], term_years=5)
    assert five.due_on == five.ends_by == D(2030, 1, 1)


def test_it_reminds_the_committee_six_months_before_the_term_ends(community):
    TermFactory(community=community, starts=D(2024, 1, 1))
    assert not [i for i in due_this_week(community_ids=[community.pk], today=D(2026, 6, 30)).flags]
    flags = due_this_week(community_ids=[community.pk], today=D(2026, 7, 1)).flags
    assert len(flags) == 1 and "2027-01-01届满" in flags[0].text and flags[0].due == D(2027, 1, 1)


def test_it_extends_a_term_by_at_most_half_a_year_on_a_recorded_street_decision(community):
    term = TermFactory(community=community, starts=D(2021, 1, 1))
    with stages.on(D(2023, 12, 1)):
        with pytest.raises(ValidationError, match="晚于届满后6个月"):
            extend_term(term=term, to=D(2024, 7, 2), decision="街道〔2023〕第9号", decided_on=D(2023, 12, 1))
        with pytest.raises(ValidationError, match="街道的延期决定"):
            extend_term(term=term, to=D(2024, 6, 1), decision=" ", decided_on=D(2023, 12, 1))
        with pytest.raises(ValidationError, match="届满次日"):
            extend_term(term=term, to=D(2024, 1, 1), decision="街道〔2023〕第9号", decided_on=D(2023, 12, 1))
        extend_term(term=term, to=D(2024, 7, 1), decision="街道〔2023〕第9号", decided_on=D(2023, 12, 1))
    term.refresh_from_db()
    assert term.ends_by == D(2024, 7, 1) and term.extension_decision == "街道〔2023〕第9号"


def test_it_extends_a_term_at_most_as_long_as_its_rule_set_allows(community):
    term = TermFactory(community=community, starts=D(2021, 1, 1), extension_months_max=3)
    with stages.on(D(2023, 12, 1)):
        with pytest.raises(ValidationError, match="晚于届满后3个月"):
            extend_term(term=term, to=D(2024, 4, 2), decision="街道〔2023〕第9号", decided_on=D(2023, 12, 1))
        extend_term(term=term, to=D(2024, 4, 1), decision="街道〔2023〕第9号", decided_on=D(2023, 12, 1))
    term.refresh_from_db()
    assert term.ends_by == D(2024, 4, 1)


def test_it_records_a_written_resignation_accepted_by_the_representatives(community):
    member = MemberFactory(term=TermFactory(community=community), name="方学全")
    with stages.on(D(2024, 5, 10)):
        with pytest.raises(ValidationError, match="早于书面申请日期"):
            resign(member=member, letter_on=D(2024, 5, 3), approved_on=D(2024, 5, 1))
        resign(member=member, letter_on=D(2024, 5, 3), approved_on=D(2024, 5, 8))
        with pytest.raises(ValidationError, match="已于 2024-05-08 离任"):
            resign(member=member, letter_on=D(2024, 5, 3), approved_on=D(2024, 5, 9))
    member.refresh_from_db()
    assert (member.ends, member.left_how) == (D(2024, 5, 8), Leaving.RESIGNED)
    assert "2024-05-03" in member.left_note


def petition_of(community, signers, composition=Composition.ADULTS, on=None):
    on = on or D(2024, 5, 1)
    petition = Petition.objects.create(community=community, composition=composition, subject="罢免", filed_on=on)
    for resident in signers:
        add_signature(petition=petition, resident=resident, on=on)
    return petition


def test_it_refuses_a_recall_petition_under_a_fifth_of_the_voters(community):
    member = MemberFactory(term=TermFactory(community=community))
    voters = [ResidentFactory(community=community) for _ in range(10)]
    with stages.on(D(2024, 5, 2)):
        short = petition_of(community, voters[:1])
        with pytest.raises(ValidationError, match="提议人数不足：1 人签名，须达 2 人"):
            file_recall(member=member, petition=short, reason="长期不履职", received_on=D(2024, 5, 2))
        recall = file_recall(member=member, petition=petition_of(community, voters[:2]), reason="长期不履职",
                             received_on=D(2024, 5, 2))
    assert recall.status == RecallStatus.PENDING


def test_it_takes_a_third_of_the_representatives_and_no_households_petition(community):
    member = MemberFactory(term=TermFactory(community=community))
    reps = [RepresentativeFactory(resident=ResidentFactory(community=community), starts=D(2024, 1, 1)).resident
            for _ in range(6)]
    with stages.on(D(2024, 5, 2)):
        with pytest.raises(ValidationError, match="提议人数不足"):
            file_recall(member=member, petition=petition_of(community, reps[:1], Composition.REPRESENTATIVES),
                        reason="理由", received_on=D(2024, 5, 2))
        households = petition_of(community, reps, Composition.HOUSEHOLDS)
        with pytest.raises(ValidationError, match="三分之一以上居民代表"):
            file_recall(member=member, petition=households, reason="理由", received_on=D(2024, 5, 2))
        assert file_recall(member=member, petition=petition_of(community, reps[:2], Composition.REPRESENTATIVES),
                           reason="理由", received_on=D(2024, 5, 2))


def test_it_holds_the_recall_vote_within_30_days_or_60_when_the_street_calls_it(community):
    member = MemberFactory(term=TermFactory(community=community))
    voters = [ResidentFactory(community=community) for _ in range(5)]
    with stages.on(D(2024, 5, 2)):
        recall = file_recall(member=member, petition=petition_of(community, voters[:1]), reason="理由",
                             received_on=D(2024, 5, 2))
    with stages.on(D(2024, 7, 10)):
        with pytest.raises(ValidationError, match="30日"):
            record_recall_vote(recall=recall, voted_on=D(2024, 6, 2), called_by_street=False, passed=True)
        with pytest.raises(ValidationError, match="60日"):
            record_recall_vote(recall=recall, voted_on=D(2024, 7, 2), called_by_street=True, passed=True)
        record_recall_vote(recall=recall, voted_on=D(2024, 6, 20), called_by_street=True, passed=True)
    member.refresh_from_db()
    assert (member.ends, member.left_how) == (D(2024, 6, 20), Leaving.RECALLED)


def test_it_refuses_a_new_recall_within_five_months_of_a_failed_one(community):
    member = MemberFactory(term=TermFactory(community=community))
    voters = [ResidentFactory(community=community) for _ in range(5)]
    with stages.on(D(2024, 5, 20)):
        recall = file_recall(member=member, petition=petition_of(community, voters[:1]), reason="理由",
                             received_on=D(2024, 5, 2))
        with pytest.raises(ValidationError, match="待表决"):
            file_recall(member=member, petition=petition_of(community, voters[1:2]), reason="理由",
                        received_on=D(2024, 5, 3))
        record_recall_vote(recall=recall, voted_on=D(2024, 5, 20), called_by_street=False, passed=False)
    member.refresh_from_db()
    assert member.ends is None
    with stages.on(D(2024, 10, 19)):
        with pytest.raises(ValidationError, match="五个月内（2024-10-20 前）"):
            file_recall(member=member, petition=petition_of(community, voters[1:2], on=D(2024, 10, 19)),
                        reason="理由", received_on=D(2024, 10, 19))
    with stages.on(D(2024, 10, 20)):
        assert file_recall(member=member, petition=petition_of(community, voters[2:3], on=D(2024, 10, 20)),
                           reason="理由", received_on=D(2024, 10, 20))


def test_it_ends_a_member_rated_unfit_twice_in_a_row(community):
    member = MemberFactory(term=TermFactory(community=community), name="印彦邦")
    with stages.on(D(2027, 1, 20)):
        record_appraisal(member=member, year=2024, reviewed_on=D(2025, 1, 10), grade="unfit")
        record_appraisal(member=member, year=2025, reviewed_on=D(2026, 1, 10), grade="basic")
        record_appraisal(member=member, year=2026, reviewed_on=D(2027, 1, 10), grade="unfit")
        member.refresh_from_db()
        assert member.ends is None  # not in a row
        with pytest.raises(ValidationError, match="已有评议结果"):
            record_appraisal(member=member, year=2026, reviewed_on=D(2027, 1, 10), grade="unfit")
    other = MemberFactory(term=member.term, name="毛若虹")
    with stages.on(D(2026, 1, 20)):
        record_appraisal(member=other, year=2024, reviewed_on=D(2025, 1, 10), grade="unfit")
        record_appraisal(member=other, year=2025, reviewed_on=D(2026, 1, 10), grade="unfit")
    other.refresh_from_db()
    assert (other.ends, other.left_how) == (D(2026, 1, 10), Leaving.UNFIT)
    with stages.on(D(2026, 1, 20)), pytest.raises(ValidationError, match="已离任"):
        record_appraisal(member=other, year=2026, reviewed_on=D(2026, 1, 15), grade="competent")
