"""Households and resident groups: creating them, a group's leader, visits and aid (care records), the Spring
Festival visits still due."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from org.models import Community

from ..models import (
    CareKind,
    CareRecord,
    Household,
    Label,
    Living,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from . import _check_day


@transaction.atomic
def create_group(*, community: Community, name: str) -> ResidentGroup:
    if ResidentGroup.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("已有同名居民小组")})
    return ResidentGroup.objects.create(community=community, name=name)


@transaction.atomic
def create_household(*, community: Community, number: str, address: str = "") -> Household:
    """A new household of the community, for the resident form (a household is otherwise made by an import or a
    move into a new number)."""
    number = number.strip()
    if Household.objects.filter(community=community, number=number).exists():
        raise ValidationError({"number": _("户号 %(number)s 已存在，请在列表中选择") % {"number": number}})
    return Household.objects.create(community=community, number=number, address=address.strip())


@transaction.atomic
def set_group_leader(*, group: ResidentGroup, leader: Resident | None) -> ResidentGroup:
    if leader and leader.group_id != group.pk:
        raise ValidationError({"leader": _("组长须是本小组的居民")})
    group.leader = leader
    group.save()
    return group


@transaction.atomic
def record_care(*, household: Household, data: dict) -> CareRecord:
    resident = data.get("resident")
    if resident and resident.household_id != household.pk:
        raise ValidationError({"resident": _("此居民不在该户")})
    # A visit is recorded once made: a planned one is not a record.
    _check_day("on", _("日期"), data["on"], after=((_("该居民的出生日期"), resident.birth_date if resident else None),))
    if data.get("amount") is not None and data["amount"] < 0:
        raise ValidationError({"amount": _("金额不能为负数")})
    if data["kind"] == CareKind.AID and data.get("amount") is None:
        raise ValidationError({"amount": _("救助发放须填写金额")})
    return CareRecord.objects.create(community_id=household.community_id, household=household, **data)


def spring_festival_unvisited(*, community_ids, on: datetime.date) -> QuerySet[Household]:
    """Hardship households (a resident with an open 困难户 label) with no visit since this year's Spring
    Festival season began (1 December of the year before the festival that `on` belongs to)."""
    season = datetime.date(on.year if on.month == 12 else on.year - 1, 12, 1)
    hardship = ResidentLabel.objects.filter(label=Label.HARDSHIP, ends__isnull=True,
                                            resident__living=Living.LIVING).values("resident__household_id")
    visited = CareRecord.objects.filter(on__gte=season).values("household_id")
    return Household.objects.filter(community_id__in=community_ids, pk__in=hardship).exclude(pk__in=visited)
