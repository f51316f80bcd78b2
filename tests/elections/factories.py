"""Factories of the elections app, shared by the tests of Elections I and II."""

import datetime

import factory
from django.utils import timezone

from elections.models import Candidate, CandidateStatus, Election, Mode, Position, RuleSet
from elections.rulesets import DEFAULT, GANSU, JIANGXI, LANZHOU, install_rule_sets
from elections.services.setup import DEFAULT_POSITIONS, copy_rules
from tests.factories import CommunityFactory


def rule_set(name: str = DEFAULT) -> RuleSet:
    """The shipped template `name` (DEFAULT, GANSU, JIANGXI or LANZHOU), installed on first use."""
    install_rule_sets()
    return RuleSet.objects.get(name=name, is_template=True)


def rules_copy(name: str = DEFAULT) -> RuleSet:
    """A fresh election-owned copy of a shipped rule set."""
    return copy_rules(rule_set(name))


class ElectionFactory(factory.django.DjangoModelFactory):
    """A direct election 30 days ahead, bound to a copy of the default rule set.

    No positions unless `positions=True` (then 主任 1, 副主任 1, 委员 5); pass `rules=rules_copy(GANSU)`
    for the Gansu rules.
    """

    class Meta:
        model = Election
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    term_number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.community.name}第{o.term_number}届居民委员会换届选举")
    mode = Mode.DIRECT
    election_day = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    rules = factory.LazyFunction(rules_copy)

    @factory.post_generation
    def positions(obj, create, extracted, **kwargs):
        if create and extracted:
            for order, (code, title, seats) in enumerate(DEFAULT_POSITIONS):
                Position.objects.create(election=obj, code=code, title=title, seats=seats, order=order)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    election = factory.SubFactory(ElectionFactory)
    code = factory.Sequence(lambda n: f"p{n}")
    title = "委员"
    seats = 1
    order = factory.Sequence(lambda n: n)


class CandidateFactory(factory.django.DjangoModelFactory):
    """A formal candidate of a position (status=CandidateStatus.PRELIMINARY for a nominee)."""

    class Meta:
        model = Candidate

    position = factory.SubFactory(PositionFactory)
    election = factory.SelfAttribute("position.election")
    name = factory.Sequence(lambda n: f"候选人{n}")
    status = CandidateStatus.FORMAL
    ballot_order = factory.Sequence(lambda n: n)


__all__ = ["CandidateFactory", "DEFAULT", "ElectionFactory", "GANSU", "JIANGXI", "LANZHOU", "PositionFactory",
           "rule_set", "rules_copy"]
