"""另行选举 and the tie re-vote: elections of their own, linked to the first, with the right candidates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from elections.services import certification as cert
from elections.services.archive import import_election
from elections.services.sheets import import_ballots
from elections.services.tally import tally

from .archives import small_archive, votes
from .stages import certify, counting, on

pytestmark = pytest.mark.django_db

CANDIDATES = [{"position": "member", "name": n, "gender": "女" if n in "丙己" else "男"} for n in "丙丁戊己庚辛"]
DAY = datetime.date(2024, 3, 16)


@pytest.fixture(autouse=True)
def _evening_of_the_vote():
    # The archives' vote was on DAY: the count is certified that evening, follow-ups are scheduled after it.
    with on(DAY, hour=20):
        yield


def certified(counts, papers=10, registered=12):
    election = import_election(small_archive(ballots=votes(counts, papers), registered=registered,
                                             candidates=CANDIDATES))
    certify(election)
    election.refresh_from_db()
    return election


def test_it_creates_a_further_round_for_seats_short_of_votes_among_the_best_placed_not_elected():
    # 10 returned, 6 needed: 丙 and 丁 are elected, three member seats stay empty.
    election = certified({"director": {"甲": 7}, "deputy": {"乙": 8},
                          "member": {"丙": 9, "丁": 6, "戊": 5, "己": 4, "庚": 3, "辛": 3, "壬": 1}})
    further = cert.create_further_round(election=election, election_day=DAY + datetime.timedelta(days=20))
    assert (further.kind, further.round, further.parent) == ("further", 2, election)
    assert further.registered_voters == 12  # nobody new is registered
    position = further.positions.get()
    assert (position.code, position.seats) == ("member", 3)
    # 3 seats + 20% (at least one more) = 4 names, and 辛 ties with 庚 for the last place: both stand, in the
    # order of their first-round votes, equal votes in ballot order (辛 7 strokes before 庚 8).
    assert list(position.candidates.order_by("ballot_order").values_list("name", flat=True)) == [
        "戊", "己", "辛", "庚"]
    assert further.rules.pk != election.rules.pk
    assert further.rules.further_round_fraction == election.rules.further_round_fraction


def test_a_further_round_needs_at_least_one_third_of_the_ballots_returned():
    data = small_archive(ballots=votes({"member": {"戊": 4, "己": 3, "庚": 3}}, 12), registered=20, round_=2)
    data["positions"] = [{"code": "member", "title": "委员", "seats": 2}]
    result = tally(election=import_election(data))
    member = result["positions"][0]
    assert member["threshold"] == 4  # at least 12 / 3
    assert member["elected"] == ["戊"] and member["unfilled"] == 1 and member["tied"] == []


def test_it_refuses_a_further_round_outside_the_rule_sets_window_or_without_unfilled_seats():
    election = certified({"director": {"甲": 7}, "deputy": {"乙": 8},
                          "member": {"丙": 9, "丁": 6, "戊": 5}})
    with pytest.raises(ValidationError, match="30 日内"):
        cert.create_further_round(election=election, election_day=DAY + datetime.timedelta(days=31))
    full = import_election(small_archive(ballots=votes({"director": {"甲": 7}, "deputy": {"乙": 7}, "member": {
        n: 7 for n in "丙丁戊己庚"}}, 10), registered=12, candidates=CANDIDATES) | {
        "community": {"code": "T2", "name": "另一社区", "street": "测试街道"}})
    certify(full)
    with pytest.raises(ValidationError, match="今天之后"):
        cert.create_further_round(election=election, election_day=DAY)
    with pytest.raises(ValidationError, match="无需另行选举"):
        cert.create_further_round(election=full, election_day=DAY + datetime.timedelta(days=1))


def test_it_creates_a_tie_vote_among_the_tied_only():
    election = certified({"director": {"甲": 7}, "deputy": {"乙": 8},
                          "member": {"丙": 9, "丁": 8, "戊": 8, "己": 7, "庚": 6, "辛": 6}})
    with pytest.raises(ValidationError, match="无需另行选举"):
        cert.create_further_round(election=election, election_day=DAY + datetime.timedelta(days=1))
    tie = cert.create_tie_vote(election=election, election_day=DAY + datetime.timedelta(days=2))
    assert (tie.kind, tie.round, tie.parent) == ("tie", 1, election)
    position = tie.positions.get()
    assert position.seats == 1
    assert sorted(position.candidates.values_list("name", flat=True)) == ["庚", "辛"]
    with pytest.raises(ValidationError, match="已经安排"):
        cert.create_tie_vote(election=election, election_day=DAY + datetime.timedelta(days=1))


def test_the_handover_includes_the_winners_of_a_certified_further_round():
    election = certified({"director": {"甲": 7}, "deputy": {"乙": 8}, "member": {n: 7 for n in "丙丁戊己"} | {"庚": 3}})
    further_day = DAY + datetime.timedelta(days=10)
    further = counting(cert.create_further_round(election=election, election_day=further_day))
    further.boxes.create(code="C", kind="venue", name="中心会场", issued=9)
    with on(further_day, hour=20):
        # The further round needs more than half of the 12 registered voters again: 7 vote.
        import_ballots(election=further, text="box,serial,position,marks,status\n" + "".join(
            f"C,{n},member,庚,\n" for n in range(1, 8)))
        certify(further)
    with on(further_day + datetime.timedelta(days=2)):
        certification = cert.hand_over(election=election, starts=DAY + datetime.timedelta(days=12)).value
    names = set(certification.term.members.values_list("name", flat=True))
    assert names == {"甲", "乙", "丙", "丁", "戊", "己", "庚"}


def tie_vote_certified(tie_counts, papers):
    """The re-vote among 庚 and 辛 (6 votes each for the last member seat), with `papers` ballots."""
    election = certified({"director": {"甲": 7}, "deputy": {"乙": 8},
                          "member": {"丙": 9, "丁": 8, "戊": 8, "己": 7, "庚": 6, "辛": 6}})
    tie_day = DAY + datetime.timedelta(days=2)
    tie = counting(cert.create_tie_vote(election=election, election_day=tie_day))
    tie.boxes.create(code="C", kind="venue", name="中心会场", issued=papers)
    rows = [name for name, n in tie_counts.items() for _ in range(n)]
    rows += [""] * (papers - len(rows))
    with on(tie_day, hour=20):
        import_ballots(election=tie, text="box,serial,position,marks,status\n" + "".join(
            f"C,{n},member,{name},\n" for n, name in enumerate(rows, start=1)))
        return tally(election=tie)


def test_a_tie_vote_is_won_by_the_most_votes_without_a_majority():
    # Hand-computed: 9 of the 12 registered vote; 庚 4, 辛 3, 2 blank. A first round would need 5 (more than
    # half of 9); the re-vote among tied names elects the one with more votes (规程: 以得票多的当选).
    result = tie_vote_certified({"庚": 4, "辛": 3}, papers=9)
    member = result["positions"][0]
    assert result["valid"] and member["threshold"] == 1
    assert member["elected"] == ["庚"] and member["unfilled"] == 0


def test_a_tie_vote_that_ties_again_elects_nobody():
    member = tie_vote_certified({"庚": 3, "辛": 3}, papers=8)["positions"][0]
    assert member["elected"] == [] and member["tied"] == ["辛", "庚"]


@pytest.mark.parametrize(("returned", "valid"), [(11, True), (10, False)])
def test_a_further_round_needs_more_than_half_of_the_first_rounds_voters_whatever_the_mode(returned, valid):
    # A representative election needs more than 4/5 in round 1 (default rule set); its further round
    # needs more than half of the 20 registered (规程第四十条): 11 of 20 is enough, 10 is not.
    data = small_archive(ballots=votes({"member": {"戊": returned}}, returned), registered=20,
                         mode="representative", round_=2)
    data["positions"] = [{"code": "member", "title": "委员", "seats": 1}]
    result = tally(election=import_election(data))
    assert result["valid"] is valid
    assert result["problems"] == ([] if valid else ["turnout_too_low"])
