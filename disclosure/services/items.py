"""An item's life: drafting, review and signature, scheduling and publication on the 10th, corrections,
withdrawal, official notices and attachments."""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_tasks import default_task_backend

from lib.dates import DateChecks
from org.models import Community, Membership, Role

from ..models import (
    CADENCE,
    TERM_CATEGORIES,
    Attachment,
    Cadence,
    Category,
    DisclosureRequest,
    Item,
    Status,
    SupervisionMember,
)
from ..tasks import publish_due_items
from .calendar import PUBLICATION_DAY, add_months, archive_year, month_end, publication_date
from .text import _check_no_personal_data, redact, render_body, sanitize_html

logger = logging.getLogger(__name__)
PUBLICATION_TIME = datetime.time(0, 5)  # the queued publication of a board day runs just after midnight
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Magic numbers of the accepted attachment types: the browser's declared type is not trusted.
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


# ---------------------------------------------------------------------------------------------- items

def _content_digest(item: Item) -> str:
    """The signature: a keyed HMAC of what the leader signed, who signed and when (docs/security.md).

    Keyed with JUWEI_SIGNATURE_KEY, which is not in the database: whoever can rewrite the row cannot
    compute a digest that publication will accept."""
    signed = "\n".join([str(item.pk), item.category, item.title, item.period_start.isoformat(),
                        item.period_end.isoformat(), item.body, str(item.signed_by_id), item.signature_name,
                        item.signed_at.astimezone(datetime.UTC).isoformat() if item.signed_at else ""])
    return hmac.new(settings.SIGNATURE_KEY.encode(), signed.encode(), hashlib.sha256).hexdigest()


def _signature_holds(item: Item) -> bool:
    if item.signed_at is None or item.signed_by_id is None or not item.signature_digest:
        return False
    return hmac.compare_digest(item.signature_digest, _content_digest(item))


def _check_editable(item: Item) -> None:
    if item.status != Status.DRAFT:
        raise ValidationError(_("只有草稿可以修改；已提交或已签字的事项请先退回"))


def _whole_period(cadence: str, start: datetime.date, end: datetime.date) -> bool:
    if cadence == Cadence.MONTH:
        return start.day == 1 and end == month_end(start)
    if cadence == Cadence.QUARTER:
        return start.day == 1 and start.month % 3 == 1 and end == month_end(add_months(start, 2))
    if cadence == Cadence.YEAR:
        return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    return True


_PERIOD_SHAPES = {Cadence.MONTH: pgettext_lazy("period", "一个自然月（1日至月末）"),
                  Cadence.QUARTER: pgettext_lazy("period", "一个季度（1月、4月、7月或10月1日起的三个月）"),
                  Cadence.YEAR: pgettext_lazy("period", "一个年度（1月1日至12月31日）")}


def check_period(*, category: str, period_start: datetime.date, period_end: datetime.date,
                 today: datetime.date | None = None) -> None:
    """The period an item reports on: in order, begun, and for monthly, quarterly and yearly items one whole
    calendar month, quarter or year that is over (docs/domain.md, Disclosure: dates)."""
    dates = DateChecks(today)
    dates.not_before("period_end", _("所属期间结束日期"), period_end, _("开始日期"), period_start)
    dates.not_future("period_start", _("所属期间开始日期"), period_start)
    cadence = CADENCE[category]
    if cadence in _PERIOD_SHAPES and period_end >= period_start:
        label = Category(category).label
        if not _whole_period(cadence, period_start, period_end):
            dates.errors.setdefault("period_end", []).append(_(
                "%(category)s%(cadence)s公开，所属期间应为%(shape)s，现为 %(start)s 至 %(end)s") % {
                "category": label, "cadence": Cadence(cadence).label, "shape": _PERIOD_SHAPES[cadence],
                "start": period_start.isoformat(), "end": period_end.isoformat()})
        elif period_end >= dates.today:
            dates.errors.setdefault("period_end", []).append(_(
                "所属期间至 %(end)s 尚未结束：%(category)s在期间结束后公开") % {
                "end": period_end.isoformat(), "category": label})
    dates.check()


