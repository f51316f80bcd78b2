"""Objections to the roll, proxies, and nominations with their tally."""


from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from residents.models import Resident

from .roll import VoterRollEntry
from .setup import Election, Position

__all__ = ["Nomination", "NominationSource", "NominationTally", "Objection", "ObjectionDecision", "ObjectionKind",
           "Proxy"]


class ObjectionKind(models.TextChoices):
    OMITTED = "omitted", _("漏登（应登记而未登记）")
    WRONGLY_INCLUDED = "included", _("错登（不应登记而登记）")


class ObjectionDecision(models.TextChoices):
    PENDING = "", _("待处理")
    UPHELD = "upheld", _("异议成立")
    REJECTED = "rejected", _("异议不成立")


class Objection(models.Model):
    """An objection to the posted voter roll (选民名单异议) and the election committee's decision."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="objections")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+", verbose_name=_("涉及居民"))
    kind = models.CharField(_("类别"), max_length=10, choices=ObjectionKind.choices)
    filed_by = models.CharField(_("申诉人"), max_length=50)
    filed_on = models.DateField(_("申诉日期"))
    reason = models.CharField(_("理由"), max_length=300)
    decision = models.CharField(_("处理结果"), max_length=10, choices=ObjectionDecision.choices, blank=True,
                                default="")
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=300, blank=True)
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选民名单异议")
        verbose_name_plural = _("选民名单异议")
        ordering = ["election", "filed_on", "id"]
        constraints = [
            models.CheckConstraint(name="objection_decided_with_date",
                                   condition=Q(decision="", decided_on__isnull=True)
                                   | (~Q(decision="") & Q(decided_on__isnull=False)),
                                   violation_error_message=_("处理结果和处理日期须同时填写")),
            models.CheckConstraint(name="objection_decided_after_filing",
                                   condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("filed_on")),
                                   violation_error_message=_("处理日期不能早于申诉日期")),
        ]

    def __str__(self):
        return f"{self.resident} {self.get_kind_display()}"


class Proxy(models.Model):
    """A written proxy (委托投票): the principal's vote is cast by the holder, another voter."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="proxies")
    principal = models.ForeignKey(VoterRollEntry, on_delete=models.PROTECT, related_name="proxy_given",
                                  verbose_name=_("委托人"))
    holder = models.ForeignKey(VoterRollEntry, on_delete=models.PROTECT, related_name="proxies_held",
                               verbose_name=_("受托人"))
    registered_on = models.DateField(_("登记日期"))
    reason = models.CharField(_("委托原因"), max_length=100, blank=True)
    serial = models.PositiveIntegerField(_("委托投票证号"))
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("委托投票")
        verbose_name_plural = _("委托投票")
        ordering = ["election", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["principal"], name="one_proxy_per_principal",
                                    violation_error_message=_("该选民已经委托他人投票")),
            models.UniqueConstraint(fields=["election", "serial"], name="proxy_serial_unique",
                                    violation_error_message=_("委托投票证号重复")),
            models.CheckConstraint(name="proxy_not_to_self", condition=~Q(principal=models.F("holder")),
                                   violation_error_message=_("不能委托给本人")),
        ]

    def __str__(self):
        return f"{self.principal} → {self.holder}"


class NominationTally(models.Model):
    """The count of nomination forms (提名票): issued, returned, valid and invalid; they must reconcile."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="nomination_tally")
    issued = models.PositiveIntegerField(_("发出提名票"))
    returned = models.PositiveIntegerField(_("收回提名票"))
    valid = models.PositiveIntegerField(_("有效票"))
    invalid = models.PositiveIntegerField(_("无效票"))
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("提名票统计")
        verbose_name_plural = _("提名票统计")
        constraints = [
            models.CheckConstraint(name="nomination_forms_reconcile",
                                   condition=Q(returned=models.F("valid") + models.F("invalid"))
                                   & Q(returned__lte=models.F("issued")),
                                   violation_error_message=_("收回提名票须等于有效票加无效票，且不多于发出的提名票")),
        ]

    def __str__(self):
        return f"{self.election}: {self.returned}/{self.issued}"


class NominationSource(models.TextChoices):
    """The ways a name is nominated; the rule set says which it allows (RuleSet: *_nomination*)."""
    FORMS = "forms", _("选民直接提名")
    JOINT = "joint", _("选民联名提名")
    HOUSEHOLDS = "households", _("户代表联名提名")
    GROUP = "group", _("居民小组提名")
    ORGANISATION = "organisation", _("组织提名")
    SELF = "self", _("本人自荐")


class Nomination(models.Model):
    """A name nominated for a position, by the forms (with its count), jointly or by the organisation."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="nominations")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    source = models.CharField(_("提名方式"), max_length=15, choices=NominationSource.choices)
    # Forms: the number of valid forms naming the person; joint or households: the number of people signing.
    count = models.PositiveIntegerField(_("票数或联名人数"))
    # The resident group that nominated (source `group`): a group names at most the seats of a post.
    group_name = models.CharField(_("提名的居民小组"), max_length=50, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["election", "position", "-count", "id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "name", "source"], name="nomination_once_per_source",
                                    violation_error_message=_("此人已以此方式被提名")),
            models.CheckConstraint(name="nomination_group_named",
                                   condition=(Q(source="group") & ~Q(group_name="")) | (~Q(source="group")
                                                                                      & Q(group_name="")),
                                   violation_error_message=_("居民小组提名须写明居民小组，其他提名方式不写")),
        ]

    def __str__(self):
        return f"{self.position} {self.name}"
