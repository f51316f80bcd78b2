"""The meetings and decisions lists run the same number of queries with ten times the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.models import Decision

from .factories import MeetingFactory


def _meetings(community, n):
    for i in range(n):
        meeting = MeetingFactory(community=community, title=f"居委会例会{i}")
        Decision.objects.create(meeting=meeting, text="修缮3幢雨棚", owner="肖桂焕")


@pytest.mark.parametrize("name", ["committee:meetings", "committee:decisions"])
def test_it_lists_ten_times_the_rows_in_as_many_queries(name, login, community, committee_user,
                                                        django_assert_max_num_queries):
    client = login(committee_user)
    url = reverse(name)
    _meetings(community, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _meetings(community, 27)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30
