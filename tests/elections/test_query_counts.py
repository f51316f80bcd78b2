"""The elections list runs the same number of queries with ten times the elections."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ElectionFactory


def test_it_lists_ten_times_the_elections_in_as_many_queries(login, community, other_community, street_staff,
                                                             django_assert_max_num_queries):
    client = login(street_staff)
    url = reverse("elections:index") + "?all=1"
    for place in (community, other_community):
        ElectionFactory(community=place)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(9):
        for place in (community, other_community):
            ElectionFactory(community=place)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
