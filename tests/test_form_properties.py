"""Property-based tests of the main forms through their views: random input never gives a 500 and never
half-writes (either the whole object is saved, or nothing is)."""

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committee.models import Meeting
from disclosure.models import Feedback
from residents.models import Household, Resident, ResidentGroup
from tests.disclosure.conftest import a_published_item
from tests.residents.factories import GroupFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
junk = st.one_of(st.text(max_size=30), st.integers(-10, 10**12).map(str), st.sampled_from(
    ["", "户主", "local", "living", "2024-02-30", "2024-05-01 09:00", "2099-01-01T08:00", "<script>", "\x00",
     "110101199003077777", "11010119900307001X", "committee", "residents", "13812345678"]))


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional={f: junk for f in [
    "name", "id_number", "household", "relation", "group", "address", "registration", "living", "move_in_date",
    "deprived", "election_wish", "phone"]}), real_refs=st.booleans())
def test_it_never_fails_or_half_writes_on_random_resident_input(community, committee_user, data, real_refs):
    with transaction.atomic():
        if real_refs:
            data = {**data, "household": HouseholdFactory(community=community).pk,
                    "group": GroupFactory(community=community).pk}
        before = Resident.objects.count(), Resident.history.count()
        households, groups = Household.objects.count(), ResidentGroup.objects.count()
        response = _client(committee_user).post("/residents/new/", data)
        assert response.status_code in (200, 302), response.status_code
        created = 1 if response.status_code == 302 else 0
        assert (Resident.objects.count(), Resident.history.count()) == (before[0] + created, before[1] + created)
        assert (Household.objects.count(), ResidentGroup.objects.count()) == (households, groups)
        transaction.set_rollback(True)


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional={f: junk for f in [
    "kind", "composition", "title", "agenda", "place", "starts", "urgent", "matter", "requester", "requested_on"]}))
def test_it_never_fails_or_half_writes_on_random_meeting_input(community, committee_user, data):
    with transaction.atomic():
        before = Meeting.objects.count()
        response = _client(committee_user).post("/committee/meetings/new/", data)
        assert response.status_code in (200, 302), response.status_code
        assert Meeting.objects.count() == before + (1 if response.status_code == 302 else 0)
        transaction.set_rollback(True)


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional={f: junk for f in ["text", "name", "contact", "website", "token"]}))
def test_it_never_fails_or_half_writes_on_random_feedback(community, data):
    with transaction.atomic():
        item = a_published_item(community)
        before = Feedback.objects.count()
        response = Client(raise_request_exception=False).post(
            f"/board/{community.code}/items/{item.pk}/feedback/", data)
        assert response.status_code in (200, 302, 400, 429), response.status_code
        assert Feedback.objects.count() in (before, before + 1)
        assert Feedback.objects.count() == before or response.status_code in (200, 302)
        transaction.set_rollback(True)
