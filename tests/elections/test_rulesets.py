"""Rule-set parameters that the shipped sets take from their sources (docs/domain.md, Elections: rule sets)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from elections.models import BallotOrder, Candidate, Counting, RuleSet
from elections.rulesets import DEFAULT, GANSU
from elections.services import nominations as service
from elections.services.archive import export_election, import_election
from elections.services.nominations import in_ballot_order
from elections.services.papers import notice_context

from .archives import hba_archive, small_archive
from .factories import rule_set
from .test_nominations import election_for, ids, nominate, qualify_all

pytestmark = pytest.mark.django_db


def names(candidates):
    return [c.name for c in candidates]


def test_it_ships_ballot_order_by_strokes_by_default_and_by_forms_in_gansu():
    assert rule_set(DEFAULT).ballot_order == BallotOrder.STROKES
    assert rule_set(GANSU).ballot_order == BallotOrder.FORMS  # 规程第三十一条


def test_it_ships_the_counting_rules_of_each_source():
    default, gansu = rule_set(DEFAULT), rule_set(GANSU)
    assert (default.counting, default.deputy_adds_director) == (Counting.SEPARATE, False)
    # 规程第二十九条 allows both methods (separate shipped); its guidance adds director votes to a deputy's.
    assert (gansu.counting, gansu.deputy_adds_director) == (Counting.SEPARATE, True)
    assert default.further_round_turnout == gansu.further_round_turnout == Decimal("0.5")  # 规程第四十条


def test_it_orders_by_forms_then_strokes_under_gansu():
    # Hand-computed: 印 30 and 葛 30 forms (印 5 strokes before 葛 12), then 毛 12, then 张 and 肖 5 each
    # (肖 starts 竖, 张 折). By strokes alone: 毛 印 肖 张 葛.
    candidates = [Candidate(name=n, nominations=f) for n, f in
                  [("毛若虹", 12), ("张吉生", 5), ("葛鸿平", 30), ("肖桂焕", 5), ("印彦邦", 30)]]
    assert names(in_ballot_order(rules=RuleSet(ballot_order=BallotOrder.FORMS), candidates=candidates)) == [
        "印彦邦", "葛鸿平", "毛若虹", "肖桂焕", "张吉生"]
    assert names(in_ballot_order(rules=RuleSet(ballot_order=BallotOrder.STROKES), candidates=candidates)) == [
        "毛若虹", "印彦邦", "肖桂焕", "张吉生", "葛鸿平"]


def exported_members(data):
    return [(c["name"], c["order"], c["nominations"]) for c in export_election(election=import_election(data))[
        "candidates"] if c["position"] == "member"]


def test_it_puts_candidates_without_order_in_stroke_order_on_import():
    # The 后北岸 archive lists members as published (by votes); typed in without `order`, import puts them in
    # surname-stroke order: 毛 4, 印 5, 张 7 (5153154) before 陈 7 (5215234), 葛 12 (竖) before 蒋 12 (点).
    assert exported_members(hba_archive()) == [
        ("毛若虹", 1, 0), ("印彦邦", 2, 0), ("张吉生", 3, 0), ("陈国平", 4, 0), ("葛鸿平", 5, 0), ("蒋惠琴", 6, 0)]


def test_it_puts_candidates_without_order_in_the_gansu_ballot_order_on_import():
    members = [{"position": "member", "name": n, "gender": "男", "nominations": f}
               for n, f in [("毛若虹", 12), ("张吉生", 5), ("葛鸿平", 30), ("肖桂焕", 5), ("印彦邦", 30),
                            ("蒋惠琴", 1)]]
    data = small_archive(ballots=[], candidates=members, rule_set=GANSU)
    assert exported_members(data) == [("印彦邦", 1, 30), ("葛鸿平", 2, 30), ("毛若虹", 3, 12), ("肖桂焕", 4, 5),
                                      ("张吉生", 5, 5), ("蒋惠琴", 6, 1)]


def test_it_keeps_the_archives_order_when_given_and_round_trips_it():
    members = [{"position": "member", "name": n, "gender": "女", "order": o} for n, o in
               [("葛鸿平", 2), ("毛若虹", 3), ("印彦邦", 1)]]
    data = small_archive(ballots=[], candidates=members)
    exported = export_election(election=import_election(data))
    assert [c["name"] for c in exported["candidates"]] == ["印彦邦", "葛鸿平", "毛若虹"]
    exported["community"] = {"code": "T9", "name": "复制社区", "street": "测试街道"}
    again = export_election(election=import_election(exported))
    assert again["candidates"] == exported["candidates"]


def test_it_refuses_an_order_given_to_some_candidates_of_a_position_only():
    members = [{"position": "member", "name": "甲", "gender": "女", "order": 1},
               {"position": "member", "name": "乙", "gender": "女"}]
    with pytest.raises(ValidationError, match="都有 order 或都没有"):
        import_election(small_archive(ballots=[], candidates=members))


def test_it_puts_gansu_formal_candidates_on_the_ballot_by_forms_but_posts_them_by_strokes(community):
    election = election_for(community, GANSU)
    nominate(election)
    service.rank_preliminary(election=election)
    qualify_all(election)
    service.choose_formal(election=election, chosen={
        "director": ids(election, "director", ["吴逸芸", "江兆"]),
        "deputy": ids(election, "deputy", ["方学全", "朱勇辉"]),
        "member": ids(election, "member", ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]),
    })
    ballot = {p.code: names(cs) for p, cs in service.formal_candidates(election).items()}
    # By the forms of the seed's nomination count (印 1600, 葛 1500, 毛 1450, 张 1400, 蒋 1300, 肖 900).
    assert ballot["member"] == ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]
    assert ballot["director"] == ["吴逸芸", "江兆"]
    posted = notice_context(election, "candidates")["tables"]
    assert [row[0] for row in posted[2]["rows"]] == ["毛若虹", "印彦邦", "肖桂焕", "张吉生", "葛鸿平", "蒋惠琴"]
    assert [row[0] for row in posted[0]["rows"]] == ["江兆", "吴逸芸"]
