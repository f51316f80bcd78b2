"""Elections III, sections 6, 7 and 11: the set-up the law forbids, term numbers, the demo data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee.models import Term
from committee.services import start_term
from elections.models import (
    BoxKind,
    CountingRole,
    ElectionCommitteeMember,
    ElectionStatus,
    Mode,
    Position,
    Proxy,
)
from elections.services import certification as cert
from elections.services import nominations, roll, setup, voting
from residents.models import Relation
from tests.elections.factories import GANSU, CandidateFactory, ElectionFactory, rule_set, rules_copy
from tests.residents.factories import HouseholdFactory, ResidentFactory

from .. import stages
from .common import DAY, TODAY, _certify_small, days, posted_election

pytestmark = pytest.mark.django_db


# 6. Set-up the law forbids -------------------------------------------------------------------------------------


def test_there_is_exactly_one_director_seat(election, login, street_staff):
    with pytest.raises(ValidationError, match="主任只能设1名"):
        setup.set_seats(election=election, seats={"director": 2})
    page = login(street_staff).post(reverse("elections:seats", args=[election.pk]),
                                    {"director": "2", "deputy": "1", "member": "5"}, follow=True).content.decode()
    assert "主任只能设1名" in page
    assert Position.objects.get(election=election, code="director").seats == 1
    assert setup.set_seats(election=election, seats={"deputy": 2, "member": 4}).warnings == ()


def test_only_a_registered_voter_can_be_nominated(community, login, street_staff):
    voter = ResidentFactory(community=community, name="江兆")
    election = ElectionFactory(community=community, election_day=DAY, positions=True)
    roll.build_voter_roll(election=election)
    member = election.positions.get(code="member")
    with pytest.raises(ValidationError, match="不在本次选举的选民名单上，不能被提名：外来人"):
        nominations.add_nomination(election=election, position=member, name="外来人", source="organisation")
    assert nominations.add_nomination(election=election, position=member, name=voter.name, source="organisation")
    page = login(street_staff).post(reverse("elections:nomination_forms", args=[election.pk]), {
        "issued": 10, "returned": 10, "valid": 10, "invalid": 0, "names_director": "外来人 5",
        "names_member": "江兆 3"}, follow=True).content.decode()
    # Refused, and the three textareas keep what was typed.
    assert "不能被提名：外来人" in page and "外来人 5</textarea>" in page and "江兆 3</textarea>" in page


def _formal(election, names):
    for code, name in names:
        CandidateFactory(position=election.positions.get(code=code), name=name,
                         resident=election.community.residents.get(name=name))


@pytest.mark.parametrize(("rules_name", "refused"), [("default", False), (GANSU, True)])
def test_a_proxy_holder_made_formal_candidate_is_flagged_by_default_and_refused_in_gansu(community, rules_name,
                                                                                       refused):
    election = posted_election(community, rules=rules_copy(GANSU) if refused else None)
    stages.at_stage(election, ElectionStatus.ROLL_POSTED)
    election.positions.exclude(code="director").delete()  # one position is enough to show the rule
    principal, holder = list(election.roll.select_related("resident")[:2])
    Proxy.objects.create(election=election, principal=principal, holder=holder, registered_on=TODAY, serial=1)
    director = election.positions.get(code="director")
    candidate = CandidateFactory(position=director, name=holder.resident.name, resident=holder.resident,
                                 status="preliminary", review="qualified")
    other = CandidateFactory(position=director, name="另一人", status="preliminary", review="qualified")
    chosen = {"director": [candidate.pk, other.pk]}
    if refused:
        with pytest.raises(ValidationError, match="正式候选人不得接受委托"):
            nominations.choose_formal(election=election, chosen=chosen)
        assert not election.candidates.filter(status="formal").exists()
    else:
        nominations.choose_formal(election=election, chosen=chosen)
        assert f"正式候选人{holder.resident.name}已接受委托投票" in election.warnings.get(stage="candidates").text


def test_a_nominee_may_not_join_the_election_committee_and_a_candidates_relative_must_withdraw(community, login,
                                                                                             street_staff):
    household = HouseholdFactory(community=community)
    candidate = ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="候选甲")
    spouse = ResidentFactory(community=community, household=household, relation=Relation.SPOUSE, name="配偶乙")
    election = ElectionFactory(community=community, election_day=DAY, positions=True)
    CandidateFactory(position=election.positions.get(code="director"), name=candidate.name, resident=candidate)
    with pytest.raises(ValidationError, match="已被提名为候选人，不能担任选举委员会成员"):
        setup.add_committee_member(election=election, name=candidate.name, resident=candidate)
    with pytest.raises(ValidationError, match="是正式候选人候选甲的近亲属，不能担任"):
        setup.add_committee_member(election=election, name=spouse.name, resident=spouse)
    # A member who became a relative of a formal candidate later: the list is not posted until they withdraw.
    member = ElectionCommitteeMember.objects.create(election=election, name=spouse.name, resident=spouse)
    stages.at_stage(election, ElectionStatus.ROLL_POSTED, roll_posted_on=TODAY)
    with pytest.raises(ValidationError, match="应当退出选举委员会"):
        nominations.post_candidates(election=election, on=TODAY)
    page = login(street_staff).get(reverse("elections:detail", args=[election.pk])).content.decode()
    assert "配偶乙 是正式候选人候选甲的近亲属，应当退出选举委员会。" in page
    login(street_staff).post(reverse("elections:withdraw_member", args=[election.pk]),
                             {"member": member.pk, "reason": "其配偶被确定为正式候选人"})
    assert not election.committee_members.filter(pk=member.pk).exists()
    assert "配偶乙退出选举委员会：其配偶被确定为正式候选人" in election.warnings.get(stage="committee").text


def test_the_election_committee_size_is_refused_in_gansu_and_flagged_by_default(community):
    ResidentFactory(community=community)
    gansu = ElectionFactory(community=community, election_day=DAY, rules=rules_copy(GANSU))
    stages.form_committee(gansu, stages.COMMITTEE[:6])
    roll.build_voter_roll(election=gansu)
    with pytest.raises(ValidationError, match="选举委员会现有6人，按“甘肃省规则”应由7至11人单数组成"):
        roll.post_roll(election=gansu, on=TODAY)
    ElectionCommitteeMember.objects.create(election=gansu, name="第七人")
    assert roll.post_roll(election=gansu, on=TODAY).value.status == ElectionStatus.ROLL_POSTED
    other = ResidentFactory()
    default = ElectionFactory(community=other.community, election_day=DAY)
    roll.build_voter_roll(election=default)
    roll.post_roll(election=default, on=TODAY)
    assert "选举委员会现有0人" in default.warnings.get(stage="committee").text


def test_a_household_election_needs_delegates_for_two_thirds_of_the_households(community, login, street_staff):
    heads = [ResidentFactory(community=community) for _ in range(3)]
    election = ElectionFactory(community=community, election_day=DAY, mode=Mode.HOUSEHOLD)
    stages.form_committee(election)
    roll.choose_household_delegate(election=election, resident=heads[0])
    roll.build_voter_roll(election=election)
    with pytest.raises(ValidationError, match="本社区3户，现只登记了1户"):
        roll.post_roll(election=election, on=TODAY)
    assert "现只登记了1户" in login(street_staff).get(reverse("elections:roll", args=[election.pk])).content.decode()
    roll.choose_household_delegate(election=election, resident=heads[1])
    roll.build_voter_roll(election=election)
    assert roll.post_roll(election=election, on=TODAY).value.status == ElectionStatus.ROLL_POSTED


def test_a_mobile_box_needs_three_workers_one_of_the_election_committee(community):
    election = posted_election(community)
    with stages.on(DAY - days(2)):
        box = voting.add_box(election=election, code="M1", kind=BoxKind.MOBILE, name="流动票箱一")
        setup.record_stage(election=election, stage="mobile_list", on=DAY - days(2))
        setup.add_worker(election=election, name="周箱", role=CountingRole.BOX_STAFF, box=box)
        setup.add_worker(election=election, name="吴箱", role=CountingRole.BOX_STAFF, box=box)
    with stages.on(DAY):
        with pytest.raises(ValidationError, match="只有2名工作人员，按规定应有3名以上"):
            voting.open_polling(election=election)
    setup.add_worker(election=election, name="郑箱", role=CountingRole.BOX_STAFF, box=box)
    with stages.on(DAY):
        with pytest.raises(ValidationError, match="工作人员中没有选举委员会成员"):
            voting.open_polling(election=election)
    setup.add_worker(election=election, name=stages.COMMITTEE[2], role=CountingRole.BOX_STAFF, box=box)
    with stages.on(DAY):
        assert voting.open_polling(election=election).status == ElectionStatus.VOTING


# 7. Term numbers -----------------------------------------------------------------------------------------------


def test_the_term_number_follows_the_sitting_term_and_the_handover_ends_it(community, login, street_staff):
    sitting = start_term(community=community, number=4, starts=datetime.date(2027, 1, 5), members=[
        {"name": "老主任", "position": "director"}])
    with pytest.raises(ValidationError, match="现任为第4届居委会，本次换届应为第5届"):
        setup.create_election(community=community, rule_set=rule_set(), term_number=3, mode=Mode.DIRECT,
                              election_day=DAY)
    page = login(street_staff).post(reverse("elections:index"), {
        "community": community.code, "rule_set": rule_set().pk, "term_number": 3, "mode": "direct",
        "election_day": DAY.isoformat()}).content.decode()
    assert "本次换届应为第5届" in page
    election = setup.create_election(community=community, rule_set=rule_set(), term_number=5, mode=Mode.DIRECT,
                                     election_day=DAY).value
    _certify_small(election)
    with stages.on(DAY + days(1)):
        certification = cert.hand_over(election=election).value
    sitting.refresh_from_db()
    assert sitting.ends == DAY + days(1) and sitting.members.get().ends == DAY + days(1)
    assert list(Term.objects.filter(community=community, ends__isnull=True)) == [certification.term]


# 11. Demo data ------------------------------------------------------------------------------------------------


def test_the_demo_has_a_second_clerk_and_a_supervision_group_apart_from_the_committee(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from committee.models import CommitteeMember
    from disclosure.models import SupervisionMember
    from disclosure.services.supervision import refusal_reason
    from org.models import Role

    settings.DEBUG = True
    call_command("loaddemo")
    clerks = get_user_model().objects.filter(memberships__role=Role.STREET_STAFF).distinct()
    assert {"jiedao", "jiedao2"} <= set(clerks.values_list("username", flat=True))
    committee = CommitteeMember.objects.filter(term__community__code="HBA", ends__isnull=True)
    assert committee.exists() and all(m.resident_id for m in committee)
    members = list(SupervisionMember.objects.filter(group__community__code="HBA").select_related("resident",
                                                                                                "group__term"))
    assert members and not {m.resident_id for m in members} & {m.resident_id for m in committee}
    assert all(refusal_reason(resident=m.resident, term=m.group.term) is None for m in members)
