import datetime

import pytest
from django.core.exceptions import ValidationError

from disclosure import services
from disclosure.models import SupervisionGroup
from org.models import Membership, Role
from residents.models import Relation
from tests.factories import UserFactory
from tests.residents.factories import HouseholdFactory, ResidentFactory

from .factories import CommitteeMemberFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(community):
    return TermFactory(community=community)


@pytest.fixture
def director_household(community, term):
    household = HouseholdFactory(community=community)
    director = ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="王建国")
    CommitteeMemberFactory(term=term, resident=director, name=director.name)
    return household


def _others(community, n):
    return [ResidentFactory(community=community) for _ in range(n)]


def _elect(term, residents, **kwargs):
    nominees = [services.Nominee(resident=r, is_leader=(i == 0)) for i, r in enumerate(residents)]
    return services.elect_supervision_group(term=term, elected_on=datetime.date(2024, 2, 1), nominees=nominees,
                                            **kwargs)


def test_it_refuses_a_committee_members_spouse(community, term, director_household):
    spouse = ResidentFactory(community=community, household=director_household, relation=Relation.SPOUSE,
                             name="李秀英")
    with pytest.raises(ValidationError) as refused:
        _elect(term, _others(community, 4) + [spouse])
    assert "第 5 人: 李秀英 是居委会成员 王建国 的配偶" in refused.value.messages[0]
    assert not SupervisionGroup.objects.exists()


@pytest.mark.parametrize(("member_relation", "relation", "label"), [
    (Relation.HEAD, Relation.CHILD, "子女"),
    (Relation.HEAD, Relation.PARENT, "父母"),
    (Relation.HEAD, Relation.SIBLING, "兄弟姐妹"),
    (Relation.HEAD, Relation.GRANDCHILD, "孙子女"),
    (Relation.SPOUSE, Relation.HEAD, "配偶"),
    (Relation.CHILD, Relation.HEAD, "父母"),
    (Relation.CHILD, Relation.CHILD, "兄弟姐妹"),
])
def test_it_refuses_close_relatives_from_the_household(community, term, member_relation, relation, label):
    household = HouseholdFactory(community=community)
    if Relation.HEAD not in (member_relation, relation):
        ResidentFactory(community=community, household=household, relation=Relation.HEAD)
    member = ResidentFactory(community=community, household=household, relation=member_relation)
    CommitteeMemberFactory(term=term, resident=member, name=member.name)
    relative = ResidentFactory(community=community, household=household, relation=relation)
    assert services.refusal_reason(resident=relative, term=term).endswith(label)


def test_it_refuses_a_committee_member_himself(community, term, director_household):
    director = director_household.members.get(relation=Relation.HEAD)
    assert "本届居委会成员" in services.refusal_reason(resident=director, term=term)


def test_it_accepts_a_lodger_of_the_same_household(community, term, director_household):
    lodger = ResidentFactory(community=community, household=director_household, relation=Relation.OTHER)
    group = _elect(term, _others(community, 4) + [lodger])
    assert group.members.count() == 5


@pytest.mark.parametrize("size", [4, 8])
def test_it_wants_five_to_seven_members(community, term, size):
    with pytest.raises(ValidationError, match="5 至 7"):
        _elect(term, _others(community, size))


def test_it_wants_exactly_one_leader(community, term):
    nominees = [services.Nominee(resident=r) for r in _others(community, 5)]
    with pytest.raises(ValidationError, match="组长"):
        services.elect_supervision_group(term=term, elected_on=datetime.date(2024, 2, 1), nominees=nominees)


def test_it_refuses_residents_of_another_community(community, other_community, term):
    with pytest.raises(ValidationError, match="不是本社区居民"):
        _elect(term, _others(community, 4) + [ResidentFactory(community=other_community)])


def test_it_elects_a_group_for_the_committees_term_and_links_logins(community, term):
    residents = _others(community, 6)
    user = UserFactory()
    nominees = [services.Nominee(resident=r, is_leader=(i == 0), user=user if i == 0 else None)
                for i, r in enumerate(residents)]
    group = services.elect_supervision_group(term=term, elected_on=datetime.date(2024, 2, 1), nominees=nominees)
    assert group.term == term and group.members.get(is_leader=True).resident == residents[0]
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.SUPERVISION and membership.is_leader and membership.community == community
    assert membership.ends == term.ends
    with pytest.raises(ValidationError, match="已经选出"):
        _elect(term, _others(community, 5))
