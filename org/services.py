from django.db import transaction

from .models import Community, DocumentCounter, SensitiveAccess


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
