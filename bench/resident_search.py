"""resident_search: a name substring search among the street's 100,000 residents, as the residents list runs
it (`residents.views.people.search_residents`, then the page the list shows: count and first 50 rows with household,
group and open labels); median of 30. The list is one community's, so the goal applies to it; the same search
over the whole street (every one of the 100,000 rows matched, no community filter) is reported beside it."""

from django.core.paginator import Paginator

from residents.models import Resident
from residents.views._common import _open_labels
from residents.views.people import PAGE_SIZE, search_residents

from ._data import community
from .timing import median_of

QUERY = "建国"


def _list_page(place) -> int:
    _form, qs = search_residents(community=place, params={"q": QUERY})
    page = Paginator(qs.select_related("household", "group").prefetch_related(_open_labels()),
                     PAGE_SIZE).get_page(1)
    list(page.object_list)
    return page.paginator.count


def _street_wide() -> int:
    qs = Resident.objects.filter(name__contains=QUERY).order_by("name_pinyin", "id")
    page = Paginator(qs.select_related("household", "group", "community"), PAGE_SIZE).get_page(1)
    list(page.object_list)
    return page.paginator.count


def run(*, quick: bool) -> dict:
    place = community(0)
    repeat = 15 if quick else 30
    seconds = median_of(lambda: _list_page(place), repeat=repeat)
    street = median_of(_street_wide, repeat=repeat)
    ms, street_ms = seconds * 1000, street * 1000
    return {"value": round(ms, 1), "unit": "ms", "target": 50.0, "query": QUERY,
            "residents": Resident.objects.count(), "community_residents": place.residents.count(),
            "matches": _list_page(place), "street_wide_ms": round(street_ms, 1), "street_wide_matches": _street_wide(),
            "ok": ms <= 50.0}
