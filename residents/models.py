from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.models import Community


class ResidentGroup(models.Model):
    """A resident group (居民小组) with its leader."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="groups", verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=50)
    leader = models.ForeignKey("Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("组长"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("居民小组")
        verbose_name_plural = _("居民小组")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="group_name_unique_in_community",
                                               violation_error_message=_("本社区已有同名居民小组"))]

    def __str__(self):
        return self.name


class Household(models.Model):
    """A household (户) of the community, with one head (户主)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="households",
                                  verbose_name=_("社区"))
    number = models.CharField(_("户号"), max_length=30)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="household_number_unique_in_community",
                                    violation_error_message=_("本社区已有此户号"))
        ]

    def __str__(self):
        return self.number


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Hukou(models.TextChoices):
    """Where a resident's household registration (户籍) is; not committee.Registration, a sign-up for an activity."""

    LOCAL = "local", _("本社区")
    ELSEWHERE = "elsewhere", _("外地")


class Living(models.TextChoices):
    LIVING = "living", _("在住")
    AWAY = "away", _("不在住")
    MOVED = "moved", _("迁出")
    DECEASED = "deceased", _("死亡")


class ElectionWish(models.TextChoices):
    UNSTATED = "", _("未表态")
    REGISTER = "register", _("登记")
    DECLINE = "decline", _("不登记")


class Ethnicity(models.TextChoices):
    """民族: the largest groups by name; the rest of the 56 as 其他少数民族 (the statistics count minorities)."""

    HAN = "han", _("汉族")
    ZHUANG = "zhuang", _("壮族")
    HUI = "hui", _("回族")
    MANCHU = "manchu", _("满族")
    UYGHUR = "uyghur", _("维吾尔族")
    MIAO = "miao", _("苗族")
    YI = "yi", _("彝族")
    TUJIA = "tujia", _("土家族")
    TIBETAN = "tibetan", _("藏族")
    MONGOL = "mongol", _("蒙古族")
    OTHER = "other", _("其他少数民族")


class Political(models.TextChoices):
    """政治面貌."""

    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    DEMOCRATIC_PARTY = "democratic", _("民主党派")
    NON_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


class Education(models.TextChoices):
    """文化程度, highest completed; the first three are 大专以上 in the statistics."""

    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大专")
    SECONDARY = "secondary", _("中专/高中")
    JUNIOR = "junior", _("初中")
    PRIMARY = "primary", _("小学及以下")


class Label(models.TextChoices):
    MINIMUM_INCOME = "dibao", _("低保")
    DISABLED = "disabled", _("残疾")
    ENTITLED = "youfu", _("优抚")
    SERIOUS_ILLNESS = "illness_aid", _("大病救助")
    HARDSHIP = "hardship", _("困难户")
    VERY_OLD = "very_old", _("高龄")
    ALONE = "alone", _("独居老人")
    MIGRANT = "migrant", _("流动人口")
    VETERAN = "veteran", _("退役军人")
    UNEMPLOYED = "unemployed", _("失业")


