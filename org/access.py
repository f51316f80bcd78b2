"""The access layer: every staff view reaches objects only through these helpers.

A user's reach comes from their active memberships: street staff see every community of their
street, committee and supervision members see their own community. An object outside the user's
reach is a 404 (its existence is not confirmed); an object inside it but outside the roles a view
needs is a 403.
"""

from collections.abc import Iterable
from functools import wraps
from operator import attrgetter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .models import Community, Membership, PasswordChangeDue, Role, StreetOffice

ANY_ROLE = frozenset(Role)
STAFF = frozenset({Role.STREET_STAFF, Role.COMMITTEE})
STREET = frozenset({Role.STREET_STAFF})
COMMITTEE = frozenset({Role.COMMITTEE})
SUPERVISION = frozenset({Role.SUPERVISION})


def _memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_juwei_memberships", None)
    if cached is None:
        cached = list(Membership.objects.active().filter(user=user))
        user._juwei_memberships = cached
    return cached


def roles_of(user) -> frozenset[str]:
    """The roles the user holds today, anywhere."""
    return frozenset(m.role for m in _memberships(user))


def community_ids(user, roles: Iterable[str] = ANY_ROLE) -> frozenset[int]:
    """Ids of the communities the user reaches through a membership with one of `roles`."""
    roles = frozenset(roles)
    cache = user.__dict__.setdefault("_juwei_community_ids", {}) if user.is_authenticated else {}
    if roles not in cache:
        memberships = [m for m in _memberships(user) if m.role in roles]
        streets = [m.street_id for m in memberships if m.street_id]
        ids = {m.community_id for m in memberships if m.community_id}
        if streets:
            ids |= set(Community.objects.filter(street_id__in=streets).values_list("id", flat=True))
        cache[roles] = frozenset(ids)
    return cache[roles]


def street_ids(user) -> frozenset[int]:
    """Ids of the streets the user serves as street-office staff."""
    return frozenset(m.street_id for m in _memberships(user) if m.role == Role.STREET_STAFF)


def visible_communities(user, roles: Iterable[str] = ANY_ROLE) -> QuerySet[Community]:
    return Community.objects.filter(id__in=community_ids(user, roles)).select_related("street")


def scoped(queryset: QuerySet, user, *, roles: Iterable[str] = ANY_ROLE, path: str = "community") -> QuerySet:
    """`queryset` narrowed to the objects whose community (reached by `path`) the user may see."""
    if path == "":
        return queryset.filter(id__in=community_ids(user, roles))
    return queryset.filter(**{f"{path}__in": community_ids(user, roles)})


def community_id_of(obj: Model, path: str) -> int:
    if path == "":
        return obj.pk
    return attrgetter(path.replace("__", ".") + "_id")(obj)


def get_scoped(queryset: QuerySet, user, *, roles: Iterable[str] = ANY_ROLE, path: str = "community", **lookup):
    """The one object matching `lookup` inside the user's reach: 404 outside it, 403 for the wrong role."""
    obj = get_object_or_404(scoped(queryset, user, path=path), **lookup)
    if community_id_of(obj, path) not in community_ids(user, roles):
        raise PermissionDenied
    return obj


def get_community(user, code: str, *, roles: Iterable[str] = ANY_ROLE) -> Community:
    return get_scoped(Community.objects.select_related("street"), user, roles=roles, path="", code=code)


def get_street(user, pk: int) -> StreetOffice:
    """A street the user serves as street staff: 404 for any other."""
    return get_object_or_404(StreetOffice, pk=pk, pk__in=street_ids(user))


def require_role(user, community: Community, roles: Iterable[str]) -> None:
    """Raise 403 unless the user holds one of `roles` over `community`."""
    if community.pk not in community_ids(user, roles):
        raise PermissionDenied


VERIFY, ENROL = "verify", "enrol"


def second_factor_missing(user) -> str | None:
    """What a logged-in session still lacks before staff pages: VERIFY (the user has an authenticator but
    this session did not give its code, e.g. a session opened without the login page), ENROL (street staff
    without an authenticator where one is required: JUWEI_OTP_FOR_STREET_STAFF, on in production), or None."""
    if getattr(user, "is_verified", lambda: False)():
        return None
    if user_has_device(user, confirmed=True):
        return VERIFY
    if settings.JUWEI_OTP_FOR_STREET_STAFF and Role.STREET_STAFF in roles_of(user):
        return ENROL
    return None


def second_factor_required(view=None, *, enrolling: bool = False):
    """Login required, and the one-time code where the user has an authenticator: a session opened by the
    password alone goes back to the login page. A user whose password was set by street staff is sent to change
    it, and street staff who must have an authenticator and have none are sent to bind it, except on the pages
    marked `enrolling` (binding it, changing one's password)."""

    def decorate(func):
        @login_required
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            missing = second_factor_missing(request.user)
            if missing == VERIFY:
                return redirect_to_login(request.get_full_path())
            if not enrolling and PasswordChangeDue.objects.filter(user=request.user).exists():
                # A password someone else chose (a new account, a reset) is known to two people.
                messages.warning(request, _("您的密码由街道工作人员设置，请先修改为只有您自己知道的密码。"))
                return redirect("password_change")
            if missing == ENROL and not enrolling:
                messages.warning(request, _("街道工作人员须先绑定动态口令验证器，才能使用本系统。"))
                return redirect("otp_setup")
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view else decorate


def staff_required(view=None, *, roles: Iterable[str] = ANY_ROLE, enrolling: bool = False):
    """Login required (anonymous visitors go to the login page), with the one-time code where the user has
    an authenticator (second_factor_required), then an active membership with a role."""
    roles = frozenset(roles)

    def decorate(func):
        @second_factor_required(enrolling=enrolling)
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not roles_of(request.user) & roles:
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view else decorate


SESSION_KEY = "juwei_community"


def current_community(request, roles: Iterable[str] = ANY_ROLE) -> Community | None:
    """The community the user switched to, or their first one; None when they reach none."""
    communities = visible_communities(request.user, roles)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        found = communities.filter(pk=chosen).first()
        if found:
            return found
    return communities.first()