def _clean_fields(*, category: str, title: str, period_start: datetime.date, period_end: datetime.date) -> None:
    if category not in Category.values:
        raise ValidationError({"category": _("类别无效")})
    if not title.strip():
        raise ValidationError({"title": _("请填写标题")})
    check_period(category=category, period_start=period_start, period_end=period_end)


@transaction.atomic
def create_item(*, community: Community, category: str, title: str, period_start: datetime.date,
                period_end: datetime.date, body: str = "", user=None, source=None, corrects: Item | None = None,
                request: DisclosureRequest | None = None) -> Item:
    """A new draft item of `community`."""
    _clean_fields(category=category, title=title, period_start=period_start, period_end=period_end)
    if category == Category.ELECTION:
        raise ValidationError({"category": _("选举公告由选举委员会直接发布")})
    if corrects is not None and (corrects.community_id != community.pk or corrects.status != Status.PUBLISHED):
        raise ValidationError(_("只能更正本社区已公开的事项"))
    if request is not None and request.community_id != community.pk:
        raise ValidationError(_("公开要求不属于本社区"))
    rendered = render_body(body)
    _check_no_personal_data(community=community, title=title, body=rendered)
    item = Item(community=community, category=category, title=title.strip(), period_start=period_start,
                period_end=period_end, body_source=body, body=rendered, created_by=user, corrects=corrects,
                request=request)
    if source is not None:
        item.source_type = ContentType.objects.get_for_model(source)
        item.source_id = source.pk
    item.save()
    return item


@transaction.atomic
def update_item(*, item: Item, title: str, period_start: datetime.date, period_end: datetime.date, body: str,
                category: str | None = None, user=None) -> Item:
    """Change a draft; a returned item is a draft again, so its comments stay until it is resubmitted.

    `body` is what the clerk typed (Markdown, or the HTML of an item written before Markdown)."""
    item = Item.objects.select_for_update().select_related("community__street").get(pk=item.pk)
    _check_editable(item)
    category = category or item.category
    _clean_fields(category=category, title=title, period_start=period_start, period_end=period_end)
    rendered = render_body(body)
    _check_no_personal_data(community=item.community, title=title, body=rendered)
    item.category, item.title, item.body_source, item.body = category, title.strip(), body, rendered
    item.period_start, item.period_end = period_start, period_end
    item.save()
    return item


@transaction.atomic
def delete_draft(*, item: Item, user=None) -> None:
    """Delete a draft that was never submitted; anything further along stays on record."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Status.DRAFT:
        raise ValidationError(_("只能删除草稿；已公开的事项不能删除"))
    for attachment in item.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()
    item.delete()


@transaction.atomic
def correct_item(*, item: Item, user=None) -> Item:
    """A correction: a new draft pointing to the published item, which itself stays as it was."""
    if item.status != Status.PUBLISHED:
        raise ValidationError(_("只能更正已公开的事项；未公开的事项可直接修改"))
    if item.official_notice:
        raise ValidationError(_("选举公告由选举委员会更正"))
    # The title goes up on the public board: it is written in the board's language, whoever corrects.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("更正：%(title)s") % {"title": item.title}
    return create_item(community=item.community, category=item.category, title=title,
                       period_start=item.period_start, period_end=item.period_end,
                       body=item.body_source or item.body, user=user,
                       source=item.source, corrects=item, request=item.request)


@transaction.atomic
def submit_item(*, item: Item, user=None) -> Item:
    """Send a draft to the supervision group for review."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Status.DRAFT:
        raise ValidationError(_("只有草稿可以提交审核"))
    if not item.body.strip() and not item.attachments.exists():
        raise ValidationError(_("正文和附件都为空，不能提交"))
    item.status, item.submitted_at = Status.SUBMITTED, timezone.now()
    item.save()
    return item


