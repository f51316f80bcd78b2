"""The handover list with the street present (docs/domain.md, Handover with the street present): street staff open
it and write its items, each item is confirmed by the outgoing side, the incoming side and the street's supervisor,
the street attaches the audit note of the outgoing term; the list is then complete and frozen."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from org.access import STAFF, community_ids
from org.dashboard import Todo
from org.models import Membership, Role

from ..models import (
    CommitteeMember,
    Handover,
    HandoverConfirmation,
    HandoverFrozen,
    HandoverItem,
    HandoverSide,
    Term,
)
from ..models.handover import MONEY_KINDS

MAX_AUDIT_BYTES = 10 * 1024 * 1024
# The audit report is a scan or a PDF: its first bytes say what it is, whatever its name claims.
AUDIT_SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def _locked(handover: Handover) -> Handover:
    """The list, locked: two people confirming the last two items at once must not both miss the completion."""
    handover = Handover.objects.select_for_update().select_related("community", "outgoing", "incoming").get(
        pk=handover.pk)
    if handover.completed_at:
        raise HandoverFrozen()
    return handover


@transaction.atomic
def open_handover(*, incoming: Term, due: datetime.date | None, by) -> Handover:
    """Street staff open the list to the incoming term from the term before it, with the election's deadline."""
    outgoing = (Term.objects.filter(community_id=incoming.community_id, number__lt=incoming.number)
                .order_by("-number").first())
    if outgoing is None:
        raise ValidationError(_("本社区没有上一届居委会，无需移交"))
    if Handover.objects.filter(incoming=incoming).exists():
        raise ValidationError(_("%(term)s的移交清单已经建立") % {"term": incoming})
    return Handover.objects.create(community_id=incoming.community_id, outgoing=outgoing, incoming=incoming,
                                   due=due, opened_by=by)


@transaction.atomic
def add_item(*, handover: Handover, kind: str, description: str, quantity: int | None = None, unit: str = "",
             amount=None, note: str = "") -> HandoverItem:
    """A line of the list: claims and debts (债权债务) by amount, everything else by quantity; a field of the other
    way is refused rather than dropped, so that what the clerk typed is never silently lost. The same item (kind and
    description alike, spaces aside) is written once: a second seal is a quantity of two, not a second line."""
    handover = _locked(handover)
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("请填写名称及说明")})
    if kind in MONEY_KINDS:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("债权、债务须填写大于零的金额")})
        if quantity is not None:
            raise ValidationError({"quantity": _("债权、债务按金额登记，不填数量")})
        unit = ""
    else:
        if not quantity:
            raise ValidationError({"quantity": _("移交物品须填写数量")})
        if amount is not None:
            raise ValidationError({"amount": _("移交物品按数量登记，金额只用于债权、债务")})
    same = _spaceless(description)
    written = next((w for w in handover.items.filter(kind=kind) if _spaceless(w.description) == same), None)
    if written is not None:
        named = {"kind": written.get_kind_display(), "item": written.description, "unit": written.unit or _("件")}
        if kind in MONEY_KINDS:
            raise ValidationError({"description": _("清单中已有 %(kind)s“%(item)s”，请改金额或写明两者的区别") % named})
        raise ValidationError({"description": _("清单中已有 %(kind)s“%(item)s”，如有两%(unit)s请改数量") % named})
    return HandoverItem.objects.create(handover=handover, kind=kind, description=description, quantity=quantity,
                                       unit=unit.strip(), amount=amount, note=note.strip())


def _spaceless(text: str) -> str:
    """A description as compared for sameness: without any space, half- or full-width (“居委 会公章” = “居委会公章”)."""
    return "".join(text.split())


@transaction.atomic
def remove_item(*, item: HandoverItem) -> None:
    """A line written in error leaves the list, but only before anyone has confirmed it."""
    _locked(item.handover)
    if item.confirmations.exists():
        raise ValidationError(_("该项目已有确认，不能删除"))
    item.delete()


def seat_for(*, handover: Handover, side: str, user) -> CommitteeMember | None:
    """The seat of the side's term whose login is `user`: the named person who confirms for that side."""
    term_id = handover.outgoing_id if side == HandoverSide.OUTGOING else handover.incoming_id
    return CommitteeMember.objects.filter(term_id=term_id, user=user).first()


def is_supervisor(*, handover: Handover, user) -> bool:
    """Street staff of the community's street supervise the handover (监交)."""
    return Membership.objects.active().filter(user=user, role=Role.STREET_STAFF,
                                              street_id=handover.community.street_id).exists()


