"""Disputed ballots (疑难选票, docs/domain.md, Elections: disputed ballots): a paper the counting team cannot
judge is numbered and left to the election committee, whose decision, and vote on it, is recorded here."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.frozen import FrozenModel, FrozenQuerySet

from .setup import Election
from .voting import Ballot, sealed

__all__ = ["DisputedBallot", "DisputedDecision"]


class DisputedDecision(models.TextChoices):
    PENDING = "", _("待认定")
    VALID = "valid", _("整张有效")
    PARTLY = "partly", _("部分有效")
    INVALID = "invalid", _("无效票")


class DisputedBallot(FrozenModel):
    """One disputed paper: its number in the election, the issue, and the election committee's decision.

    The ballot keeps the marks as the clerks read them; its status says how it counts (disputed while
    undecided, then readable or spoiled), and `void_posts` the posts a partly valid paper does not count for."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="disputed_ballots")
    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="disputed")
    number = models.PositiveIntegerField(_("编号"))
    issue = models.CharField(_("疑难问题"), max_length=100)
    decision = models.CharField(_("认定结果"), max_length=10, choices=DisputedDecision.choices, blank=True,
                                default=DisputedDecision.PENDING)
    # [position code]: the posts a partly valid paper does not count for.
    void_posts = models.JSONField(_("不计票的职位"), default=list, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("同意"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("disputed_sealed")

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("疑难选票")
        verbose_name_plural = _("疑难选票")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="disputed_number_unique_in_election",
                                    violation_error_message=_("本次选举已有此编号的疑难选票")),
            models.CheckConstraint(name="disputed_number_from_one", condition=Q(number__gte=1),
                                   violation_error_message=_("疑难选票从1开始编号")),
            models.CheckConstraint(
                name="disputed_decision_with_vote",
                condition=Q(decision="") | Q(votes_for__isnull=False, votes_against__isnull=False,
                                             votes_abstain__isnull=False, decided_on__isnull=False),
                violation_error_message=_("认定疑难选票须记录选举委员会的表决情况和认定日期")),
            # A decision is the committee's only when more than half of those voting agreed to it.
            models.CheckConstraint(
                name="disputed_decision_adopted",
                condition=Q(decision="") | Q(votes_for__gt=F("votes_against") + F("votes_abstain")),
                violation_error_message=_("认定须经参加表决的选举委员会成员过半数同意")),
        ]

    def __str__(self):
        return _("疑难选票第%(number)s号") % {"number": self.number}
