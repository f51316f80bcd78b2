"""Every rule of docs/domain.md, Elections: tally (ballots, validity and winning), one test each."""

from decimal import Decimal

import pytest

from elections.rulesets import LANZHOU
from elections.services.archive import import_election
from elections.services.tally import tally, tally_baseline_sql, threshold

from .archives import small_archive, votes

pytestmark = pytest.mark.django_db

CANDIDATES = [{"position": "director", "name": "甲", "gender": "女"}, {"position": "director", "name": "乙"},
              {"position": "member", "name": "丙"}, {"position": "member", "name": "丁"}]


def run(ballots, **kwargs):
    kwargs.setdefault("candidates", CANDIDATES)
    election = import_election(small_archive(ballots=ballots, **kwargs))
    return election, tally(election=election)


def position(result, code):
    return next(p for p in result["positions"] if p["code"] == code)


def test_it_voids_only_the_over_marked_position_of_a_ballot():
    ballots = [{"marks": {"director": ["甲", "乙"], "member": ["丙"]}}, {"marks": {"director": ["甲"]}}]
    _, result = run(ballots, registered=3)
    director = {c["name"]: c["votes"] for c in position(result, "director")["candidates"]}
    assert director == {"甲": 1}
    assert position(result, "member")["candidates"][0] == {"name": "丙", "votes": 1, "write_in": False,
                                                          "elected": False}
    assert result["ballots_valid"] == 2


def test_it_counts_marks_up_to_the_seats_on_a_ballot():
    ballots = [{"marks": {"member": ["丙", "丁", "戊", "己", "庚"]}}] * 3
    _, result = run(ballots, registered=4)
    assert [c["votes"] for c in position(result, "member")["candidates"]] == [3] * 5


def test_it_counts_a_spoiled_ballot_as_returned_but_not_as_votes():
    ballots = [{"status": "spoiled", "marks": {"director": ["乙"]}}] * 2 + [{"marks": {"director": ["甲"]}}] * 3
    _, result = run(ballots, registered=8)
    assert (result["ballots_returned"], result["ballots_valid"], result["ballots_invalid"]) == (5, 3, 2)
    assert result["turnout"] == 0.625
    assert position(result, "director")["candidates"] == [{"name": "甲", "votes": 3, "write_in": False,
                                                           "elected": True}]
    # Threshold from the ballots returned, spoiled included: more than half of 5.
    assert position(result, "director")["threshold"] == 3


def test_it_keeps_a_ballot_with_a_blank_position_valid_as_an_abstention():
    ballots = [{"marks": {}}, {"marks": {"director": ["甲"]}}, {"marks": {"director": ["甲"]}}]
    _, result = run(ballots, registered=4)
    assert result["ballots_valid"] == 3 and result["ballots_invalid"] == 0
    assert position(result, "director")["elected"] == ["甲"]


def test_it_counts_a_write_in_and_can_elect_one():
    ballots = [{"marks": {"director": ["赵某"]}}] * 3 + [{"marks": {"director": ["甲"]}}]
    _, result = run(ballots, registered=5)
    assert position(result, "director")["candidates"][0] == {"name": "赵某", "votes": 3, "write_in": True,
                                                              "elected": True}


@pytest.mark.parametrize(("mode", "registered", "returned", "valid"), [
    ("direct", 10, 5, False),          # exactly half is not more than half
    ("direct", 10, 6, True),
    ("household", 10, 5, False),
    ("household", 9, 5, True),
    ("representative", 10, 8, False),  # default rule set: more than four fifths
    ("representative", 10, 9, True),
    ("representative", 73, 59, True),  # 59/73 = 0.808
    ("representative", 73, 58, False),
])
def test_it_needs_the_default_rule_sets_turnout_for_the_mode(mode, registered, returned, valid):
    _, result = run(votes({"director": {"甲": returned}}, returned), mode=mode, registered=registered)
    assert result["valid"] is valid
    assert result["problems"] == ([] if valid else ["turnout_too_low"])


@pytest.mark.parametrize(("returned", "valid"), [(5, False), (6, True)])
def test_it_needs_more_than_half_of_representatives_under_the_lanzhou_rules(returned, valid):
    # 七里河方案: 参加会议的社区居民代表过半数以上选举有效 (the Gansu 规程 says four fifths, 第三十八条).
    election, result = run(votes({"director": {"甲": returned}}, returned), mode="representative", registered=10,
                           rule_set=LANZHOU)
    assert election.rules.turnout_representative == Decimal("0.5")
    assert result["valid"] is valid


def test_it_invalidates_the_election_when_a_box_returned_more_than_it_was_issued():
    _, result = run(votes({"director": {"甲": 6}}, 6), registered=8, issued=5)
    assert result["valid"] is False
    assert result["problems"] == ["returned_exceeds_issued"]


