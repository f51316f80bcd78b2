"""The board's calendar: months and board days (the 10th), archive years, term periods, and the due calendar."""

import datetime
from dataclasses import dataclass, field

from committee.models import Term
from org.models import Community

from ..models import CADENCE, Cadence, Category, DisclosureRequest, Item, Status

PUBLICATION_DAY = 10


# ---------------------------------------------------------------------------------------------- periods

def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return add_months(day, 1) - datetime.timedelta(days=1)


def publication_date(day: datetime.date) -> datetime.date:
    """The next board day (the 10th) on or after `day`."""
    if day.day <= PUBLICATION_DAY:
        return day.replace(day=PUBLICATION_DAY)
    return add_months(day, 1).replace(day=PUBLICATION_DAY)


def archive_year(*, published_on: datetime.date, period_end: datetime.date) -> int:
    """The year an item is archived under: items published in January about the previous year belong to it."""
    if published_on.month == 1 and period_end.year < published_on.year:
        return published_on.year - 1
    return published_on.year


def term_period(term: Term) -> tuple[datetime.date, datetime.date]:
    """The term's days: from its start to its end, or while it runs to the day before it falls due (its rule
    set's length, Term.term_years) or to the extension the street decided."""
    ends = term.ends or term.extended_to or (term.due_on - datetime.timedelta(days=1))
    return term.starts, ends


# ---------------------------------------------------------------------------------------------- calendar

class DueState:
    PUBLISHED = "published"
    READY = "ready"
    IN_PROGRESS = "in_progress"
    MISSING = "missing"


@dataclass
class DueEntry:
    community: Community
    category: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    item: Item | None = None
    request: DisclosureRequest | None = None
    late: bool = False
    state: str = DueState.MISSING
    extra: dict = field(default_factory=dict)

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def period_label(self) -> str:
        probe = Item(category=self.category, period_start=self.period_start, period_end=self.period_end)
        return probe.period_label


def _expected(month: datetime.date, terms: list[Term]) -> list[tuple[str, datetime.date, datetime.date]]:
    """(category, period start, period end) due on the board of `month`."""
    previous = add_months(month, -1)
    expected = []
    for category, cadence in CADENCE.items():
        if cadence == Cadence.MONTH:
            expected.append((category, previous, month_end(previous)))
        elif cadence == Cadence.QUARTER and month.month in (1, 4, 7, 10):
            start = add_months(month, -3)
            expected.append((category, start, month_end(previous)))
        elif cadence == Cadence.YEAR and month.month == 1:
            expected.append((category, datetime.date(month.year - 1, 1, 1), datetime.date(month.year - 1, 12, 31)))
        elif cadence == Cadence.TERM:
            # Term items go up on the first board after the term's first full month.
            for term in terms:
                if month_start(term.starts) == previous:
                    start, end = term_period(term)
                    expected.append((category, start, end))
    return expected


_RANK = {Status.PUBLISHED: 4, Status.SCHEDULED: 3, Status.REVIEWED: 3, Status.SUBMITTED: 2, Status.DRAFT: 1}


def _state(item: Item | None) -> str:
    if item is None:
        return DueState.MISSING
    if item.status == Status.PUBLISHED:
        return DueState.PUBLISHED
    if item.status in (Status.REVIEWED, Status.SCHEDULED):
        return DueState.READY
    return DueState.IN_PROGRESS


def due_calendar(*, communities, month: datetime.date, today: datetime.date) -> dict[int, list[DueEntry]]:
    """For each community: what the board of `month` must carry, by category and period, and how far it is.

    A fixed number of queries whatever the number of communities (items, terms and requests in one go each).
    """
    communities = list(communities)
    month = month_start(month)
    board_day = month.replace(day=PUBLICATION_DAY)
    ids = [c.pk for c in communities]
    terms = list(Term.objects.filter(community_id__in=ids, starts__gte=add_months(month, -1),
                                     starts__lt=month))
    expected = {c.pk: _expected(month, [t for t in terms if t.community_id == c.pk]) for c in communities}
    starts = {start for rows in expected.values() for _, start, _ in rows}
    items = Item.objects.filter(community_id__in=ids, period_start__in=starts).exclude(
        category__in=[Category.ELECTION, Category.ON_REQUEST]).only(
        "id", "community_id", "category", "period_start", "status", "title", "corrects_id")
    best: dict[tuple, Item] = {}
    for item in items:
        key = (item.community_id, item.category, item.period_start)
        if key not in best or _RANK[item.status] > _RANK[best[key].status]:
            best[key] = item
    requests = DisclosureRequest.objects.filter(community_id__in=ids, due_on__lte=board_day).exclude(
        items__status=Status.PUBLISHED, items__published_at__date__lt=month).prefetch_related("items")
    calendar: dict[int, list[DueEntry]] = {}
    for community in communities:
        entries = []
        for category, start, end in expected[community.pk]:
            item = best.get((community.pk, category, start))
            entries.append(DueEntry(community=community, category=category, period_start=start, period_end=end,
                                    due_on=board_day, item=item, state=_state(item)))
        for request in requests:
            if request.community_id != community.pk:
                continue
            ranked = sorted(request.items.all(), key=lambda i: _RANK[i.status], reverse=True)
            item = ranked[0] if ranked else None
            entries.append(DueEntry(community=community, category=Category.ON_REQUEST, period_start=request.filed_on,
                                    period_end=request.filed_on, due_on=request.due_on, item=item, request=request,
                                    state=_state(item)))
        for entry in entries:
            entry.late = entry.state != DueState.PUBLISHED and today > entry.due_on
        calendar[community.pk] = entries
    return calendar
