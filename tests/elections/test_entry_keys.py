"""Numeric entry: a paper typed as the candidates' numbers per post (docs/domain.md, Elections: numeric entry)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from elections.models import CandidateStatus, EntryPaper
from elections.services import entry, voting
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import UserFactory

from . import stages

pytestmark = pytest.mark.django_db

NAMES = {"director": ["吴逸芸", "黄振华"], "deputy": ["方学全", "李明"],
         "member": ["印彦邦", "毛若虹", "张伟", "陈静", "王芳", "刘洋"]}


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=10)
    for code, names in NAMES.items():
        position = election.positions.get(code=code)
        # Created out of order: the number follows the ballot order, not the id.
        for order, name in reversed(list(enumerate(names))):
            CandidateFactory(position=position, name=name, ballot_order=order)
    CandidateFactory(position=election.positions.get(code="director"), name="落选人", ballot_order=0,
                     status=CandidateStatus.PRELIMINARY)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=10)
    return stages.counting(election)


def parse(election, keys):
    return entry.parse_keys(numbers=entry.candidate_numbers(election), keys=keys,
                             titles=dict(election.positions.values_list("code", "title")))


def test_it_numbers_formal_candidates_per_post_in_ballot_order(election):
    assert entry.candidate_numbers(election) == NAMES


def test_it_reads_a_typical_paper_of_five_names_in_eight_keys(election):
    keys = "1 2 135"
    assert len(keys) + 1 <= 8  # and Enter
    assert parse(election, keys) == ({"director": ["吴逸芸"], "deputy": ["李明"],
                                      "member": ["印彦邦", "张伟", "王芳"]}, False)


def test_it_reads_zero_as_a_blank_post_and_missing_groups_as_blank(election):
    assert parse(election, "0 2") == ({"deputy": ["李明"]}, False)
    assert parse(election, "") == ({}, False)


def test_it_keeps_an_over_marked_post_as_typed(election):
    assert parse(election, "12")[0] == {"director": ["吴逸芸", "黄振华"]}


def test_it_reads_write_ins_after_a_plus(election):
    assert parse(election, "1 0 12+赵六+钱七")[0] == {"director": ["吴逸芸"],
                                                "member": ["印彦邦", "毛若虹", "赵六", "钱七"]}
    assert parse(election, "+赵六")[0] == {"director": ["赵六"]}


def test_it_reads_a_star_as_a_spoiled_paper(election):
    assert parse(election, "*") == ({}, True)


def test_it_refuses_a_number_without_a_candidate(election):
    with pytest.raises(ValidationError, match="主任没有 3 号候选人"):
        parse(election, "3")
    with pytest.raises(ValidationError, match="没有 0 号候选人"):
        parse(election, "0+赵六")


def test_it_refuses_more_groups_than_posts_and_letters_for_numbers(election):
    with pytest.raises(ValidationError, match="只有 3 个职位"):
        parse(election, "1 1 1 1")
    with pytest.raises(ValidationError, match="以“\\+”开头"):
        parse(election, "a")


def test_it_types_two_digits_a_candidate_in_a_post_of_ten_or_more(election):
    member = election.positions.get(code="member")
    for order in range(6, 11):
        CandidateFactory(position=member, name=f"候选{order}", ballot_order=order)
    assert parse(election, "0 0 0111")[0] == {"member": ["印彦邦", "候选10"]}
    with pytest.raises(ValidationError, match="位数不对"):
        parse(election, "0 0 011")


def test_it_records_keys_through_the_guards_of_record_paper(election):
    box, clerk = election.boxes.get(code="C"), UserFactory()
    paper = entry.record_keys(box=box, pass_number=1, clerk=clerk, keys="1 2 135")
    assert paper.serial == 1 and paper.marks["member"] == ["印彦邦", "张伟", "王芳"]
    with pytest.raises(ValidationError, match="不同的录入员"):
        entry.record_keys(box=box, pass_number=2, clerk=clerk, keys="1")
    spoiled = entry.record_keys(box=box, pass_number=1, clerk=clerk, keys="*")
    assert spoiled.spoiled and spoiled.marks == {}
    assert EntryPaper.objects.filter(session__box=box).count() == 2
