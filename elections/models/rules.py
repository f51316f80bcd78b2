"""Rule sets: the parameters an election copies from its template (AgeRule, BallotOrder, SheetLayout,
Counting, RuleSet)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail

__all__ = ["AgeRule", "BallotOrder", "Counting", "RuleSet", "SheetLayout"]


class AgeRule(models.TextChoices):
    ON_DAY = "on_day", _("选举日满18周岁")
    IN_MONTH = "in_month", _("选举日所在月满18周岁")


class BallotOrder(models.TextChoices):
    """How formal candidates are listed on the ballot (docs/domain.md, Elections: nominations)."""
    STROKES = "strokes", _("按姓氏笔画")
    FORMS = "forms", _("按提名票数，票数相同按姓氏笔画")


class SheetLayout(models.TextChoices):
    """How the posts are printed (docs/domain.md, Elections: papers; 甘肃规程工作指引, 选票印制: 选票可以把三类职务
    候选人印在一张纸上，也可以区分不同职务候选人分别印制在不同颜色的纸上)."""
    ONE_SHEET = "one_sheet", _("各职务印在一张选票上")
    PER_POST = "per_post", _("各职务分别印制，每一职务一种颜色")


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
    # Who may nominate besides the nomination forms (docs/domain.md, Elections: nominations); a way the source
    # does not name is 0 or False, and add_nomination refuses it.
    joint_nomination_min = models.PositiveSmallIntegerField(_("联名提名最少人数（0为不允许联名提名）"), default=10)
    household_nomination_min = models.PositiveSmallIntegerField(_("户代表联名提名最少人数（0为不允许）"), default=0)
    group_nomination = models.BooleanField(_("居民小组可以提名（每组不超过应选人数）"), default=False)
    organisation_nomination = models.BooleanField(_("可以组织提名"), default=True)
    self_nomination = models.BooleanField(_("可以本人自荐"), default=False)
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
    # The committee's size (seat_warnings and the tally warn outside it: docs/domain.md, Elections: setup).
    seats_min = models.PositiveSmallIntegerField(_("居委会成员最少人数"), default=5)
    seats_max = models.PositiveSmallIntegerField(_("居委会成员最多人数"), default=9)
    seats_odd = models.BooleanField(_("居委会成员人数须为单数"), default=True)
    # Representatives (居民代表) chosen by each resident group and the share of women among them.
    representatives_per_group_min = models.PositiveSmallIntegerField(_("每个居民小组推选居民代表最少人数"), default=2)
    representatives_per_group_max = models.PositiveSmallIntegerField(_("每个居民小组推选居民代表最多人数"), default=3)
    women_share_of_representatives = models.DecimalField(_("妇女代表占居民代表的最低比例（0为未规定）"), max_digits=5,
                                                         decimal_places=4, default=Decimal("0"))
    # The longest postponement of the election the street may decide (延期换届), in months.
    extension_months_max = models.PositiveSmallIntegerField(_("延期换届最长月数"), default=6)
    # Where each parameter comes from: field name → the clause (docs/domain.md, Elections: rule sets), shown in
    # the admin and on the election's page; a copy keeps its template's clauses.
    clauses = models.JSONField(_("各项依据"), default=dict, blank=True)
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
            models.CheckConstraint(name="ruleset_seats_in_order",
                                   condition=Q(seats_min__gte=1, seats_max__gte=models.F("seats_min")),
                                   violation_error_message=_("居委会成员最多人数不能少于最少人数，且至少1人")),
            models.CheckConstraint(name="ruleset_representatives_per_group_in_order",
                                   condition=Q(representatives_per_group_min__gte=1,
                                               representatives_per_group_max__gte=models.F(
                                                   "representatives_per_group_min")),
                                   violation_error_message=_("每组居民代表最多人数不能少于最少人数，且至少1人")),
            models.CheckConstraint(name="ruleset_women_share_in_range",
                                   condition=Q(women_share_of_representatives__gte=0,
                                               women_share_of_representatives__lt=1),
                                   violation_error_message=_("妇女代表比例须不小于0且小于1")),
        ]

    def __str__(self):
        # The shipped names are in the catalogue (elections/rulesets.py); a name staff typed stays as typed.
        return gettext(self.name)
