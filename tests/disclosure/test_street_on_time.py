import datetime

import pytest
from django.utils import timezone

from disclosure.models import Item, Status
from disclosure.statistics import on_time, street_compliance

from .factories import ItemFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 4, 15)


def test_it_counts_an_item_published_on_the_10th_as_on_time_and_a_later_one_as_late(published, other_community):
    # Published on the 15th, after the board day (an official notice needs no signature to be set so here).
    late = ItemFactory(community=other_community, official_notice=True)
    Item.objects.filter(pk=late.pk).update(status=Status.PUBLISHED, archive_year=2024,
                                           published_at=timezone.make_aware(datetime.datetime(2024, 4, 15, 9)))
    found = on_time(communities=[published.community, other_community], year=2024, today=TODAY)
    first, second = found[published.community.pk], found[other_community.pk]
    assert (first.on_time, first.published_late) == (1, 0)
    assert (second.on_time, second.published_late) == (0, 1)
    assert first.due == second.due and first.missing == first.due - 1


def test_it_marks_a_community_late_and_draws_its_bar_red(published, other_community):
    compliance = street_compliance(communities=[published.community, other_community], year=2024, today=TODAY)
    cell = compliance.columns[0].cells[published.community.pk]
    assert cell.late and cell.text.startswith("1/")
    caption, chart = compliance.charts[0]
    assert chart.startswith("<svg") and 'fill="#c00000"' in chart and other_community.name in chart
