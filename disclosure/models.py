"""Disclosure (居务公开): items and their review, attachments, feedback, requests and the supervision group.

A published item is never changed or deleted: `save()`/`delete()` refuse it, the queryset refuses
bulk updates and deletes touching it, and on PostgreSQL a trigger refuses it in the database.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Term
from org.audit import AuditTrail
from org.frozen import Freeze, FrozenModel, FrozenQuerySet
from org.models import Community
from residents.models import Resident

PUBLISHED_IS_FINAL = _("已公开的事项不能修改或删除；如有错误，请发布更正")


class PublishedItemImmutable(PermissionDenied):
    """Raised on any attempt to change or delete a published disclosure item."""


class Cadence(models.TextChoices):
    TERM = "term", _("每届")
    YEAR = "year", _("每年")
    QUARTER = "quarter", _("每季度")
    MONTH = "month", _("每月")
    ON_REQUEST = "on_request", _("应要求")
    AS_NEEDED = "as_needed", _("随时")


class Category(models.TextChoices):
    TERM_GOALS = "term_goals", _("三年任期目标")
    DUTIES = "duties", _("成员分工及工作制度")
    ANNUAL_GOALS = "annual_goals", _("年度目标及完成情况")
    SERVICES = "services", _("出具证明、服务项目及接待时间")
    FAMILY_PLANNING = "family_planning", _("计划生育目标")
    SUPERVISION_REPORT = "supervision_report", _("居务监督小组工作报告")
    MEETING_DECISIONS = "meeting_decisions", _("居民会议决定及落实情况")
    FINANCES = "finances", _("社区经费收支")
    ASSISTANCE = "assistance", _("低保及困难救助对象和条件")
    ON_REQUEST = "on_request", _("应居民要求公开事项")
    ELECTION = "election", _("公告")


# How often each category must be published (docs/domain.md, Disclosure: categories and cadences).
CADENCE = {
    Category.TERM_GOALS: Cadence.TERM,
    Category.DUTIES: Cadence.TERM,
    Category.ANNUAL_GOALS: Cadence.YEAR,
    Category.SERVICES: Cadence.YEAR,
    Category.FAMILY_PLANNING: Cadence.YEAR,
    Category.SUPERVISION_REPORT: Cadence.YEAR,
    Category.MEETING_DECISIONS: Cadence.QUARTER,
    Category.FINANCES: Cadence.MONTH,
    Category.ASSISTANCE: Cadence.MONTH,
    Category.ON_REQUEST: Cadence.ON_REQUEST,
    Category.ELECTION: Cadence.AS_NEEDED,
}


# Items about the term just begun: their period runs into the future, they are not a report on it.
TERM_CATEGORIES = [c.value for c, cadence in CADENCE.items() if cadence == Cadence.TERM]


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待监督小组审核")
    REVIEWED = "reviewed", _("已签字")
    SCHEDULED = "scheduled", _("待公开")
    PUBLISHED = "published", _("已公开")


class ItemQuerySet(FrozenQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


def _published_is_final() -> Exception:
    return PublishedItemImmutable(PUBLISHED_IS_FINAL)


class Item(FrozenModel):
    """A disclosure item (公开事项) of a community: what is published, about which period, and its review."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="disclosure_items",
                                  verbose_name=_("社区"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200)
    period_start = models.DateField(_("所属期间开始"))
    period_end = models.DateField(_("所属期间结束"))
    # What the clerk typed (Markdown, or the HTML of items written before Markdown) and what the board shows:
    # the source rendered and sanitised. Items of before keep their HTML body as it was.
    body_source = models.TextField(_("正文"), blank=True,
                                   help_text=_("空行分段；表格每行用 | 分列，第二行写 | --- |；保存时清除不安全的标记"))
    body = models.TextField(_("正文（公开显示）"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The record the item comes from (a meeting decision, an election result): a generic link, because
    # the apps holding those records stand above or beside this one.
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("来源类型"))
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections", verbose_name=_("更正的事项"))
    request = models.ForeignKey("DisclosureRequest", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="items", verbose_name=_("居民要求"))
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    review_comments = models.TextField(_("退回意见"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("签字人"))
    signature_name = models.CharField(_("签字"), max_length=50, blank=True)
    # SHA-256 of what was signed: publication refuses an item whose content no longer matches it.
    signature_digest = models.CharField(_("签字摘要"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    scheduled_for = models.DateField(_("公开日期"), null=True, blank=True)
    # The last withdrawal of a scheduled item before its board day (the audit trail keeps every one).
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("撤回人"))
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    # The archive year (January items about the previous year belong to that year), set on publication.
    archive_year = models.PositiveSmallIntegerField(_("归档年度"), null=True, blank=True)
    official_notice = models.BooleanField(_("选举委员会公告"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    history = AuditTrail()

    objects = ItemQuerySet.as_manager()

    freeze = Freeze(name="published_item_final", refusal=_published_is_final, when="status",
                    value=Status.PUBLISHED.value)

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["community", "-published_at", "-id"]
        constraints = [
            models.CheckConstraint(name="disclosure_item_period_ordered",
                                   condition=Q(period_end__gte=F("period_start")),
                                   violation_error_message=_("所属期间的结束日期不能早于开始日期")),
            models.CheckConstraint(name="disclosure_item_status_valid",
                                   condition=Q(status__in=[s.value for s in Status]),
                                   violation_error_message=_("状态无效")),
            models.CheckConstraint(
                name="disclosure_item_published_has_date",
                condition=~Q(status="published") | Q(published_at__isnull=False, archive_year__isnull=False),
                violation_error_message=_("已公开的事项须有公开时间和归档年度")),
            # Only official notices of the election committee skip the supervision group's signature.
            models.CheckConstraint(
                name="disclosure_item_signed_before_publication",
                condition=~Q(status__in=["reviewed", "scheduled", "published"])
                | Q(official_notice=True) | Q(signed_at__isnull=False, signed_by__isnull=False),
                violation_error_message=_("未经监督小组组长签字的事项不能排入或公开")),
            models.CheckConstraint(name="disclosure_item_source_complete",
                                   condition=Q(source_type__isnull=True, source_id__isnull=True)
                                   | Q(source_type__isnull=False, source_id__isnull=False),
                                   violation_error_message=_("来源记录不完整")),
            # The board reports on a period once it is over; term items (goals, duties) announce the term ahead.
            models.CheckConstraint(
                name="disclosure_item_board_day_after_period",
                condition=Q(scheduled_for__isnull=True) | Q(category__in=TERM_CATEGORIES)
                | Q(scheduled_for__gt=F("period_end")),
                violation_error_message=_("公开日期须在所属期间结束之后")),
            models.CheckConstraint(
                name="disclosure_item_withdrawal_complete",
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                violation_error_message=_("撤回须写明原因")),
        ]
        indexes = [
            models.Index(fields=["community", "status", "category", "-published_at"], name="item_board"),
            models.Index(fields=["community", "archive_year", "published_at"], name="item_archive"),
            models.Index(fields=["status", "scheduled_for"], name="item_due_publication"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_published(self) -> bool:
        return getattr(self, "_stored_status", None) == Status.PUBLISHED

    @property
    def cadence(self) -> str:
        return CADENCE[self.category]

    @property
    def cadence_label(self) -> str:
        return Cadence(self.cadence).label

    @property
    def period_label(self) -> str:
        start, end = self.period_start, self.period_end
        cadence = self.cadence
        if cadence == Cadence.MONTH and start.day == 1 and start.month == end.month and start.year == end.year:
            return _("%(y)s年%(m)s月") % {"y": start.year, "m": start.month}
        if cadence == Cadence.QUARTER and start.day == 1 and start.month % 3 == 1:
            return _("%(y)s年第%(q)s季度") % {"y": start.year, "q": (start.month + 2) // 3}
        if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
            return _("%(y)s年度") % {"y": start.year}
        if start == end:
            return _("%(y)s年%(m)s月%(d)s日") % {"y": start.year, "m": start.month, "d": start.day}
        return _("%(y)s年%(m)s月%(d)s日—%(y2)s年%(m2)s月%(d2)s日") % {
            "y": start.year, "m": start.month, "d": start.day, "y2": end.year, "m2": end.month, "d2": end.day}


def attachment_path(instance, filename: str) -> str:
    # Never under a public URL: attachments are served by a view that checks the item.
    return f"disclosure/{instance.item.community_id}/{instance.item_id}/{filename}"


class Attachment(FrozenModel):
    """A file (PDF or image) attached to an item; frozen with it once the item is published."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("事项"))
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    history = AuditTrail()

    objects = FrozenQuerySet.as_manager()

    freeze = Freeze(name="attachment_final", refusal=_published_is_final, when="item__status",
                    value=Status.PUBLISHED.value)

    audit_street_path = "item__community__street"

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(name="disclosure_attachment_type_allowed",
                                   condition=Q(content_type__in=["application/pdf", "image/png", "image/jpeg"]),
                                   violation_error_message=_("附件只接受 PDF、PNG 或 JPEG 文件")),
        ]

    def __str__(self):
        return self.name



class Feedback(models.Model):
    """A resident's feedback (意见) on a published item, seen by the supervision group and answered by the committee."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("事项"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Never shown on a public page: only the committee and the supervision group see it.
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    text = models.TextField(_("意见"))
    received_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    seen_by_supervision_at = models.DateTimeField(_("监督小组已阅"), null=True, blank=True)
    history = AuditTrail()

    audit_street_path = "item__community__street"

    class Meta:
        verbose_name = _("居民意见")
        verbose_name_plural = _("居民意见")
        ordering = ["item", "received_at", "id"]
        constraints = [
            models.CheckConstraint(name="disclosure_feedback_answer_complete",
                                   condition=Q(answer="", answered_at__isnull=True)
                                   | (~Q(answer="") & Q(answered_at__isnull=False)),
                                   violation_error_message=_("答复须有内容和答复时间")),
        ]
        indexes = [models.Index(fields=["item", "answered_at"], name="feedback_item_answered")]

    def __str__(self):
        return self.text[:30]


class RequestBasis(models.TextChoices):
    RESIDENTS = "residents", _("十分之一以上居民")
    REPRESENTATIVES = "representatives", _("三分之一以上居民代表")


class DisclosureRequest(models.Model):
    """A request by 1/10 of residents or 1/3 of representatives to publish something; once valid it falls due."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="disclosure_requests",
                                  verbose_name=_("社区"))
    subject = models.CharField(_("要求公开的事项"), max_length=200)
    basis = models.CharField(_("提出方式"), max_length=20, choices=RequestBasis.choices)
    signatures = models.PositiveIntegerField(_("签名人数"))
    # The base and threshold at filing (adults or representatives that day), kept for the record.
    base = models.PositiveIntegerField(_("基数"))
    required = models.PositiveIntegerField(_("法定人数"))
    filed_on = models.DateField(_("提出日期"), default=timezone.localdate)
    due_on = models.DateField(_("应公开日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("登记人"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("公开要求")
        verbose_name_plural = _("公开要求")
        ordering = ["community", "-filed_on"]
        constraints = [
            models.CheckConstraint(name="disclosure_request_meets_threshold",
                                   condition=Q(signatures__gte=F("required")),
                                   violation_error_message=_("签名人数不足法定人数")),
            models.CheckConstraint(name="disclosure_request_due_after_filing",
                                   condition=Q(due_on__gt=F("filed_on")),
                                   violation_error_message=_("应公开日期须在提出日期之后")),
        ]

    def __str__(self):
        return self.subject


class SupervisionGroup(models.Model):
    """The supervision group (居务监督小组) of a community for one committee term, elected by the residents' meeting."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="supervision_groups",
                                  verbose_name=_("社区"))
    term = models.OneToOneField(Term, on_delete=models.PROTECT, related_name="supervision_group",
                                verbose_name=_("届"))
    elected_on = models.DateField(_("居民会议选举日期"))
    meeting = models.ForeignKey("committee.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("居民会议"))
    history = AuditTrail()

    audit_street_path = "community__street"

    class Meta:
        verbose_name = _("居务监督小组")
        verbose_name_plural = _("居务监督小组")
        ordering = ["community", "-elected_on"]

    def __str__(self):
        return _("%(term)s居务监督小组") % {"term": self.term}


class SupervisionMember(models.Model):
    """A member of the supervision group, one of them its leader (组长), perhaps linked to a login."""

    group = models.ForeignKey(SupervisionGroup, on_delete=models.PROTECT, related_name="members",
                              verbose_name=_("监督小组"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="supervision_seats",
                                 verbose_name=_("居民"))
    name = models.CharField(_("姓名"), max_length=50)
    is_leader = models.BooleanField(_("组长"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="supervision_seats", verbose_name=_("登录账号"))
    history = AuditTrail()

    audit_street_path = "group__community__street"

    class Meta:
        verbose_name = _("监督小组成员")
        verbose_name_plural = _("监督小组成员")
        ordering = ["group", "-is_leader", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "resident"], name="supervision_member_unique",
                                    violation_error_message=_("该居民已是本监督小组成员")),
            models.UniqueConstraint(fields=["group"], condition=Q(is_leader=True), name="one_supervision_leader",
                                    violation_error_message=_("监督小组只能有一名组长")),
        ]

    def __str__(self):
        return self.name
