import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from .models import Community, DocumentCounter, Membership, SensitiveAccess

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
    """Accounts whose active memberships are all inside these streets: the ones their staff look after.

    An account that also serves elsewhere (another street, or the whole platform) is not theirs to touch."""
    inside = Q(street_id__in=street_ids) | Q(community__street_id__in=street_ids)
    members = Membership.objects.active().filter(inside).values("user_id")
    outside = Membership.objects.active().exclude(inside).values("user_id")
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
    security_log.info("password of %s reset by %s", user.get_username(), by.get_username())
