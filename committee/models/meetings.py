from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.models import Community
from residents.models import Household, Resident

from .organisation import CommitteeMember


class MeetingKind(models.TextChoices):
    RESIDENTS = "residents", _("居民会议")
    COMMITTEE = "committee", _("居委会会议")
    STAFF = "staff", _("工作例会")
    JOINT = "joint", _("党政联席会议")
    HEARING = "hearing", _("听证会")
    MEDIATION = "mediation", _("协调会")
    REVIEW = "review", _("评议会")


class Composition(models.TextChoices):
    """Who makes up a residents' meeting (居民会议的组成形式)."""

    ADULTS = "adults", _("全体18周岁以上居民")
    HOUSEHOLDS = "households", _("户代表")
    REPRESENTATIVES = "representatives", _("居民代表")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    NOTIFIED = "notified", _("已通知")
    OPEN = "open", _("签到中")
    CLOSED = "closed", _("已结束")


class MediationOutcome(models.TextChoices):
    AGREEMENT = "agreement", _("达成协议")
    NO_AGREEMENT = "no_agreement", _("未达成协议")


class PetitionStatus(models.TextChoices):
    COLLECTING = "collecting", _("征集签名中")
    DUE = "due", _("已达法定人数，应召开会议")
    CALLED = "called", _("已召开会议")


class MediationMatter(models.Model):
    """A dispute between residents brought to mediation (协调会), with its parties; at most three sessions."""

    class Status(models.TextChoices):
        OPEN = "open", _("调解中")
        AGREED = "agreed", _("已达成协议")
        NO_AGREEMENT = "no_agreement", _("未达成协议，告知其他途径")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="mediation_matters",
                                  verbose_name=_("社区"))
    subject = models.CharField(_("事由"), max_length=200)
    facts = models.TextField(_("基本情况"), blank=True)
    opened_on = models.DateField(_("受理日期"), default=timezone.localdate)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("调解事项")
        verbose_name_plural = _("调解事项")
        ordering = ["community", "-opened_on"]

    def __str__(self):
        return self.subject


