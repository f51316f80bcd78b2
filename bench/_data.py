"""Shared lookups of the street-scale demo data for the benchmarks."""

import datetime

from django.db.models import Max

from committee.services import latest_term_number
from elections.models import Election, RuleSet
from elections.rulesets import DEFAULT
from elections.services import setup
from org.models import Community


def community(index: int) -> Community:
    """The `index`-th community of the demo street (by id); the first has the election in progress."""
    return Community.objects.order_by("id")[index]


def new_election(place: Community) -> Election:
    """A fresh election in preparation for `place`, made for one benchmark (callers roll it back): for the term
    after the sitting one and after any election the demo already holds (the term-number guard allows no other)."""
    held = place.elections.filter(kind="main").aggregate(n=Max("term_number"))["n"]
    term = max(latest_term_number(community=place) or 0, held or 0) + 1
    return setup.create_election(community=place, rule_set=RuleSet.objects.get(name=DEFAULT, is_template=True),
                                 term_number=term, mode="direct",
                                 election_day=setup.today() + datetime.timedelta(days=40))
