"""Petitions to call a residents' meeting: 1/5 of adults, 1/5 of households or 1/3 of representatives."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import DateChecks
from lib.outcome import Outcome
from residents.models import Resident
from residents.services import adults, current_representatives

from ..models import Composition, Petition, PetitionSignature, PetitionStatus
from ..rules import PETITION_MEETING_DAYS

SHARE = {
    Composition.ADULTS: Fraction(1, 5),
    Composition.HOUSEHOLDS: Fraction(1, 5),
    Composition.REPRESENTATIVES: Fraction(1, 3),
}


@dataclass(frozen=True)
class PetitionCount:
    signatures: int  # the signatures that count (adults, distinct households, or representatives)
    base: int  # all adults, households or representatives
    share: Fraction

    @property
    def needed(self) -> int:
        """The smallest count that is at least the share of the base (五分之一以上 includes the fifth)."""
        return -(-self.base * self.share.numerator // self.share.denominator)

    @property
    def reached(self) -> bool:
        return self.base > 0 and self.signatures >= self.needed


def count_petition(petition: Petition, *, on: datetime.date) -> PetitionCount:
    community = petition.community
    signers = petition.signatures.values("resident_id")
    composition = Composition(petition.composition)
    if composition == Composition.REPRESENTATIVES:
        representatives = current_representatives(community=community, on=on)
        base = representatives.count()
        signatures = representatives.filter(id__in=signers).count()
    else:
        everyone = adults(community=community, on=on)
        if composition == Composition.ADULTS:
            base = everyone.count()
            signatures = everyone.filter(id__in=signers).count()
        else:
            base = everyone.values("household_id").distinct().count()
            signatures = everyone.filter(id__in=signers).values("household_id").distinct().count()
    return PetitionCount(signatures=signatures, base=base, share=SHARE[composition])


@transaction.atomic
def file_petition(*, community, composition: str, subject: str, filed_on: datetime.date) -> Petition:
    """Record a petition for a residents' meeting, filed on a day that has come."""
    DateChecks().not_future("filed_on", _("提出日期"), filed_on).check()
    return Petition.objects.create(community=community, composition=composition, subject=subject, filed_on=filed_on)


def meeting_due_by(petition: Petition) -> datetime.date | None:
    if petition.reached_on is None:
        return None
    return petition.reached_on + datetime.timedelta(days=PETITION_MEETING_DAYS)


@transaction.atomic
def add_signature(*, petition: Petition, resident: Resident, on: datetime.date) -> Outcome[PetitionCount]:
    """Add a signature; when the threshold is reached the residents' meeting becomes due, and the clerk is
    reminded to call it."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.status == PetitionStatus.CALLED:
        raise ValidationError(_("该提议已召开会议"))
    (DateChecks().not_future("on", _("签名日期"), on)
     .not_before("on", _("签名日期"), on, _("提议提出日期"), petition.filed_on).check())
    if resident.community_id != petition.community_id:
        raise ValidationError(_("%(name)s 不是本社区居民") % {"name": resident.name})
    if petition.composition == Composition.REPRESENTATIVES:
        if not current_representatives(community=petition.community, on=on).filter(pk=resident.pk).exists():
            raise ValidationError(_("%(name)s 不是现任居民代表或当然代表") % {"name": resident.name})
    elif not adults(community=petition.community, on=on).filter(pk=resident.pk).exists():
        raise ValidationError(_("%(name)s 不是在住的18周岁以上居民") % {"name": resident.name})
    if petition.signatures.filter(resident=resident).exists():
        raise ValidationError(_("%(name)s 已签名") % {"name": resident.name})
    PetitionSignature.objects.create(petition=petition, resident=resident, signed_on=on)
    count = count_petition(petition, on=on)
    if count.reached and petition.status == PetitionStatus.COLLECTING:
        petition.status, petition.reached_on = PetitionStatus.DUE, on
        petition.save(update_fields=["status", "reached_on"])
    return Outcome.of(count, _("签名已达法定人数，应及时召开居民会议") if count.reached else None)