class Resident(models.Model):
    """A person in the community's registry; never deleted once they have history."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="residents",
                                  verbose_name=_("社区"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members",
                                  verbose_name=_("户"))
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    group = models.ForeignKey(ResidentGroup, on_delete=models.PROTECT, related_name="residents",
                              verbose_name=_("居民小组"))
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    registration = models.CharField(_("户籍"), max_length=10, choices=Hukou.choices)
    living = models.CharField(_("居住情况"), max_length=10, choices=Living.choices, default=Living.LIVING)
    move_in_date = models.DateField(_("入住日期"), null=True, blank=True)
    deprived = models.BooleanField(_("被剥夺政治权利"), default=False)
    election_wish = models.CharField(_("参选意愿"), max_length=10, choices=ElectionWish.choices, blank=True,
                                     default=ElectionWish.UNSTATED)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Optional: asked for the street's statistics (docs/domain.md, Street statistics), blank when unknown.
    ethnicity = models.CharField(_("民族"), max_length=12, choices=Ethnicity.choices, blank=True)
    political = models.CharField(_("政治面貌"), max_length=20, choices=Political.choices, blank=True)
    education = models.CharField(_("文化程度"), max_length=15, choices=Education.choices, blank=True)
    # Bumped on every edit through the forms: a stale form is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    history = AuditTrail(excluded_fields=["name_pinyin"])

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["community", "name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(relation="head"),
                                    name="one_head_per_household",
                                    violation_error_message=_("该户已有户主，一户只能有一名户主")),
            models.CheckConstraint(name="resident_sex_valid", condition=Q(sex__in=["M", "F"]),
                                   violation_error_message=_("性别只能是男或女")),
            models.CheckConstraint(
                name="resident_id_number_length", condition=Q(id_number__regex=r"^[0-9]{17}[0-9X]$"),
                violation_error_message=_("身份证号应为18位：17位数字，最后一位为数字或X"),
            ),
            models.CheckConstraint(name="resident_ethnicity_known",
                                   condition=Q(ethnicity__in=["", *Ethnicity.values]),
                                   violation_error_message=_("民族不在可选范围内")),
            models.CheckConstraint(name="resident_political_known",
                                   condition=Q(political__in=["", *Political.values]),
                                   violation_error_message=_("政治面貌不在可选范围内")),
            models.CheckConstraint(name="resident_education_known",
                                   condition=Q(education__in=["", *Education.values]),
                                   violation_error_message=_("文化程度不在可选范围内")),
        ]
        indexes = [
            models.Index(fields=["community", "living"], name="resident_community_living"),
            models.Index(fields=["community", "group"], name="resident_community_group"),
            models.Index(fields=["community", "name"], name="resident_community_name"),
            # The list's default order (pinyin) and its household filter stay index scans at 10,000 per community.
            models.Index(fields=["community", "name_pinyin", "id"], name="resident_community_pinyin"),
        ]

    def __str__(self):
        return self.name


class ResidentLabel(models.Model):
    """A special-population label (低保, 残疾…) held by a resident for a period."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="labels",
                                 verbose_name=_("居民"))
    label = models.CharField(_("人群标签"), max_length=20, choices=Label.choices)
    starts = models.DateField(_("开始日期"), null=True, blank=True)
    ends = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "resident__community__street"

    class Meta:
        verbose_name = _("人群标签")
        verbose_name_plural = _("人群标签")
        constraints = [
            models.UniqueConstraint(fields=["resident", "label"], condition=Q(ends__isnull=True),
                                    name="one_open_label_per_kind", violation_error_message=_("此居民已有该标签")),
            models.CheckConstraint(name="label_ends_after_start",
                                   condition=Q(ends__isnull=True) | Q(starts__isnull=True)
                                   | Q(ends__gte=models.F("starts")),
                                   violation_error_message=_("结束日期不能早于开始日期")),
        ]
        indexes = [models.Index(fields=["label", "ends"], name="label_kind_open")]

    def __str__(self):
        return self.get_label_display()


class CareKind(models.TextChoices):
    VISIT = "visit", _("走访慰问")
    AID = "aid", _("救助发放")


