import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import services
from disclosure.models import Category, DisclosureRequest, Status
from tests.factories import CommunityFactory

from .conftest import a_published_item
from .factories import ItemFactory, TermFactory

pytestmark = pytest.mark.django_db


def _by_category(entries):
    return {e.category: e for e in entries}


def test_it_lists_monthly_items_every_month_and_quarterly_ones_after_a_quarter(community):
    may = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 5, 1),
                                             today=datetime.date(2024, 5, 1))[community.pk])
    assert set(may) == {Category.FINANCES, Category.ASSISTANCE}
    assert may[Category.FINANCES].period_start == datetime.date(2024, 4, 1)
    assert may[Category.FINANCES].due_on == datetime.date(2024, 5, 10)
    april = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 4, 1),
                                               today=datetime.date(2024, 4, 1))[community.pk])
    assert april[Category.MEETING_DECISIONS].period_start == datetime.date(2024, 1, 1)
    assert april[Category.MEETING_DECISIONS].period_end == datetime.date(2024, 3, 31)


def test_it_lists_yearly_items_in_january_and_term_items_after_a_new_term(community):
    TermFactory(community=community, starts=datetime.date(2024, 1, 15), ends=datetime.date(2027, 1, 14))
    january = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 1, 1),
                                                 today=datetime.date(2024, 1, 2))[community.pk])
    assert january[Category.ANNUAL_GOALS].period_start == datetime.date(2023, 1, 1)
    assert january[Category.SUPERVISION_REPORT].period_end == datetime.date(2023, 12, 31)
    assert Category.TERM_GOALS not in january
    february = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 2, 1),
                                                  today=datetime.date(2024, 2, 1))[community.pk])
    assert february[Category.TERM_GOALS].period_start == datetime.date(2024, 1, 15)


def test_it_marks_items_ready_published_and_late(community, supervision_user):
    ItemFactory(community=community)  # March finances, a draft
    signed = ItemFactory(community=community, category=Category.ASSISTANCE)
    services.submit_item(item=signed)
    services.sign_item(item=signed, user=supervision_user)
    before = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 4, 1),
                                                today=datetime.date(2024, 4, 5))[community.pk])
    assert before[Category.FINANCES].state == services.DueState.IN_PROGRESS and not before[Category.FINANCES].late
    assert before[Category.ASSISTANCE].state == services.DueState.READY
    assert before[Category.MEETING_DECISIONS].state == services.DueState.MISSING
    after = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 4, 1),
                                               today=datetime.date(2024, 4, 11))[community.pk])
    assert after[Category.FINANCES].late and after[Category.MEETING_DECISIONS].late
    a_published_item(community, category=Category.MEETING_DECISIONS, period_start=datetime.date(2024, 1, 1),
                     period_end=datetime.date(2024, 3, 31))
    done = _by_category(services.due_calendar(communities=[community], month=datetime.date(2024, 4, 1),
                                              today=datetime.date(2024, 4, 11))[community.pk])
    assert done[Category.MEETING_DECISIONS].state == services.DueState.PUBLISHED
    assert not done[Category.MEETING_DECISIONS].late


def test_it_makes_a_residents_request_a_due_item(community):
    request = DisclosureRequest.objects.create(community=community, subject="停车费收支", basis="residents",
                                               signatures=3, base=20, required=2, filed_on=datetime.date(2024, 3, 12),
                                               due_on=datetime.date(2024, 4, 10))
    entries = services.due_calendar(communities=[community], month=datetime.date(2024, 4, 1),
                                    today=datetime.date(2024, 4, 11))[community.pk]
    entry = next(e for e in entries if e.request == request)
    assert entry.category == Category.ON_REQUEST and entry.late
    ItemFactory(community=community, category=Category.ON_REQUEST, request=request, status=Status.DRAFT)
    entries = services.due_calendar(communities=[community], month=datetime.date(2024, 4, 1),
                                    today=datetime.date(2024, 4, 11))[community.pk]
    assert next(e for e in entries if e.request == request).state == services.DueState.IN_PROGRESS


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response.content.decode()


def test_it_shows_the_whole_street_to_street_staff_in_constant_queries(login, street_staff, community,
                                                                       other_community):
    client = login(street_staff)
    url = f"/disclosure/street/{community.street_id}/?month=2024-04"
    client.get(url)
    few, text = _queries(client, url)
    assert community.name in text and other_community.name in text and "逾期" in text
    more = [CommunityFactory(street=community.street) for _ in range(5)]
    many, text = _queries(client, url)
    assert many == few and all(c.name in text for c in more)
