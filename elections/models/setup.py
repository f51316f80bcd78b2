"""The election, its positions and candidates, the seal (Sealed), papers and warnings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.frozen import Freeze, FrozenModel, FrozenQuerySet
from org.models import Community
from residents.models import Resident

from .rules import RuleSet, SheetLayout

__all__ = ["Candidate", "CandidateStatus", "Election", "ElectionKind", "ElectionPaper", "ElectionStatus",
           "ElectionWarning", "Mode", "Position", "ReviewDecision", "STANDARD_TITLES", "Sealed",
           "position_label"]

RECORD_IS_FINAL = _("选举记录事项一经记下，不能修改或删除")
SEALED_MESSAGE = _("选举结果已确认并封存，选票、票箱和结果不能再修改；如需更正，请登记更正记录")


class Sealed(ValidationError):
    """Raised on any attempt to change what a certified election has sealed (voting.py seals what is under it)."""

    def __init__(self, message=SEALED_MESSAGE):
        super().__init__(message, code="sealed")


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


class Election(FrozenModel):
    """One election of a community's committee: the main vote, a further round or a tie re-vote.

    Certified, it is sealed (org/frozen.py): no save, delete, bulk change or database write of the row (Sealed,
    which views show as a message), nor of what voting.py seals under it.
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
    # The printed ballot (docs/domain.md, Elections: papers), chosen by the election committee before voting:
    # serial numbers 1..N for the N ballots allowed, a counterfoil (存根) with the same number, one sheet or
    # one coloured sheet per post.
    ballot_serials = models.BooleanField(_("选票印编号"), default=False)
    ballot_counterfoil = models.BooleanField(_("选票带存根"), default=False)
    ballot_layout = models.CharField(_("选票印制"), max_length=10, choices=SheetLayout.choices,
                                     default=SheetLayout.ONE_SHEET)
    # The last voter_roll report (docs/formats.md, Voter roll report), kept so the roll page shows it without
    # rebuilding.
    roll_report = models.JSONField(_("选民登记统计"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = Freeze(name="election_certified_sealed", refusal=Sealed, when="status", value="certified")

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
            # The counterfoil is matched to its ballot by the serial: one without the other cannot be checked.
            models.CheckConstraint(name="election_counterfoil_needs_serial",
                                   condition=Q(ballot_counterfoil=False) | Q(ballot_serials=True),
                                   violation_error_message=_("选票带存根时须印编号")),
        ]

    def __str__(self):
        return self.name


# The standard posts' stored titles (elections/services/setup.py: DEFAULT_POSITIONS); marked for the catalogue so
# pages can show them translated, while the stored title stays Chinese for the papers.
STANDARD_TITLES = {"director": gettext_noop("主任"), "deputy": gettext_noop("副主任"), "member": gettext_noop("委员")}


def position_label(*, code: str, title: str) -> str:
    """A post's title for a page: a standard post still titled as shipped is translated; a title staff typed (or
    a standard code renamed) is shown as stored, since the catalogue cannot know it."""
    if STANDARD_TITLES.get(code) == title:
        return gettext(title)
    return title


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

    @property
    def label(self) -> str:
        """The title as pages show it (translated for a standard post); papers print `title`."""
        return position_label(code=self.code, title=self.title)


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


class ElectionWarning(FrozenModel):
    """A late but lawful act, or a flagged irregularity, put on the election's record (and its papers)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="warnings")
    stage = models.CharField(_("环节"), max_length=30)
    text = models.CharField(_("说明"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = AuditTrail()

    audit_street_path = "election__community__street"

    objects = FrozenQuerySet.as_manager()

    # The record is append-only: a warning once written is history.
    freeze = Freeze(name="election_warning_append_only", refusal=lambda: Sealed(RECORD_IS_FINAL))

    class Meta:
        verbose_name = _("选举记录事项")
        verbose_name_plural = _("选举记录事项")
        ordering = ["election", "created_at", "id"]

    def __str__(self):
        return self.text
