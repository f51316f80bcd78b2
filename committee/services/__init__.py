"""Business rules of the committee: its organisation here, meetings and registers in the submodules."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from org.models import Community

from ..models import CommitteeMember, SubCommittee, SubCommitteeMember, Term


@transaction.atomic
def start_term(*, community: Community, number: int, starts: datetime.date, members: list[dict]) -> Term:
    """Open term `number` with its members (dicts of name, position, gender, resident); close the last one.

    Used by the election handover and to enter past terms.
    """
    Term.objects.filter(community=community, ends__isnull=True, number__lt=number).update(ends=starts)
    term = Term.objects.create(community=community, number=number, starts=starts)
    for member in members:
        CommitteeMember.objects.create(term=term, starts=starts, **member)
    return term


def current_term(*, community: Community, on: datetime.date) -> Term | None:
    """The term running on `on`: begun, and not ended before that day."""
    return (Term.objects.filter(community=community, starts__lte=on).filter(Q(ends__isnull=True) | Q(ends__gt=on))
            .order_by("-number").first())


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
        raise ValidationError("该居委会成员不属于本届")
    if subcommittee.seats.filter(name=name).exists():
        raise ValidationError(f"{name} 已在{subcommittee}中")
    if is_chair:
        subcommittee.seats.filter(is_chair=True).update(is_chair=False)
    return SubCommitteeMember.objects.create(subcommittee=subcommittee, name=name, member=member, is_chair=is_chair)
