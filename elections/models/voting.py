"""Polling day and after: boxes, ballots issued and returned, entry, tally sheets, certification, corrections.

Once an election is certified its boxes, ballots, marks, tally sheets and result are sealed (org/frozen.py: model
save/delete, queryset update/delete/bulk_create, and on PostgreSQL statement triggers that look up the
election's status, so raw SQL is refused as well).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.frozen import Freeze, FrozenModel, FrozenQuerySet

from .nominations import Proxy
from .roll import VoterRollEntry
from .setup import Election, ElectionStatus, Position, Sealed

__all__ = ["Ballot", "BallotIssue", "BallotMark", "BallotSource", "BallotStatus", "Box", "BoxKind",
           "Certification", "Correction", "EntryPaper", "EntrySession", "ResultSignature", "TallySheet"]


def sealed(name: str, *, through: str = "election") -> Freeze:
    """A row sealed with its election (reached along `through`) once the election is certified."""
    return Freeze(name=name, refusal=Sealed, when=f"{through}__status", value=ElectionStatus.CERTIFIED.value)


class BoxKind(models.TextChoices):
    VENUE = "venue", _("中心会场")
    STATION = "station", _("投票站")
    MOBILE = "mobile", _("流动票箱")


class BallotSource(models.TextChoices):
    PAPER = "paper", _("逐张录入（双人核对）")
    CSV = "csv", _("机读导入")
    SHEET = "sheet", _("手工计票单")
    ARCHIVE = "archive", _("档案导入")


class Box(FrozenModel):
    """A ballot box with the number of ballots issued to it."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="boxes")
    code = models.CharField(_("票箱编号"), max_length=10)
    kind = models.CharField(_("类别"), max_length=10, choices=BoxKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    issued = models.PositiveIntegerField(_("发出选票数"), default=0)
    # Mobile boxes (流动票箱) go round the old, sick and disabled on a route over one or more days.
    route = models.CharField(_("路线"), max_length=300, blank=True)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    # The voters this box serves (for a mobile box: those on its posted list); a box issued more asks a reason.
    voters = models.PositiveIntegerField(_("本箱选民数"), default=0)
    over_reason = models.CharField(_("超发说明"), max_length=200, blank=True)
    # A box set up by mistake is withdrawn before voting, with its reason; it is never silently emptied.
    withdrawn_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)
    # The one route the box's ballots come in by, fixed by the first entry (docs/domain.md, Elections: guards).
    route_of_entry = models.CharField(_("录入方式"), max_length=10, choices=BallotSource.choices, blank=True)
    # Set when the box's ballots were committed (double entry agreed, CSV imported or tally sheet confirmed).
    entered = models.BooleanField(_("已录入"), default=False)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("box_sealed")

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("票箱")
        verbose_name_plural = _("票箱")
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="box_code_unique_in_election",
                                    violation_error_message=_("票箱编号已存在")),
            models.CheckConstraint(name="box_route_dates_in_order",
                                   condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")),
                                   violation_error_message=_("流动票箱的结束日期不能早于开始日期")),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class BallotIssue(FrozenModel):
    """A ballot handed to a voter (or to their proxy holder) after the voter-card check: once per voter."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="issues")
    box = models.ForeignKey(Box, on_delete=models.PROTECT, related_name="issues", verbose_name=_("票箱"))
    voter = models.ForeignKey(VoterRollEntry, on_delete=models.PROTECT, related_name="ballot_issues",
                              verbose_name=_("选民"))
    proxy = models.ForeignKey(Proxy, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("委托投票"))
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("issue_sealed")

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选票发放")
        verbose_name_plural = _("选票发放")
        ordering = ["election", "issued_at"]
        constraints = [
            # The voter-card check: one ballot per voter, whether in person or by proxy.
            models.UniqueConstraint(fields=["election", "voter"], name="one_ballot_per_voter",
                                    violation_error_message=_("该选民已经领取过选票")),
        ]

    def __str__(self):
        return f"{self.voter} @ {self.box.code}"


class BallotStatus(models.TextChoices):
    READABLE = "", _("有效")
    SPOILED = "spoiled", _("无效票")
    # 疑难选票 not yet decided by the election committee: it counts for nobody until then (models/disputed.py).
    DISPUTED = "disputed", _("疑难选票")


class Ballot(FrozenModel):
    """One ballot paper taken out of a box."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    box = models.ForeignKey(Box, on_delete=models.PROTECT, related_name="ballots")
    serial = models.PositiveIntegerField(_("序号"))
    status = models.CharField(_("状态"), max_length=10, choices=BallotStatus.choices, blank=True, default="")
    source = models.CharField(_("来源"), max_length=10, choices=BallotSource.choices, default=BallotSource.PAPER)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("ballot_sealed")

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [models.UniqueConstraint(fields=["box", "serial"], name="ballot_serial_unique_in_box",
                                               violation_error_message=_("该票箱已有此序号的选票"))]
        indexes = [models.Index(fields=["election", "status"], name="ballot_election_status")]

    def __str__(self):
        return f"{self.box.code}-{self.serial}"


