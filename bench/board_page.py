"""board_page: a community's public notice board (/board/<code>/) with six years of items, in-process through
Django's test client (URL resolution, middleware, view, template); median of 30 requests. Then the community
gets nine more copies of its whole history (10× the items, rolled back afterwards): the page must run the same
number of queries."""

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disclosure.models import Item

from ._data import community
from .timing import median_of


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def run(*, quick: bool) -> dict:
    place = community(0)
    url = f"/board/{place.code}/"
    client = Client()
    items = Item.objects.filter(community=place).count()
    repeat = 15 if quick else 30
    seconds = median_of(lambda: client.get(url), repeat=repeat)
    queries = _queries(client, url)
    with transaction.atomic():
        rows = list(Item.objects.filter(community=place).values())
        copies = []
        for _ in range(9):
            for row in rows:
                copies.append(Item(**{k: v for k, v in row.items() if k != "id"}))
        Item.objects.bulk_create(copies, batch_size=2000)
        items_10x = Item.objects.filter(community=place).count()
        seconds_10x = median_of(lambda: client.get(url), repeat=repeat)
        queries_10x = _queries(client, url)
        transaction.set_rollback(True)
    ms = seconds * 1000
    return {"value": round(ms, 1), "unit": "ms", "target": 30.0, "items": items, "queries": queries,
            "items_10x": items_10x, "queries_10x": queries_10x, "ms_10x": round(seconds_10x * 1000, 1),
            "ok": ms <= 30.0 and queries == queries_10x}
