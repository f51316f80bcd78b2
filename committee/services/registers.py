"""The daily registers: duty roster, mailbox and visits, zones, seal, assets, activities."""

import calendar
import datetime
from dataclasses import dataclass
from itertools import cycle, groupby
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import DateChecks
from org.models import Community
from org.services import next_document_number

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
    SealUse,
    ZoneVisit,
)
from ..rules import ACTIVITY_REGISTRATION_DAYS
from .meetings import issuer_key


def month_days(year: int, month: int) -> list[datetime.date]:
    return [datetime.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


@transaction.atomic
def fill_roster(*, community: Community, year: int, month: int, members: list[CommitteeMember]) -> int:
    """Give every day of the month (weekends included) that has no duty yet to the next member in turn."""
    if not members:
        raise ValidationError(_("请至少选择一名值班人员"))
    taken = set(DutySlot.objects.filter(community=community, date__year=year, date__month=month)
                .values_list("date", flat=True))
    turn = cycle(members)
    slots = [DutySlot(community=community, date=day, name=(m := next(turn)).name, member=m)
             for day in month_days(year, month) if day not in taken]
    DutySlot.objects.bulk_create(slots)
    return len(slots)


@transaction.atomic
def receive_item(*, community: Community, channel: str, received_on: datetime.date, subject: str,
                 sender: str = "", contact: str = "", text: str = "") -> MailboxItem:
    """A letter or a visit, received on a day that has come."""
    DateChecks().not_future("received_on", _("收到日期"), received_on).check()
    return MailboxItem.objects.create(community=community, channel=channel, received_on=received_on,
                                      subject=subject, sender=sender, contact=contact, text=text)


@transaction.atomic
def answer_item(*, item: MailboxItem, answer: str, by: str, on: datetime.date) -> MailboxItem:
    if item.status == MailboxItem.Status.CLOSED:
        raise ValidationError(_("已办结的事项不能再答复"))
    if not answer.strip():
        raise ValidationError({"answer": _("答复不能为空")})
    (DateChecks().not_future("on", _("答复日期"), on)
     .not_before("on", _("答复日期"), on, _("收到日期"), item.received_on).check())
    item.answer, item.answered_by, item.answered_on = answer, by, on
    item.status = MailboxItem.Status.ANSWERED
    item.save(update_fields=["answer", "answered_by", "answered_on", "status"])
    return item


@transaction.atomic
def close_item(*, item: MailboxItem, on: datetime.date) -> MailboxItem:
    if item.status != MailboxItem.Status.ANSWERED:
        raise ValidationError(_("须先答复才能办结"))
    (DateChecks().not_future("on", _("办结日期"), on)
     .not_before("on", _("办结日期"), on, _("答复日期"), item.answered_on).check())
    item.status, item.closed_on = MailboxItem.Status.CLOSED, on
    item.save(update_fields=["status", "closed_on"])
    return item


@transaction.atomic
def record_visit(*, zone: ResponsibilityZone, visited_on: datetime.date, visited: str, notes: str = "",
                 follow_up: str = "") -> ZoneVisit:
    """A visit in a responsibility zone, on a day that has come."""
    DateChecks().not_future("visited_on", _("走访日期"), visited_on).check()
    return ZoneVisit.objects.create(zone=zone, visited_on=visited_on, visited=visited, notes=notes,
                                    follow_up=follow_up)


@transaction.atomic
def record_seal_use(*, community: Community, used_on: datetime.date, reason: str, user_name: str,
                    stamped_by: str, user_address: str = "", copies: int = 1) -> SealUse:
    """One use of the seal, entered on or after the day it was used."""
    DateChecks().not_future("used_on", _("使用日期"), used_on).check()
    return SealUse.objects.create(community=community, used_on=used_on, reason=reason, user_name=user_name,
                                  user_address=user_address, stamped_by=stamped_by, copies=copies)


SIGNED_QUANTITY = Case(When(movements__kind=AssetMovement.Kind.WRITTEN_OFF, then=-1), default=1,
                       output_field=IntegerField())


def assets_on_hand(*, community: Community, on: datetime.date):
    """Every asset with what the ledger says is on hand on `on` (bought + donated − written off)."""
    return Asset.objects.filter(community=community).annotate(
        on_hand=Sum(SIGNED_QUANTITY * Case(When(movements__on__lte=on, then="movements__quantity"), default=0,
                                           output_field=IntegerField()), default=0)).order_by("name")


def _signed(kind: str, quantity: int) -> int:
    return -quantity if kind == AssetMovement.Kind.WRITTEN_OFF else quantity


def on_hand(asset: Asset, *, on: datetime.date) -> int:
    rows = asset.movements.filter(on__lte=on).values_list("kind", "quantity")
    return sum(_signed(kind, q) for kind, q in rows)


def _lowest_after(asset: Asset, *, on: datetime.date, held: int) -> int:
    """The least the ledger holds at the end of any later day, starting from `held` on `on`."""
    balance = lowest = held
    later = asset.movements.filter(on__gt=on).order_by("on").values_list("on", "kind", "quantity")
    for _day, rows in groupby(later, key=itemgetter(0)):
        balance += sum(_signed(kind, q) for _on, kind, q in rows)
        lowest = min(lowest, balance)
    return lowest


@transaction.atomic
def record_movement(*, asset: Asset, kind: str, quantity: int, on: datetime.date, value=0,
                    source: str = "") -> AssetMovement:
    """Enter an item bought, donated or written off; nothing is written off that the ledger does not hold.

    A write-off dated back must leave the ledger whole on every later day too, or an entry already made
    (a later write-off) would write off what was no longer there.
    """
    (DateChecks().not_future("on", _("日期"), on).not_negative("value", _("金额（元）"), value).check())
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if kind == AssetMovement.Kind.WRITTEN_OFF:
        held = on_hand(asset, on=on)
        if quantity > held:
            raise ValidationError({"quantity": _("%(asset)s 账面仅有%(held)s%(unit)s，不能报损%(quantity)s%(unit)s") % {
                "asset": asset.name, "held": held, "unit": asset.unit, "quantity": quantity}})
        lowest = _lowest_after(asset, on=on, held=held)
        if quantity > lowest:
            raise ValidationError({"quantity": _(
                "%(asset)s 在%(on)s之后已有报损，此后账面最少仅有%(lowest)s%(unit)s，不能报损%(quantity)s%(unit)s") % {
                "asset": asset.name, "on": on, "lowest": lowest, "unit": asset.unit, "quantity": quantity}})
        if not source.strip():
            raise ValidationError({"source": _("报损须写明原因")})
    return AssetMovement.objects.create(asset=asset, kind=kind, quantity=quantity, on=on, value=value, source=source)


def handover_list(*, community: Community, on: datetime.date):
    """The handover list (移交清单) at a change of term: every asset the ledger holds on `on`.

    Assets written off entirely, or not yet acquired on that day, hold nothing and are not handed over.
    """
    return assets_on_hand(community=community, on=on).filter(on_hand__gt=0)


@transaction.atomic
def year_end_count(*, community: Community, year: int, found: dict[int, int], counted_by: str,
                   on: datetime.date) -> AssetCount:
    """The year-end count: every asset's booked quantity at 31 December against what was found."""
    if AssetCount.objects.filter(community=community, year=year).exists():
        raise ValidationError(_("%(year)s年度已清点") % {"year": year})
    if not counted_by.strip():
        raise ValidationError({"counted_by": _("须填写清点人")})
    if any(n < 0 for n in found.values()):
        raise ValidationError(_("实有数量不能为负数"))
    # The count is of the year's end: taken in its last month or after, never ahead of the day.
    (DateChecks().not_future("on", _("清点日期"), on)
     .not_before("on", _("清点日期"), on, _("年底清点开始日期（12月1日）"), datetime.date(year, 12, 1))
     .check())
    closing = datetime.date(year, 12, 31)
    count = AssetCount.objects.create(community=community, year=year, counted_on=on,
                                       counted_by=counted_by.strip())
    AssetCountLine.objects.bulk_create([
        AssetCountLine(count=count, asset=asset, booked=asset.on_hand, found=found.get(asset.pk, asset.on_hand))
        for asset in assets_on_hand(community=community, on=closing)])
    return count


@dataclass(frozen=True)
class Discrepancy:
    """An asset whose count differs from the books: found − booked is a surplus (盘盈) or a shortfall (盘亏)."""

    asset: Asset
    booked: int
    found: int

    @property
    def difference(self) -> int:
        return self.found - self.booked


def discrepancies(count: AssetCount) -> list[Discrepancy]:
    """The lines of a year-end count that differ from the books; none means 帐物相符.

    Reads `count.lines.all()`, so a list of counts prefetched with their lines and assets costs no query.
    """
    return [Discrepancy(asset=line.asset, booked=line.booked, found=line.found)
            for line in count.lines.all() if line.found != line.booked]


@transaction.atomic
def create_activity(*, community: Community, title: str, body: str, starts: datetime.datetime, place: str,
                    phone: str = "", capacity: int | None = None, registration_closes: datetime.date | None = None,
                    user=None) -> Activity:
    """An activity whose registration closes two days ahead unless told otherwise; its notice is numbered now,
    so that printing the notice (a GET) never writes."""
    day = timezone.localtime(starts).date()
    closes = registration_closes or day - datetime.timedelta(days=ACTIVITY_REGISTRATION_DAYS)
    if closes >= day:
        raise ValidationError({"registration_closes": _("报名须在活动日之前截止")})
    doc_number = next_document_number(issuer=issuer_key(community), year=day.year)
    return Activity.objects.create(community=community, title=title, body=body, starts=starts, place=place,
                                   phone=phone, capacity=capacity, registration_closes=closes, created_by=user,
                                   doc_number=doc_number)


def headcount(activity: Activity) -> int:
    return activity.registrations.aggregate(n=Sum("people", default=0))["n"]


@transaction.atomic
def register(*, activity: Activity, name: str, phone: str, how: str, people: int, on: datetime.date) -> Registration:
    """Register for an activity by phone or in person, until the closing day, within the places left."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    DateChecks().not_future("on", _("报名日期"), on).check()
    if on > activity.registration_closes:
        raise ValidationError({"on": _("报名已于%(day)s截止") % {"day": activity.registration_closes}})
    if activity.capacity is not None and (taken := headcount(activity)) + people > activity.capacity:
        raise ValidationError(_("名额已满：共%(capacity)s人，已报名%(taken)s人") % {
            "capacity": activity.capacity, "taken": taken})
    if activity.registrations.filter(name=name, phone=phone).exists():
        raise ValidationError(_("%(name)s 已报名") % {"name": name})
    return Registration.objects.create(activity=activity, name=name, phone=phone, how=how, people=people,
                                       registered_on=on)


def unvisited_zones(*, community: Community, on: datetime.date, days: int):
    """Zones with no visit in the last `days` days (each zone is visited weekly)."""
    since = on - datetime.timedelta(days=days)
    visited = ZoneVisit.objects.filter(visited_on__gt=since, visited_on__lte=on).values("zone_id")
    return ResponsibilityZone.objects.filter(community=community).exclude(id__in=visited).select_related("member")
