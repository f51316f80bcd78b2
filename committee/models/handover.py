"""The handover list (移交清单) between the outgoing and the incoming committee, with the street present
(docs/domain.md, Handover with the street present).

Once every item carries its three confirmations and the audit note is attached the list is complete and frozen,
with its items and their confirmations (org/frozen.py: save, delete, bulk changes and database triggers).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.frozen import Freeze, FrozenModel, FrozenQuerySet
from org.models import Community

from .organisation import CommitteeMember, Term

FROZEN_MESSAGE = _("移交清单已完成，不能再修改")


class HandoverFrozen(ValidationError):
    """Raised on any attempt to change a completed handover list, its items or their confirmations."""

    def __init__(self):
        super().__init__(FROZEN_MESSAGE, code="frozen")


def audit_path(instance, filename: str) -> str:
    # Never under a public URL: the file is served by a view that checks the community.
    return f"committee/handover/{instance.community_id}/{instance.pk}/{filename}"


class Handover(FrozenModel):
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

    objects = FrozenQuerySet.as_manager()

    freeze = Freeze(name="handover_complete_frozen", refusal=HandoverFrozen, when="completed_at__isnull", value=False)

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

    def __str__(self):
        return _("%(outgoing)s向%(incoming)s移交清单") % {"outgoing": self.outgoing, "incoming": self.incoming}

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


class HandoverItem(FrozenModel):
    """One line of the list: a claim or debt has its amount, anything else its quantity."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="items", verbose_name=_("移交清单"))
    kind = models.CharField(_("类别"), max_length=10, choices=HandoverKind.choices)
    description = models.CharField(_("名称及说明"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = Freeze(name="handover_item_frozen", refusal=HandoverFrozen, when="handover__completed_at__isnull",
                    value=False)

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

    def __str__(self):
        return self.description



class HandoverSide(models.TextChoices):
    OUTGOING = "outgoing", _("移交方")
    INCOMING = "incoming", _("接收方")
    STREET = "street", _("监交方")


class HandoverConfirmation(FrozenModel):
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

    objects = FrozenQuerySet.as_manager()

    freeze = Freeze(name="handover_confirmation_frozen", refusal=HandoverFrozen,
                    when="item__handover__completed_at__isnull", value=False)

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

    def __str__(self):
        return f"{self.item} · {self.get_side_display()}"
