from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.models import Community
from residents.models import Resident


class Term(models.Model):
    """One term (届) of a community's residents' committee."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="terms", verbose_name=_("社区"))
    number = models.PositiveSmallIntegerField(_("届次"))
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("结束日期"), null=True, blank=True)
    # The length comes from the certified election's rule set at the handover (docs/domain.md, Term's life).
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=3)
    # Likewise the longest extension the street may decide (规程第三条: 不超过半年).
    extension_months_max = models.PositiveSmallIntegerField(_("最长延期（月）"), default=6)
    extended_to = models.DateField(_("延期至"), null=True, blank=True)
    extension_decision = models.CharField(_("街道延期决定"), max_length=200, blank=True)
    extension_decided_on = models.DateField(_("延期决定日期"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["community", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="term_number_unique_in_community",
                                    violation_error_message=_("本社区已有该届次")),
            models.CheckConstraint(name="term_ends_after_start",
                                   condition=Q(ends__isnull=True) | Q(ends__gt=models.F("starts")),
                                   violation_error_message=_("届的结束日期须晚于开始日期")),
            models.CheckConstraint(name="term_years_positive", condition=Q(term_years__gte=1),
                                   violation_error_message=_("任期至少一年")),
            models.CheckConstraint(name="term_extension_decided",
                                   condition=Q(extended_to__isnull=True)
                                   | (~Q(extension_decision="") & Q(extension_decided_on__isnull=False)),
                                   violation_error_message=_("延期须有街道的决定及其日期")),
        ]

    def __str__(self):
        return _("第%(number)s届") % {"number": self.number}

    @property
    def due_on(self):
        """The day the term is due to end: its length in years after its start (29 February → 28 February)."""
        year = self.starts.year + self.term_years
        try:
            return self.starts.replace(year=year)
        except ValueError:
            return self.starts.replace(year=year, day=28)

    @property
    def ends_by(self):
        """The last day of the term as it stands: the extension, if the street decided one, else the due day."""
        return self.extended_to or self.due_on


class CommitteePost(models.TextChoices):
    """A committee member's post (职务); not elections.Position, a post to be filled at an election."""

    DIRECTOR = "director", _("主任")
    DEPUTY = "deputy", _("副主任")
    MEMBER = "member", _("委员")