def supervision_leader_name(*, user, community: Community) -> str | None:
    """The name the user signs with if they lead the community's supervision group today, else None."""
    today = timezone.localdate()
    is_leader = Membership.objects.active(today).filter(user=user, community=community, role=Role.SUPERVISION,
                                                        is_leader=True).exists()
    if not is_leader:
        return None
    seat = SupervisionMember.objects.filter(user=user, group__community=community, is_leader=True).order_by(
        "-group__elected_on").first()
    return seat.name if seat else (user.get_full_name() or user.get_username())


@transaction.atomic
def sign_item(*, item: Item, user) -> Item:
    """The supervision group's leader signs a reviewed item: signature, time and what was signed are recorded."""
    item = Item.objects.select_for_update().select_related("community__street").get(pk=item.pk)
    if item.status != Status.SUBMITTED:
        raise ValidationError(_("只有待审核的事项可以签字"))
    name = supervision_leader_name(user=user, community=item.community)
    if name is None:
        raise ValidationError(_("只有本社区居务监督小组组长可以签字"))
    # Checked again at signature: an item drafted before today's check, or a rule that has grown since.
    _check_no_personal_data(community=item.community, title=item.title, body=item.body, keyed=False)
    item.status, item.signed_by, item.signature_name = Status.REVIEWED, user, name
    item.signed_at, item.review_comments = timezone.now(), ""
    item.signature_digest = _content_digest(item)  # after signed_at: the time is part of what is signed
    item.save()
    return item


@transaction.atomic
def return_item(*, item: Item, user, comments: str) -> Item:
    """The supervision group sends an item back to the committee with its comments."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Status.SUBMITTED:
        raise ValidationError(_("只有待审核的事项可以退回"))
    if not Membership.objects.active().filter(user=user, community=item.community_id,
                                               role=Role.SUPERVISION).exists():
        raise ValidationError(_("只有本社区居务监督小组成员可以退回"))
    if not comments.strip():
        raise ValidationError({"comments": _("请写明退回意见")})
    item.status, item.review_comments, item.submitted_at = Status.DRAFT, comments.strip(), None
    item.save()
    return item


@transaction.atomic
def schedule_item(*, item: Item, user=None, today: datetime.date | None = None) -> Item:
    """Put a signed item on the next board (the 10th); items of longer cadence go up with that month's."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Status.REVIEWED or item.signed_at is None:
        raise ValidationError(_("未经监督小组组长签字的事项不能排入公开"))
    day = publication_date(today or timezone.localdate())
    _check_board_day(item, day)
    item.status, item.scheduled_for = Status.SCHEDULED, day
    item.save()
    day = item.scheduled_for
    transaction.on_commit(lambda: queue_publication(day=day))
    return item


def _check_board_day(item: Item, day: datetime.date) -> None:
    # A report goes up once its period is over; term items announce the term (constraint
    # disclosure_item_board_day_after_period).
    if item.category not in TERM_CATEGORIES and day <= item.period_end:
        raise ValidationError(_("公开日期 %(day)s 不在所属期间结束（%(end)s）之后：期间结束后才能公开") % {
            "day": day.isoformat(), "end": item.period_end.isoformat()})


