import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import CandidateStatus, ElectionStatus, NominationSource
from elections.services import nominations as service
from elections.services.roll import build_voter_roll, post_roll
from elections.strokes import ballot_key, strokes
from tests.elections.factories import DEFAULT, GANSU, LANZHOU, ElectionFactory, rules_copy
from tests.residents.factories import ResidentFactory

from .stages import form_committee, on

DAY = datetime.date(2030, 3, 16)
REAL_COUNTS = {"director": {"吴逸芸": 1000, "方学全": 500, "陈海树": 40, "江兆": 20},
               "deputy": {"方学全": 1000, "朱勇辉": 600},
               "member": {"印彦邦": 1600, "葛鸿平": 1500, "毛若虹": 1450, "张吉生": 1400, "蒋惠琴": 1300,
                          "肖桂焕": 900, "朱锦新": 400}}


NOMINEES = sorted({name for names in REAL_COUNTS.values() for name in names} | {"孙沛暖"})


def election_for(community, rules_name=DEFAULT):
    """An election whose roll holds every nominee of these tests (only a registered voter can be nominated)."""
    for name in NOMINEES:
        ResidentFactory(community=community, name=name)
    election = ElectionFactory(community=community, election_day=DAY, rules=rules_copy(rules_name), positions=True)
    form_committee(election)
    build_voter_roll(election=election)
    return election


def nominate(election):
    return service.record_nomination_forms(election=election, issued=2684, returned=1772, valid=1768, invalid=4,
                                           counts=REAL_COUNTS)


def qualify_all(election):
    for c in election.candidates.all():
        service.review_candidate(candidate=c, qualified=True, note="", on=DAY - datetime.timedelta(days=12))


def ids(election, code, names):
    return list(election.candidates.filter(position__code=code, name__in=names).values_list("id", flat=True))


def test_it_records_the_real_nomination_forms(community):
    election = election_for(community)
    tally = nominate(election)
    assert (tally.issued, tally.returned, tally.valid, tally.invalid) == (2684, 1772, 1768, 4)
    assert election.nominations.filter(source=NominationSource.FORMS).count() == 13


@pytest.mark.parametrize(("numbers", "message"), [
    ({"issued": 2208, "returned": 2208, "valid": 1995, "invalid": 17},
     "有效票1995张加无效票17张为2012张，不等于收回的2208张。"),
    ({"issued": 1700, "returned": 1772, "valid": 1768, "invalid": 4}, "收回提名票1772张，多于发出的1700张。"),
])
def test_it_refuses_nomination_totals_that_do_not_reconcile(community, numbers, message):
    election = election_for(community)
    with pytest.raises(ValidationError) as err:
        service.record_nomination_forms(election=election, counts={}, **numbers)
    assert message in err.value.messages
    assert not election.nominations.exists()


def test_it_refuses_a_joint_nomination_by_fewer_than_ten_representatives(community):
    election = election_for(community)
    member = election.positions.get(code="member")
    with pytest.raises(ValidationError) as err:
        service.add_nomination(election=election, position=member, name="孙沛暖", source=NominationSource.JOINT,
                               count=9)
    assert err.value.messages == ["选民联名提名须有10人以上，现只有9人。"]
    service.add_nomination(election=election, position=member, name="孙沛暖", source=NominationSource.JOINT,
                           count=10)
    service.add_nomination(election=election, position=member, name="朱勇辉", source=NominationSource.ORGANISATION)
    assert election.nominations.count() == 2


def test_it_ranks_preliminary_candidates_by_nominations(community):
    election = election_for(community)
    nominate(election)
    made = service.rank_preliminary(election=election, limits={"member": 6})
    assert made == {"director": 4, "deputy": 2, "member": 6}
    members = list(election.candidates.filter(position__code="member").order_by("ballot_order")
                   .values_list("name", flat=True))
    assert members[:2] == ["印彦邦", "葛鸿平"] and "朱锦新" not in members


def test_it_chooses_formal_candidates_in_surname_stroke_order(community):
    election = election_for(community)
    nominate(election)
    service.rank_preliminary(election=election)
    qualify_all(election)
    service.choose_formal(election=election, chosen={
        "director": ids(election, "director", ["吴逸芸", "江兆"]),
        "deputy": ids(election, "deputy", ["方学全", "朱勇辉"]),
        "member": ids(election, "member", ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]),
    })
    members = [c.name for c in service.formal_candidates(election)[election.positions.get(code="member")]]
    # 毛 4 strokes, 印 5, 肖 7 (starts 竖) before 张 7 (starts 折), 葛 12 before 蒋 12 (fourth stroke 竖, 点).
    assert members == ["毛若虹", "印彦邦", "肖桂焕", "张吉生", "葛鸿平", "蒋惠琴"]
    assert [strokes(c) for c in "毛印张肖葛蒋"] == [4, 5, 7, 7, 12, 12]
    directors = [c.name for c in service.formal_candidates(election)[election.positions.get(code="director")]]
    # 江 6 strokes before 吴 7.
    assert directors == ["江兆", "吴逸芸"]
    assert ballot_key("江兆") < ballot_key("吴逸芸")


