"""The audit trail: django-simple-history records with who, when and old → new values, append-only.

Every domain model declares `history = AuditTrail()`. A history row can be added, never changed or
deleted: not by a save, not by a bulk queryset update or delete, not by the admin; on PostgreSQL a
trigger refuses it in the database as well (registered in OrgConfig.ready for every history model).
"""

import pgtrigger
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords, registered_models

MESSAGE = gettext_lazy("审计日志只能追加，不能修改或删除")


class AuditLogImmutable(PermissionDenied):
    """Raised on any attempt to rewrite the audit trail."""


class AppendOnlyQuerySet(HistoricalQuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable(MESSAGE)

    def delete(self):
        raise AuditLogImmutable(MESSAGE)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable(MESSAGE)


class AppendOnlyHistory(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable(MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable(MESSAGE)


class FrozenQuerySet(models.QuerySet):
    """Bulk changes refused when any row they touch is frozen. A queryset's update, delete and bulk_update never
    call the model's save or delete, so a model that refuses to change a frozen row there must refuse here too.
    A subclass says which rows are frozen (`frozen`) and what is raised (`refusal`)."""

    frozen: dict  # the lookup that finds the frozen rows, e.g. {"status": "published"}

    def refusal(self) -> Exception:
        raise NotImplementedError(f"{type(self).__name__} must say what refuses a change of a frozen row")

    def _refuse_if_frozen(self, queryset) -> None:
        if queryset.filter(**self.frozen).exists():
            raise self.refusal()

    def update(self, **kwargs):
        self._refuse_if_frozen(self)
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen(self)
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._refuse_if_frozen(self.filter(pk__in=[o.pk for o in objs]))
        return super().bulk_update(objs, fields, batch_size=batch_size)


def AuditTrail(**kwargs) -> HistoricalRecords:  # noqa: N802 - used like a field class
    return HistoricalRecords(bases=[AppendOnlyHistory], historical_queryset=AppendOnlyQuerySet, **kwargs)


def protect_in_postgres() -> None:
    """Register an append-only trigger on every history table (installed by migrations on PostgreSQL)."""
    for model in registered_models.values():
        history_model = model.history.model
        if not any(t.name == "audit_append_only" for t in getattr(history_model._meta, "triggers", [])):
            pgtrigger.register(
                pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
            )(history_model)