class BallotMark(FrozenModel):
    """A name marked for a position on a ballot; a name that is not a candidate is a write-in."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="marks")
    candidate = models.ForeignKey("Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="marks")
    name = models.CharField(_("姓名"), max_length=50)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("mark_sealed", through="ballot__election")

    audit_street_path = "ballot__election__community__street"

    class Meta:
        verbose_name = _("选票标记")
        verbose_name_plural = _("选票标记")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position", "name"], name="mark_name_once_per_position",
                                    violation_error_message=_("同一职位的姓名重复")),
        ]
        indexes = [
            # Covering the tally's count: per position, grouped by name, ballots checked without the table.
            models.Index(fields=["position", "name", "ballot"], name="mark_position_name"),
            # The tally finds over-marked positions by grouping a position's marks by ballot.
            models.Index(fields=["position", "ballot"], name="mark_position_ballot"),
        ]

    def __str__(self):
        return self.name



class EntrySession(models.Model):
    """One of the two independent entries (第一遍/第二遍) of a box's ballot papers, by different clerks."""

    box = models.ForeignKey(Box, on_delete=models.CASCADE, related_name="entry_sessions")
    pass_number = models.PositiveSmallIntegerField(_("录入遍次"))
    created = models.DateTimeField(auto_now_add=True)
    history = AuditTrail()

    audit_street_path = "box__election__community__street"

    class Meta:
        verbose_name = _("选票录入")
        verbose_name_plural = _("选票录入")
        ordering = ["box", "pass_number"]
        constraints = [
            models.UniqueConstraint(fields=["box", "pass_number"], name="entry_session_pass_once_per_box",
                                    violation_error_message=_("该票箱已有这一遍录入")),
            models.CheckConstraint(name="entry_session_two_passes", condition=Q(pass_number__in=[1, 2]),
                                   violation_error_message=_("录入遍次只能是第1遍或第2遍")),
        ]

    def __str__(self):
        return _("%(box)s 第%(pass_number)s遍") % {"box": self.box.code, "pass_number": self.pass_number}


class EntryPaper(models.Model):
    """One ballot paper as a clerk typed it in one pass; committed to a Ballot once both passes agree."""

    session = models.ForeignKey(EntrySession, on_delete=models.CASCADE, related_name="papers")
    serial = models.PositiveIntegerField(_("选票序号"))
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("录入员"))
    spoiled = models.BooleanField(_("无效票"), default=False)
    # A paper the clerk cannot judge (疑难选票): the issue in a few words; blank for any other paper.
    issue = models.CharField(_("疑难问题"), max_length=100, blank=True)
    # {position code: [names in the order typed]}
    marks = models.JSONField(_("所选姓名"), default=dict)
    updated = models.DateTimeField(auto_now=True)
    history = AuditTrail()

    audit_street_path = "session__box__election__community__street"

    class Meta:
        verbose_name = _("录入选票")
        verbose_name_plural = _("录入选票")
        ordering = ["session", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["session", "serial"], name="entry_paper_serial_once",
                                    violation_error_message=_("这一遍已录入该序号的选票")),
            # A spoiled paper is already judged; only a paper left to the election committee is disputed.
            models.CheckConstraint(name="entry_paper_spoiled_or_disputed", condition=Q(spoiled=False) | Q(issue=""),
                                   violation_error_message=_("无效票不能同时是疑难选票")),
        ]

    def __str__(self):
        return f"{self.session} #{self.serial}"