def test_it_checks_every_box_not_only_the_total():
    data = small_archive(ballots=votes({"director": {"甲": 6}}, 6), registered=8, issued=4, candidates=CANDIDATES)
    data["boxes"].append({"code": "M1", "kind": "mobile", "name": "流动票箱一", "issued": 10})
    result = tally(election=import_election(data))
    assert result["ballots_issued"] == 14 and result["ballots_returned"] == 6
    assert result["problems"] == ["returned_exceeds_issued"]


def test_it_needs_more_than_half_of_the_ballots_returned_in_round_one():
    # 10 returned: 5 votes is exactly half and does not win; 6 does.
    _, result = run(votes({"director": {"甲": 5, "乙": 4}, "deputy": {"戊": 6}}, 10), registered=12)
    assert position(result, "director")["threshold"] == 6
    assert position(result, "director")["elected"] == [] and position(result, "director")["unfilled"] == 1
    assert position(result, "director")["tied"] == []
    assert position(result, "deputy")["elected"] == ["戊"]


def test_it_computes_the_houbeian_threshold():
    election, _ = run([], registered=10)
    assert threshold(election, 2208) == 1105
    assert threshold(election, 2207) == 1104


def test_it_elects_the_most_votes_among_those_over_the_threshold():
    counts = {"member": {"丙": 9, "丁": 8, "戊": 8, "己": 7, "庚": 6, "辛": 6, "壬": 2}}
    _, result = run(votes(counts, 10), registered=12)
    member = position(result, "member")
    assert member["elected"] == ["丙", "丁", "戊", "己"]  # 庚 and 辛 tie for the last seat
    # In ballot order: the archive gives none, so surname strokes (辛 7 before 庚 8).
    assert member["tied"] == ["辛", "庚"] and member["unfilled"] == 1


def test_it_leaves_a_tied_last_seat_undecided():
    _, result = run(votes({"deputy": {"甲": 6, "乙": 6}}, 10), seats=(1, 2, 5), registered=12)
    # Two seats, both over the threshold with equal votes: not a tie at the last seat, both are elected.
    assert set(position(result, "deputy")["elected"]) == {"甲", "乙"}
    # One seat, equal votes over the threshold (possible in a further round, where a third suffices).
    _, result = run(votes({"director": {"甲": 4, "乙": 4}}, 10), registered=12, round_=2)
    director = position(result, "director")
    assert director["threshold"] == 4
    # The archive gives no order: the tied are listed in surname-stroke order, 乙 (1 stroke) before 甲 (5).
    assert director["elected"] == [] and director["tied"] == ["乙", "甲"] and director["unfilled"] == 1


def test_it_lists_ties_in_ballot_order_and_write_ins_after_candidates():
    _, result = run(votes({"director": {"某某": 3, "乙": 3, "甲": 3}}, 9), registered=10)
    # Ballot order by surname strokes (乙 1 stroke, 甲 5), the write-in last.
    assert [c["name"] for c in position(result, "director")["candidates"]] == ["乙", "甲", "某某"]


def test_it_warns_when_no_woman_is_elected_and_about_the_committee_size():
    _, result = run(votes({"director": {"乙": 6}}, 6), seats=(1, 1, 4), registered=8)
    assert result["warnings"] == ["no_woman_elected", "committee_size_even"]
    _, result = run(votes({"director": {"甲": 6}}, 6), seats=(1, 1, 1), registered=8)
    assert result["warnings"] == ["committee_size_out_of_range"]
    _, result = run(votes({"director": {"甲": 6}}, 6), seats=(1, 2, 8), registered=8)
    assert result["warnings"] == ["committee_size_out_of_range"]


def test_it_gives_the_same_counts_as_the_hand_written_sql():
    ballots = votes({"director": {"甲": 6, "乙": 3}, "member": {"丙": 7, "丁": 5, "戊": 2}}, 9)
    ballots += [{"marks": {"director": ["甲", "乙"]}}, {"status": "spoiled", "marks": {"director": ["乙"]}}]
    election, result = run(ballots, registered=12)
    baseline = tally_baseline_sql(election=election)
    by_id = {p.code: p.pk for p in election.positions.all()}
    for p in result["positions"]:
        assert {c["name"]: c["votes"] for c in p["candidates"]} == baseline.get(by_id[p["code"]], {})


def test_it_uses_the_roll_when_the_election_gives_no_count(community):
    from residents.models import Resident
    from tests.elections.factories import ElectionFactory
    from tests.residents.factories import ResidentFactory

    election = ElectionFactory(community=community, positions=True)
    from elections.models import VoterRollEntry
    for serial in range(1, 5):
        VoterRollEntry.objects.create(election=election, resident=ResidentFactory(), group_name="一组",
                                      serial=serial)
    assert Resident.objects.count() >= 4
    assert tally(election=election)["registered_voters"] == 4
