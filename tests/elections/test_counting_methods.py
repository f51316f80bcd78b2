"""Counting methods (docs/domain.md, Elections: tally): separate ballots, 一次性投票 (甘肃规程第三十九条), the
deputy-adds-director option, and nobody winning two posts."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from elections.models import Counting
from elections.services import certification as cert
from elections.services.archive import import_election
from elections.services.tally import tally

from .archives import HBA_VOTES, hba_archive, small_archive, votes
from .stages import certify, on

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 16)
CANDIDATES = ([{"position": "director", "name": n, "gender": "女"} for n in "甲乙"]
              + [{"position": "deputy", "name": n, "gender": "男"} for n in "丙丁"]
              + [{"position": "member", "name": n, "gender": "男"} for n in "戊己庚辛"])
# Ten ballots, hand-made (seats 1, 1, 3). 壬 is a write-in. 戊 is named for director and member on ballot 8.
BALLOTS = [{"marks": {"director": [d], "deputy": [p], "member": m}} for d, p, m in [
    ("甲", "丙", ["壬", "戊", "己"]), ("甲", "丙", ["壬", "戊", "己"]), ("甲", "丙", ["壬", "戊", "己"]),
    ("甲", "丙", ["壬", "戊", "己"]), ("甲", "丙", ["壬", "戊", "庚"]), ("甲", "丁", ["丙", "壬", "戊"]),
    ("甲", "丁", ["丙", "戊", "庚"]), ("戊", "丁", ["戊", "己", "庚"]), ("乙", "丁", ["己", "庚", "辛"]),
    ("乙", "壬", ["庚", "辛"]),
]]


def archive(rules=None, **kwargs):
    data = small_archive(ballots=BALLOTS, seats=(1, 1, 3), registered=12, candidates=CANDIDATES, **kwargs)
    if rules:
        data["rules"] = rules
    return data


def post(result, code):
    return next(p for p in result["positions"] if p["code"] == code)


def votes_of(result, code):
    return {c["name"]: c["votes"] for c in post(result, code)["candidates"]}


def test_it_counts_one_ballot_by_totals_then_post_votes():
    # Hand-computed. Threshold: more than half of 10 = 6. Totals (ballots naming the person for any post):
    # 戊 8 (ballot 8 names 戊 twice: once), 甲 7, 丙 7 (5 deputy + 2 member), 壬 7 (1 deputy + 6 member), 己 6,
    # 庚 5, 丁 4, 乙 2, 辛 2. Elected: 戊 甲 丙 壬 己. Director by director votes among them: 甲 7 (戊 1);
    # deputy: 丙 5 (壬 1); members by total: 戊 8, 壬 7, 己 6.
    result = tally(election=import_election(archive({"counting": "one_ballot"})))
    assert result["valid"]
    assert result["totals"] == {"戊": 8, "丙": 7, "甲": 7, "壬": 7, "己": 6, "庚": 5, "丁": 4, "乙": 2, "辛": 2}
    # Equal totals by surname strokes: 壬 4, 丙 5 (横…) before 甲 5 (竖…).
    assert list(result["totals"])[:4] == ["戊", "壬", "丙", "甲"]
    assert [post(result, c)["elected"] for c in ("director", "deputy", "member")] == [["甲"], ["丙"],
                                                                                   ["戊", "壬", "己"]]
    assert votes_of(result, "deputy") == {"丙": 5, "丁": 4, "壬": 1}  # the post's own votes
    assert votes_of(result, "member") == {"戊": 8, "壬": 6, "己": 6, "庚": 5, "丙": 2, "辛": 2}
    assert all(post(result, c)["unfilled"] == 0 for c in ("director", "deputy", "member"))


def test_it_counts_the_same_ballots_post_by_post_when_separate():
    # Separate: the deputy's 丙 has 5 < 6 and the seat stays empty; members 戊 8, then 己 6 and 壬 6 (at equal
    # votes a candidate before a write-in).
    result = tally(election=import_election(archive()))
    assert "totals" not in result
    assert post(result, "director")["elected"] == ["甲"]
    assert post(result, "deputy")["elected"] == [] and post(result, "deputy")["unfilled"] == 1
    assert post(result, "member")["elected"] == ["戊", "己", "壬"]


def test_one_ballot_gives_no_leaders_post_without_votes_for_it():
    # 戊 alone reaches the threshold (6 ballots name 戊 for member only): elected, but not director.
    ballots = votes({"member": {"戊": 6, "己": 2}, "director": {"甲": 3}}, 10)
    data = small_archive(ballots=ballots, seats=(1, 1, 3), registered=12, candidates=CANDIDATES)
    data["rules"] = {"counting": "one_ballot"}
    result = tally(election=import_election(data))
    assert post(result, "director")["elected"] == [] and post(result, "director")["unfilled"] == 1
    assert post(result, "member")["elected"] == ["戊"] and post(result, "member")["unfilled"] == 2


def test_one_ballot_breaks_equal_post_votes_by_the_total():
    # 规程第三十九条（三）: 主任职务得票数相等，以总得票数多的当选. 甲 and 乙 have 5 director votes each; 乙 is also
    # named for member on 2 other ballots: total 7 against 甲's 6 (甲 has 1 member vote elsewhere).
    ballots = ([{"marks": {"director": ["甲"]}}] * 5 + [{"marks": {"director": ["乙"]}}] * 5
               + [{"marks": {"member": ["乙", "甲"]}}] + [{"marks": {"member": ["乙"]}}])
    data = small_archive(ballots=ballots, seats=(1, 1, 3), registered=14, candidates=CANDIDATES)
    data["rules"] = {"counting": "one_ballot"}
    result = tally(election=import_election(data))  # 12 ballots: 7 wins
    assert result["totals"]["乙"] == 7 and result["totals"]["甲"] == 6
    assert post(result, "director")["elected"] == ["乙"]


def test_the_deputy_adds_director_votes_when_the_rule_set_says_so():
    # Hand-computed, 10 ballots, 6 to win. Director: 甲 6, 丙 3, 乙 1. Deputy: 丁 5, 丙 3, 甲 1.
    # With the option 丙 has 3 + 3 = 6 and is elected; 甲 (1 + 6) already holds the director's post.
    director = ["甲"] * 6 + ["丙"] * 3 + ["乙"]
    deputy = ["丁"] * 5 + ["丙"] * 3 + ["甲"] + [None]
    ballots = [{"marks": {"director": [d]} | ({"deputy": [p]} if p else {})} for d, p in zip(director, deputy,
                                                                                              strict=True)]
    plain = tally(election=import_election(small_archive(ballots=ballots, registered=12, candidates=CANDIDATES)))
    assert post(plain, "deputy")["elected"] == [] and votes_of(plain, "deputy")["丙"] == 3
    data = small_archive(ballots=ballots, registered=12, candidates=CANDIDATES)
    data["community"] = {"code": "T2", "name": "另一社区", "street": "测试街道"}
    data["rules"] = {"deputy_adds_director": True}
    added = tally(election=import_election(data))
    assert votes_of(added, "deputy") == {"甲": 7, "丙": 6, "丁": 5}
    assert post(added, "deputy")["elected"] == ["丙"]
    assert post(added, "director")["elected"] == ["甲"]


def test_a_write_in_never_wins_two_posts_and_the_handover_goes_through():
    # 壬, written in, has 7 director votes and 8 member votes of 10: director only; the member seats go to the next.
    ballots = votes({"director": {"壬": 7}, "deputy": {"丙": 7}, "member": {"壬": 8, "戊": 7, "己": 7, "庚": 7}}, 10)
    election = import_election(small_archive(ballots=ballots, seats=(1, 1, 3), registered=12, candidates=CANDIDATES))
    with on(DAY, hour=20):
        certify(election)
    result = tally(election=election)
    assert post(result, "director")["elected"] == ["壬"]
    assert post(result, "member")["elected"] == ["己", "戊", "庚"]  # 7 each: ballot order by strokes (己 3, 戊 5, 庚 8)
    assert next(c for c in post(result, "member")["candidates"] if c["name"] == "壬")["elected"] is False
    with on(DAY + datetime.timedelta(days=1)):
        certification = cert.hand_over(election=election, starts=DAY + datetime.timedelta(days=1)).value
    assert sorted(certification.term.members.values_list("name", flat=True)) == sorted(["壬", "丙", "戊", "己", "庚"])


def test_it_counts_the_houbeian_archive_the_same_under_one_ballot():
    # Nobody in the 后北岸 count is named for two posts: the totals are the post votes and the winners are the same.
    data = hba_archive() | {"rules": {"counting": Counting.ONE_BALLOT}}
    result = tally(election=import_election(data))
    assert {p["code"]: p["elected"] for p in result["positions"]} == {
        "director": ["吴逸芸"], "deputy": ["方学全"], "member": ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴"]}
    assert result["totals"]["吴逸芸"] == HBA_VOTES["director"]["吴逸芸"]
    assert result["totals"]["印彦邦"] == HBA_VOTES["member"]["印彦邦"]


def test_the_tally_command_prints_totals_and_posts_of_a_one_ballot_archive(tmp_path):
    path = tmp_path / "one_ballot.json"
    path.write_text(json.dumps(archive({"counting": "one_ballot"}), ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import_election", str(path), "--json", stdout=out)
    election_id = json.loads(out.getvalue())["election"]
    out = StringIO()
    call_command("tally", "--election", str(election_id), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["totals"]["戊"] == 8
    assert [p["elected"] for p in result["positions"]] == [["甲"], ["丙"], ["戊", "壬", "己"]]
