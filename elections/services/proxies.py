"""Written proxies (委托投票): registered before the rule set's deadline, limited per holder."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import CandidateStatus, Election, ElectionStatus, Proxy, VoterRollEntry
from .dates import check_deadline, today


def _is_candidate(election: Election, entry: VoterRollEntry) -> bool:
    candidates = election.candidates.exclude(status=CandidateStatus.DISQUALIFIED)
    return candidates.filter(resident_id=entry.resident_id).exists() or candidates.filter(
        resident__isnull=True, name=entry.resident.name).exists()


@transaction.atomic
def register_proxy(*, election: Election, principal: VoterRollEntry, holder: VoterRollEntry, reason: str = "",
                   on: datetime.date | None = None) -> Proxy:
    """Register a proxy: both are voters of this election, the holder is no candidate and under the limit."""
    on = on or today()
    election = Election.objects.select_for_update().select_related("rules").get(pk=election.pk)
    if election.status not in (ElectionStatus.ROLL_POSTED, ElectionStatus.CANDIDATES_POSTED):
        raise ValidationError(_("委托投票须在选民名单公布后、投票开始前登记。"))
    check_deadline(election=election, key="proxies", on=on, what=_("办理委托投票登记"))
    if principal.election_id != election.pk or holder.election_id != election.pk:
        raise ValidationError(_("委托人和受托人都必须是本次选举的登记选民。"))
    if principal.pk == holder.pk:
        raise ValidationError(_("不能委托本人。"))
    if Proxy.objects.filter(principal=principal).exists():
        raise ValidationError(_("%(name)s 已办理过委托。") % {"name": principal.resident.name})
    if Proxy.objects.filter(principal=holder).exists():
        raise ValidationError(_("%(name)s 本人已委托他人投票，不能再接受委托。") % {"name": holder.resident.name})
    if Proxy.objects.filter(holder=principal).exists():
        raise ValidationError(_("%(name)s 已接受他人委托，须亲自投票，不能再委托他人。") % {
            "name": principal.resident.name})
    if _is_candidate(election, holder):
        raise ValidationError(_("%(name)s 是候选人，不得接受委托投票。") % {"name": holder.resident.name})
    if on > today():
        raise ValidationError(_("登记日期%(on)s晚于今天。") % {"on": on.isoformat()})
    if election.roll_posted_on and on < election.roll_posted_on:
        raise ValidationError(_("登记日期早于选民名单公布日期。"))
    held = Proxy.objects.filter(holder=holder).count()
    limit = election.rules.proxy_limit
    if held >= limit:
        raise ValidationError(_("%(name)s 已接受%(held)s人委托，每名选民接受委托不得超过%(limit)s人。") % {
            "name": holder.resident.name, "held": held, "limit": limit})
    serial = (Proxy.objects.filter(election=election).aggregate(m=Max("serial"))["m"] or 0) + 1
    return Proxy.objects.create(election=election, principal=principal, holder=holder, registered_on=on,
                                reason=(reason or "").strip(), serial=serial)

