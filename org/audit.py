"""The audit trail: django-simple-history records with who, when and old → new values, append-only.

Every domain model declares `history = AuditTrail()`. A history row can be added, never changed or deleted: not
by a save, not by a bulk queryset update or delete, not by the admin, and not in the database (triggers): the
history models are frozen models (org/frozen.py) final once written.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from .frozen import Freeze, FrozenModel, FrozenQuerySet

MESSAGE = gettext_lazy("审计日志只能追加，不能修改或删除")


class AuditLogImmutable(PermissionDenied):
    """Raised on any attempt to rewrite the audit trail."""


class AppendOnlyQuerySet(FrozenQuerySet, HistoricalQuerySet):
    pass


class AppendOnlyHistory(FrozenModel):
    """The base of every history model: final once written."""

    freeze = Freeze(name="audit_append_only", refusal=lambda: AuditLogImmutable(MESSAGE))

    class Meta:
        abstract = True


def AuditTrail(**kwargs) -> HistoricalRecords:  # noqa: N802 - used like a field class
    return HistoricalRecords(bases=[AppendOnlyHistory], historical_queryset=AppendOnlyQuerySet, **kwargs)