@transaction.atomic
def withdraw_item(*, item: Item, user, reason: str, today: datetime.date | None = None) -> Item:
    """Take a scheduled item off its coming board before the board day: it becomes a draft again, unsigned,
    with the reason, who and when recorded (docs/domain.md, Disclosure: workflow)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    today = today or timezone.localdate()
    if item.status != Status.SCHEDULED:
        raise ValidationError(_("只有待公开（已排入公开栏）的事项可以撤回；已公开的事项请发布更正"))
    if today >= item.scheduled_for:
        raise ValidationError(_("公开日期 %(day)s 已到，不能撤回；公开后请发布更正") % {
            "day": item.scheduled_for.isoformat()})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤回原因")})
    item.status, item.scheduled_for, item.submitted_at = Status.DRAFT, None, None
    item.signed_by, item.signature_name, item.signature_digest, item.signed_at = None, "", "", None
    item.withdrawn_at, item.withdrawn_by, item.withdrawal_reason = timezone.now(), user, reason.strip()
    item.save()
    return item


def queue_publication(*, day: datetime.date) -> bool:
    """Queue the board day's publication in the task worker (00:05 that day); False where the backend runs
    tasks at once and cannot defer them (a development checkout: there `publish_due_items` does it)."""
    if not default_task_backend.supports_defer:
        return False
    at = timezone.make_aware(datetime.datetime.combine(day, PUBLICATION_TIME))
    publish_due_items.using(run_after=at).enqueue()
    return True


def _published_at(today: datetime.date) -> datetime.datetime:
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))


@transaction.atomic
def publish_item(*, item: Item, today: datetime.date) -> Item:
    """Publish one scheduled item on its board day; refused unless signed and unchanged since signature."""
    item = Item.objects.select_for_update().select_related("community__street").get(pk=item.pk)
    if item.status == Status.PUBLISHED:
        raise ValidationError(_("该事项已经公开"))
    if not _signature_holds(item):
        raise ValidationError(_("未经监督小组组长签字（或签字后内容被改动）的事项不能公开"))
    if item.status != Status.SCHEDULED or item.scheduled_for is None:
        raise ValidationError(_("该事项尚未排入公开"))
    if today < item.scheduled_for or today.day < PUBLICATION_DAY:
        raise ValidationError(_("公开栏每月10日更新，未到公开日期"))
    _check_board_day(item, today)
    _check_no_personal_data(community=item.community, title=item.title, body=item.body, keyed=False)
    item.status, item.published_at = Status.PUBLISHED, _published_at(today)
    item.archive_year = archive_year(published_on=today, period_end=item.period_end)
    item.save()
    return item


def publish_due(*, today: datetime.date) -> list[Item]:
    """Publish every scheduled item whose board day has come (run daily by `publish_due_items`).

    An item that publication refuses (its signature broken, personal data found) stays scheduled and is
    logged; it does not keep the other items off the board."""
    if today.day < PUBLICATION_DAY:
        return []
    due = Item.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=today).order_by("community_id",
                                                                                          "scheduled_for", "id")
    published = []
    for item in due:
        try:
            published.append(publish_item(item=item, today=today))
        except ValidationError as refused:
            logger.warning("disclosure item %s not published: %s", item.pk, "；".join(refused.messages))
    return published


@transaction.atomic
def post_official_notice(*, community: Community, title: str, body: str, source=None, user=None) -> Item:
    """Publish at once an official notice of the election committee (e.g. a result); no supervision sign-off."""
    if not title.strip():
        raise ValidationError({"title": _("请填写标题")})
    today = timezone.localdate()
    # Masked rather than refused: the notice is the election committee's and must go up at once.
    html = sanitize_html(body)
    item = Item(community=community, category=Category.ELECTION, title=redact(title.strip()), period_start=today,
                period_end=today, body_source=html, body=redact(html, is_html=True), status=Status.PUBLISHED,
                official_notice=True,
                published_at=timezone.now(), archive_year=today.year, created_by=user)
    if source is not None:
        item.source_type = ContentType.objects.get_for_model(source)
        item.source_id = source.pk
    item.save()
    return item


# ---------------------------------------------------------------------------------------------- attachments

def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in ATTACHMENT_SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


@transaction.atomic
def add_attachment(*, item: Item, upload, user=None) -> Attachment:
    """Attach a PDF or image (checked by its content, at most 10 MB) to an item not yet signed."""
    if item.status not in (Status.DRAFT,):
        raise ValidationError(_("只能给草稿添加附件"))
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("附件 %(name)s: 超过 10 MB") % {"name": upload.name}})
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError({"file": _("附件 %(name)s: 只接受 PDF、PNG 或 JPEG 文件") % {"name": upload.name}})
    name = upload.name.rsplit("/", 1)[-1][:200]
    attachment = Attachment(item=item, name=name, content_type=content_type, size=upload.size)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment
