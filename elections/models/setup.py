from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.models import Community
from residents.models import Household, Resident

__all__ = ["AgeRule", "BallotOrder", "Candidate", "CandidateStatus", "CommitteeRole", "Counting", "CountingRole",
           "Election",
           "ElectionCommitteeMember", "ElectionKind", "ElectionPaper", "ElectionStatus", "ElectionWarning",
           "ElectionWorker",
           "HouseholdDelegate",
           "Mode", "Nomination", "NominationSource", "NominationTally", "Objection", "ObjectionDecision",
           "ObjectionKind", "Position", "Proxy", "ReviewDecision", "RuleSet", "Sealed", "SealedQuerySet",
           "VoterRollEntry"]

SEALED_MESSAGE = _("选举结果已确认并封存，选票、票箱和结果不能再修改；如需更正，请登记更正记录")


class Sealed(ValidationError):
    """Raised on any attempt to change what a certified election has sealed (voting.py seals what is under it)."""

    def __init__(self, message=SEALED_MESSAGE):
        super().__init__(message, code="sealed")


class AgeRule(models.TextChoices):
    ON_DAY = "on_day", _("选举日满18周岁")
    IN_MONTH = "in_month", _("选举日所在月满18周岁")


class BallotOrder(models.TextChoices):
    """How formal candidates are listed on the ballot (docs/domain.md, Elections: nominations)."""
    STROKES = "strokes", _("按姓氏笔画")
    FORMS = "forms", _("按提名票数，票数相同按姓氏笔画")


class Counting(models.TextChoices):
    """How the posts are counted (docs/domain.md, Elections: tally; 甘肃规程第二十九条、第三十九条)."""
    SEPARATE = "separate", _("分别投票、分别计票")
    ONE_BALLOT = "one_ballot", _("一次性投票：按职务票和总得票数确定当选")


class RuleSet(models.Model):
    """The numbers that differ between provinces; an election keeps its own frozen copy."""

    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("依据"), blank=True)
    # A template is what staff pick from; a copy (template=False) belongs to exactly one election.
    is_template = models.BooleanField(default=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=3)
    roll_posted_days = models.PositiveSmallIntegerField(_("选民名单提前公布天数"), default=20)
    voter_cards_days = models.PositiveSmallIntegerField(_("选民证提前发放天数"), default=2)
    candidates_posted_days = models.PositiveSmallIntegerField(_("候选人名单提前公布天数"), default=3)
    polling_notice_days = models.PositiveSmallIntegerField(_("投票时间地点提前公告天数"), default=3)
    proxy_deadline_days = models.PositiveSmallIntegerField(_("委托投票提前登记天数"), default=1)
    proxy_limit = models.PositiveSmallIntegerField(_("每人最多受托数"), default=3)
    residence_years = models.PositiveSmallIntegerField(_("外地户籍居住年限"), default=1)
    age_rule = models.CharField(_("年龄计算"), max_length=10, choices=AgeRule.choices, default=AgeRule.ON_DAY)
    # Turnout must be strictly more than these fractions of the registered voters.
    turnout_direct = models.DecimalField(_("直接选举参选比例"), max_digits=5, decimal_places=4, default=Decimal("0.5"))
    turnout_household = models.DecimalField(_("户代表选举参选比例"), max_digits=5, decimal_places=4,
                                            default=Decimal("0.5"))
    turnout_representative = models.DecimalField(_("居民代表选举参选比例"), max_digits=5, decimal_places=4,
                                                  default=Decimal("0.8"))
    # 差额: candidates exceed seats by at least this percentage and by at least `margin_min_extra`.
    margin_percent = models.PositiveSmallIntegerField(_("差额比例（%）"), default=20)
    margin_min_extra = models.PositiveSmallIntegerField(_("最少差额人数"), default=1)
    margin_max_extra = models.PositiveSmallIntegerField(_("最多差额人数（0为不限）"), default=0)
    # Gansu: director and deputy candidates exceed their seats by exactly this number (0: the general rule).
    leader_margin_extra = models.PositiveSmallIntegerField(_("主任、副主任差额人数（0为按通用规则）"), default=0)
    joint_nomination_min = models.PositiveSmallIntegerField(_("联名提名最少人数"), default=10)
    win_fraction = models.DecimalField(_("当选票数比例（过半数）"), max_digits=5, decimal_places=4,
                                       default=Decimal("0.5"))
    further_round_fraction = models.DecimalField(_("另行选举当选比例（不少于）"), max_digits=5, decimal_places=4,
                                                 default=Decimal("0.3333"))
    further_round_days = models.PositiveSmallIntegerField(_("另行选举期限（天）"), default=30)
    # 另行选举 is valid only when more than this share of the first round's registered voters vote (规程第四十条).
    further_round_turnout = models.DecimalField(_("另行选举参选比例（超过）"), max_digits=5, decimal_places=4,
                                                default=Decimal("0.5"))
    tie_revote_days = models.PositiveSmallIntegerField(_("票数相等再次投票期限（天）"), default=3)
    handover_days = models.PositiveSmallIntegerField(_("工作移交期限（天）"), default=3)
    # The guards of Elections III (docs/domain.md, Elections: guards), each with the clause it comes from.
    objection_days = models.PositiveSmallIntegerField(_("选民名单异议申诉期限（公布后天数）"), default=5)
    objection_decision_days = models.PositiveSmallIntegerField(_("异议处理期限（收到后天数）"), default=3)
    mobile_list_days = models.PositiveSmallIntegerField(_("流动票箱选民名单提前公布天数"), default=2)
    mobile_box_min_workers = models.PositiveSmallIntegerField(_("每个流动票箱最少工作人员"), default=3)
    committee_min = models.PositiveSmallIntegerField(_("选举委员会最少人数"), default=7)
    committee_max = models.PositiveSmallIntegerField(_("选举委员会最多人数"), default=11)
    committee_odd = models.BooleanField(_("选举委员会人数须为单数"), default=True)
    # True: a committee of the wrong size is refused; False: it is a warning on the record.
    committee_size_binding = models.BooleanField(_("选举委员会人数不符时拒绝"), default=False)
    household_delegate_fraction = models.DecimalField(_("户代表登记最低比例"), max_digits=5, decimal_places=4,
                                                      default=Decimal("0.6667"))
    # True: a formal candidate may not hold proxies (refused); False: it is flagged as a warning.
    candidates_refuse_proxies = models.BooleanField(_("正式候选人不得接受委托投票"), default=False)
    # Gansu 规程第三十一条 lists the formal candidates by their nomination forms; elsewhere by surname strokes.
    ballot_order = models.CharField(_("选票上候选人排列"), max_length=10, choices=BallotOrder.choices,
                                    default=BallotOrder.STROKES)
    counting = models.CharField(_("计票方法"), max_length=12, choices=Counting.choices, default=Counting.SEPARATE)
    # Gansu guidance: 副主任候选人的得票数，应当将其获得主任、副主任的票数相加 (separate counting only).
    deputy_adds_director = models.BooleanField(_("副主任得票数包含其所得主任票"), default=False)
    history = AuditTrail()

    class Meta:
        verbose_name = _("选举规则")
        verbose_name_plural = _("选举规则")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(is_template=True),
                                    name="ruleset_template_name_unique",
                                    violation_error_message=_("已有同名的选举规则")),
            models.CheckConstraint(name="ruleset_fractions_in_range", condition=(
                Q(turnout_direct__gt=0, turnout_direct__lt=1) & Q(turnout_household__gt=0, turnout_household__lt=1)
                & Q(turnout_representative__gt=0, turnout_representative__lt=1)
                & Q(win_fraction__gt=0, win_fraction__lt=1)
                & Q(further_round_fraction__gt=0, further_round_fraction__lt=1)
                & Q(further_round_turnout__gt=0, further_round_turnout__lt=1)
                & Q(household_delegate_fraction__gt=0, household_delegate_fraction__lte=1)
            ), violation_error_message=_("比例须大于0且小于1")),
            models.CheckConstraint(name="ruleset_committee_size_in_order",
                                   condition=Q(committee_max__gte=models.F("committee_min")),
                                   violation_error_message=_("选举委员会最多人数不能少于最少人数")),
        ]

    def __str__(self):
        return self.name


class Mode(models.TextChoices):
    DIRECT = "direct", _("直接选举")
    HOUSEHOLD = "household", _("户代表选举")
    REPRESENTATIVE = "representative", _("居民代表选举")


class ElectionKind(models.TextChoices):
    MAIN = "main", _("换届选举")
    FURTHER = "further", _("另行选举")
    TIE = "tie", _("票数相等再次投票")
    # A vacancy during the term (elections/services/byelection.py); its parent is the term's main election.
    BY_ELECTION = "by", _("补选")


class ElectionStatus(models.TextChoices):
    PREPARING = "preparing", _("筹备中")
    ROLL_POSTED = "roll_posted", _("选民名单已公布")
    CANDIDATES_POSTED = "candidates_posted", _("候选人已公布")
    VOTING = "voting", _("投票中")
    COUNTING = "counting", _("计票中")
    CLOSED = "closed", _("计票结束")
    CERTIFIED = "certified", _("结果已确认")


class SealedQuerySet(models.QuerySet):
    """Bulk changes are refused when any row touched belongs to a certified election (or is one).

    `election_path` leads from the row to its election; empty for the elections themselves."""

    election_path = "election"

    def _refuse_if_sealed(self, queryset=None):
        status = f"{self.election_path}__status" if self.election_path else "status"
        if (self if queryset is None else queryset).filter(**{status: ElectionStatus.CERTIFIED}).exists():
            raise Sealed()

    def _bulk_update_scope(self, objs):
        return self

    def update(self, **kwargs):
        self._refuse_if_sealed()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_sealed()
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._refuse_if_sealed(self._bulk_update_scope(objs))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        ids = self.model.election_ids_of(objs)
        if ids and Election.objects.filter(id__in=ids, status=ElectionStatus.CERTIFIED).exists():
            raise Sealed()
        return super().bulk_create(objs, *args, **kwargs)


class ElectionQuerySet(SealedQuerySet):
    election_path = ""

    def _bulk_update_scope(self, objs):
        return self.filter(pk__in=[obj.pk for obj in objs])


class Election(models.Model):
    """One election of a community's committee: the main vote, a further round or a tie re-vote.

    Certified, it is sealed: save, delete and the queryset's bulk changes are refused (as Sealed, which
    views show as a message), and below them a database trigger refuses any update or delete of the row.
    """

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="elections",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=200)
    term_number = models.PositiveSmallIntegerField(_("届次"))
    mode = models.CharField(_("选举方式"), max_length=20, choices=Mode.choices, default=Mode.DIRECT)
    kind = models.CharField(_("类别"), max_length=10, choices=ElectionKind.choices, default=ElectionKind.MAIN)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups",
                               verbose_name=_("原选举"))
    election_day = models.DateField(_("选举日"))
    rules = models.OneToOneField(RuleSet, on_delete=models.PROTECT, related_name="election",
                                 verbose_name=_("选举规则"))
    status = models.CharField(_("状态"), max_length=20, choices=ElectionStatus.choices,
                              default=ElectionStatus.PREPARING)
    # From an archive that gives the count without a roll (docs/formats.md, Election archive).
    registered_voters = models.PositiveIntegerField(_("登记选民数"), null=True, blank=True)
    venue = models.CharField(_("中心会场"), max_length=200, blank=True)
    voting_hours = models.CharField(_("投票时间"), max_length=100, blank=True)
    # Dates on which each posted stage was done; the timeline compares them with the rule set's deadlines.
    announced_on = models.DateField(_("选举公告日期"), null=True, blank=True)
    roll_posted_on = models.DateField(_("选民名单公布日期"), null=True, blank=True)
    cards_issued_on = models.DateField(_("选民证发放日期"), null=True, blank=True)
    nominations_closed_on = models.DateField(_("提名结束日期"), null=True, blank=True)
    candidates_posted_on = models.DateField(_("候选人名单公布日期"), null=True, blank=True)
    polling_notice_on = models.DateField(_("投票时间地点公告日期"), null=True, blank=True)
    mobile_list_on = models.DateField(_("流动票箱选民名单公布日期"), null=True, blank=True)
    # Ballot accounting (docs/domain.md, Elections: guards): ballots issued never exceed the registered
    # voters plus the spare ballots the election committee decided on; the unused ones are destroyed
    # (作废销毁), counted, before the boxes are opened.
    spare_ballots = models.PositiveIntegerField(_("备用选票数"), null=True, blank=True)
    spare_note = models.CharField(_("备用选票决定"), max_length=200, blank=True)
    ballots_destroyed = models.PositiveIntegerField(_("作废销毁的剩余选票"), null=True, blank=True)
    destroyed_on = models.DateField(_("剩余选票销毁日期"), null=True, blank=True)
    # The last voter_roll report (docs/formats.md, Voter roll report), kept so the roll page shows it without
    # rebuilding.
    roll_report = models.JSONField(_("选民登记统计"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = AuditTrail()

    objects = ElectionQuerySet.as_manager()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("选举")
        verbose_name_plural = _("选举")
        ordering = ["-election_day", "-id"]
        constraints = [
            models.CheckConstraint(name="election_round_matches_kind", condition=(
                Q(kind="main", round=1, parent__isnull=True) | (~Q(kind="main") & Q(parent__isnull=False))
                | Q(kind="further", round=2)
            ), violation_error_message=_("轮次与选举类别不符")),
        ]
        # A certified election is final: its row (status included) is never changed or deleted again.
        # On SQLite the same trigger is created by elections/apps.py after every migrate.
        triggers = [pgtrigger.Protect(name="election_certified_sealed", operation=pgtrigger.Update | pgtrigger.Delete,
                                      condition=pgtrigger.Q(old__status="certified"))]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self._refuse_if_certified()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_certified()
        return super().delete(*args, **kwargs)

    @classmethod
    def election_ids_of(cls, objs) -> set[int]:
        return {obj.pk for obj in objs if obj.pk}

    def _refuse_if_certified(self):
        # The stored row decides: the status in memory may be the very change being attempted.
        if self.pk and not self._state.adding and Election._base_manager.filter(
                pk=self.pk, status=ElectionStatus.CERTIFIED).exists():
            raise Sealed()


class Position(models.Model):
    """A position to fill in an election (主任, 副主任, 委员) and its number of seats."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="positions")
    code = models.SlugField(_("代码"), max_length=20)
    title = models.CharField(_("职务"), max_length=20)
    seats = models.PositiveSmallIntegerField(_("应选人数"))
    order = models.PositiveSmallIntegerField(default=0)
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        ordering = ["election", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="position_code_unique_in_election",
                                    violation_error_message=_("本次选举已有该职位")),
            models.CheckConstraint(name="position_has_seats", condition=Q(seats__gte=1),
                                   violation_error_message=_("应选人数至少为1")),
            # The law gives a committee one director (主任); deputies and members vary.
            models.CheckConstraint(name="position_one_director", condition=~Q(code="director") | Q(seats=1),
                                   violation_error_message=_("主任只能设1名")),
        ]

    def __str__(self):
        return self.title


class CandidateStatus(models.TextChoices):
    PRELIMINARY = "preliminary", _("初步候选人")
    FORMAL = "formal", _("正式候选人")
    DISQUALIFIED = "disqualified", _("资格审查未通过")


class ReviewDecision(models.TextChoices):
    PENDING = "", _("未审查")
    QUALIFIED = "qualified", _("符合条件")
    DISQUALIFIED = "disqualified", _("不符合条件")


class Candidate(models.Model):
    """A person nominated for a position; formal candidates are printed on the ballot."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="candidates")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], blank=True)
    status = models.CharField(_("状态"), max_length=15, choices=CandidateStatus.choices,
                              default=CandidateStatus.FORMAL)
    nominations = models.PositiveIntegerField(_("提名票数"), default=0)
    # Ballot order: surname strokes, then the rest of the name (set by the nomination service).
    ballot_order = models.PositiveIntegerField(default=0)
    # 资格审查: the election committee's recorded decision on the preliminary candidate.
    review = models.CharField(_("资格审查"), max_length=15, choices=ReviewDecision.choices, blank=True, default="")
    review_note = models.CharField(_("审查意见"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("审查日期"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["position", "ballot_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "name"], name="candidate_unique_in_position",
                                    violation_error_message=_("该职位已有同名候选人")),
        ]

    def __str__(self):
        return self.name


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
    FORMS = "forms", _("选民直接提名")
    JOINT = "joint", _("居民代表联名提名")
    ORGANISATION = "organisation", _("组织提名")


class Nomination(models.Model):
    """A name nominated for a position, by the forms (with its count), jointly or by the organisation."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="nominations")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    source = models.CharField(_("提名方式"), max_length=15, choices=NominationSource.choices)
    # Forms: the number of valid forms naming the person; joint: the number of representatives signing.
    count = models.PositiveIntegerField(_("票数或联名人数"))
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
        ]

    def __str__(self):
        return f"{self.position} {self.name}"


class ElectionPaper(models.Model):
    """A posted notice of an election with the document number it was given the first time it was printed."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(_("公告"), max_length=30)
    doc_number = models.CharField(_("文号"), max_length=30)
    issued_on = models.DateField(_("日期"))
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选举公告")
        verbose_name_plural = _("选举公告")
        constraints = [models.UniqueConstraint(fields=["election", "kind"], name="paper_once_per_kind",
                                               violation_error_message=_("该公告已经编号"))]

    def __str__(self):
        return f"{self.election} {self.kind} {self.doc_number}"


class ElectionWarning(models.Model):
    """A late but lawful act, or a flagged irregularity, put on the election's record (and its papers)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="warnings")
    stage = models.CharField(_("环节"), max_length=30)
    text = models.CharField(_("说明"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("选举记录事项")
        verbose_name_plural = _("选举记录事项")
        ordering = ["election", "created_at", "id"]
        # The record is append-only: a warning once written is history.
        triggers = [pgtrigger.Protect(name="election_warning_append_only",
                                      operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return self.text
