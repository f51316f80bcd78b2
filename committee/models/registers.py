from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail
from org.models import Community

from .organisation import CommitteeMember


class DutyShift(models.TextChoices):
    DAY = "day", _("全天")
    MORNING = "morning", _("上午")
    AFTERNOON = "afternoon", _("下午")


class DutySlot(models.Model):
    """A day's duty (值班) of a committee member or community worker, weekends included, with its log."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="duty_slots",
                                  verbose_name=_("社区"))
    date = models.DateField(_("日期"))
    shift = models.CharField(_("班次"), max_length=10, choices=DutyShift.choices, default=DutyShift.DAY)
    name = models.CharField(_("值班人"), max_length=50)
    member = models.ForeignKey(CommitteeMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("居委会成员"))
    log = models.TextField(_("值班记录"), blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["community", "date", "shift", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "date", "shift", "name"], name="duty_slot_unique",
                                    violation_error_message=_("该值班人当天该班次已排班")),
        ]
        indexes = [models.Index(fields=["community", "date"], name="duty_community_date")]

    def __str__(self):
        return f"{self.date} {self.name}"


class Channel(models.TextChoices):
    MAILBOX = "mailbox", _("主任信箱")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")


class MailboxItem(models.Model):
    """A letter to the director's mailbox (主任信箱) or a visitor's request (来访): answered, then closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="mailbox_items",
                                  verbose_name=_("社区"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("收到日期"), default=timezone.localdate)
    sender = models.CharField(_("来信来访人"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    subject = models.CharField(_("事由"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.CharField(_("答复人"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("来信来访")
        verbose_name_plural = _("来信来访")
        ordering = ["community", "-received_on", "-id"]
        constraints = [
            models.CheckConstraint(name="mailbox_answered_has_answer",
                                   condition=Q(status="open") | (Q(answered_on__isnull=False) & ~Q(answer="")),
                                   violation_error_message=_("已答复的事项须有答复内容和答复日期")),
            models.CheckConstraint(name="mailbox_closed_has_date",
                                   condition=~Q(status="closed") | Q(closed_on__isnull=False),
                                   violation_error_message=_("已办结的事项须有办结日期")),
            models.CheckConstraint(name="mailbox_answered_after_received",
                                   condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                                   violation_error_message=_("答复日期不能早于收到日期")),
            models.CheckConstraint(name="mailbox_closed_after_answered",
                                   condition=Q(closed_on__isnull=True) | Q(answered_on__isnull=True)
                                   | Q(closed_on__gte=F("answered_on")),
                                   violation_error_message=_("办结日期不能早于答复日期")),
        ]
        indexes = [models.Index(fields=["community", "status"], name="mailbox_community_status")]

    def __str__(self):
        return self.subject


class ResponsibilityZone(models.Model):
    """A member's responsibility zone (民情责任区): buildings or streets they visit every week."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="zones", verbose_name=_("社区"))
    name = models.CharField(_("责任区"), max_length=100)
    area = models.CharField(_("范围"), max_length=200, blank=True)
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="zones",
                               verbose_name=_("责任人"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("民情责任区")
        verbose_name_plural = _("民情责任区")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="zone_name_unique",
                                               violation_error_message=_("本社区已有同名的责任区"))]

    def __str__(self):
        return self.name


class ZoneVisit(models.Model):
    """A visit (走访) in a responsibility zone: whom, when, what residents said, what was passed on."""

    zone = models.ForeignKey(ResponsibilityZone, on_delete=models.PROTECT, related_name="visits",
                             verbose_name=_("责任区"))
    visited_on = models.DateField(_("走访日期"), default=timezone.localdate)
    visited = models.CharField(_("走访对象"), max_length=200)
    notes = models.TextField(_("民情记录"), blank=True)
    follow_up = models.CharField(_("反馈去向"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "zone__community__street"

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["zone", "-visited_on", "-id"]

    def __str__(self):
        return f"{self.visited_on} {self.visited}"


class SealUse(models.Model):
    """One use of the committee's seal (用印登记): reason, date, user and who stamped."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seal_uses",
                                  verbose_name=_("社区"))
    used_on = models.DateField(_("使用日期"), default=timezone.localdate)
    reason = models.CharField(_("使用事由"), max_length=200)
    user_name = models.CharField(_("使用人姓名"), max_length=50)
    user_address = models.CharField(_("使用人地址"), max_length=200, blank=True)
    stamped_by = models.CharField(_("盖章人"), max_length=50)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("用印登记")
        verbose_name_plural = _("用印登记")
        ordering = ["community", "-used_on", "-id"]
        constraints = [models.CheckConstraint(name="seal_use_copies_positive", condition=Q(copies__gte=1),
                                              violation_error_message=_("份数至少为1"))]

    def __str__(self):
        return f"{self.used_on} {self.reason}"


class Asset(models.Model):
    """An item on the asset ledger (财物台账), kept by the director."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="assets", verbose_name=_("社区"))
    name = models.CharField(_("物品名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=10, default="件")
    location = models.CharField(_("存放地点"), max_length=100, blank=True)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("财物")
        verbose_name_plural = _("财物")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="asset_name_unique",
                                               violation_error_message=_("台账中已有同名的物品"))]

    def __str__(self):
        return self.name


class AssetMovement(models.Model):
    """An entry in the asset ledger: bought (添置), donated (受赠) or written off (报损)."""

    class Kind(models.TextChoices):
        BOUGHT = "bought", _("添置")
        DONATED = "donated", _("受赠")
        WRITTEN_OFF = "written_off", _("报损")

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="movements", verbose_name=_("财物"))
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("日期"), default=timezone.localdate)
    quantity = models.PositiveIntegerField(_("数量"))
    value = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, default=0)
    source = models.CharField(_("来源或原因"), max_length=200, blank=True)
    history = AuditTrail()

    audit_street_path = "asset__community__street"

    class Meta:
        verbose_name = _("财物登记")
        verbose_name_plural = _("财物登记")
        ordering = ["asset", "on", "id"]
        constraints = [
            models.CheckConstraint(name="asset_movement_quantity_positive", condition=Q(quantity__gte=1),
                                   violation_error_message=_("数量至少为1")),
            models.CheckConstraint(name="asset_movement_value_not_negative", condition=Q(value__gte=0),
                                   violation_error_message=_("金额（元）不能为负数")),
        ]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()} {self.asset} × {self.quantity}"


class AssetCount(models.Model):
    """The year-end count (年底清点) of the ledger: it reconciles when every line counts what the books say."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="asset_counts",
                                  verbose_name=_("社区"))
    year = models.PositiveSmallIntegerField(_("年度"))
    counted_on = models.DateField(_("清点日期"), default=timezone.localdate)
    counted_by = models.CharField(_("清点人"), max_length=100)
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("年底清点")
        verbose_name_plural = _("年底清点")
        ordering = ["community", "-year"]
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="asset_count_one_per_year",
                                               violation_error_message=_("该年度已清点"))]

    def __str__(self):
        return f"{self.year}"


class AssetCountLine(models.Model):
    """One item of a year-end count: what the ledger says and what was found."""

    count = models.ForeignKey(AssetCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("清点"))
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+", verbose_name=_("财物"))
    booked = models.IntegerField(_("账面数量"))
    found = models.IntegerField(_("实有数量"))
    history = AuditTrail()

    audit_street_path = "count__community__street"

    class Meta:
        verbose_name = _("清点明细")
        verbose_name_plural = _("清点明细")
        ordering = ["count", "asset__name"]
        constraints = [models.UniqueConstraint(fields=["count", "asset"], name="asset_count_line_unique",
                                               violation_error_message=_("该物品已在本次清点中"))]

    def __str__(self):
        return f"{self.asset}: {self.booked}/{self.found}"


class Activity(models.Model):
    """A community activity with its notice (通告) and registration, e.g. an outing closing two days ahead."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="activities",
                                  verbose_name=_("社区"))
    title = models.CharField(_("活动名称"), max_length=200)
    body = models.TextField(_("活动内容"))
    starts = models.DateTimeField(_("活动时间"))
    place = models.CharField(_("集合地点"), max_length=200)
    registration_closes = models.DateField(_("报名截止日期"))
    phone = models.CharField(_("报名电话"), max_length=40, blank=True)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("社区活动")
        verbose_name_plural = _("社区活动")
        ordering = ["community", "-starts"]

    def __str__(self):
        return self.title

    @property
    def day(self):
        return timezone.localtime(self.starts).date()


class Registration(models.Model):
    """A registration for an activity, by phone or in person, for one or more people."""

    class How(models.TextChoices):
        PHONE = "phone", _("电话报名")
        IN_PERSON = "in_person", _("现场报名")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations",
                                 verbose_name=_("活动"))
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    how = models.CharField(_("报名方式"), max_length=10, choices=How.choices)
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    registered_on = models.DateField(_("报名日期"), default=timezone.localdate)
    history = AuditTrail()

    audit_street_path = "activity__community__street"

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["activity", "registered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name", "phone"], name="registration_unique",
                                    violation_error_message=_("该姓名和电话已报名")),
            models.CheckConstraint(name="registration_people_positive", condition=Q(people__gte=1),
                                   violation_error_message=_("人数至少为1")),
        ]

    def __str__(self):
        return self.name
