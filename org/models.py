import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AuditTrail


class StreetOffice(models.Model):
    """A street office (街道办事处), which oversees several communities."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    supervision_hotline = models.CharField(_("监督电话"), max_length=40, blank=True)
    history = AuditTrail()

    class Meta:
        verbose_name = _("街道办事处")
        verbose_name_plural = _("街道办事处")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A community (社区) with its residents' committee."""

    street = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="communities",
                               verbose_name=_("街道"))
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    history = AuditTrail()

    audit_street_path = "street"

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["street", "code"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    STREET_STAFF = "street_staff", _("街道工作人员")
    COMMITTEE = "committee", _("居委会成员")
    SUPERVISION = "supervision", _("居务监督小组成员")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ends__isnull=True) | Q(ends__gte=on), starts__lte=on)


class Membership(models.Model):
    """A user's role over a whole street or over one community, for a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    street = models.ForeignKey(StreetOffice, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="memberships", verbose_name=_("街道"))
    community = models.ForeignKey(Community, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="memberships", verbose_name=_("社区"))
    is_leader = models.BooleanField(_("负责人"), default=False)
    starts = models.DateField(_("开始日期"), default=timezone.localdate)
    ends = models.DateField(_("结束日期"), null=True, blank=True)
    history = AuditTrail()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="street_staff", street__isnull=False, community__isnull=True)
                    | Q(role__in=["committee", "supervision"], street__isnull=True, community__isnull=False)
                ),
                violation_error_message=_("街道工作人员任职于街道，居委会成员和监督小组成员任职于社区"),
            ),
            models.CheckConstraint(
                name="membership_ends_after_start", condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                violation_error_message=_("任职结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.street or self.community}"


class AccountAction(models.TextChoices):
    CREATED = "created", _("开设账户")
    MEMBERSHIP_GIVEN = "membership_given", _("授予任职")
    MEMBERSHIP_ENDED = "membership_ended", _("结束任职")
    PASSWORD_RESET = "password_reset", _("重设密码")


class AccountEvent(models.Model):
    """What street staff did to an account of their street, kept for the street's audit page (/audit/): the
    auth user table has no history of its own, and a membership alone does not say who opened the account."""

    street = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="account_events",
                               verbose_name=_("街道"))
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events",
                                verbose_name=_("账户"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=20, choices=AccountAction.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = AuditTrail()

    audit_street_path = "street"

    class Meta:
        verbose_name = _("账户操作记录")
        verbose_name_plural = _("账户操作记录")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(name="account_event_action_known", condition=Q(action__in=AccountAction.values),
                                   violation_error_message=_("账户操作不在可选范围内")),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.by} {self.get_action_display()} {self.account}"


class PasswordChangeDue(models.Model):
    """The account's password was set by someone else (a new account, a reset): its owner must choose their own
    before any other page (docs/security.md, Accounts)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="password_change_due", verbose_name=_("用户"))
    since = models.DateTimeField(_("起始时间"), default=timezone.now)
    history = AuditTrail()

    class Meta:
        verbose_name = _("待修改密码")
        verbose_name_plural = _("待修改密码")

    def __str__(self):
        return str(self.user)


class SensitiveAccess(models.Model):
    """A logged act on personal data: revealing, looking up or changing an ID or phone number, exporting."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("查看完整号码")
        EXPORT = "export", _("导出个人信息")
        ACCESS_REQUEST = "access_request", _("个人信息查阅请求")
        # Finding someone by a number confirms the number to whoever typed it, so it is logged like a reveal.
        SEARCH = "search", _("按号码查询居民")
        CHANGE = "change", _("修改证件号码或电话")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("用户"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("社区"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    subject = models.CharField(_("对象"), max_length=200)
    reason = models.CharField(_("事由"), max_length=200)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("敏感信息访问记录")
        verbose_name_plural = _("敏感信息访问记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.subject}"


class DocumentCounter(models.Model):
    """The last document number (文号) an issuer used in a year: 〔2024〕第3号."""

    issuer = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="document_counter_unique",
                                               violation_error_message=_("该发文机关本年度已有文号计数"))]

    def __str__(self):
        return f"{self.issuer} {self.year}: {self.last}"


class Job(models.Model):
    """Long work run in the background (an import, a large PDF) with its progress and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("用户"))
    community = models.ForeignKey(Community, null=True, blank=True, on_delete=models.CASCADE,
                                  verbose_name=_("社区"))
    title = models.CharField(_("任务"), max_length=200)
    func = models.CharField(max_length=200)
    params = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("说明"), blank=True)
    errors = models.JSONField(default=list, blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    next_url = models.CharField(max_length=300, blank=True)
    # The job's messages and files are written in the language of the user who started it, also when a
    # worker process without a request runs it.
    language = models.CharField(max_length=15, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(name="job_done_within_total", condition=Q(done__lte=models.F("total"))
                                   | Q(total=0), violation_error_message=_("已完成数不能多于总数")),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ThrottleCount(models.Model):
    """How often something happened in a window that ends at `expires_at`: feedback posts from one address,
    failed logins of one username, uses of one feedback form. In the database so that every gunicorn worker and
    every server counts together (see org.throttle)."""

    scope = models.CharField(max_length=40)
    # The SHA-256 of what is counted (an address, a username, a form's nonce): one length for any of them.
    key = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_count_unique",
                                               violation_error_message=_("该计数已经存在"))]

    def __str__(self):
        return f"{self.scope} {self.key[:8]}: {self.count}"
