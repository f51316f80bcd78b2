"""The elections floor hands its rule set's representative numbers down to the registry and checks an election
by the representatives against its own copy (docs/domain.md, Representatives)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import Mode, RuleSet
from elections.services.representatives import representative_warnings
from residents.services.representatives import DEFAULT_REPRESENTATIVE_RULES, add_representative, representative_rules
from tests.residents.factories import GroupFactory, RepresentativeFactory, ResidentFactory

from .factories import ElectionFactory

pytestmark = pytest.mark.django_db


def narrow_rules(**fields) -> RuleSet:
    rules = RuleSet.objects.create(name="一至二名", is_template=False, representatives_per_group_min=1,
                                   representatives_per_group_max=2, **fields)
    return rules


def test_the_registry_takes_the_latest_elections_numbers(community):
    assert representative_rules(community=community) == DEFAULT_REPRESENTATIVE_RULES
    ElectionFactory(community=community, rules=narrow_rules(women_share_of_representatives=Decimal("0.3333")))
    assert representative_rules(community=community) == (1, 2, Fraction(1, 3))


def test_it_refuses_a_third_elected_representative_under_a_one_to_two_rule_set(community):
    ElectionFactory(community=community, rules=narrow_rules())
    group = GroupFactory(community=community)
    today = datetime.date.today()
    for _ in range(2):
        add_representative(resident=ResidentFactory(community=community, group=group), kind="elected", starts=today)
    with pytest.raises(ValidationError, match="每组 1 至 2 名"):
        add_representative(resident=ResidentFactory(community=community, group=group), kind="elected", starts=today)


def test_an_election_by_the_representatives_warns_from_its_own_rule_set(login, community, street_staff):
    election = ElectionFactory(community=community, mode=Mode.REPRESENTATIVE,
                               rules=narrow_rules(women_share_of_representatives=Decimal("0.5")))
    group = GroupFactory(community=community, name="五组")
    for _ in range(3):
        RepresentativeFactory(resident=ResidentFactory(community=community, group=group, sex="M"))
    warnings = representative_warnings(election)
    assert any("五组" in w and "多于每组 2 名" in w for w in warnings)
    assert any("妇女代表 0 名" in w for w in warnings)
    page = login(street_staff).get(reverse("elections:detail", args=[election.pk])).content.decode()
    assert "多于每组 2 名" in page


def test_a_direct_election_does_not_check_the_representatives(community):
    election = ElectionFactory(community=community, rules=narrow_rules())
    RepresentativeFactory(resident=ResidentFactory(community=community))
    assert representative_warnings(election) == []
