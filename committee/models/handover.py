"""The handover list (移交清单) between the outgoing and the incoming committee, with the street present
(docs/domain.md, Handover with the street present).

Once every item carries its three confirmations and the audit note is attached the list is complete and frozen:
model save/delete, queryset update/delete, and on PostgreSQL a trigger per table (so raw SQL is refused too).
"""

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail, FrozenQuerySet
from org.models import Community

from .organisation import CommitteeMember, Term

FROZEN_MESSAGE = _("移交清单已完成，不能再修改")


class HandoverFrozen(ValidationError):
    """Raised on any attempt to change a completed handover list, its items or their confirmations."""

    def __init__(self):
        super().__init__(FROZEN_MESSAGE, code="frozen")


def _frozen_trigger(prefix: str, handover_of: str) -> pgtrigger.Trigger:
    """A row trigger refusing insert, update and delete of a row whose handover list is complete; `handover_of`
    is an SQL expression of the row (`{row}` stands for OLD or NEW) giving its handover's id."""
    def completed(row: str) -> str:
        return (f"EXISTS (SELECT 1 FROM committee_handover h WHERE h.id = ({handover_of.format(row=row)}) "
                "AND h.completed_at IS NOT NULL)")

    return pgtrigger.Trigger(
        name=f"{prefix}_frozen", level=pgtrigger.Row, when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=(f"IF (TG_OP <> 'INSERT' AND {completed('OLD')}) OR (TG_OP <> 'DELETE' AND {completed('NEW')}) THEN "
              "RAISE EXCEPTION 'juwei: handover list complete, % refused on %', TG_OP, TG_TABLE_NAME; END IF; "
              "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"))


class HandoverQuerySet(FrozenQuerySet):
    """Bulk changes are refused when any row touched belongs to a complete list (the project's one queryset
    guard, org/audit.py: FrozenQuerySet); `handover_path` leads from the row to its handover."""

    handover_path = "handover"

    @property
    def frozen(self) -> dict:
        return {f"{self.handover_path}__completed_at__isnull": False}

    def refusal(self) -> Exception:
        return HandoverFrozen()


class ConfirmationQuerySet(HandoverQuerySet):
    handover_path = "item__handover"


