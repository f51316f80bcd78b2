"""Business rules of the committee: its organisation here, meetings and registers in the submodules."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from lib.dates import DateChecks
from org.models import Community

from ..models import (
    CommitteeMember,
    SubCommittee,
    SubCommitteeMember,
    Term,
    VolunteerMember,
    VolunteerShift,
    VolunteerTeam,
)


@transaction.atomic
def start_term(*, community: Community, number: int, starts: datetime.date, members: list[dict],
               term_years: int = 3, extension_months_max: int = 6) -> Term:
    """Open term `number` with its members (dicts of name, position, gender, resident); close the last one.

    Used by the election handover (which passes the length and the longest extension of the election's rule set)
    and to enter past terms (three years and half a year, the defaults of docs/domain.md, Term's life).
    """
    # The sitting term and its members end the day the new one starts (the handover ends the old committee).
    sitting = Term.objects.filter(community=community, ends__isnull=True, number__lt=number)
    CommitteeMember.objects.filter(term__in=sitting, ends__isnull=True, starts__lt=starts).update(ends=starts)
    sitting.filter(starts__lt=starts).update(ends=starts)
    term = Term.objects.create(community=community, number=number, starts=starts, term_years=term_years,
                               extension_months_max=extension_months_max)
    for member in members:
        CommitteeMember.objects.create(term=term, starts=starts, **member)
    return term


def current_term(*, community: Community, on: datetime.date) -> Term | None:
    """The term running on `on`: begun, and not ended before that day."""
    return (Term.objects.filter(community=community, starts__lte=on).filter(Q(ends__isnull=True) | Q(ends__gt=on))
            .order_by("-number").first())


def latest_term_number(*, community: Community) -> int | None:
    """The highest term number the community has had, or None."""
    return Term.objects.filter(community=community).aggregate(n=Max("number"))["n"]


def current_members(*, community: Community, on: datetime.date):
    term = current_term(community=community, on=on)
    if term is None:
        return CommitteeMember.objects.none()
    return term.members.filter(Q(ends__isnull=True) | Q(ends__gt=on)).order_by("position", "name")


@transaction.atomic
def add_subcommittee_seat(*, subcommittee: SubCommittee, name: str, member: CommitteeMember | None = None,
                          is_chair: bool = False) -> SubCommitteeMember:
    """Seat someone on a sub-committee; a new chair replaces the old one."""
    if member is not None and member.term_id != subcommittee.term_id:
        raise ValidationError(_("该居委会成员不属于本届"))
    if subcommittee.seats.filter(name=name).exists():
        raise ValidationError(_("%(name)s 已在%(subcommittee)s中") % {"name": name, "subcommittee": subcommittee})
    if is_chair:
        subcommittee.seats.filter(is_chair=True).update(is_chair=False)
    return SubCommitteeMember.objects.create(subcommittee=subcommittee, name=name, member=member, is_chair=is_chair)


@transaction.atomic
def add_volunteer(*, team: VolunteerTeam, name: str, phone: str = "",
                  joined_on: datetime.date | None = None) -> VolunteerMember:
    """Enrol a volunteer in a team; a name appears once in a team, as its roll is read by name."""
    DateChecks().not_future("joined_on", _("加入日期"), joined_on).check()
    if team.volunteers.filter(name=name).exists():
        raise ValidationError({"name": _("%(name)s 已是%(team)s的志愿者") % {"name": name, "team": team.name}})
    return VolunteerMember.objects.create(team=team, name=name, phone=phone, joined_on=joined_on)


@transaction.atomic
def remove_volunteer(*, volunteer: VolunteerMember) -> None:
    """Take a volunteer off the team's roll (the audit trail keeps the record)."""
    volunteer.delete()


@transaction.atomic
def add_shift(*, team: VolunteerTeam, weekday: int, starts: datetime.time, ends: datetime.time, task: str,
              place: str = "") -> VolunteerShift:
    """Add a weekly slot to a team's schedule; it ends the same day, after it starts (a check constraint too)."""
    if ends <= starts:
        raise ValidationError({"ends": _("结束时间须晚于开始时间")})
    return VolunteerShift.objects.create(team=team, weekday=weekday, starts=starts, ends=ends, task=task, place=place)
