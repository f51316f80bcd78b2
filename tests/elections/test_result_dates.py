"""The result page's acts that take a day (a further round, a tie vote) read it through a form."""

import pytest
from django import forms
from django.utils import translation

from tests.elections.factories import ElectionFactory


@pytest.mark.parametrize("step", ["further", "tie"])
@pytest.mark.parametrize("typed, problem", [("2026-02-30", "invalid"), ("", "required")])
def test_it_refuses_a_follow_up_election_on_a_day_that_is_no_date_with_the_forms_message(
        community, street_staff, login, step, typed, problem):
    election = ElectionFactory(community=community, positions=True)
    page = login(street_staff).post(f"/elections/{election.pk}/result/{step}/", {"election_day": typed},
                                    follow=True).content.decode()
    with translation.override("zh-hans"):
        message = str(forms.DateField().error_messages[problem])
    assert message in page
    assert not election.followups.exists()
