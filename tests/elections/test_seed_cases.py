"""Worked cases from the committee's reports (docs/domain.md, Elections: reference cases): the 湖塘 community's
representative election and a Yunnan community's first committee elected by 49 representatives. The published
figures (voters, papers, the winners' votes) are theirs; the votes they do not publish are invented so that the
published figures come out, as for the 后北岸 archive."""

import pytest

from elections.services.archive import import_election
from elections.services.tally import tally

from .archives import small_archive, votes

pytestmark = pytest.mark.django_db


def post(result, code):
    return next(p for p in result["positions"] if p["code"] == code)


def test_it_elects_the_hutang_committee_from_44_of_53_representatives():
    # 53 representatives (辖区单位代表、居民代表共53人); "参加投票选举的选民有44名, 占……83%.
    # 共发出选票44张, 收回选票44张, 其中有效票44张"; 2 candidates for director, 2 for deputy, 4 for the 3 members'
    # seats (差额).
    counts = {"director": {"甲主任": 30, "乙主任": 14}, "deputy": {"丙副主任": 28, "丁副主任": 16},
              "member": {"戊委员": 40, "己委员": 35, "庚委员": 30, "辛委员": 20}}
    candidates = [{"position": code, "name": name, "gender": "女"} for code, names in counts.items()
                  for name in names]
    archive = small_archive(ballots=votes(counts, 44), seats=(1, 1, 3), registered=53, mode="representative",
                            candidates=candidates)
    result = tally(election=import_election(archive))
    assert result["valid"] and result["problems"] == []
    assert (result["ballots_issued"], result["ballots_returned"], result["ballots_valid"]) == (44, 44, 44)
    assert f"{result['turnout']:.0%}" == "83%"
    assert [post(result, c)["elected"] for c in ("director", "deputy", "member")] == [
        ["甲主任"], ["丙副主任"], ["戊委员", "己委员", "庚委员"]]
    # More than half of the 44 papers: 23 votes; 辛委员's 20 fall short, and the three seats are filled anyway.
    assert post(result, "member")["threshold"] == 23 and post(result, "member")["unfilled"] == 0


def test_it_elects_the_yunnan_director_and_member_with_40_and_37_of_42_votes():
    # "应到会人数49人, 实到会人数42人, 发出选票42张, 收回选票42张, 曾卫民以40票当选……主任, 杨秀兰以37票当选……委员";
    # 主任、委员候选人各2人, one paper for both posts (一张选票, 一次性选出).
    counts = {"director": {"曾卫民": 40, "李候选": 2}, "member": {"杨秀兰": 37, "王候选": 5}}
    archive = small_archive(ballots=votes(counts, 42), registered=49, mode="representative",
                            candidates=[{"position": "director", "name": "曾卫民", "gender": "男"},
                                        {"position": "director", "name": "李候选", "gender": "男"},
                                        {"position": "member", "name": "杨秀兰", "gender": "女"},
                                        {"position": "member", "name": "王候选", "gender": "男"}])
    archive["positions"] = [{"code": "director", "title": "主任", "seats": 1},
                            {"code": "member", "title": "委员", "seats": 1}]
    result = tally(election=import_election(archive))
    assert result["valid"]
    assert (result["ballots_issued"], result["ballots_returned"]) == (42, 42)
    assert post(result, "director")["elected"] == ["曾卫民"]
    assert post(result, "member")["elected"] == ["杨秀兰"]
    assert [c["votes"] for c in post(result, "director")["candidates"]] == [40, 2]
    assert [c["votes"] for c in post(result, "member")["candidates"]] == [37, 5]


def test_the_yunnan_count_would_fail_had_half_of_the_representatives_stayed_away():
    # 24 of 49 is not more than half (docs/domain.md, Validity: representatives' turnout under the default set).
    counts = {"director": {"曾卫民": 20, "李候选": 4}}
    archive = small_archive(ballots=votes(counts, 24), registered=49, mode="representative",
                            candidates=[{"position": "director", "name": n, "gender": "男"}
                                        for n in ("曾卫民", "李候选")])
    archive["positions"] = [{"code": "director", "title": "主任", "seats": 1}]
    result = tally(election=import_election(archive))
    assert not result["valid"] and "turnout_too_low" in result["problems"]