class PartyPost(models.TextChoices):
    """The post a committee member also holds in the community's party organisation (社区党组织班子), for
    交叉任职 and 一肩挑 in the street's statistics (docs/domain.md, Street statistics)."""

    NONE = "", _("无")
    SECRETARY = "secretary", _("党组织书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("党组织副书记")
    MEMBER = "member", _("党组织委员")


class Leaving(models.TextChoices):
    """How a member left before the term's end (docs/domain.md, Term's life)."""

    NONE = "", _("在任")
    RESIGNED = "resigned", _("辞职")
    RECALLED = "recalled", _("罢免")
    UNFIT = "unfit", _("连续两次评议不称职，职务自行终止")
    ABSENT = "absent", _("连续一个月以上无正当理由未参加工作，自动离职")


class CommitteeMember(models.Model):
    """A member of the committee in one term, with their position and division of work (分工)."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="members", verbose_name=_("届"))
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="committee_seats", verbose_name=_("居民"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], blank=True)
    position = models.CharField(_("职务"), max_length=10, choices=CommitteePost.choices)
    duties = models.CharField(_("分工"), max_length=200, blank=True)
    party_post = models.CharField(_("党组织职务"), max_length=20, choices=PartyPost.choices, blank=True,
                                  default=PartyPost.NONE)
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("结束日期"), null=True, blank=True)
    left_how = models.CharField(_("离任方式"), max_length=10, choices=Leaving.choices, blank=True,
                                default=Leaving.NONE)
    left_note = models.CharField(_("离任说明"), max_length=200, blank=True)
    # The member's login (committee membership over the community), opened by street staff from this seat.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="committee_seats", verbose_name=_("登录账户"))
    history = AuditTrail()

    audit_street_path = "term__community__street"

    class Meta:
        verbose_name = _("居委会成员")
        verbose_name_plural = _("居委会成员")
        ordering = ["term", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="member_unique_in_term",
                                    violation_error_message=_("本届已有同名的居委会成员")),
            models.CheckConstraint(name="member_ends_after_start",
                                   condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                                   violation_error_message=_("成员的结束日期不能早于开始日期")),
            models.CheckConstraint(name="member_party_post_known", condition=Q(party_post__in=PartyPost.values),
                                   violation_error_message=_("党组织职务不在可选范围内")),
            models.UniqueConstraint(fields=["term"], condition=Q(party_post="secretary"),
                                    name="one_party_secretary_per_term",
                                    violation_error_message=_("一届居委会成员中只能有一名党组织书记")),
            models.CheckConstraint(name="member_left_how_known", condition=Q(left_how__in=Leaving.values),
                                   violation_error_message=_("离任方式不在可选范围内")),
            models.CheckConstraint(name="member_left_has_end", condition=Q(left_how="") | Q(ends__isnull=False),
                                   violation_error_message=_("离任的成员须有结束日期")),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_position_display()}）"


class RecallStatus(models.TextChoices):
    PENDING = "pending", _("待表决")
    PASSED = "passed", _("罢免通过")
    FAILED = "failed", _("罢免未通过")


class Recall(models.Model):
    """A written request to recall (罢免) a committee member, carried by a petition of 1/5 of the voters or 1/3 of
    the representatives, and the residents' meeting's vote on it (docs/domain.md, Term's life)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="recalls",
                               verbose_name=_("被罢免成员"))
    petition = models.OneToOneField("committee.Petition", on_delete=models.PROTECT, related_name="recall",
                                    verbose_name=_("提议"))
    reason = models.TextField(_("罢免理由"))
    received_on = models.DateField(_("收到罢免请求日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RecallStatus.choices, default=RecallStatus.PENDING)
    voted_on = models.DateField(_("表决日期"), null=True, blank=True)
    called_by_street = models.BooleanField(_("由街道召集"), default=False)
    history = AuditTrail()

    audit_street_path = "member__term__community__street"

    class Meta:
        verbose_name = _("罢免请求")
        verbose_name_plural = _("罢免请求")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(name="recall_status_known", condition=Q(status__in=RecallStatus.values),
                                   violation_error_message=_("罢免状态不在可选范围内")),
            models.CheckConstraint(name="recall_voted_has_date",
                                   condition=Q(status="pending") | Q(voted_on__gte=models.F("received_on")),
                                   violation_error_message=_("表决须有不早于收到请求的日期")),
        ]

    def __str__(self):
        return _("罢免%(name)s") % {"name": self.member.name}


class Appraisal(models.TextChoices):
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    UNFIT = "unfit", _("不称职")


class MemberAppraisal(models.Model):
    """A member's grade in the year-end review (年终评议) by the residents' (representatives') meeting."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="appraisals",
                               verbose_name=_("居委会成员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    reviewed_on = models.DateField(_("评议日期"))
    grade = models.CharField(_("评议结果"), max_length=10, choices=Appraisal.choices)
    history = AuditTrail()

    audit_street_path = "member__term__community__street"

    class Meta:
        verbose_name = _("成员年度评议")
        verbose_name_plural = _("成员年度评议")
        ordering = ["member", "year"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_appraisal_per_member_year",
                                    violation_error_message=_("该成员本年度已有评议结果")),
            models.CheckConstraint(name="appraisal_grade_known", condition=Q(grade__in=Appraisal.values),
                                   violation_error_message=_("评议结果不在可选范围内")),
        ]

    def __str__(self):
        return f"{self.member.name} {self.year} {self.get_grade_display()}"


class MemberAbsence(models.Model):
    """A spell in which a member did not take part in the committee's work, on leave (请假, a good reason) or not:
    the register behind 自动离职 (docs/domain.md, Term's life)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="absences",
                               verbose_name=_("居委会成员"))
    starts = models.DateField(_("缺勤开始"))
    ends = models.DateField(_("缺勤结束"))
    with_leave = models.BooleanField(_("已请假（有正当理由）"), default=False)
    reason = models.CharField(_("情况说明"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "member__term__community__street"

    class Meta:
        verbose_name = _("成员缺勤登记")
        verbose_name_plural = _("成员缺勤登记")
        ordering = ["member", "starts"]
        constraints = [
            models.CheckConstraint(name="absence_ends_after_start", condition=Q(ends__gte=models.F("starts")),
                                   violation_error_message=_("缺勤结束日期不能早于开始日期")),
        ]

    def __str__(self):
        return f"{self.member.name} {self.starts}—{self.ends}"


class SubCommitteeKind(models.TextChoices):
    MEDIATION = "mediation", _("人民调解委员会")
    SECURITY = "security", _("治安保卫委员会")
    HEALTH = "health", _("公共卫生委员会")
    WELFARE = "welfare", _("社会福利委员会")
    CULTURE = "culture", _("文教卫生委员会")
    FAMILY_PLANNING = "family_planning", _("计划生育委员会")


class SubCommittee(models.Model):
    """A sub-committee (下属委员会) of one term: mediation, security, public health, welfare…"""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="subcommittees", verbose_name=_("届"))
    kind = models.CharField(_("类别"), max_length=20, choices=SubCommitteeKind.choices)
    duties = models.TextField(_("职责"), blank=True)
    history = AuditTrail()

    audit_street_path = "term__community__street"

    class Meta:
        verbose_name = _("下属委员会")
        verbose_name_plural = _("下属委员会")
        ordering = ["term", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="subcommittee_kind_unique_in_term",
                                    violation_error_message=_("本届已有该下属委员会")),
            models.CheckConstraint(condition=models.Q(kind__in=SubCommitteeKind.values),
                                   name="subcommittee_kind_known",
                                   violation_error_message=_("下属委员会类别不在可选范围内")),
        ]

    def __str__(self):
        return self.get_kind_display()


class SubCommitteeMember(models.Model):
    """A seat on a sub-committee: a committee member or a resident, one of them the chair."""

    subcommittee = models.ForeignKey(SubCommittee, on_delete=models.CASCADE, related_name="seats",
                                     verbose_name=_("下属委员会"))
    name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey(CommitteeMember, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="subcommittee_seats", verbose_name=_("居委会成员"))
    is_chair = models.BooleanField(_("主任"), default=False)
    history = AuditTrail()

    audit_street_path = "subcommittee__term__community__street"

    class Meta:
        verbose_name = _("下属委员会成员")
        verbose_name_plural = _("下属委员会成员")
        ordering = ["subcommittee", "-is_chair", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subcommittee", "name"], name="subcommittee_seat_unique",
                                    violation_error_message=_("该下属委员会已有同名成员")),
            models.UniqueConstraint(fields=["subcommittee"], condition=Q(is_chair=True),
                                    name="one_chair_per_subcommittee",
                                    violation_error_message=_("一个下属委员会只能有一名主任")),
        ]

    def __str__(self):
        return self.name


class VolunteerTeam(models.Model):
    """A volunteer team (志愿者队伍) of the community, with its leader and service."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="volunteer_teams",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=100)
    service = models.CharField(_("服务内容"), max_length=200, blank=True)
    leader = models.CharField(_("队长"), max_length=50, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("志愿者队伍")
        verbose_name_plural = _("志愿者队伍")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="volunteer_team_unique",
                                               violation_error_message=_("本社区已有同名的志愿者队伍"))]

    def __str__(self):
        return self.name


class VolunteerMember(models.Model):
    """A volunteer of a team."""

    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="volunteers",
                             verbose_name=_("队伍"))
    name = models.CharField(_("姓名"), max_length=50)
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("居民"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "team__community__street"

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["team", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="volunteer_unique_in_team",
                                               violation_error_message=_("该队伍已有同名的志愿者"))]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class VolunteerShift(models.Model):
    """A recurring slot in a volunteer team's schedule: weekday, hours, place and task."""

    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("队伍"))
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    task = models.CharField(_("任务"), max_length=200)
    history = AuditTrail()

    audit_street_path = "team__community__street"

    class Meta:
        verbose_name = _("志愿服务排班")
        verbose_name_plural = _("志愿服务排班")
        ordering = ["team", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(name="volunteer_shift_ends_after_start", condition=Q(ends__gt=models.F("starts")),
                                   violation_error_message=_("结束时间须晚于开始时间")),
            models.CheckConstraint(name="volunteer_shift_weekday_valid", condition=Q(weekday__lte=6),
                                   violation_error_message=_("星期不在可选范围内")),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M} {self.task}"
