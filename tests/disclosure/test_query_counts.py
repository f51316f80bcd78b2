"""The staff items list runs the same number of queries with ten times the items, drafts and published alike."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import a_published_item
from .factories import ItemFactory


def _items(community, user, n):
    for _ in range(n):
        ItemFactory(community=community, created_by=user)
        a_published_item(community)


def test_it_lists_ten_times_the_items_in_as_many_queries(login, community, committee_user,
                                                         django_assert_max_num_queries):
    client = login(committee_user)
    url = reverse("disclosure:index")
    _items(community, committee_user, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _items(community, committee_user, 18)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["published"]) == 20
