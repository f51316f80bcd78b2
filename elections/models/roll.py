"""The voter roll and the people who run an election: VoterRollEntry, the election committee, workers and
household delegates."""


from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from residents.models import Household, Resident

from .setup import Election

__all__ = ["CommitteeRole", "CountingRole", "ElectionCommitteeMember", "ElectionWorker", "HouseholdDelegate",
           "VoterRollEntry"]


class VoterRollEntry(models.Model):
    """A registered voter of an election (选民); a person is on one active roll at a time."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="roll_entries")
    group_name = models.CharField(_("居民小组"), max_length=50)
    serial = models.PositiveIntegerField(_("选民证号"))
    # An election's roll stays active until the election is certified or abandoned.
    active = models.BooleanField(default=True)
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选民")
        verbose_name_plural = _("选民名单")
        ordering = ["election", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["election", "resident"], name="roll_resident_once_per_election",
                                    violation_error_message=_("该居民已在选民名单上")),
            models.UniqueConstraint(fields=["election", "serial"], name="roll_serial_unique",
                                    violation_error_message=_("选民证号重复")),
            models.UniqueConstraint(fields=["resident"], condition=Q(active=True), name="roll_one_active_roll",
                                    violation_error_message=_("该居民已在另一选举的有效选民名单上")),
        ]

    def __str__(self):
        return f"{self.serial} {self.resident}"


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    MEMBER = "member", _("委员")


class ElectionCommitteeMember(models.Model):
    """A member of the election committee (选举委员会) that runs the election."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="committee_members")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("居民"))
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职务"), max_length=12, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选举委员会成员")
        verbose_name_plural = _("选举委员会成员")
        ordering = ["election", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election"], condition=Q(role="chair"), name="one_chair_per_election",
                                    violation_error_message=_("选举委员会已有主任")),
            models.UniqueConstraint(fields=["election", "name"], name="committee_member_once_per_election",
                                    violation_error_message=_("此人已是选举委员会成员")),
        ]

    def __str__(self):
        return self.name


class CountingRole(models.TextChoices):
    SCRUTINEER = "scrutineer", _("监票人")
    COUNTER = "counter", _("计票人")
    CALLER = "caller", _("唱票人")
    SCRIBE = "scribe", _("代书人")
    # Who carries a mobile box or keeps a polling station (docs/domain.md, Elections: guards).
    BOX_STAFF = "box_staff", _("票箱工作人员")


class ElectionWorker(models.Model):
    """A scrutineer, counter, caller or scribe appointed by the election committee."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="workers")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("居民"))
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("工作"), max_length=12, choices=CountingRole.choices)
    # The scrutineer-in-chief (总监票人) confirms the count (Elections II).
    is_chief = models.BooleanField(_("总监票人"), default=False)
    # The box this worker is responsible for (box staff of a mobile box or a polling station).
    box = models.ForeignKey("Box", null=True, blank=True, on_delete=models.PROTECT, related_name="workers",
                            verbose_name=_("负责票箱"))
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选举工作人员")
        verbose_name_plural = _("选举工作人员")
        ordering = ["election", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "name", "role"], name="worker_role_once_per_election",
                                    violation_error_message=_("此人已担任该工作")),
            models.UniqueConstraint(fields=["election"], condition=Q(is_chief=True), name="one_chief_scrutineer",
                                    violation_error_message=_("已有总监票人")),
            models.CheckConstraint(name="chief_is_scrutineer", condition=Q(is_chief=False) | Q(role="scrutineer"),
                                   violation_error_message=_("总监票人须是监票人")),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class HouseholdDelegate(models.Model):
    """The member a household chose to vote for it in a household election (户代表)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="household_delegates")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("户"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+", verbose_name=_("户代表"))
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("户代表")
        verbose_name_plural = _("户代表")
        constraints = [
            models.UniqueConstraint(fields=["election", "household"], name="one_delegate_per_household",
                                    violation_error_message=_("该户已有户代表")),
        ]

    def __str__(self):
        return f"{self.household} {self.resident}"
