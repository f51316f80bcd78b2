"""Shared lookups of the street-scale demo data for the benchmarks."""

import datetime

from django.db.models import Max

from committee.services import latest_term_number
from elections.models import Election, RuleSet, VoterRollEntry
from elections.rulesets import DEFAULT
from elections.services import dates, setup
from org.models import Community
from residents.models import Resident


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
                                 election_day=dates.today() + datetime.timedelta(days=40)).value


def election_with_voters(voters: int) -> Election:
    """A new election of the fourth community with `voters` adults of the street on an inactive roll, for the
    paper benchmarks (call inside a transaction that is rolled back)."""
    election = new_election(community(3))
    residents = (Resident.objects.filter(birth_date__year__lt=2000)
                 .order_by("group__name", "household__number", "name_pinyin", "id")
                 .values_list("id", "group__name")[:voters])
    VoterRollEntry.objects.bulk_create(
        [VoterRollEntry(election=election, resident_id=pk, group_name=group, serial=n, active=False)
         for n, (pk, group) in enumerate(residents, start=1)], batch_size=2000)
    return election