class MediationParty(models.Model):
    """A party (当事人) to a mediation matter, who signs the agreement or the record of no agreement."""

    matter = models.ForeignKey(MediationMatter, on_delete=models.CASCADE, related_name="parties",
                               verbose_name=_("调解事项"))
    name = models.CharField(_("姓名"), max_length=50)
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("居民"))
    address = models.CharField(_("住址"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "matter__community__street"

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["matter", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="mediation_party_unique",
                                               violation_error_message=_("该调解事项已有同名当事人"))]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """A meeting of any kind (居民会议, 例会, 听证会, 协调会, 评议会…): agenda, notice, attendance, minutes."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="meetings",
                                  verbose_name=_("社区"))
    kind = models.CharField(_("会议类别"), max_length=20, choices=MeetingKind.choices)
    composition = models.CharField(_("组成形式"), max_length=20, choices=Composition.choices, blank=True)
    title = models.CharField(_("会议名称"), max_length=200)
    agenda = models.TextField(_("议题"))
    place = models.CharField(_("地点"), max_length=200)
    starts = models.DateTimeField(_("会议时间"))
    urgent = models.BooleanField(_("紧急（矛盾激化，可随时召开）"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notified_on = models.DateField(_("通知日期"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=40, blank=True)
    attendance_opened_at = models.DateTimeField(_("开始签到"), null=True, blank=True)
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    minutes_recorded_on = models.DateField(_("记录日期"), null=True, blank=True)
    # Hearing (听证会): the written request it answers and the posting of its result.
    requester = models.CharField(_("提出听证要求的部门"), max_length=200, blank=True)
    requested_on = models.DateField(_("收到书面听证要求日期"), null=True, blank=True)
    result_posted_on = models.DateField(_("表决结果公示日期"), null=True, blank=True)
    # Mediation (协调会): the matter, which session it is and what came of it.
    matter = models.ForeignKey(MediationMatter, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="sessions", verbose_name=_("调解事项"))
    session_number = models.PositiveSmallIntegerField(_("第几次协调"), null=True, blank=True)
    outcome = models.CharField(_("协调结果"), max_length=20, choices=MediationOutcome.choices, blank=True)
    agreement = models.TextField(_("协议内容或未达成协议的记录"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["community", "-starts"]
        constraints = [
            models.CheckConstraint(
                name="meeting_composition_only_for_residents_meeting",
                condition=Q(kind="residents", composition__in=["adults", "households", "representatives"])
                | (~Q(kind="residents") & Q(composition="")),
                                   violation_error_message=_("只有居民会议须选择组成形式，且须选择一种")),
            models.CheckConstraint(
                name="meeting_mediation_has_matter_and_at_most_three_sessions",
                condition=Q(kind="mediation", matter__isnull=False, session_number__gte=1, session_number__lte=3)
                | (~Q(kind="mediation") & Q(matter__isnull=True, session_number__isnull=True)),
                                   violation_error_message=_("协调会须有调解事项，同一事项至多召开3次")),
            models.UniqueConstraint(fields=["matter", "session_number"], name="mediation_session_number_unique",
                                    violation_error_message=_("该调解事项已有这一次协调会")),
            models.CheckConstraint(name="meeting_closed_has_minutes",
                                   condition=~Q(status="closed") | Q(minutes_recorded_on__isnull=False),
                                   violation_error_message=_("会议结束须有会议记录日期")),
            models.CheckConstraint(name="meeting_outcome_only_for_mediation",
                                   condition=Q(kind="mediation") | Q(outcome=""),
                                   violation_error_message=_("只有协调会有协调结果")),
        ]
        indexes = [models.Index(fields=["community", "status", "starts"], name="meeting_community_status")]

    def __str__(self):
        return f"{self.title}（{self.day:%Y-%m-%d}）"  # the day in Beijing, not the stored UTC one

    @property
    def day(self):
        return timezone.localtime(self.starts).date()


class AttendeeKind(models.TextChoices):
    ADULT = "adult", _("居民")
    HOUSEHOLD = "household", _("户代表")
    REPRESENTATIVE = "representative", _("居民代表")
    EX_OFFICIO = "ex_officio", _("当然代表")
    MEMBER = "member", _("居委会成员")
    PARTY = "party", _("当事人")
    INVITED = "invited", _("列席或特邀")


class Attendee(models.Model):
    """A seat on the entitled list of a meeting (snapshot taken when attendance opens) and whether it was taken."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("会议"))
    kind = models.CharField(_("身份"), max_length=20, choices=AttendeeKind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("居民"))
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("户"))
    member = models.ForeignKey(CommitteeMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("居委会成员"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    # Whether an invited guest counts toward quorum: parties and guests do not, seats do.
    counts = models.BooleanField(_("计入应到人数"), default=True)
    present = models.BooleanField(_("出席"), default=False)
    attended_by = models.CharField(_("实际出席人（户代表）"), max_length=50, blank=True)
    history = AuditTrail()

    audit_street_path = "meeting__community__street"

    class Meta:
        verbose_name = _("应到人员")
        verbose_name_plural = _("应到人员")
        ordering = ["meeting", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], condition=Q(kind="household"),
                                    name="attendee_one_seat_per_household",
                                    violation_error_message=_("每户只有一个户代表席位")),
            models.UniqueConstraint(fields=["meeting", "resident"],
                                    condition=Q(resident__isnull=False) & ~Q(kind="household"),
                                    name="attendee_one_seat_per_resident",
                                    violation_error_message=_("该居民已在应到名单中")),
            models.CheckConstraint(name="attendee_household_seat_has_household",
                                   condition=~Q(kind="household") | Q(household__isnull=False),
                                   violation_error_message=_("户代表席位须指明户")),
        ]
        indexes = [models.Index(fields=["meeting", "present"], name="attendee_meeting_present")]

    def __str__(self):
        return self.name


