"""The registry of the street in figures (docs/domain.md, Street statistics): per community, in a fixed number of
aggregate queries whatever the number of communities."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from org.street import Section

from .models import (
    CareKind,
    CareRecord,
    Hukou,
    Label,
    Living,
    Representative,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from .services import years_before

IN_REGISTRY = (Living.LIVING, Living.AWAY)  # moved and deceased people stay in the database, not in the figures


def adults_by_community(*, days: dict[int, datetime.date]) -> dict[int, int]:
    """Community id → adults (services.adults: living here, 18 or older) on that community's day; one query."""
    if not days:
        return {}
    born_by = reduce(or_, (Q(community_id=pk, birth_date__lte=years_before(day, 18)) for pk, day in days.items()))
    counted = (Resident.objects.filter(living=Living.LIVING).filter(born_by)
               .values("community_id").annotate(n=Count("id")).order_by())
    found = {row["community_id"]: row["n"] for row in counted}
    return {pk: found.get(pk, 0) for pk in days}


def _open_on(day: datetime.date) -> Q:
    """A label held on `day`: started by then (or no start) and not ended before it."""
    return (Q(starts__isnull=True) | Q(starts__lte=day)) & (Q(ends__isnull=True) | Q(ends__gte=day))


@dataclass
class RegistryRow:
    name: str
    registered: int = 0  # 在册: living here or away
    living: int = 0  # 在住
    households: int = 0  # households with someone in the registry
    groups: int = 0
    representatives: int = 0  # terms running today
    separated: int = 0  # 人户分离: registered here, not living here
    outsiders: int = 0  # 外地: registered elsewhere, living here
    labels: dict[str, int] = field(default_factory=dict)  # label → people holding it today
    visits: int = 0  # care visits in the year
    aid_count: int = 0
    aid_amount: Decimal = Decimal("0")

    @property
    def label_counts(self) -> list[int]:
        return [self.labels.get(value, 0) for value in Label.values]


@dataclass
class LabelRow:
    label: str
    people: int = 0
    visits: int = 0  # care records of the year for households where someone held the label that day
    aid_count: int = 0
    aid_amount: Decimal = Decimal("0")


@dataclass
class Registry:
    year: int
    rows: list[RegistryRow]
    total: RegistryRow
    by_label: list[LabelRow]
    label_names: list[str] = field(default_factory=lambda: [str(label) for label in Label.labels])


def registry(*, communities, year: int, today: datetime.date) -> Registry:
    communities = list(communities)
    ids = [c.pk for c in communities]
    rows = {c.pk: RegistryRow(name=c.name) for c in communities}
    in_registry = Q(living__in=IN_REGISTRY)
    people = (Resident.objects.filter(community_id__in=ids).values("community_id").order_by().annotate(
        registered=Count("id", filter=in_registry),
        living_here=Count("id", filter=Q(living=Living.LIVING)),
        households=Count("household_id", distinct=True, filter=in_registry),
        separated=Count("id", filter=Q(registration=Hukou.LOCAL, living=Living.AWAY)),
        outsiders=Count("id", filter=Q(registration=Hukou.ELSEWHERE, living=Living.LIVING))))
    for found in people:
        row = rows[found["community_id"]]
        row.registered, row.living, row.households = found["registered"], found["living_here"], found["households"]
        row.separated, row.outsiders = found["separated"], found["outsiders"]
    for found in ResidentGroup.objects.filter(community_id__in=ids).values("community_id").order_by().annotate(
            n=Count("id")):
        rows[found["community_id"]].groups = found["n"]
    running = Representative.objects.filter(community_id__in=ids, starts__lte=today).filter(
        Q(ends__isnull=True) | Q(ends__gt=today))
    for found in running.values("community_id").order_by().annotate(n=Count("resident_id", distinct=True)):
        rows[found["community_id"]].representatives = found["n"]
    held = ResidentLabel.objects.filter(resident__community_id__in=ids, resident__living__in=IN_REGISTRY).filter(
        _open_on(today))
    for found in held.values("resident__community_id", "label").order_by().annotate(
            n=Count("resident_id", distinct=True)):
        rows[found["resident__community_id"]].labels[found["label"]] = found["n"]

    care = CareRecord.objects.filter(community_id__in=ids, on__year=year)
    aid = Q(kind=CareKind.AID)
    for found in care.values("community_id").order_by().annotate(
            visits=Count("id", filter=Q(kind=CareKind.VISIT)), aid_count=Count("id", filter=aid),
            aid_amount=Sum("amount", filter=aid)):
        row = rows[found["community_id"]]
        row.visits, row.aid_count = found["visits"], found["aid_count"]
        row.aid_amount = found["aid_amount"] or Decimal("0")

    by_label = _care_by_label(care)
    listed = [rows[pk] for pk in ids]
    total = RegistryRow(name=_("合计"))
    for row in listed:
        for name in ("registered", "living", "households", "groups", "representatives", "separated", "outsiders",
                     "visits", "aid_count", "aid_amount"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for label, n in row.labels.items():
            total.labels[label] = total.labels.get(label, 0) + n
    for label_row, value in zip(by_label, Label.values, strict=True):
        label_row.people = total.labels.get(value, 0)
    return Registry(year=year, rows=listed, total=total, by_label=by_label)


def _care_by_label(care) -> list[LabelRow]:
    """Per label, the year's visits and aid to households where someone held that label on the day, so a household
    with two labelled members counts once per label. Two queries: the year's records, and the labels of the members
    of their households (a correlated EXISTS per record and label took 24 s over the street-scale demo on SQLite)."""
    records = list(care.values_list("household_id", "on", "kind", "amount"))
    held = defaultdict(list)
    for household_id, label, starts, ends in ResidentLabel.objects.filter(
            resident__household_id__in=care.values("household_id")).values_list(
            "resident__household_id", "label", "starts", "ends"):
        held[household_id].append((label, starts, ends))
    rows = {value: LabelRow(label=str(label)) for value, label in Label.choices}
    for household_id, on, kind, amount in records:
        labels = {label for label, starts, ends in held[household_id]
                  if (starts is None or starts <= on) and (ends is None or ends >= on)}
        for label in labels:
            row = rows[label]
            if kind == CareKind.VISIT:
                row.visits += 1
            else:
                row.aid_count += 1
                row.aid_amount += amount or Decimal("0")
    return list(rows.values())


def street_section(*, communities, year: int, today: datetime.date) -> Section:
    """Street page provider (org/street.py): the registry of the street."""
    return Section(title=_("居民情况"), template="residents/_street_registry.html",
                   context={"registry": registry(communities=communities, year=year, today=today)}, order=20)