class CareRecord(models.Model):
    """A visit to, or aid given to, a household or one of its residents (e.g. the Spring Festival visit)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_records",
                                  verbose_name=_("社区"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="care_records",
                                  verbose_name=_("户"))
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="care_records", verbose_name=_("居民"))
    kind = models.CharField(_("类别"), max_length=10, choices=CareKind.choices, default=CareKind.VISIT)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    occasion = models.CharField(_("事由"), max_length=100, blank=True, help_text=_("如：春节慰问、大病救助"))
    by = models.CharField(_("走访人"), max_length=100, blank=True)
    note = models.TextField(_("情况记录"), blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("走访救助记录")
        verbose_name_plural = _("走访救助记录")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(name="care_amount_not_negative",
                                   condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   violation_error_message=_("金额不能为负数")),
            models.CheckConstraint(name="care_aid_has_amount",
                                   condition=~Q(kind="aid") | Q(amount__isnull=False),
                                   violation_error_message=_("救助发放须填写金额")),
        ]
        indexes = [models.Index(fields=["community", "on"], name="care_community_on")]

    def __str__(self):
        return f"{self.on} {self.household} {self.get_kind_display()}"


class RepresentativeKind(models.TextChoices):
    ELECTED = "elected", _("居民代表")
    EX_OFFICIO = "ex_officio", _("当然代表")
    UNIT = "unit", _("驻区单位代表")


class RepresentativeEnd(models.TextChoices):
    TERM = "term", _("任期届满")
    REPLACED = "replaced", _("由小组改选替换")
    BY_ELECTION = "by_election", _("补选")
    RESIGNED = "resigned", _("辞去")
    MOVED = "moved", _("迁出或去世")
    RECALLED = "recalled", _("罢免")


class Representative(models.Model):
    """A resident representative (居民代表) elected by a group, an ex-officio one (当然代表), or the representative
    of a unit in the community (驻区单位代表), who need not live here and so is named here, not in the registry."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="representatives",
                                  verbose_name=_("社区"))
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="representative_terms", verbose_name=_("居民"))
    group = models.ForeignKey(ResidentGroup, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="representatives", verbose_name=_("居民小组"))
    unit_name = models.CharField(_("驻区单位"), max_length=100, blank=True)
    person_name = models.CharField(_("代表姓名"), max_length=50, blank=True)
    person_sex = models.CharField(_("代表性别"), max_length=1, choices=Sex.choices, blank=True)
    kind = models.CharField(_("类别"), max_length=12, choices=RepresentativeKind.choices,
                            default=RepresentativeKind.ELECTED)
    starts = models.DateField(_("任期开始"))
    ends = models.DateField(_("任期结束"), null=True, blank=True)
    ended_by = models.CharField(_("结束方式"), max_length=12, choices=RepresentativeEnd.choices, blank=True)
    # The representative who took this seat over (replacement or by-election), kept for the history of the seat.
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("接任者"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("居民代表")
        verbose_name_plural = _("居民代表")
        ordering = ["community", "group", "starts"]
        constraints = [
            models.CheckConstraint(name="representative_ends_after_start",
                                   condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                                   violation_error_message=_("结束日期不能早于任期开始")),
            models.CheckConstraint(name="representative_kind_valid",
                                   condition=Q(kind__in=["elected", "ex_officio", "unit"]),
                                   violation_error_message=_("代表类别只能是居民代表、当然代表或驻区单位代表")),
            # Exactly one of the two: a resident of a group, or a unit's named person who is not in the registry.
            models.CheckConstraint(
                name="representative_resident_or_unit",
                condition=(Q(kind__in=["elected", "ex_officio"], resident__isnull=False, group__isnull=False,
                             unit_name="", person_name="", person_sex="")
                           | (Q(kind="unit", resident__isnull=True, group__isnull=True, person_sex__in=["M", "F"])
                              & ~Q(unit_name="") & ~Q(person_name=""))),
                violation_error_message=_("居民代表须关联居民档案和居民小组；驻区单位代表须填写单位、姓名和性别，"
                                          "且不关联居民档案")),
            models.CheckConstraint(name="representative_end_reason_only_when_ended",
                                   condition=Q(ends__isnull=False) | Q(ended_by=""),
                                   violation_error_message=_("任期结束后才能填写结束方式")),
            models.UniqueConstraint(fields=["resident"], condition=Q(ends__isnull=True),
                                    name="one_open_representative_term_per_resident",
                                    violation_error_message=_("此居民已是居民代表")),
        ]
        indexes = [models.Index(fields=["community", "ends"], name="representative_community_ends")]

    def __str__(self):
        if not self.resident_id:
            return f"{self.person_name}（{self.unit_name}，{self.get_kind_display()}）"
        return f"{self.resident} ({self.get_kind_display()})"

    @property
    def name(self) -> str:
        return self.resident.name if self.resident_id else self.person_name

    @property
    def sex(self) -> str:
        return self.resident.sex if self.resident_id else self.person_sex
