"""Throttles that hold behind nginx and across every gunicorn worker and server.

- `client_address`: the address of the person at the other end, as a trusted proxy tells it. The feedback throttle
  and django-axes (AXES_CLIENT_IP_CALLABLE) both count by it.
- `hit`, `peek`, `forgive`, `first_use`: counters in the database (ThrottleCount), exact across processes.
- `LoginThrottle` (AXES_HANDLER): axes' lock of one username at one address, plus a limit per username over all
  addresses that only slows guessing down for a few minutes (docs/deploy.md).
"""

import hashlib
import ipaddress
from datetime import timedelta
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, F, PositiveIntegerField, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from .models import ThrottleCount

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOGIN_SCOPE = "login-username"
# A user who has logged in from an address within this time is not held back by the per-username limit there.
KNOWN_ADDRESS_FOR = timedelta(days=90)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.5) is the same client.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is one of JUWEI_TRUSTED_PROXIES.

    Behind a trusted proxy it is the right-most hop of X-Forwarded-For that is not a trusted proxy itself. nginx's
    `$proxy_add_x_forwarded_for` appends the address it saw to whatever the client sent, so everything left of that
    hop is the client's own say and is never believed. Nobody else's X-Forwarded-For is believed at all.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    networks = _networks(tuple(settings.JUWEI_TRUSTED_PROXIES))
    if remote is None or not _trusted(remote, networks):
        return str(remote) if remote else None
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            break  # no proxy of ours writes that: the rest is the client's say
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def hit(*, scope: str, key: str, window: timedelta) -> int:
    """Count one more event of `key` and return how many there have been in its window, this one included.

    A window opens with the first event and lasts `window`; the first event after it opens the next one.
    """
    digest, now = _digest(key), timezone.now()
    rows = ThrottleCount.objects.filter(scope=scope, key=digest)
    expired = Q(expires_at__lte=now)
    # Exact across processes: the insert that ignores conflicts makes sure the row exists (the unique constraint lets
    # one insert win), and the UPDATE count = count + 1 then holds the row's lock until commit (on SQLite the whole
    # file's), so a concurrent hit waits and the count read back in this transaction is ours alone. Django's
    # DatabaseCache would not do: its incr() is a get followed by a set, and it culls entries at MAX_ENTRIES.
    with transaction.atomic():
        for _ in range(3):
            ThrottleCount.objects.bulk_create(
                [ThrottleCount(scope=scope, key=digest, count=0, expires_at=now + window)], ignore_conflicts=True)
            updated = rows.update(
                count=Case(When(expired, then=Value(1)), default=F("count") + 1,
                           output_field=PositiveIntegerField()),
                expires_at=Case(When(expired, then=Value(now + window)), default=F("expires_at"),
                                output_field=DateTimeField()),
            )
            if updated:  # else an expired row was cleared away between the two statements: insert it again
                break
        count = rows.values_list("count", flat=True).get()
    ThrottleCount.objects.filter(expires_at__lt=now).delete()
    return count


def peek(*, scope: str, key: str) -> int:
    """How many events of `key` its current window holds, without counting one."""
    row = ThrottleCount.objects.filter(scope=scope, key=_digest(key), expires_at__gt=timezone.now())
    return row.values_list("count", flat=True).first() or 0


def forgive(*, scope: str, key: str) -> None:
    """Take back one event counted by `hit` (one that turned out not to be what the limit is about)."""
    ThrottleCount.objects.filter(scope=scope, key=_digest(key), count__gt=0,
                                 expires_at__gt=timezone.now()).update(count=F("count") - 1)


def first_use(*, scope: str, key: str, lifetime: timedelta) -> bool:
    """True the first time `key` is presented, False every other time within `lifetime` of that.

    After `lifetime` the key is forgotten: `key` must be worthless by then (a signed token that has expired).
    """
    return hit(scope=scope, key=key, window=lifetime) == 1


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler, plus a limit on login attempts per username from all addresses together.

    axes locks one username at one client address for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures: with
    the real address (client_address) an attacker locks out only themselves. An attacker with many addresses gets
    that many tries at each address, so a username also takes at most JUWEI_LOGIN_FAILURES_PER_USERNAME failed
    attempts per JUWEI_LOGIN_USERNAME_WINDOW from all addresses together; beyond that an attempt is refused without
    looking at the password until the window ends. The window opens with the first failure and is never extended, so
    an attacker who stops keeps the user out for at most one window, and guesses at most that many per window. The
    limit is not applied at an address the user logged in from (axes' AccessLog, KNOWN_ADDRESS_FOR), so even during
    a long attack the user gets in from the office or home; there only the (username, address) lock applies.
    """

    def is_allowed(self, request, credentials=None) -> bool:
        if not super().is_allowed(request, credentials):
            return False
        username = get_client_username(request, credentials)
        if not username or self._known_address(request, username):
            return True
        # Counted before the password is checked, so that simultaneous attempts cannot all slip under the limit;
        # a success is forgiven in user_logged_in, leaving only failures (and refusals) in the count.
        request.juwei_login_counted = username
        count = hit(scope=LOGIN_SCOPE, key=username, window=settings.JUWEI_LOGIN_USERNAME_WINDOW)
        if count > settings.JUWEI_LOGIN_FAILURES_PER_USERNAME:
            request.juwei_username_cooling_off = True
            return False
        return True

    @staticmethod
    def _known_address(request, username: str) -> bool:
        if not request.axes_ip_address:
            return False
        return AccessLog.objects.filter(username=username, ip_address=request.axes_ip_address,
                                        attempt_time__gte=request.axes_attempt_time - KNOWN_ADDRESS_FOR).exists()

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and getattr(request, "juwei_username_cooling_off", False):
            # Refused before the password was looked at: not a guess, so not a failure of this address either.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            return
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        username = getattr(request, "juwei_login_counted", None)
        if username:
            forgive(scope=LOGIN_SCOPE, key=username)
