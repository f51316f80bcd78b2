"""The daily registers: duty roster, mailbox and visits, zones, seal, assets, activities."""

import calendar
import datetime
from itertools import cycle

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Sum, When
from django.utils import timezone

from org.models import Community

from ..models import (
    Activity,
    Asset,
    AssetCount,
    AssetCountLine,
    AssetMovement,
    CommitteeMember,
    DutySlot,
    MailboxItem,
    Registration,
    ResponsibilityZone,
    ZoneVisit,
)
from ..rules import ACTIVITY_REGISTRATION_DAYS


def month_days(year: int, month: int) -> list[datetime.date]:
    return [datetime.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


@transaction.atomic
def fill_roster(*, community: Community, year: int, month: int, members: list[CommitteeMember]) -> int:
    """Give every day of the month (weekends included) that has no duty yet to the next member in turn."""
    if not members:
        raise ValidationError("请至少选择一名值班人员")
    taken = set(DutySlot.objects.filter(community=community, date__year=year, date__month=month)
                .values_list("date", flat=True))
    turn = cycle(members)
    slots = [DutySlot(community=community, date=day, name=(m := next(turn)).name, member=m)
             for day in month_days(year, month) if day not in taken]
    DutySlot.objects.bulk_create(slots)
    return len(slots)


@transaction.atomic
def answer_item(*, item: MailboxItem, answer: str, by: str, on: datetime.date) -> MailboxItem:
    if item.status == MailboxItem.Status.CLOSED:
        raise ValidationError("已办结的事项不能再答复")
    if not answer.strip():
        raise ValidationError({"answer": "答复不能为空"})
    item.answer, item.answered_by, item.answered_on = answer, by, on
    item.status = MailboxItem.Status.ANSWERED
    item.save(update_fields=["answer", "answered_by", "answered_on", "status"])
    return item


@transaction.atomic
def close_item(*, item: MailboxItem, on: datetime.date) -> MailboxItem:
    if item.status != MailboxItem.Status.ANSWERED:
        raise ValidationError("须先答复才能办结")
    item.status, item.closed_on = MailboxItem.Status.CLOSED, on
    item.save(update_fields=["status", "closed_on"])
    return item


SIGNED_QUANTITY = Case(When(movements__kind=AssetMovement.Kind.WRITTEN_OFF, then=-1), default=1,
                       output_field=IntegerField())


def assets_on_hand(*, community: Community, on: datetime.date):
    """Every asset with what the ledger says is on hand on `on` (bought + donated − written off)."""
    return Asset.objects.filter(community=community).annotate(
        on_hand=Sum(SIGNED_QUANTITY * Case(When(movements__on__lte=on, then="movements__quantity"), default=0,
                                           output_field=IntegerField()), default=0)).order_by("name")


def on_hand(asset: Asset, *, on: datetime.date) -> int:
    rows = asset.movements.filter(on__lte=on).values_list("kind", "quantity")
    return sum(-q if kind == AssetMovement.Kind.WRITTEN_OFF else q for kind, q in rows)


@transaction.atomic
def record_movement(*, asset: Asset, kind: str, quantity: int, on: datetime.date, value=0,
                    source: str = "") -> AssetMovement:
    """Enter an item bought, donated or written off; nothing is written off that the ledger does not hold."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if kind == AssetMovement.Kind.WRITTEN_OFF and quantity > on_hand(asset, on=on):
        held = on_hand(asset, on=on)
        raise ValidationError({"quantity": f"{asset.name} 账面仅有{held}{asset.unit}，不能报损{quantity}"})
    if kind == AssetMovement.Kind.WRITTEN_OFF and not source.strip():
        raise ValidationError({"source": "报损须写明原因"})
    return AssetMovement.objects.create(asset=asset, kind=kind, quantity=quantity, on=on, value=value, source=source)


@transaction.atomic
def year_end_count(*, community: Community, year: int, found: dict[int, int], counted_by: str,
                   on: datetime.date) -> AssetCount:
    """The year-end count: every asset's booked quantity at 31 December against what was found."""
    if AssetCount.objects.filter(community=community, year=year).exists():
        raise ValidationError(f"{year}年度已清点")
    closing = datetime.date(year, 12, 31)
    count = AssetCount.objects.create(community=community, year=year, counted_on=on, counted_by=counted_by)
    AssetCountLine.objects.bulk_create([
        AssetCountLine(count=count, asset=asset, booked=asset.on_hand, found=found.get(asset.pk, asset.on_hand))
        for asset in assets_on_hand(community=community, on=closing)])
    return count


def reconciles(count: AssetCount) -> bool:
    """帐物相符: every line found what the books say."""
    return not count.lines.exclude(booked=F("found")).exists()


@transaction.atomic
def create_activity(*, community: Community, title: str, body: str, starts: datetime.datetime, place: str,
                    phone: str = "", capacity: int | None = None, registration_closes: datetime.date | None = None,
                    user=None) -> Activity:
    """An activity whose registration closes two days ahead unless told otherwise."""
    day = timezone.localtime(starts).date()
    closes = registration_closes or day - datetime.timedelta(days=ACTIVITY_REGISTRATION_DAYS)
    if closes >= day:
        raise ValidationError({"registration_closes": "报名须在活动日之前截止"})
    return Activity.objects.create(community=community, title=title, body=body, starts=starts, place=place,
                                   phone=phone, capacity=capacity, registration_closes=closes, created_by=user)


def headcount(activity: Activity) -> int:
    return activity.registrations.aggregate(n=Sum("people", default=0))["n"]


@transaction.atomic
def register(*, activity: Activity, name: str, phone: str, how: str, people: int, on: datetime.date) -> Registration:
    """Register for an activity by phone or in person, until the closing day, within the places left."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if on > activity.registration_closes:
        raise ValidationError(f"报名已于{activity.registration_closes}截止（须提前两天报名）")
    if activity.capacity is not None and headcount(activity) + people > activity.capacity:
        raise ValidationError(f"名额已满：共{activity.capacity}人，已报名{headcount(activity)}人")
    if activity.registrations.filter(name=name, phone=phone).exists():
        raise ValidationError(f"{name} 已报名")
    return Registration.objects.create(activity=activity, name=name, phone=phone, how=how, people=people,
                                       registered_on=on)


def unvisited_zones(*, community: Community, on: datetime.date, days: int):
    """Zones with no visit in the last `days` days (each zone is visited weekly)."""
    since = on - datetime.timedelta(days=days)
    visited = ZoneVisit.objects.filter(visited_on__gt=since, visited_on__lte=on).values("zone_id")
    return ResponsibilityZone.objects.filter(community=community).exclude(id__in=visited).select_related("member")
