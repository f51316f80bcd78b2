"""Shared lookups of the street-scale demo data for the benchmarks."""

import datetime

from elections.models import Election, RuleSet
from elections.rulesets import DEFAULT
from elections.services import setup
from org.models import Community

BENCH_TERM = 90  # a term number no real election of the demo uses


def community(index: int) -> Community:
    """The `index`-th community of the demo street (by id); the first has the election in progress."""
    return Community.objects.order_by("id")[index]


def new_election(place: Community) -> Election:
    """A fresh election in preparation for `place`, made for one benchmark (callers roll it back)."""
    return setup.create_election(community=place, rule_set=RuleSet.objects.get(name=DEFAULT, is_template=True),
                                 term_number=BENCH_TERM, mode="direct",
                                 election_day=setup.today() + datetime.timedelta(days=40))
