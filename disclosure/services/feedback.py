"""Residents' feedback on published items and their requests to publish something."""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import DateChecks
from org.models import Community, Membership, Role
from residents.services import adults, current_representatives

from ..models import DisclosureRequest, Feedback, Item, RequestBasis, Status
from .calendar import publication_date

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
