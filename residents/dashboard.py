"""What the registry asks of the staff, for the dashboard (registered in ResidentsConfig.ready)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org.access import STAFF, community_ids
from org.dashboard import Todo

from .models import Representative, RepresentativeKind
from .services import years_before
from .services.households import spring_festival_unvisited

TERM_YEARS = 3


def todos(*, user, communities) -> list[Todo]:
    """Representatives past their three-year term; hardship households not yet visited this Spring Festival."""
    reach = community_ids(user, STAFF)
    ids = [c.pk for c in communities if c.pk in reach]
    if not ids:
        return []
    today = timezone.localdate()
    names = {c.pk: c.name for c in communities}
    found = []
    overdue = (Representative.objects.filter(community_id__in=ids, ends__isnull=True, kind=RepresentativeKind.ELECTED,
                                             starts__lte=years_before(today, TERM_YEARS))
               .values_list("community_id", "starts"))
    by_community: dict[int, list[datetime.date]] = {}
    for community_id, starts in overdue:
        by_community.setdefault(community_id, []).append(starts)
    for community_id, starts in sorted(by_community.items()):
        due = min(starts).replace(year=min(starts).year + TERM_YEARS)
        found.append(Todo(text=_("%(count)s 名居民代表任期已满三年，需由居民小组改选") % {"count": len(starts)},
                          url=reverse("residents:representatives"), due=due, late=True,
                          community=names[community_id]))
    if today.month in (12, 1, 2):
        unvisited = spring_festival_unvisited(community_ids=ids, on=today).values_list("community_id", flat=True)
        counts: dict[int, int] = {}
        for community_id in unvisited:
            counts[community_id] = counts.get(community_id, 0) + 1
        for community_id, n in sorted(counts.items()):
            found.append(Todo(text=_("%(count)s 户困难户本次春节尚未走访") % {"count": n},
                              url=reverse("residents:special"),
                              community=names[community_id]))
    return found
