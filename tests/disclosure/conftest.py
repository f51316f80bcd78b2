import datetime

import pytest
from django.utils import timezone

from disclosure import services
from disclosure.models import Status

from .factories import ItemFactory


@pytest.fixture
def draft(community, committee_user):
    return ItemFactory(community=community, created_by=committee_user)


@pytest.fixture
def signed(draft, supervision_user):
    services.submit_item(item=draft)
    return services.sign_item(item=draft, user=supervision_user)


@pytest.fixture
def published(signed):
    """An item published on the board of 10 April 2024."""
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    item = services.publish_item(item=signed, today=datetime.date(2024, 4, 10))
    assert item.status == Status.PUBLISHED
    return item


def a_published_item(community, **fields):
    """A published item straight in the database (for board and archive tests)."""
    fields.setdefault("published_at", timezone.make_aware(datetime.datetime(2024, 4, 10, 9)))
    fields.setdefault("archive_year", fields["published_at"].year)
    return ItemFactory(community=community, status=Status.PUBLISHED, official_notice=True, **fields)