class Motion(models.Model):
    """A motion put to the vote: counts for, against and abstaining, against those present and entitled."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待表决")
        ADOPTED = "adopted", _("通过")
        REJECTED = "rejected", _("未通过")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="motions", verbose_name=_("会议"))
    text = models.TextField(_("表决事项"))
    entitled = models.PositiveIntegerField(_("应到人数"), default=0)
    present = models.PositiveIntegerField(_("实到人数"), default=0)
    quorum_required = models.BooleanField(_("须过半数出席"), default=True)
    votes_for = models.PositiveIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    abstentions = models.PositiveIntegerField(_("弃权"), default=0)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.PENDING)
    voted_at = models.DateTimeField(_("表决时间"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "meeting__community__street"

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                name="motion_votes_within_present",
                condition=Q(present__gte=F("votes_for") + F("votes_against") + F("abstentions")),
                                   violation_error_message=_("赞成、反对、弃权合计不能超过实到人数")),
            # More than half of those present: for > present // 2 (integer division on both databases).
            models.CheckConstraint(name="motion_adopted_by_more_than_half_present",
                                   condition=~Q(result="adopted") | Q(votes_for__gt=F("present") / 2),
                                   violation_error_message=_("赞成票未超过实到人数的半数，不能通过")),
            models.CheckConstraint(
                name="motion_adopted_only_with_quorum",
                condition=~Q(result="adopted") | Q(quorum_required=False) | Q(present__gt=F("entitled") / 2),
                                   violation_error_message=_("出席人数未超过应到人数的半数，不能通过")),
        ]

    def __str__(self):
        return self.text[:50]


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("待落实")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已完成")


class Decision(models.Model):
    """A decision of a meeting whose implementation is tracked to done and reported back (决议落实)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("会议"))
    motion = models.OneToOneField(Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="decision",
                                  verbose_name=_("表决事项"))
    text = models.TextField(_("决定内容"))
    owner = models.CharField(_("负责人"), max_length=100)
    due = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("落实情况"), max_length=20, choices=DecisionStatus.choices,
                              default=DecisionStatus.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    reported_on = models.DateField(_("反馈日期"), null=True, blank=True)
    reported_to = models.CharField(_("反馈对象或会议"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "meeting__community__street"

    class Meta:
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(name="decision_done_has_date",
                                   condition=Q(status="done", done_on__isnull=False)
                                   | (~Q(status="done") & Q(done_on__isnull=True)),
                                   violation_error_message=_("已完成的决定须有完成日期，未完成的不能有")),
            models.CheckConstraint(name="decision_reported_only_when_done",
                                   condition=Q(reported_on__isnull=True) | Q(status="done"),
                                   violation_error_message=_("决定完成后才能反馈落实情况")),
            models.CheckConstraint(name="decision_reported_after_done",
                                   condition=Q(reported_on__isnull=True) | Q(done_on__isnull=True)
                                   | Q(reported_on__gte=F("done_on")),
                                   violation_error_message=_("反馈日期不能早于完成日期")),
        ]
        indexes = [models.Index(fields=["status", "due"], name="decision_status_due")]

    def __str__(self):
        return self.text[:50]

    @property
    def community(self):
        return self.meeting.community

    @property
    def overdue(self) -> bool:
        return self.status != DecisionStatus.DONE and self.due is not None and self.due < timezone.localdate()


class DecisionProgress(models.Model):
    """A progress note on a decision's implementation."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="progress",
                                 verbose_name=_("会议决定"))
    on = models.DateField(_("日期"), default=timezone.localdate)
    note = models.TextField(_("进展"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("填写人"))
    history = AuditTrail()

    audit_street_path = "decision__meeting__community__street"

    class Meta:
        verbose_name = _("落实进展")
        verbose_name_plural = _("落实进展")
        ordering = ["decision", "on", "id"]

    def __str__(self):
        return f"{self.on} {self.note[:30]}"


class Petition(models.Model):
    """Residents asking for a residents' meeting: 1/5 of adults, 1/5 of households or 1/3 of representatives."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="petitions",
                                  verbose_name=_("社区"))
    composition = models.CharField(_("提请召开的会议"), max_length=20, choices=Composition.choices)
    subject = models.CharField(_("提议事项"), max_length=200)
    filed_on = models.DateField(_("提出日期"), default=timezone.localdate)
    status = models.CharField(_("状态"), max_length=20, choices=PetitionStatus.choices,
                              default=PetitionStatus.COLLECTING)
    reached_on = models.DateField(_("达到法定人数日期"), null=True, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions",
                                verbose_name=_("召开的会议"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("召开居民会议的提议")
        verbose_name_plural = _("召开居民会议的提议")
        ordering = ["community", "-filed_on"]
        constraints = [
            models.CheckConstraint(name="petition_due_has_reached_date",
                                   condition=Q(status="collecting") | Q(reached_on__isnull=False),
                                   violation_error_message=_("达到法定人数的提议须有达到日期")),
            models.CheckConstraint(name="petition_called_has_meeting",
                                   condition=~Q(status="called") | Q(meeting__isnull=False),
                                   violation_error_message=_("已召开会议的提议须指明会议")),
            models.CheckConstraint(name="petition_reached_after_filing",
                                   condition=Q(reached_on__isnull=True) | Q(reached_on__gte=F("filed_on")),
                                   violation_error_message=_("达到法定人数日期不能早于提出日期")),
        ]

    def __str__(self):
        return self.subject


class PetitionSignature(models.Model):
    """One resident's signature on a petition."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures",
                                 verbose_name=_("提议"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+", verbose_name=_("居民"))
    signed_on = models.DateField(_("签名日期"), default=timezone.localdate)
    history = AuditTrail()

    audit_street_path = "petition__community__street"

    class Meta:
        verbose_name = _("提议签名")
        verbose_name_plural = _("提议签名")
        ordering = ["petition", "signed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["petition", "resident"], name="petition_signature_unique",
                                               violation_error_message=_("该居民已签名"))]

    def __str__(self):
        return str(self.resident)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ReviewSubject(models.Model):
    """An organisation reviewed at a review meeting (评议会): its report, its grade and the feedback sent to it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="review_subjects",
                                verbose_name=_("评议会"))
    organisation = models.CharField(_("被评议单位"), max_length=200)
    report_requested_on = models.DateField(_("通知递交工作总结日期"), null=True, blank=True)
    report_received_on = models.DateField(_("收到工作总结日期"), null=True, blank=True)
    grade = models.CharField(_("评定等级"), max_length=10, choices=Grade.choices, blank=True)
    opinion = models.TextField(_("书面评定意见"), blank=True)
    feedback_sent_on = models.DateField(_("反馈日期"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "meeting__community__street"

    class Meta:
        verbose_name = _("被评议单位")
        verbose_name_plural = _("被评议单位")
        ordering = ["meeting", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="review_subject_unique",
                                    violation_error_message=_("该单位已登记为被评议单位")),
            models.CheckConstraint(name="review_feedback_needs_grade",
                                   condition=Q(feedback_sent_on__isnull=True) | ~Q(grade=""),
                                   violation_error_message=_("须先评定等级再反馈")),
            models.CheckConstraint(name="review_report_after_request",
                                   condition=Q(report_received_on__isnull=True) | Q(report_requested_on__isnull=True)
                                   | Q(report_received_on__gte=F("report_requested_on")),
                                   violation_error_message=_("收到工作总结日期不能早于通知日期")),
        ]

    def __str__(self):
        return self.organisation
