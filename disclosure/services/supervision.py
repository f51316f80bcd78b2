"""The supervision group: who may sit on it, its election and its members' accounts, the leader's name."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from committee.models import CommitteeMember, Term
from lib.dates import DateChecks
from org.models import Membership, Role
from org.services import create_account
from residents.models import Living, Relation, Resident

from ..models import SupervisionGroup, SupervisionMember
from .calendar import term_period

MIN_MEMBERS, MAX_MEMBERS = 5, 7


# Relation of B to A when both live in one household, from their relations to its head (None: not close).
_CLOSE = {"spouse", "parent", "child", "sibling", "grandchild", "grandparent"}
_RELATIVE = {
    (Relation.HEAD, Relation.SPOUSE): "spouse", (Relation.HEAD, Relation.CHILD): "child",
    (Relation.HEAD, Relation.PARENT): "parent", (Relation.HEAD, Relation.SIBLING): "sibling",
    (Relation.HEAD, Relation.GRANDCHILD): "grandchild",
    (Relation.SPOUSE, Relation.HEAD): "spouse", (Relation.CHILD, Relation.HEAD): "parent",
    (Relation.PARENT, Relation.HEAD): "child", (Relation.SIBLING, Relation.HEAD): "sibling",
    (Relation.GRANDCHILD, Relation.HEAD): "grandparent",
    (Relation.SPOUSE, Relation.CHILD): "child", (Relation.SPOUSE, Relation.GRANDCHILD): "grandchild",
    (Relation.CHILD, Relation.SPOUSE): "parent", (Relation.GRANDCHILD, Relation.SPOUSE): "grandparent",
    (Relation.CHILD, Relation.CHILD): "sibling", (Relation.CHILD, Relation.PARENT): "grandparent",
    (Relation.PARENT, Relation.CHILD): "grandchild", (Relation.PARENT, Relation.PARENT): "spouse",
    (Relation.PARENT, Relation.SIBLING): "child", (Relation.SIBLING, Relation.PARENT): "parent",
    (Relation.SIBLING, Relation.SIBLING): "sibling",
    # A child and a grandchild of the head, or two grandchildren: the registry cannot tell a parent
    # from an uncle or a sibling from a cousin, so the group errs on the side of refusing.
    (Relation.CHILD, Relation.GRANDCHILD): "child", (Relation.GRANDCHILD, Relation.CHILD): "parent",
    (Relation.GRANDCHILD, Relation.GRANDCHILD): "sibling",
}
# Named inside a sentence ("……的配偶"), hence their own context for the lower-case English.
_RELATIVE_LABEL = {"spouse": pgettext_lazy("relative", "配偶"), "parent": pgettext_lazy("relative", "父母"),
                   "child": pgettext_lazy("relative", "子女"), "sibling": pgettext_lazy("relative", "兄弟姐妹"),
                   "grandchild": pgettext_lazy("relative", "孙子女"),
                   "grandparent": pgettext_lazy("relative", "祖父母")}


def committee_members_of(term: Term):
    return CommitteeMember.objects.filter(term=term, resident__isnull=False).select_related("resident")


def refusal_reason(*, resident: Resident, term: Term) -> str | None:
    """Why `resident` may not sit on the supervision group of `term` (a committee member or close relative)."""
    for member in committee_members_of(term):
        other = member.resident
        if other.pk == resident.pk:
            return _("%(name)s 是本届居委会成员") % {"name": resident.name}
        if other.household_id == resident.household_id:
            relative = _RELATIVE.get((other.relation, resident.relation))
            if relative in _CLOSE:
                return _("%(name)s 是居委会成员 %(member)s 的%(relative)s") % {
                    "name": resident.name, "member": other.name, "relative": _RELATIVE_LABEL[relative]}
    return None


@dataclass
class Nominee:
    resident: Resident
    is_leader: bool = False
    user: object = None


@transaction.atomic
def elect_supervision_group(*, term: Term, elected_on: datetime.date, nominees: list[Nominee], meeting=None,
                            user=None) -> SupervisionGroup:
    """Record the group the residents' meeting elected: 5 to 7 eligible residents, one leader, the committee's term."""
    community = term.community
    if SupervisionGroup.objects.filter(term=term).exists():
        raise ValidationError(_("本届居务监督小组已经选出"))
    (DateChecks().not_future("elected_on", _("居民会议选举日期"), elected_on)
     .not_after("elected_on", _("居民会议选举日期"), elected_on, _("本届结束日期"), term_period(term)[1]).check())
    if not MIN_MEMBERS <= len(nominees) <= MAX_MEMBERS:
        raise ValidationError(_("居务监督小组由 %(min)s 至 %(max)s 人组成，现有 %(count)s 人") % {
            "min": MIN_MEMBERS, "max": MAX_MEMBERS, "count": len(nominees)})
    if len({n.resident.pk for n in nominees}) != len(nominees):
        raise ValidationError(_("成员重复"))
    if sum(n.is_leader for n in nominees) != 1:
        raise ValidationError(_("须有且只有一名组长"))
    errors = []
    for number, nominee in enumerate(nominees, start=1):
        if nominee.resident.community_id != community.pk:
            errors.append(_("第 %(number)s 人 %(name)s: 不是本社区居民") % {
                "number": number, "name": nominee.resident.name})
            continue
        reason = refusal_reason(resident=nominee.resident, term=term)
        if reason:
            errors.append(_("第 %(number)s 人: %(reason)s，不能担任监督小组成员") % {
                "number": number, "reason": reason})
    if errors:
        raise ValidationError(errors)
    group = SupervisionGroup.objects.create(community=community, term=term, elected_on=elected_on, meeting=meeting)
    ends = term_period(term)[1]
    for nominee in nominees:
        SupervisionMember.objects.create(group=group, resident=nominee.resident, name=nominee.resident.name,
                                         is_leader=nominee.is_leader, user=nominee.user)
        if nominee.user is not None:
            Membership.objects.get_or_create(user=nominee.user, role=Role.SUPERVISION, community=community,
                                             defaults={"is_leader": nominee.is_leader, "starts": elected_on,
                                                       "ends": ends})
    return group


@transaction.atomic
def open_supervision_account(*, by, street_ids, seat: SupervisionMember, username: str, password: str):
    """Street staff open the login of a supervision member from the seat, which names the resident record: the
    person must still live in the community and be neither a member of the term's committee nor a close
    relative of one (checked again: the registry may have changed since the election). The supervision
    membership runs from today (or the election) to the term's end, as for a member elected with a login."""
    seat = SupervisionMember.objects.select_for_update(of=("self",)).select_related(
        "group__term", "group__community", "resident").get(pk=seat.pk)
    group, resident = seat.group, seat.resident
    today = timezone.localdate()
    ends = term_period(group.term)[1]
    if seat.user_id:
        raise ValidationError(_("%(name)s 已有登录账户") % {"name": seat.name})
    if ends < today:
        raise ValidationError(_("%(group)s 已届满") % {"group": group})
    if resident.community_id != group.community_id or resident.living != Living.LIVING:
        raise ValidationError(_("%(name)s 不是在本社区居住的居民，不能开设监督小组成员账户") % {"name": seat.name})
    reason = refusal_reason(resident=resident, term=group.term)
    if reason:
        raise ValidationError(_("%(reason)s，不能担任监督小组成员") % {"reason": reason})
    user = create_account(by=by, street_ids=street_ids, username=username, full_name=seat.name, password=password,
                          role=Role.SUPERVISION, community=group.community, starts=max(group.elected_on, today),
                          is_leader=seat.is_leader, ends=ends, from_seat=True)
    seat.user = user
    seat.save(update_fields=["user"])
    return user