class TallySheet(FrozenModel):
    """A box's hand-counted totals (计票单): counts per name, valid and invalid, which must reconcile."""

    box = models.OneToOneField(Box, on_delete=models.CASCADE, related_name="tally_sheet")
    returned = models.PositiveIntegerField(_("收回选票"))
    valid = models.PositiveIntegerField(_("有效票"))
    invalid = models.PositiveIntegerField(_("无效票"))
    # {position code: {name: votes}}
    counts = models.JSONField(_("得票"), default=dict)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    # A hand tally is entered by one clerk and confirmed against the paper by a second (docs/domain.md).
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("sheet_sealed", through="box__election")

    audit_street_path = "box__election__community__street"

    class Meta:
        verbose_name = _("计票单")
        verbose_name_plural = _("计票单")
        constraints = [
            models.CheckConstraint(name="tally_sheet_reconciles", condition=Q(returned=F("valid") + F("invalid")),
                                   violation_error_message=_("收回选票须等于有效票加无效票")),
        ]

    def __str__(self):
        return f"{self.box} {self.returned}"



class Certification(FrozenModel):
    """Closing the count, the signed result report, the two confirmations, the certified result, its
    publication and the handover."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="certification")
    closed_at = models.DateTimeField(_("计票结束时间"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The result report (选举结果报告单) is numbered when the count closes: the paper the scrutineers sign.
    doc_number = models.CharField(_("文号"), max_length=30, blank=True)
    # A scan of the report as signed on paper by the scrutineers and counters (ResultSignature names them).
    signed_scan = models.FileField(_("签字报告单扫描件"), upload_to="elections/signed/", blank=True)
    # Two different accounts confirm: the clerk who closed the count, then a second street-office account.
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    second_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    second_confirmed_at = models.DateTimeField(null=True, blank=True)
    certified_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # The tally (docs/formats.md, Tally result) as certified: what was announced, whatever happens to the code
    # later.
    result = models.JSONField(_("选举结果"), null=True, blank=True)
    published_at = models.DateTimeField(_("公告时间"), null=True, blank=True)
    notice_id = models.PositiveIntegerField(null=True, blank=True)
    handover_due = models.DateField(_("移交期限"), null=True, blank=True)
    handed_over_on = models.DateField(_("移交日期"), null=True, blank=True)
    term = models.ForeignKey("committee.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = AuditTrail()

    audit_street_path = "election__community__street"

    objects = FrozenQuerySet.as_manager()

    # Never deleted; once certified, only the publication and handover may still be recorded.
    freeze = Freeze(name="certification_final", refusal=Sealed, when="certified_at__isnull", value=False,
                    mutable=("published_at", "notice_id", "handed_over_on", "term"), never_deleted=True)

    class Meta:
        verbose_name = _("选举结果确认")
        verbose_name_plural = _("选举结果确认")
        constraints = [
            models.CheckConstraint(name="certified_with_result",
                                   condition=Q(certified_at__isnull=True) | Q(result__isnull=False),
                                   violation_error_message=_("确认结果时须保存选举结果")),
            models.CheckConstraint(name="certified_by_two_accounts",
                                   condition=Q(second_confirmed_by__isnull=True)
                                   | ~Q(second_confirmed_by=F("confirmed_by")),
                                   violation_error_message=_("两次确认须由不同的账号完成")),
        ]

    def __str__(self):
        return f"{self.election}"


class ResultSignature(FrozenModel):
    """An appointed scrutineer or counter who signed the printed result report (recorded from the paper)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="signatures")
    worker = models.OneToOneField("ElectionWorker", on_delete=models.PROTECT, related_name="signature",
                                  verbose_name=_("签字人"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = sealed("signature_sealed")

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("报告单签字")
        verbose_name_plural = _("报告单签字")
        ordering = ["election", "id"]

    def __str__(self):
        return str(self.worker)


class Correction(FrozenModel):
    """A correction of a certified result: a new, recorded act with its reason, never an edit."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="corrections")
    reason = models.CharField(_("更正理由"), max_length=300)
    text = models.TextField(_("更正内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = AuditTrail()

    audit_street_path = "election__community__street"

    objects = FrozenQuerySet.as_manager()

    freeze = Freeze(name="correction_append_only", refusal=lambda: Sealed(_("更正记录一经登记，不能修改或删除")))

    class Meta:
        verbose_name = _("更正记录")
        verbose_name_plural = _("更正记录")
        ordering = ["election", "created_at"]

    def __str__(self):
        return self.reason
