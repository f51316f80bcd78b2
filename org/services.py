import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    AccountAction,
    AccountEvent,
    Community,
    DocumentCounter,
    Membership,
    PasswordChangeDue,
    Role,
    SensitiveAccess,
    StreetOffice,
)

security_log = logging.getLogger("juwei.security")


@transaction.atomic
def next_document_number(*, issuer: str, year: int) -> str:
    """The issuer's next document number of the year, e.g. 〔2024〕第3号; numbers are never reused."""
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(issuer=issuer, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"〔{year}〕第{counter.last}号"


def log_sensitive_access(*, user, community: Community, action: str, subject: str, reason: str) -> SensitiveAccess:
    """Keep who saw or exported whose personal data, and why."""
    return SensitiveAccess.objects.create(user=user, community=community, action=action, subject=subject,
                                          reason=reason)


def accounts_of_street(*, street_ids) -> QuerySet:
    """Accounts that ever held a membership inside these streets and hold none elsewhere that has not ended:
    the ones their staff look after.

    An account whose memberships here all ended stays theirs, so that they can give it a new one (a member
    re-elected after a gap); one that serves, or is appointed to serve, elsewhere (another street, the whole
    platform) is not theirs to touch."""
    inside = Q(street_id__in=street_ids) | Q(community__street_id__in=street_ids)
    members = Membership.objects.filter(inside).values("user_id")
    outside = (Membership.objects.exclude(inside).filter(Q(ends__isnull=True) | Q(ends__gte=timezone.localdate()))
               .values("user_id"))
    return (get_user_model().objects.filter(pk__in=members, is_superuser=False).exclude(pk__in=outside)
            .prefetch_related("memberships__community", "memberships__street").order_by("username"))


@transaction.atomic
def reset_password(*, by, user, street_ids, password: str) -> None:
    """Street staff give an account of their street a new password (a clerk who forgot theirs).

    Not their own (that is the password-change page, which asks for the old one) and not another street's."""
    if user.pk == by.pk or not accounts_of_street(street_ids=street_ids).filter(pk=user.pk).exists():
        raise PermissionDenied
    user.set_password(password)
    user.save(update_fields=["password"])
    PasswordChangeDue.objects.update_or_create(user=user)
    for street_id in _streets_of(user) & frozenset(street_ids):
        AccountEvent.objects.create(street_id=street_id, account=user, by=by, action=AccountAction.PASSWORD_RESET)
    security_log.info("password of %s reset by %s", user.get_username(), by.get_username())


def _streets_of(user) -> frozenset[int]:
    """The streets an account has served in (through a street or one of its communities), so that a reset of an
    account whose memberships all ended is on the street's audit page too."""
    rows = Membership.objects.filter(user=user).values_list("street_id", "community__street_id")
    return frozenset(street or of_community for street, of_community in rows)


def password_change_due(user) -> bool:
    """Whether the account's password was set by someone else and its owner has not yet chosen their own."""
    return PasswordChangeDue.objects.filter(user=user).exists()


def password_changed(*, user) -> None:
    """The owner chose their own password: nothing more is asked of them."""
    PasswordChangeDue.objects.filter(user=user).delete()
    security_log.info("password of %s changed by its owner", user.get_username())


def _place(*, role: str, street_ids, street: StreetOffice | None, community: Community | None):
    """The (street, community) a membership of `role` is held over, refused outside the staff's streets."""
    if role == Role.STREET_STAFF:
        if street is None or street.pk not in street_ids:
            raise ValidationError({"street": _("只能在本街道内任命街道工作人员")})
        return street, None
    if role not in (Role.COMMITTEE, Role.SUPERVISION):
        raise ValidationError({"role": _("角色不在可选范围内")})
    if community is None or community.street_id not in street_ids:
        raise ValidationError({"community": _("只能在本街道的社区内任职")})
    return None, community


def _refuse_supervision_here(role: str, from_seat: bool) -> None:
    if role == Role.SUPERVISION and not from_seat:
        raise ValidationError({"role": _(
            "监督小组成员的账户请在居务监督小组页面从其席位开设：须核对居民档案和亲属关系")})


def _describe(membership: Membership) -> str:
    return f"{membership.get_role_display()} · {membership.street or membership.community} · {membership.starts}"


@transaction.atomic
def create_account(*, by, street_ids, username: str, full_name: str, password: str, role: str,
                   street: StreetOffice | None = None, community: Community | None = None,
                   starts: datetime.date, ends: datetime.date | None = None, is_leader: bool = False,
                   from_seat: bool = False):
    """Street staff open an account for a clerk (street staff), a committee member or a supervision member of
    their street, with its first membership. The password they give is a first one: its owner must choose
    their own at the first login (PasswordChangeDue).

    A supervision member's account comes only `from_seat` (disclosure/services/supervision.py:
    open_supervision_account), which checks the resident record and the relatives; this floor cannot read the
    registry."""
    _refuse_supervision_here(role, from_seat)
    street, community = _place(role=role, street_ids=street_ids, street=street, community=community)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名 %(username)s 已被使用") % {"username": username}})
    user = User(username=username, first_name=full_name)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, role=role, street=street, community=community,
                                           starts=starts, ends=ends, is_leader=is_leader)
    PasswordChangeDue.objects.create(user=user)
    AccountEvent.objects.create(street=street or community.street, account=user, by=by,
                                action=AccountAction.CREATED, detail=_describe(membership))
    security_log.info("account %s created by %s", username, by.get_username())
    return user