@transaction.atomic
def confirm(*, item: HandoverItem, side: str, user) -> HandoverConfirmation:
    """One side confirms one item. The outgoing and incoming sides confirm through the login of a seat of their
    term (the member names themself); the supervisor through a street-staff login of the community's street.
    A side confirms an item once, an account confirms it for one side only."""
    handover = _locked(item.handover)
    item = HandoverItem.objects.get(pk=item.pk, handover=handover)
    seat = None
    if side == HandoverSide.STREET:
        if not is_supervisor(handover=handover, user=user):
            raise ValidationError(_("只有本街道工作人员可以作为监交人确认"))
    elif side in (HandoverSide.OUTGOING, HandoverSide.INCOMING):
        seat = seat_for(handover=handover, side=side, user=user)
        if seat is None:
            term = handover.outgoing if side == HandoverSide.OUTGOING else handover.incoming
            raise ValidationError(_("您的账号不是%(term)s居委会成员的登录账号，不能代表%(side)s确认") % {
                "term": term, "side": HandoverSide(side).label})
    else:
        raise ValidationError(_("未知的确认方"))
    done = {c.side: c for c in item.confirmations.all()}
    if side in done:
        raise ValidationError(_("%(side)s已经确认过“%(item)s”") % {"side": HandoverSide(side).label,
                                                                 "item": item.description})
    if any(c.confirmed_by_id == user.pk for c in done.values()):
        raise ValidationError(_("您已为另一方确认过“%(item)s”，同一账号不能为两方确认") % {
            "item": item.description})
    confirmation = HandoverConfirmation.objects.create(item=item, side=side, seat=seat, confirmed_by=user)
    _complete_if_ready(handover)
    return confirmation


def audit_content_type(handle) -> str | None:
    """The type of an audit report by its first bytes (None: not a PDF, PNG or JPEG); the handle is rewound."""
    head = handle.read(16)
    handle.seek(0)
    return next((kind for magic, kind in AUDIT_SIGNATURES.items() if head.startswith(magic)), None)


@transaction.atomic
def attach_audit(*, handover: Handover, note: str = "", upload=None, user) -> Handover:
    """The street attaches the audit of the outgoing term's finances (离任审计): a text, a file (PDF or scan), or
    both; attaching again replaces it until the list is complete."""
    handover = _locked(handover)
    note = note.strip()
    if not note and upload is None:
        raise ValidationError(_("请填写离任审计说明或上传审计报告"))
    if upload is not None:
        if upload.size > MAX_AUDIT_BYTES:
            raise ValidationError({"upload": _("审计报告超过 10 MB")})
        if audit_content_type(upload) is None:
            raise ValidationError({"upload": _("审计报告只接受 PDF、PNG 或 JPEG 文件")})
        handover.audit_file.save(upload.name.rsplit("/", 1)[-1][:100], upload, save=False)
    handover.audit_note = note
    handover.audit_by, handover.audit_at = user, timezone.now()
    handover.save()
    _complete_if_ready(handover)
    return handover


@dataclass
class Progress:
    items: int
    confirmed: dict  # side -> number of items that side has confirmed
    missing: list  # what still stands between the list and its completion, in words

    @property
    def ready(self) -> bool:
        return not self.missing


def progress(handover: Handover) -> Progress:
    """How far the list is: the items, each side's confirmations, what is still missing."""
    items = handover.items.count()
    by_side = dict(HandoverConfirmation.objects.filter(item__handover=handover).values_list("side")
                   .annotate(n=Count("id")).values_list("side", "n"))
    confirmed = {side: by_side.get(side, 0) for side in HandoverSide.values}
    missing = []
    if not items:
        missing.append(_("清单还没有项目"))
    for side in HandoverSide:
        if confirmed[side] < items:
            missing.append(_("%(side)s还有%(n)s项未确认") % {"side": side.label, "n": items - confirmed[side]})
    if not handover.has_audit:
        missing.append(_("尚未附上离任审计说明"))
    return Progress(items=items, confirmed=confirmed, missing=missing)


def _complete_if_ready(handover: Handover) -> None:
    if progress(handover).ready:
        handover.completed_at = timezone.now()
        handover.save(update_fields=["completed_at"])
        _end_outgoing_logins(handover)


def _end_outgoing_logins(handover: Handover) -> None:
    """The outgoing members' logins kept their committee membership after the new term began, so that they could
    confirm the handover; with the list complete, those not seated in the new term lose it today (saved one by one
    so that the audit trail keeps each)."""
    outgoing = set(CommitteeMember.objects.filter(term=handover.outgoing, user__isnull=False)
                   .values_list("user_id", flat=True))
    staying = set(CommitteeMember.objects.filter(term=handover.incoming, ends__isnull=True, user__isnull=False)
                  .values_list("user_id", flat=True))
    today = timezone.localdate()
    for membership in Membership.objects.active(today).filter(user_id__in=outgoing - staying, role=Role.COMMITTEE,
                                                              community_id=handover.community_id):
        membership.ends = today
        membership.save(update_fields=["ends"])


def is_late(handover: Handover, today: datetime.date) -> bool:
    """Completed after the deadline, or still open past it."""
    if handover.due is None:
        return False
    done = timezone.localdate(handover.completed_at) if handover.completed_at else today
    return done > handover.due


def handover_todos(*, user, communities) -> list[Todo]:
    """Dashboard: open handover lists, with the election's deadline, for the staff who work on them."""
    today = timezone.localdate()
    staff = community_ids(user, STAFF)
    pending = Handover.objects.filter(community__in=[c for c in communities if c.pk in staff],
                                      completed_at__isnull=True).select_related(
        "community", "incoming")
    return [Todo(text=_("%(term)s工作移交清单：三方确认并附离任审计说明") % {"term": h.incoming},
                 url=f"/committee/handovers/{h.pk}/", due=h.due, late=is_late(h, today), community=h.community.name)
            for h in pending]

