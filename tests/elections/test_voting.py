"""Polling day and the three ways of entering ballots, which all end in the same records."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from elections.models import Ballot, BallotIssue, Box, ElectionStatus, Proxy, TallySheet, VoterRollEntry
from elections.services import entry, sheets, voting
from elections.services.archive import import_election
from elections.services.tally import tally
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import UserFactory
from tests.residents.factories import ResidentFactory

from . import stages
from .archives import hba_archive, small_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(community):
    """Election day is today: ballots are issued today, and counting may begin once the polls close."""
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=6)
    for code, name in [("director", "甲"), ("director", "乙"), ("member", "丙"), ("member", "丁")]:
        CandidateFactory(position=election.positions.get(code=code), name=name)
    return election


@pytest.fixture
def voters(election):
    return [VoterRollEntry.objects.create(election=election, resident=ResidentFactory(community=election.community),
                                          group_name="一组", serial=n) for n in range(1, 5)]


@pytest.fixture
def counting(election):
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=5)
    return stages.counting(election)


def test_it_keeps_mobile_box_routes_and_dates(community):
    day = timezone.localdate() + datetime.timedelta(days=2)
    election = ElectionFactory(community=community, election_day=day)
    box = voting.add_box(election=election, code="M1", kind="mobile", name="流动票箱一", route="3幢—7幢—敬老院",
                         starts_on=day - datetime.timedelta(days=1), ends_on=day)
    assert (box.route, box.ends_on) == ("3幢—7幢—敬老院", day)
    with pytest.raises(ValidationError, match="已存在"):
        voting.add_box(election=election, code="M1", kind="mobile", name="again")
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        voting.add_box(election=election, code="M2", kind="mobile", name="x", starts_on=day,
                       ends_on=day - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="晚于选举日"):
        voting.add_box(election=election, code="M3", kind="mobile", name="x", starts_on=day,
                       ends_on=day + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="已经过去"):
        voting.add_box(election=election, code="M4", kind="mobile", name="x",
                       starts_on=timezone.localdate() - datetime.timedelta(days=1), ends_on=day)


def test_it_issues_one_ballot_per_voter_in_person_or_by_proxy(election, voters):
    box = voting.add_box(election=election, code="C", kind="venue", name="中心会场")
    stages.appoint_counting_staff(election)
    stages.at_stage(election, ElectionStatus.CANDIDATES_POSTED)
    voting.open_polling(election=election)
    voting.issue_ballot(election=election, box=box, voter=voters[0])
    Proxy.objects.create(election=election, principal=voters[1], holder=voters[2], registered_on="2024-03-10",
                         serial=1)
    voting.issue_ballot(election=election, box=box, voter=voters[1], holder=voters[2])
    with pytest.raises(ValidationError, match="已经领取过选票"):
        voting.issue_ballot(election=election, box=box, voter=voters[1])
    with pytest.raises(ValidationError, match="已经领取过选票"):
        voting.issue_ballot(election=election, box=box, voter=voters[0])
    with pytest.raises(ValidationError, match="受托人"):
        voting.issue_ballot(election=election, box=box, voter=voters[3], holder=voters[0])
    box.refresh_from_db()
    assert box.issued == 2 and BallotIssue.objects.count() == 2


def test_the_one_ballot_rule_is_a_database_constraint(election, voters):
    box = voting.add_box(election=election, code="C", kind="venue", name="中心会场")
    BallotIssue.objects.create(election=election, box=box, voter=voters[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotIssue.objects.create(election=election, box=box, voter=voters[0])


def test_it_issues_ballots_only_while_voting(election, voters):
    box = voting.add_box(election=election, code="C", kind="venue", name="中心会场")
    with pytest.raises(ValidationError, match="不能发放选票"):
        voting.issue_ballot(election=election, box=box, voter=voters[0])


def test_double_entry_needs_two_clerks_and_commits_only_when_both_passes_agree(counting):
    box = counting.boxes.get()
    first, second = UserFactory(), UserFactory()
    entry.record_paper(box=box, pass_number=1, clerk=first, marks={"director": ["甲"], "member": ["丙", "丁"]})
    entry.record_paper(box=box, pass_number=1, clerk=first, marks={"director": ["某人"]})
    entry.record_paper(box=box, pass_number=1, clerk=first, marks={}, spoiled=True)
    with pytest.raises(ValidationError, match="不同的录入员"):
        entry.record_paper(box=box, pass_number=2, clerk=first, marks={})
    entry.record_paper(box=box, pass_number=2, clerk=second, marks={"member": ["丁", "丙"], "director": ["甲"]})
    entry.record_paper(box=box, pass_number=2, clerk=second, marks={"director": ["乙"]})
    entry.record_paper(box=box, pass_number=2, clerk=second, marks={}, spoiled=True)
    comparison = entry.compare_box(box=box)
    assert [d["serial"] for d in comparison["differences"]] == [2]
    with pytest.raises(ValidationError, match="两遍录入不一致（第 2 张）"):
        entry.commit_box(box=box)
    wrong = comparison["differences"][0]["second"]
    with pytest.raises(ValidationError, match="另一遍"):
        entry.correct_paper(paper=wrong, clerk=first, marks={"director": ["某人"]})
    entry.correct_paper(paper=wrong, clerk=second, marks={"director": ["某人"]})
    assert entry.compare_box(box=box)["agree"]
    assert entry.commit_box(box=box) == 3
    result = tally(election=counting)
    director = {c["name"]: c for c in result["positions"][0]["candidates"]}
    assert director["某人"]["write_in"] and director["甲"]["votes"] == 1
    assert (result["ballots_returned"], result["ballots_invalid"]) == (3, 1)
    with pytest.raises(ValidationError, match="已经确认入账"):
        entry.record_paper(box=box, pass_number=1, clerk=first, marks={})


def test_a_pass_missing_a_paper_is_a_difference(counting):
    box = counting.boxes.get()
    entry.record_paper(box=box, pass_number=1, clerk=UserFactory(), marks={"director": ["甲"]})
    entry.record_paper(box=box, pass_number=1, clerk=UserFactory(), marks={"director": ["甲"]})
    entry.record_paper(box=box, pass_number=2, clerk=UserFactory(), marks={"director": ["甲"]})
    comparison = entry.compare_box(box=box)
    assert comparison["differences"][0]["serial"] == 2 and comparison["differences"][0]["second"] is None


def test_it_enters_ballots_only_while_counting(election):
    box = voting.add_box(election=election, code="C", kind="venue", name="中心会场")
    with pytest.raises(ValidationError, match="只有计票中才能录入选票"):
        entry.record_paper(box=box, pass_number=1, clerk=UserFactory(), marks={})
    with pytest.raises(ValidationError, match="只有计票中才能录入选票"):
        sheets.import_ballots(election=election, text="box,serial,position,marks,status\n")


CSV = """box,serial,position,marks,status
C,1,director,甲,
C,1,member,丙;丁,
C,2,director,甲;乙,
C,3,,,spoiled
C,4,member,丙;赵六,
"""


def test_it_imports_machine_read_ballots(counting, tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_ballots", "--election", str(counting.pk), str(path))
    assert Ballot.objects.filter(election=counting).count() == 4
    result = tally(election=counting)
    director, member = result["positions"][0], result["positions"][2]
    assert {c["name"]: c["votes"] for c in director["candidates"]} == {"甲": 1}  # serial 2 over-marked
    assert {c["name"]: c["votes"] for c in member["candidates"]} == {"丙": 2, "丁": 1, "赵六": 1}
    assert result["ballots_invalid"] == 1
    assert Box.objects.get(election=counting).entered


@pytest.mark.parametrize(("text", "message"), [
    ("box,serial,position,marks\n", "第 1 行 表头: 缺少列 status"),
    ("box,serial,position,marks,status\nC,1,director,甲,\nZ,2,director,甲,\n", "第 3 行 box: 票箱“Z”不属于本次选举"),
    ("box,serial,position,marks,status\nC,x,director,甲,\n", "第 2 行 serial: 应为正整数"),
    ("box,serial,position,marks,status\nC,1,mayor,甲,\n", "第 2 行 position: 职位“mayor”不属于本次选举"),
    ("box,serial,position,marks,status\nC,1,director,甲,torn\n", "第 2 行 status: 应为空或 spoiled"),
    ("box,serial,position,marks,status\nC,1,member,丙;丙,\n", "第 2 行 marks: 同一职位的姓名重复"),
    ("box,serial,position,marks,status\nC,1,director,甲,\nC,1,director,乙,\n", "第 3 行 position: 同一张选票的职位"),
    ("box,serial,position,marks,status\nC,1,director,甲,\nC,1,member,丙,spoiled\n", "第 3 行 status: 与第 2 行"),
])
def test_it_refuses_a_bad_ballot_file_naming_row_and_field_and_writes_nothing(counting, tmp_path, text, message):
    path = tmp_path / "ballots.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_ballots", "--election", str(counting.pk), str(path))
    assert not Ballot.objects.exists()


def test_it_refuses_a_second_file_for_a_box_already_committed(counting):
    sheets.import_ballots(election=counting, text="box,serial,position,marks,status\nC,1,director,甲,\n")
    with pytest.raises(ValidationError, match="第 2 行 box: 票箱 C 已经录入"):
        sheets.import_ballots(election=counting, text="box,serial,position,marks,status\nC,2,director,乙,\n")
    assert Ballot.objects.filter(election=counting).count() == 1


def test_a_tally_sheet_that_reconciles_becomes_ballots_that_tally_to_its_counts(counting):
    box = counting.boxes.get()
    sheets.enter_tally_sheet(box=box, returned=5, valid=4, invalid=1, user=UserFactory(),
                             counts={"director": {"甲": 3, "乙": 1}, "member": {"丙": 4, "丁": 4, "钱七": 2}})
    assert tally(election=counting)["ballots_returned"] == 0  # single entry: nothing counts yet
    sheets.confirm_tally_sheet(box=box, user=UserFactory())
    result = tally(election=counting)
    assert (result["ballots_returned"], result["ballots_valid"], result["ballots_invalid"]) == (5, 4, 1)
    assert {c["name"]: c["votes"] for c in result["positions"][0]["candidates"]} == {"甲": 3, "乙": 1}
    assert {c["name"]: c["votes"] for c in result["positions"][2]["candidates"]} == {"丙": 4, "丁": 4, "钱七": 2}
    assert TallySheet.objects.get().counts["member"]["钱七"] == 2


@pytest.mark.parametrize(("numbers", "counts", "message"), [
    ((5, 3, 1), {}, "有效票 3 张 + 无效票 1 张 = 4 张，与收回选票 5 张不符"),
    ((6, 5, 1), {}, "收回选票 6 张多于票箱 C 发出的选票 5 张"),
    ((4, 4, 0), {"director": {"甲": 5}}, "主任 甲 得票 5 张，不能多于有效票 4 张"),
    ((4, 4, 0), {"director": {"甲": 3, "乙": 2}}, "主任得票合计 5 张，多于有效票 4 张 × 应选 1 人 = 4"),
])
def test_it_refuses_a_tally_sheet_that_does_not_reconcile(counting, numbers, counts, message):
    returned, valid, invalid = numbers
    with pytest.raises(ValidationError, match=re.escape(message)):
        sheets.enter_tally_sheet(box=counting.boxes.get(), returned=returned, valid=valid, invalid=invalid,
                                 counts=counts)
    assert not TallySheet.objects.exists() and not Ballot.objects.exists()


def test_it_refuses_the_houbeian_hand_counted_totals_as_printed():
    data = hba_archive()
    data["ballots"], data["boxes"] = [], []
    election = import_election(data)
    # One sheet for the whole count: 2,208 returned of 2,268 issued, but 1,995 valid + 17 invalid = 2,012.
    box = voting.add_box(election=election, code="ALL", kind="venue", name="合计", issued=2268)
    stages.counting(election)
    with pytest.raises(ValidationError) as refused:
        sheets.enter_tally_sheet(box=box, returned=2208, valid=1995, invalid=17,
                                 counts={"director": {"吴逸芸": 1855}})
    assert refused.value.messages == ["计票单不平衡：有效票 1995 张 + 无效票 17 张 = 2012 张，"
                                      "与收回选票 2208 张不符（相差 196 张）"]
    assert not Ballot.objects.filter(election=election).exists()


def test_all_three_ways_end_in_the_same_records(tmp_path):
    marks = [{"director": ["甲"], "member": ["丙", "丁"]}, {"director": ["乙"], "member": ["丙"]}]
    results = []
    for way in ("paper", "csv", "sheet"):
        election = import_election(small_archive(ballots=[], registered=4) | {"community": {
            "code": f"W{way}", "name": f"{way}社区", "street": "测试街道"}})
        election.boxes.update(issued=2)
        stages.counting(election)
        box = election.boxes.get()
        if way == "paper":
            for pass_number in (1, 2):
                clerk = UserFactory()
                for m in marks:
                    entry.record_paper(box=box, pass_number=pass_number, clerk=clerk, marks=m)
            entry.commit_box(box=box)
        elif way == "csv":
            sheets.import_ballots(election=election, text="box,serial,position,marks,status\n"
                                  "C,1,director,甲,\nC,1,member,丙;丁,\nC,2,director,乙,\nC,2,member,丙,\n")
        else:
            sheets.enter_tally_sheet(box=box, returned=2, valid=2, invalid=0, user=UserFactory(),
                                     counts={"director": {"甲": 1, "乙": 1}, "member": {"丙": 2, "丁": 1}})
            sheets.confirm_tally_sheet(box=box, user=UserFactory())
        result = tally(election=election)
        results.append(json.dumps({k: v for k, v in result.items() if k != "election"}, sort_keys=True))
    assert results[0] == results[1] == results[2]
