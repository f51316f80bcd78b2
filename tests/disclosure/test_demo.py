import time

import pytest
from django.core.management import call_command

from disclosure import demo
from disclosure.models import Feedback, Item, Status, SupervisionMember
from org.models import Community, StreetOffice
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_it_loads_the_small_demo_once(django_user_model):
    from org import demo as org_demo

    org_demo.load(size="small")
    first = Community.objects.get(code="HBA")
    for _ in range(8):  # in case the residents' demo has none yet
        ResidentFactory(community=first)
    call_command("loaddemo", force=True)
    items = Item.objects.filter(community=first)
    assert items.filter(status=Status.PUBLISHED).count() >= 8
    assert items.filter(status=Status.SUBMITTED).count() == 1
    assert Feedback.objects.filter(item__community=first, answered_at__isnull=True).count() == 1
    jiandu = django_user_model.objects.get(username="jiandu")
    assert SupervisionMember.objects.get(user=jiandu).is_leader
    before = Item.objects.count(), Feedback.objects.count(), SupervisionMember.objects.count()
    call_command("loaddemo", force=True)
    assert (Item.objects.count(), Feedback.objects.count(), SupervisionMember.objects.count()) == before


def test_it_bulk_loads_six_years_for_every_community_of_a_street(django_user_model):
    from org import demo as org_demo

    street = org_demo.load(size="street")
    started = time.monotonic()
    demo.load(street=street, size="street")
    elapsed = time.monotonic() - started
    assert elapsed < 20
    per_community = {c.code: Item.objects.filter(community=c, status=Status.PUBLISHED).count()
                     for c in Community.objects.filter(street=street)}
    assert len(per_community) == 10 and min(per_community.values()) >= 6 * 12 * 2
    years = Item.objects.filter(community__street=street).values_list("archive_year", flat=True).distinct()
    assert len(set(years)) >= 6
    assert StreetOffice.objects.count() == 1
