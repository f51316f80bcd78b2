"""How the committees of a street keep their rules (规范运行), one row per community (docs/domain.md, Street
statistics): a committee meeting every month, a residents' meeting every half year, mailbox answers in time.
A fixed number of queries whatever the number of communities."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from org.street import Cell, Column, Compliance

from .models import MailboxItem, Meeting, MeetingKind, MeetingStatus
from .rules import MAILBOX_ANSWER_DAYS


@dataclass(frozen=True)
class Tally:
    done: int  # held / answered in time
    due: int  # periods (or letters) that were due
    late: int = 0  # letters answered late or still open past their deadline
    waiting: int = 0  # letters still open within their deadline

    @property
    def missed(self) -> bool:
        return self.done < self.due or self.late > 0


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _periods(year: int, today: datetime.date, ends: list[datetime.date]) -> int:
    """How many of the periods ending on `ends` are over by `today`."""
    return sum(1 for end in ends if end < today) if year <= today.year else 0


def meetings_held(*, community_ids, year: int, today: datetime.date) -> dict[str, dict[int, Tally]]:
    """Per kind ('committee' monthly, 'residents' half-yearly) and community: periods with a meeting held (closed,
    with minutes) out of the periods over by today; a period still running counts once it has its meeting."""
    held: dict[str, dict[int, set]] = {kind: defaultdict(set) for kind in (MeetingKind.COMMITTEE,
                                                                         MeetingKind.RESIDENTS)}
    closed = Meeting.objects.filter(community_id__in=community_ids, kind__in=list(held), status=MeetingStatus.CLOSED,
                                    starts__year=year).values_list("community_id", "kind", "starts")
    for community_id, kind, starts in closed:
        day = timezone.localdate(starts)
        period = day.month if kind == MeetingKind.COMMITTEE else (day.month - 1) // 6
        held[kind][community_id].add(period)
    months = [_month_end(year, m) for m in range(1, 13)]
    halves = [datetime.date(year, 6, 30), datetime.date(year, 12, 31)]
    result = {}
    for kind, ends, number in ((MeetingKind.COMMITTEE, months, lambda i: i + 1),
                               (MeetingKind.RESIDENTS, halves, lambda i: i)):
        over = _periods(year, today, ends)
        due_periods = {number(i) for i in range(over)}
        result[str(kind)] = {}
        for pk in community_ids:
            periods = held[kind][pk]
            # A period still running that already has its meeting counts, done and due.
            running = len(periods - due_periods)
            result[str(kind)][pk] = Tally(done=len(periods & due_periods) + running, due=over + running)
    return result


def mailbox_answers(*, community_ids, year: int, today: datetime.date) -> dict[int, Tally]:
    """Letters and visits received in `year`: answered within MAILBOX_ANSWER_DAYS, late (answered after it or
    still open past it) and still waiting within it."""
    counts = {pk: {"done": 0, "late": 0, "waiting": 0} for pk in community_ids}
    items = MailboxItem.objects.filter(community_id__in=community_ids, received_on__year=year).values_list(
        "community_id", "received_on", "answered_on")
    for community_id, received_on, answered_on in items:
        deadline = received_on + datetime.timedelta(days=MAILBOX_ANSWER_DAYS)
        if answered_on is not None:
            counts[community_id]["done" if answered_on <= deadline else "late"] += 1
        else:
            counts[community_id]["late" if today > deadline else "waiting"] += 1
    return {pk: Tally(done=c["done"], due=c["done"] + c["late"], late=c["late"], waiting=c["waiting"])
            for pk, c in counts.items()}


def _cell(tally: Tally) -> Cell:
    text = f"{tally.done}/{tally.due}"
    if tally.waiting:
        text += _("（另有%(n)s件未到期）") % {"n": tally.waiting}
    return Cell(text=text, late=tally.missed)


def _total(tallies) -> Cell:
    tallies = list(tallies)
    return _cell(Tally(done=sum(t.done for t in tallies), due=sum(t.due for t in tallies),
                       late=sum(t.late for t in tallies), waiting=sum(t.waiting for t in tallies)))


def street_compliance(*, communities, year: int, today: datetime.date) -> Compliance:
    """Street page provider (org/street.py): meetings and mailbox columns."""
    ids = [c.pk for c in communities]
    meetings = meetings_held(community_ids=ids, year=year, today=today)
    mailbox = mailbox_answers(community_ids=ids, year=year, today=today)
    columns = []
    for kind, header, note in (
            (MeetingKind.COMMITTEE, _("居委会会议（月）"), _("居委会会议每月召开一次：已召开的月份/已过的月份")),
            (MeetingKind.RESIDENTS, _("居民会议（半年）"), _("居民会议每半年至少召开一次：已召开的半年/已过的半年"))):
        tallies = meetings[str(kind)]
        columns.append(Column(header=header, cells={pk: _cell(t) for pk, t in tallies.items()},
                              total=_total(tallies.values()), note=note))
    columns.append(Column(
        header=_("来信来访答复"), cells={pk: _cell(t) for pk, t in mailbox.items()}, total=_total(mailbox.values()),
        note=_("来信来访%(days)s日内答复：按期答复/应已答复") % {"days": MAILBOX_ANSWER_DAYS}))
    return Compliance(columns=columns, order=10)