class FrozenWithHandover(models.Model):
    """Save and delete are refused while the row's handover list is complete."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def handover_ids(self) -> set[int]:
        raise NotImplementedError

    def _refuse_if_frozen(self):
        ids = self.handover_ids()
        if not self._state.adding and self.pk:
            # A row moved away from a complete list is a change of that list too.
            stored = type(self)._base_manager.filter(pk=self.pk).first()
            if stored is not None:
                ids |= stored.handover_ids()
        if Handover.objects.filter(pk__in=ids, completed_at__isnull=False).exists():
            raise HandoverFrozen()


def audit_path(instance, filename: str) -> str:
    # Never under a public URL: the file is served by a view that checks the community.
    return f"committee/handover/{instance.community_id}/{instance.pk}/{filename}"


class Handover(models.Model):
    """The list one term hands to the next, opened by street staff once the new committee is registered."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="handovers",
                                  verbose_name=_("社区"))
    outgoing = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="handovers_out",
                                 verbose_name=_("上一届"))
    incoming = models.OneToOneField(Term, on_delete=models.PROTECT, related_name="handover_in",
                                    verbose_name=_("新一届"))
    # The election's deadline (rule set handover_days after certification), copied when the list is opened.
    due = models.DateField(_("移交期限"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    audit_note = models.TextField(_("离任审计说明"), blank=True)
    audit_file = models.FileField(_("离任审计报告"), upload_to=audit_path, blank=True)
    audit_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    audit_at = models.DateTimeField(_("审计说明附上时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("移交清单")
        verbose_name_plural = _("移交清单")
        ordering = ["community", "-opened_at"]
        constraints = [
            models.CheckConstraint(name="handover_between_two_terms", condition=~Q(outgoing=models.F("incoming")),
                                   violation_error_message=_("移交须在两届居委会之间进行")),
            models.CheckConstraint(name="handover_complete_with_audit",
                                   condition=Q(completed_at__isnull=True) | ~Q(audit_note="", audit_file=""),
                                   violation_error_message=_("附上离任审计说明后移交才能完成")),
        ]
        triggers = [
            pgtrigger.Protect(name="handover_complete_frozen", operation=pgtrigger.Update | pgtrigger.Delete,
                              condition=pgtrigger.Q(old__completed_at__isnull=False)),
        ]

    def __str__(self):
        return _("%(outgoing)s向%(incoming)s移交清单") % {"outgoing": self.outgoing, "incoming": self.incoming}

    def save(self, *args, **kwargs):
        if self.pk and Handover._base_manager.filter(pk=self.pk, completed_at__isnull=False).exists():
            raise HandoverFrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.completed_at or Handover._base_manager.filter(pk=self.pk, completed_at__isnull=False).exists():
            raise HandoverFrozen()
        return super().delete(*args, **kwargs)

    @property
    def has_audit(self) -> bool:
        return bool(self.audit_note or self.audit_file)


class HandoverKind(models.TextChoices):
    """What is handed over (docs/domain.md, Handover with the street present)."""

    SEAL = "seal", _("印章")
    OFFICE = "office", _("办公场所、设施")
    ASSETS = "assets", _("集体资产")
    ARCHIVES = "archives", _("工作档案")
    CLAIM = "claim", _("债权")
    DEBT = "debt", _("债务")
    OTHER = "other", _("其他")


MONEY_KINDS = (HandoverKind.CLAIM, HandoverKind.DEBT)


class HandoverItem(FrozenWithHandover):
    """One line of the list: a claim or debt has its amount, anything else its quantity."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="items", verbose_name=_("移交清单"))
    kind = models.CharField(_("类别"), max_length=10, choices=HandoverKind.choices)
    description = models.CharField(_("名称及说明"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditTrail()

    objects = HandoverQuerySet.as_manager()

    audit_street_path = "handover__community__street"

    class Meta:
        verbose_name = _("移交项目")
        verbose_name_plural = _("移交项目")
        ordering = ["handover", "id"]
        constraints = [
            models.CheckConstraint(name="handover_money_has_amount",
                                   condition=~Q(kind__in=MONEY_KINDS) | Q(amount__isnull=False, amount__gt=0),
                                   violation_error_message=_("债权、债务须填写大于零的金额")),
            models.CheckConstraint(name="handover_thing_has_quantity",
                                   condition=Q(kind__in=MONEY_KINDS) | Q(quantity__isnull=False, quantity__gte=1),
                                   violation_error_message=_("移交物品须填写数量")),
            models.CheckConstraint(name="handover_thing_has_no_amount",
                                   condition=Q(kind__in=MONEY_KINDS) | Q(amount__isnull=True),
                                   violation_error_message=_("移交物品按数量登记，金额只用于债权、债务")),
            models.CheckConstraint(name="handover_money_has_no_quantity",
                                   condition=~Q(kind__in=MONEY_KINDS) | Q(quantity__isnull=True),
                                   violation_error_message=_("债权、债务按金额登记，不填数量")),
        ]
        triggers = [_frozen_trigger("handover_item", "{row}.handover_id")]

    def __str__(self):
        return self.description

    def handover_ids(self) -> set[int]:
        return {self.handover_id}


class HandoverSide(models.TextChoices):
    OUTGOING = "outgoing", _("移交方")
    INCOMING = "incoming", _("接收方")
    STREET = "street", _("监交方")


class HandoverConfirmation(FrozenWithHandover):
    """One side's confirmation of an item: the seat (a named member of that side's term) and the account that
    confirmed; the street's supervisor has the account only."""

    item = models.ForeignKey(HandoverItem, on_delete=models.PROTECT, related_name="confirmations",
                             verbose_name=_("移交项目"))
    side = models.CharField(_("确认方"), max_length=10, choices=HandoverSide.choices)
    seat = models.ForeignKey(CommitteeMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("确认人"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("确认账号"))
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)
    history = AuditTrail()

    objects = ConfirmationQuerySet.as_manager()

    audit_street_path = "item__handover__community__street"

    class Meta:
        verbose_name = _("移交确认")
        verbose_name_plural = _("移交确认")
        ordering = ["item", "side"]
        constraints = [
            models.UniqueConstraint(fields=["item", "side"], name="handover_item_side_once",
                                    violation_error_message=_("这一方已经确认过该项目")),
            models.UniqueConstraint(fields=["item", "confirmed_by"], name="handover_item_account_once",
                                    violation_error_message=_("同一账号不能为两方确认同一项目")),
            models.CheckConstraint(name="handover_side_named",
                                   condition=Q(side=HandoverSide.STREET, seat__isnull=True)
                                   | (~Q(side=HandoverSide.STREET) & Q(seat__isnull=False)),
                                   violation_error_message=_("移交方、接收方的确认须写明本届居委会成员")),
        ]
        triggers = [_frozen_trigger(
            "handover_confirmation", "SELECT i.handover_id FROM committee_handoveritem i WHERE i.id = {row}.item_id")]

    def __str__(self):
        return f"{self.item} · {self.get_side_display()}"

    def handover_ids(self) -> set[int]:
        return set(HandoverItem._base_manager.filter(pk=self.item_id).values_list("handover_id", flat=True))
