"""Business rules of disclosure (居务公开): drafting, review and signature, publication on the 10th,
corrections, feedback, residents' requests, the supervision group and the due calendar."""

import datetime
import hashlib
import hmac
import logging
import math
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_tasks import default_task_backend
from markdown_it import MarkdownIt

from committee.models import CommitteeMember, Term
from committee.services.dates import DateChecks
from org.models import Community, Membership, Role
from residents.models import Relation, Resident
from residents.services import adults, current_representatives

from . import privacy
from .models import (
    CADENCE,
    TERM_CATEGORIES,
    Attachment,
    Cadence,
    Category,
    DisclosureRequest,
    Feedback,
    Item,
    RequestBasis,
    Status,
    SupervisionGroup,
    SupervisionMember,
)
from .tasks import publish_due_items

logger = logging.getLogger(__name__)

PUBLICATION_DAY = 10
PUBLICATION_TIME = datetime.time(0, 5)  # the queued publication of a board day runs just after midnight
MIN_MEMBERS, MAX_MEMBERS = 5, 7
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Magic numbers of the accepted attachment types: the browser's declared type is not trusted.
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}

# Rich text of an item: paragraphs, lists, emphasis and tables (monthly accounts), nothing executable.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "hr", "span",
}
ALLOWED_ATTRIBUTES = {"th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}, "col": {"span"}}


def sanitize_html(html: str) -> str:
    """The body with every tag and attribute outside the allowed set removed (scripts, styles, handlers)."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None).strip()


# Markdown as the clerk types it: paragraphs, line breaks, lists, emphasis and pipe tables. HTML in the source
# (the bodies of items written before Markdown) passes through to the sanitiser like the rest.
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable("table")


def render_body(source: str) -> str:
    """The body the board shows: `source` (Markdown or HTML) rendered, then sanitised."""
    return sanitize_html(_MARKDOWN.render(source or ""))


def redact(text: str, *, is_html: bool = False) -> str:
    """`text` with any personal data masked, for words that reach a public page unchecked (feedback, notices)."""
    return privacy.mask(text, privacy.scan(text, is_html=is_html))


def _public_numbers(community: Community) -> list[str]:
    # The office's own phone and the street's supervision hotline are published on purpose.
    return [community.phone, community.street.supervision_hotline]


def personal_data(*, community: Community, title: str, body: str) -> dict[str, list[privacy.Finding]]:
    """Personal data in a title (plain text) and a body (HTML), by field (docs/domain.md, Disclosure:
    personal data); residents of the community are recognised by name next to a room number."""
    names = list(Resident.objects.filter(community=community).values_list("name", flat=True))
    allowed = _public_numbers(community)
    found = {"title": privacy.scan(title, is_html=False, allowed_numbers=allowed, names=names),
             "body": privacy.scan(body, is_html=True, allowed_numbers=allowed, names=names)}
    return {field: findings for field, findings in found.items() if findings}


def personal_data_in(item: Item) -> dict[str, list[privacy.Finding]]:
    return personal_data(community=item.community, title=item.title, body=item.body)


def _messages(found: dict[str, list[privacy.Finding]]) -> dict[str, list[str]]:
    where = {"title": _("标题"), "body": _("正文")}
    return {field: [_("%(where)s含有%(kind)s：%(snippet)s。公开内容不得含有个人信息，请删除") % {
        "where": where[field], "kind": f.label, "snippet": f.marked} for f in findings]
        for field, findings in found.items()}


def _check_no_personal_data(*, community: Community, title: str, body: str, keyed: bool = True) -> None:
    # A minimum-income list names people, never their ID numbers, phones, birth dates or homes (docs/domain.md,
    # Residents registry: masking and reveal; Disclosure: personal data).
    found = personal_data(community=community, title=title, body=body)
    if found:
        messages = _messages(found)
        raise ValidationError(messages if keyed else [m for rows in messages.values() for m in rows])


# ---------------------------------------------------------------------------------------------- periods

def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return add_months(day, 1) - datetime.timedelta(days=1)


def publication_date(day: datetime.date) -> datetime.date:
    """The next board day (the 10th) on or after `day`."""
    if day.day <= PUBLICATION_DAY:
        return day.replace(day=PUBLICATION_DAY)
    return add_months(day, 1).replace(day=PUBLICATION_DAY)


def archive_year(*, published_on: datetime.date, period_end: datetime.date) -> int:
    """The year an item is archived under: items published in January about the previous year belong to it."""
    if published_on.month == 1 and period_end.year < published_on.year:
        return published_on.year - 1
    return published_on.year


def term_period(term: Term) -> tuple[datetime.date, datetime.date]:
    ends = term.ends or (term.starts.replace(year=term.starts.year + 3) - datetime.timedelta(days=1))
    return term.starts, ends


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


# ---------------------------------------------------------------------------------------------- feedback

@transaction.atomic
def leave_feedback(*, item: Item, text: str, name: str = "", contact: str = "") -> Feedback:
    """A resident's feedback on a published item; name and contact are optional."""
    if item.status != Status.PUBLISHED:
        raise ValidationError(_("只能对已公开的事项提意见"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写意见")})
    if len(text) > 2000:
        raise ValidationError({"text": _("意见不能超过2000字")})
    # A browser's Back button reloads the form with a fresh token and the text still filled in: the same
    # words on the same item within the hour are the same feedback sent twice, not a second opinion.
    recent = timezone.now() - datetime.timedelta(hours=1)
    if Feedback.objects.filter(item=item, text=text, received_at__gte=recent).exists():
        raise ValidationError({"text": _("这条意见已经收到，不必重复提交。")})
    return Feedback.objects.create(item=item, text=text, name=name.strip()[:50], contact=contact.strip()[:100])


@transaction.atomic
def answer_feedback(*, feedback: Feedback, user, answer: str) -> Feedback:
    """The committee's answer, shown under the item on the public board."""
    feedback = Feedback.objects.select_for_update().select_related("item").get(pk=feedback.pk)
    if not Membership.objects.active().filter(user=user, community=feedback.item.community_id,
                                               role=Role.COMMITTEE).exists():
        raise ValidationError(_("只有本社区居委会成员可以答复"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复")})
    if feedback.answered_at:
        raise ValidationError(_("该意见已经答复"))
    feedback.answer, feedback.answered_by, feedback.answered_at = answer.strip(), user, timezone.now()
    feedback.save()
    return feedback


@transaction.atomic
def mark_feedback_seen(*, feedback: Feedback, user) -> Feedback:
    """The supervision group notes that it has read a feedback."""
    if feedback.seen_by_supervision_at is None:
        feedback.seen_by_supervision_at = timezone.now()
        feedback.save(update_fields=["seen_by_supervision_at"])
    return feedback


# ---------------------------------------------------------------------------------------------- requests

def request_threshold(*, community: Community, basis: str, on: datetime.date) -> tuple[int, int]:
    """(base, required signatures): 1/10 of adult residents or 1/3 of representatives, rounded up."""
    if basis == RequestBasis.RESIDENTS:
        base = adults(community=community, on=on).count()
        return base, max(1, math.ceil(base / 10))
    if basis == RequestBasis.REPRESENTATIVES:
        base = current_representatives(community=community, on=on).count()
        return base, max(1, math.ceil(base / 3))
    raise ValidationError({"basis": _("提出方式无效")})


@transaction.atomic
def record_request(*, community: Community, subject: str, basis: str, signatures: int,
                   filed_on: datetime.date | None = None, user=None) -> DisclosureRequest:
    """Record a residents' request to publish something; with enough signatures it falls due on the next board."""
    filed_on = filed_on or timezone.localdate()
    if not subject.strip():
        raise ValidationError({"subject": _("请填写要求公开的事项")})
    DateChecks().not_future("filed_on", _("提出日期"), filed_on).check()
    base, required = request_threshold(community=community, basis=basis, on=filed_on)
    if signatures < required:
        label = RequestBasis(basis).label
        raise ValidationError({"signatures": _(
            "签名 %(signatures)s 人，不足%(basis)s（%(base)s 人中至少 %(required)s 人）") % {
            "signatures": signatures, "basis": label, "base": base, "required": required}})
    return DisclosureRequest.objects.create(
        community=community, subject=subject.strip(), basis=basis, signatures=signatures, base=base,
        required=required, filed_on=filed_on, due_on=publication_date(filed_on + datetime.timedelta(days=1)),
        recorded_by=user)


# ---------------------------------------------------------------------------------------------- supervision

# Relation of B to A when both live in one household, from their relations to its head (None: not close).
_CLOSE = {"spouse", "parent", "child", "sibling", "grandchild", "grandparent"}
_RELATIVE = {
    (Relation.HEAD, Relation.SPOUSE): "spouse", (Relation.HEAD, Relation.CHILD): "child",
    (Relation.HEAD, Relation.PARENT): "parent", (Relation.HEAD, Relation.SIBLING): "sibling",
    (Relation.HEAD, Relation.GRANDCHILD): "grandchild",
    (Relation.SPOUSE, Relation.HEAD): "spouse", (Relation.CHILD, Relation.HEAD): "parent",
    (Relation.PARENT, Relation.HEAD): "child", (Relation.SIBLING, Relation.HEAD): "sibling",
    (Relation.GRANDCHILD, Relation.HEAD): "grandparent",
    (Relation.SPOUSE, Relation.CHILD): "child", (Relation.SPOUSE, Relation.GRANDCHILD): "grandchild",
    (Relation.CHILD, Relation.SPOUSE): "parent", (Relation.GRANDCHILD, Relation.SPOUSE): "grandparent",
    (Relation.CHILD, Relation.CHILD): "sibling", (Relation.CHILD, Relation.PARENT): "grandparent",
    (Relation.PARENT, Relation.CHILD): "grandchild", (Relation.PARENT, Relation.PARENT): "spouse",
    (Relation.PARENT, Relation.SIBLING): "child", (Relation.SIBLING, Relation.PARENT): "parent",
    (Relation.SIBLING, Relation.SIBLING): "sibling",
    # A child and a grandchild of the head, or two grandchildren: the registry cannot tell a parent
    # from an uncle or a sibling from a cousin, so the group errs on the side of refusing.
    (Relation.CHILD, Relation.GRANDCHILD): "child", (Relation.GRANDCHILD, Relation.CHILD): "parent",
    (Relation.GRANDCHILD, Relation.GRANDCHILD): "sibling",
}
# Named inside a sentence ("……的配偶"), hence their own context for the lower-case English.
_RELATIVE_LABEL = {"spouse": pgettext_lazy("relative", "配偶"), "parent": pgettext_lazy("relative", "父母"),
                   "child": pgettext_lazy("relative", "子女"), "sibling": pgettext_lazy("relative", "兄弟姐妹"),
                   "grandchild": pgettext_lazy("relative", "孙子女"),
                   "grandparent": pgettext_lazy("relative", "祖父母")}


def committee_members_of(term: Term):
    return CommitteeMember.objects.filter(term=term, resident__isnull=False).select_related("resident")


def refusal_reason(*, resident: Resident, term: Term) -> str | None:
    """Why `resident` may not sit on the supervision group of `term` (a committee member or close relative)."""
    for member in committee_members_of(term):
        other = member.resident
        if other.pk == resident.pk:
            return _("%(name)s 是本届居委会成员") % {"name": resident.name}
        if other.household_id == resident.household_id:
            relative = _RELATIVE.get((other.relation, resident.relation))
            if relative in _CLOSE:
                return _("%(name)s 是居委会成员 %(member)s 的%(relative)s") % {
                    "name": resident.name, "member": other.name, "relative": _RELATIVE_LABEL[relative]}
    return None


@dataclass
class Nominee:
    resident: Resident
    is_leader: bool = False
    user: object = None


@transaction.atomic
def elect_supervision_group(*, term: Term, elected_on: datetime.date, nominees: list[Nominee], meeting=None,
                            user=None) -> SupervisionGroup:
    """Record the group the residents' meeting elected: 5 to 7 eligible residents, one leader, the committee's term."""
    community = term.community
    if SupervisionGroup.objects.filter(term=term).exists():
        raise ValidationError(_("本届居务监督小组已经选出"))
    (DateChecks().not_future("elected_on", _("居民会议选举日期"), elected_on)
     .not_after("elected_on", _("居民会议选举日期"), elected_on, _("本届结束日期"), term_period(term)[1]).check())
    if not MIN_MEMBERS <= len(nominees) <= MAX_MEMBERS:
        raise ValidationError(_("居务监督小组由 %(min)s 至 %(max)s 人组成，现有 %(count)s 人") % {
            "min": MIN_MEMBERS, "max": MAX_MEMBERS, "count": len(nominees)})
    if len({n.resident.pk for n in nominees}) != len(nominees):
        raise ValidationError(_("成员重复"))
    if sum(n.is_leader for n in nominees) != 1:
        raise ValidationError(_("须有且只有一名组长"))
    errors = []
    for number, nominee in enumerate(nominees, start=1):
        if nominee.resident.community_id != community.pk:
            errors.append(_("第 %(number)s 人 %(name)s: 不是本社区居民") % {
                "number": number, "name": nominee.resident.name})
            continue
        reason = refusal_reason(resident=nominee.resident, term=term)
        if reason:
            errors.append(_("第 %(number)s 人: %(reason)s，不能担任监督小组成员") % {
                "number": number, "reason": reason})
    if errors:
        raise ValidationError(errors)
    group = SupervisionGroup.objects.create(community=community, term=term, elected_on=elected_on, meeting=meeting)
    ends = term_period(term)[1]
    for nominee in nominees:
        SupervisionMember.objects.create(group=group, resident=nominee.resident, name=nominee.resident.name,
                                         is_leader=nominee.is_leader, user=nominee.user)
        if nominee.user is not None:
            Membership.objects.get_or_create(user=nominee.user, role=Role.SUPERVISION, community=community,
                                             defaults={"is_leader": nominee.is_leader, "starts": elected_on,
                                                       "ends": ends})
    return group


# ---------------------------------------------------------------------------------------------- calendar

class DueState:
    PUBLISHED = "published"
    READY = "ready"
    IN_PROGRESS = "in_progress"
    MISSING = "missing"


@dataclass
class DueEntry:
    community: Community
    category: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    item: Item | None = None
    request: DisclosureRequest | None = None
    late: bool = False
    state: str = DueState.MISSING
    extra: dict = field(default_factory=dict)

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def period_label(self) -> str:
        probe = Item(category=self.category, period_start=self.period_start, period_end=self.period_end)
        return probe.period_label


def _expected(month: datetime.date, terms: list[Term]) -> list[tuple[str, datetime.date, datetime.date]]:
    """(category, period start, period end) due on the board of `month`."""
    previous = add_months(month, -1)
    expected = []
    for category, cadence in CADENCE.items():
        if cadence == Cadence.MONTH:
            expected.append((category, previous, month_end(previous)))
        elif cadence == Cadence.QUARTER and month.month in (1, 4, 7, 10):
            start = add_months(month, -3)
            expected.append((category, start, month_end(previous)))
        elif cadence == Cadence.YEAR and month.month == 1:
            expected.append((category, datetime.date(month.year - 1, 1, 1), datetime.date(month.year - 1, 12, 31)))
        elif cadence == Cadence.TERM:
            # Term items go up on the first board after the term's first full month.
            for term in terms:
                if month_start(term.starts) == previous:
                    start, end = term_period(term)
                    expected.append((category, start, end))
    return expected


_RANK = {Status.PUBLISHED: 4, Status.SCHEDULED: 3, Status.REVIEWED: 3, Status.SUBMITTED: 2, Status.DRAFT: 1}


def _state(item: Item | None) -> str:
    if item is None:
        return DueState.MISSING
    if item.status == Status.PUBLISHED:
        return DueState.PUBLISHED
    if item.status in (Status.REVIEWED, Status.SCHEDULED):
        return DueState.READY
    return DueState.IN_PROGRESS


def due_calendar(*, communities, month: datetime.date, today: datetime.date) -> dict[int, list[DueEntry]]:
    """For each community: what the board of `month` must carry, by category and period, and how far it is.

    A fixed number of queries whatever the number of communities (items, terms and requests in one go each).
    """
    communities = list(communities)
    month = month_start(month)
    board_day = month.replace(day=PUBLICATION_DAY)
    ids = [c.pk for c in communities]
    terms = list(Term.objects.filter(community_id__in=ids, starts__gte=add_months(month, -1),
                                     starts__lt=month))
    expected = {c.pk: _expected(month, [t for t in terms if t.community_id == c.pk]) for c in communities}
    starts = {start for rows in expected.values() for _, start, _ in rows}
    items = Item.objects.filter(community_id__in=ids, period_start__in=starts).exclude(
        category__in=[Category.ELECTION, Category.ON_REQUEST]).only(
        "id", "community_id", "category", "period_start", "status", "title", "corrects_id")
    best: dict[tuple, Item] = {}
    for item in items:
        key = (item.community_id, item.category, item.period_start)
        if key not in best or _RANK[item.status] > _RANK[best[key].status]:
            best[key] = item
    requests = DisclosureRequest.objects.filter(community_id__in=ids, due_on__lte=board_day).exclude(
        items__status=Status.PUBLISHED, items__published_at__date__lt=month).prefetch_related("items")
    calendar: dict[int, list[DueEntry]] = {}
    for community in communities:
        entries = []
        for category, start, end in expected[community.pk]:
            item = best.get((community.pk, category, start))
            entries.append(DueEntry(community=community, category=category, period_start=start, period_end=end,
                                    due_on=board_day, item=item, state=_state(item)))
        for request in requests:
            if request.community_id != community.pk:
                continue
            ranked = sorted(request.items.all(), key=lambda i: _RANK[i.status], reverse=True)
            item = ranked[0] if ranked else None
            entries.append(DueEntry(community=community, category=Category.ON_REQUEST, period_start=request.filed_on,
                                    period_end=request.filed_on, due_on=request.due_on, item=item, request=request,
                                    state=_state(item)))
        for entry in entries:
            entry.late = entry.state != DueState.PUBLISHED and today > entry.due_on
        calendar[community.pk] = entries
    return calendar


# ---------------------------------------------------------------------------------------------- board

def current_board(*, community: Community, per_category: int = 3):
    """The latest published items of each category (one query, however long the history).

    The ranking runs over ids and dates only; the bodies are read for the few items that made it.
    """
    ranked = Item.objects.filter(community=community, status=Status.PUBLISHED).annotate(
        rank=Window(RowNumber(), partition_by=[F("category")], order_by=[F("published_at").desc(), F("id").desc()]),
    ).filter(rank__lte=per_category).values("id")
    return Item.objects.filter(pk__in=ranked).select_related("corrects").order_by("category", "-published_at", "-id")


def published_in_month(*, community: Community, year: int, month: int):
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime.combine(add_months(start.date(), 1), datetime.time()))
    return Item.objects.filter(community=community, status=Status.PUBLISHED, published_at__gte=start,
                               published_at__lt=end).order_by("published_at", "id")


def unanswered_feedback(*, communities):
    return Feedback.objects.filter(item__community__in=communities, answered_at__isnull=True)


def signable_items(*, communities):
    return Item.objects.filter(community__in=communities, status=Status.SUBMITTED)