@pytest.mark.parametrize(("rules_name", "message"), [
    (DEFAULT, "委员应选5名，按“默认规则（城市居民委员会组织法）”的差额规定至少需要6名正式候选人，现只有5名。"),
    (GANSU, "委员应选5名，按“甘肃省规则”的差额规定至少需要6名正式候选人，现只有5名。"),
])
def test_it_refuses_too_few_candidates_for_the_margin_rule(community, rules_name, message):
    election = election_for(community, rules_name)
    nominate(election)
    service.rank_preliminary(election=election)
    qualify_all(election)
    with pytest.raises(ValidationError) as err:
        service.choose_formal(election=election, chosen={
            "director": ids(election, "director", ["吴逸芸", "江兆"]),
            "deputy": ids(election, "deputy", ["方学全", "朱勇辉"]),
            "member": ids(election, "member", ["印彦邦", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]),
        })
    assert message in err.value.messages
    assert not election.candidates.filter(status=CandidateStatus.FORMAL).exists()


def test_it_refuses_more_than_one_extra_director_under_the_gansu_rules(community):
    election = election_for(community, GANSU)
    nominate(election)
    service.rank_preliminary(election=election)
    qualify_all(election)
    with pytest.raises(ValidationError) as err:
        service.choose_formal(election=election, chosen={
            "director": ids(election, "director", ["吴逸芸", "江兆", "陈海树"]),
            "deputy": ids(election, "deputy", ["方学全", "朱勇辉"]),
            "member": ids(election, "member", ["印彦邦", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕", "朱锦新"]),
        })
    assert "主任应选1名，按“甘肃省规则”的差额规定最多2名正式候选人，现有3名。" in err.value.messages


def test_it_refuses_a_candidate_without_a_passed_review(community):
    election = election_for(community)
    nominate(election)
    service.rank_preliminary(election=election)
    failed = election.candidates.get(position__code="director", name="江兆")
    with pytest.raises(ValidationError, match="须写明审查意见"):
        service.review_candidate(candidate=failed, qualified=False, note="")
    service.review_candidate(candidate=failed, qualified=False, note="不符合任职条件")
    failed.refresh_from_db()
    assert failed.status == CandidateStatus.DISQUALIFIED and failed.review_note == "不符合任职条件"
    with pytest.raises(ValidationError, match="尚未通过资格审查"):
        service.choose_formal(election=election, chosen={"director": [failed.pk]})


def _posted_roll_with_candidates(community, rules_name):
    election = election_for(community, rules_name)
    with on(DAY - datetime.timedelta(days=25)):
        post_roll(election=election, on=DAY - datetime.timedelta(days=25))
        election.refresh_from_db()
        nominate(election)
        service.rank_preliminary(election=election)
    qualify_all(election)
    service.choose_formal(election=election, chosen={
        "director": ids(election, "director", ["吴逸芸", "江兆"]),
        "deputy": ids(election, "deputy", ["方学全", "朱勇辉"]),
        "member": ids(election, "member", ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]),
    })
    return election


@pytest.mark.parametrize(("rules_name", "days", "due"), [(DEFAULT, 3, "2030年3月13日"),
                                                         (LANZHOU, 5, "2030年3月11日")])
def test_a_candidate_list_posted_late_is_lawful_but_on_the_record(community, rules_name, days, due):
    election = _posted_roll_with_candidates(community, rules_name)
    late = DAY - datetime.timedelta(days=days - 1)
    with on(late), pytest.raises(ValidationError, match="晚于今天"):
        service.post_candidates(election=election, on=late + datetime.timedelta(days=1))
    with on(late):
        service.post_candidates(election=election, on=late)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_POSTED
    (warning,) = election.warnings.filter(stage="candidates")
    assert f"规定的{due}" in warning.text and "逾期1日" in warning.text


@pytest.mark.parametrize("rules_name", [DEFAULT, GANSU])
def test_a_candidate_list_posted_in_time_leaves_no_warning(community, rules_name):
    election = _posted_roll_with_candidates(community, rules_name)
    in_time = DAY - datetime.timedelta(days=election.rules.candidates_posted_days)
    with on(in_time):
        service.post_candidates(election=election, on=in_time)
    assert not election.warnings.exists()


def test_it_shows_an_empty_ranking_as_no_nominations_yet_not_as_none(community, login, committee_user):
    election = ElectionFactory(community=community, positions=True)
    page = login(committee_user).get(reverse("elections:nominations", args=[election.pk])).content.decode()
    ranking = page.split("按得票排序")[1]
    assert ranking.count("尚无提名") == election.positions.count()
    assert ">无<" not in ranking and "None" not in ranking
