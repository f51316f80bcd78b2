"""Disclosure on time, per community (docs/domain.md, Street statistics): of the items the boards of a year had to
carry (services.due_calendar), how many were published on their board day, the 10th. A fixed number of queries
per month of the year, whatever the number of communities."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from lib.charts import Bar, bar_chart
from org.street import Cell, Column, Compliance

from .models import Item
from .services.calendar import PUBLICATION_DAY, DueState, due_calendar


@dataclass(frozen=True)
class OnTime:
    due: int  # entries on the boards whose day has come
    on_time: int  # published by the board day
    published_late: int  # published, but after the board day
    missing: int  # not published yet

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def on_time(*, communities, year: int, today: datetime.date) -> dict[int, OnTime]:
    """Community id → what the boards of `year` (up to today's) had to carry and how much went up on time."""
    communities = list(communities)
    entries = {c.pk: [] for c in communities}
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        if first.replace(day=PUBLICATION_DAY) > today:
            break
        for pk, due in due_calendar(communities=communities, month=first, today=today).items():
            entries[pk].extend(due)
    published = {e.item.pk for rows in entries.values() for e in rows if e.state == DueState.PUBLISHED}
    # due_calendar loads items without their publication time: read it once for all of them.
    published_on = {pk: timezone.localdate(at) for pk, at in
                    Item.objects.filter(pk__in=published).values_list("pk", "published_at") if at}
    result = {}
    for pk, rows in entries.items():
        in_time = late = missing = 0
        for entry in rows:
            if entry.state != DueState.PUBLISHED:
                missing += 1
            elif published_on.get(entry.item.pk, entry.due_on) <= entry.due_on:
                in_time += 1
            else:
                late += 1
        result[pk] = OnTime(due=len(rows), on_time=in_time, published_late=late, missing=missing)
    return result


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def street_compliance(*, communities, year: int, today: datetime.date) -> Compliance:
    """Street page provider (org/street.py): the disclosure column and its chart."""
    communities = list(communities)
    found = on_time(communities=communities, year=year, today=today)
    cells = {pk: Cell(text=f"{f.on_time}/{f.due}", late=f.on_time < f.due) for pk, f in found.items()}
    due, in_time = sum(f.due for f in found.values()), sum(f.on_time for f in found.values())
    column = Column(header=_("居务公开按期"), cells=cells, total=Cell(text=f"{in_time}/{due}", late=in_time < due),
                    note=_("应公开事项在每月%(day)s日公开栏更新时按期公开：按期公开/应公开") % {"day": PUBLICATION_DAY})
    chart = bar_chart([Bar(label=c.name, value=(found[c.pk].share or 0) * 100, text=_percent(found[c.pk].share),
                           late=found[c.pk].share is not None and found[c.pk].share < 1) for c in communities],
                      title=_("居务公开按期率"))
    return Compliance(columns=[column], charts=[(_("居务公开按期率"), chart)], order=20)
