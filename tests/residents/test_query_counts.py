"""The residents list runs the same number of queries with ten times the rows (no N+1 per resident)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from residents.models import Label, ResidentLabel

from .factories import GroupFactory, HouseholdFactory, ResidentFactory


def _residents(community, n):
    group = GroupFactory(community=community)
    for _ in range(n):
        resident = ResidentFactory(community=community, group=group, household=HouseholdFactory(community=community))
        ResidentLabel.objects.create(resident=resident, label=Label.ALONE)


def test_it_lists_ten_times_the_residents_in_as_many_queries(login, community, committee_user,
                                                             django_assert_max_num_queries):
    client = login(committee_user)
    url = reverse("residents:index")
    _residents(community, 6)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _residents(community, 54)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
