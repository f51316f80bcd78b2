"""The term's days, as disclosure counts them (the term-wide items, the supervision group's seats): the rule
set's length, not three years always."""

import datetime

import pytest

from disclosure.services.calendar import term_period
from tests.committee.factories import TermFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(("years", "last_day"), [(3, D(2026, 12, 31)), (5, D(2028, 12, 31))])
def test_it_runs_a_sitting_term_to_the_day_before_it_falls_due(community, years, last_day):
    term = TermFactory(community=community, starts=D(2024, 1, 1), term_years=years)
    assert term_period(term) == (D(2024, 1, 1), last_day)


def test_it_runs_an_extended_term_to_the_extension_and_an_ended_one_to_its_end(community):
    extended = TermFactory(community=community, starts=D(2021, 1, 1), extended_to=D(2024, 6, 30),
                           extension_decision="街道〔2023〕第9号", extension_decided_on=D(2023, 12, 1))
    assert term_period(extended)[1] == D(2024, 6, 30)
    ended = TermFactory(community=community, number=5, starts=D(2024, 7, 1), ends=D(2025, 3, 1))
    assert term_period(ended)[1] == D(2025, 3, 1)