@transaction.atomic
def give_membership(*, by, street_ids, user, role: str, street: StreetOffice | None = None,
                    community: Community | None = None, starts: datetime.date, ends: datetime.date | None = None,
                    is_leader: bool = False) -> Membership:
    """Street staff give an account of their street one more role, over their street or one of its
    communities, for a period."""
    if not accounts_of_street(street_ids=street_ids).filter(pk=user.pk).exists():
        raise PermissionDenied
    _refuse_supervision_here(role, from_seat=False)
    street, community = _place(role=role, street_ids=street_ids, street=street, community=community)
    if ends is not None and ends < starts:
        raise ValidationError({"ends": _("任职结束日期不能早于开始日期")})
    overlapping = Membership.objects.filter(user=user, role=role, street=street, community=community).filter(
        Q(ends__isnull=True) | Q(ends__gte=starts))
    if ends is not None:
        overlapping = overlapping.filter(starts__lte=ends)
    if overlapping.exists():
        raise ValidationError({"starts": _("该账户在这段时间内已有同样的任职")})
    membership = Membership.objects.create(user=user, role=role, street=street, community=community,
                                           starts=starts, ends=ends, is_leader=is_leader)
    AccountEvent.objects.create(street=street or community.street, account=user, by=by,
                                action=AccountAction.MEMBERSHIP_GIVEN, detail=_describe(membership))
    return membership


@transaction.atomic
def end_membership(*, by, street_ids, membership: Membership, ends: datetime.date) -> Membership:
    """Street staff end a membership held in their street on `ends` (its last day). Not one of their own:
    a colleague ends it, so that nobody locks themselves out by mistake."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    place = membership.street or membership.community.street
    if place.pk not in street_ids or membership.user_id == by.pk:
        raise PermissionDenied
    if membership.ends is not None and membership.ends <= ends:
        raise ValidationError({"ends": _("该任职已于 %(day)s 结束") % {"day": membership.ends}})
    if ends < membership.starts:
        raise ValidationError({"ends": _("任职结束日期不能早于开始日期")})
    membership.ends = ends
    membership.save(update_fields=["ends"])
    AccountEvent.objects.create(street=place, account=membership.user, by=by, action=AccountAction.MEMBERSHIP_ENDED,
                                detail=f"{_describe(membership)} → {ends}")
    return membership
