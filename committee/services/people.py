"""A committee member's login, opened by street staff from the member's seat: the seat's resident record is the
person, and the account's committee membership ends when the seat does (docs/domain.md, Term's life)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Membership, Role
from org.services import create_account
from residents.models import Living

from ..models import CommitteeMember


@transaction.atomic
def open_member_account(*, by, street_ids, member: CommitteeMember, username: str, password: str):
    """Street staff open the login of a sitting member who lives in the community (the seat's resident record),
    with a committee membership over it from today (or the seat's start); the first password is changed at the
    first login."""
    member = CommitteeMember.objects.select_for_update(of=("self",)).select_related(
        "term__community", "resident").get(pk=member.pk)
    today = timezone.localdate()
    if member.user_id:
        raise ValidationError(_("%(name)s 已有登录账户") % {"name": member.name})
    if member.ends is not None and member.ends <= today:
        raise ValidationError(_("%(name)s 已离任") % {"name": member.name})
    resident = member.resident
    if resident is None:
        raise ValidationError(_("%(name)s 没有关联居民档案，不能开设账户") % {"name": member.name})
    if resident.community_id != member.term.community_id or resident.living != Living.LIVING:
        raise ValidationError(_("%(name)s 不是在本社区居住的居民") % {"name": member.name})
    user = create_account(by=by, street_ids=street_ids, username=username, full_name=member.name, password=password,
                          role=Role.COMMITTEE, community=member.term.community, starts=max(member.starts, today))
    member.user = user
    member.save(update_fields=["user"])
    return user


def end_seat_account(member: CommitteeMember) -> None:
    """The seat ended (resignation, recall, automatic end): so does its login's committee membership in the
    community, on the same day (saved one by one so that the audit trail keeps each)."""
    if not member.user_id:
        return
    for membership in Membership.objects.active(member.ends).filter(user_id=member.user_id, role=Role.COMMITTEE,
                                                                   community_id=member.term.community_id):
        membership.ends = member.ends
        membership.save(update_fields=["ends"])
