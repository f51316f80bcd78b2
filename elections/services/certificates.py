"""当选证书: numbered by the street office for each member the certified result elected, and printed."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.pdf import render_pdf
from org.services import next_document_number

from ..models import (
    Certificate,
    Certification,
    Election,
)
from .dates import today


def certificate_issuer_key(election: Election) -> str:
    """The street office's own number series (docs/domain.md, Organisation: document numbers): the certificates
    are the street's papers, not the election committee's."""
    return f"street:{election.community.street.code}"


def _certified_winners(election: Election) -> list[tuple[str, str, str]]:
    """(post code, post title, name) of everyone the certified result elected, post by post; refused before."""
    certification = Certification.objects.filter(election=election, certified_at__isnull=False).first()
    if certification is None:
        raise ValidationError(_("选举结果确认后才能颁发当选证书"))
    if not certification.result["valid"]:
        raise ValidationError(_("选举无效，无人当选，没有当选证书"))
    winners = [(p["code"], p["title"], name) for p in certification.result["positions"] for name in p["elected"]]
    if not winners:
        raise ValidationError(_("本次选举无人当选，没有当选证书"))
    return winners


@transaction.atomic
def issue_certificates(*, election: Election) -> list[Certificate]:
    """The street office numbers a 当选证书 for each elected member not yet given one (甘肃规程第四十三条: 街道办事处
    应向社区居民委员会成员颁发当选证书); a certificate keeps its number, so a reprint shows the same one."""
    # Two clerks issuing at once would both number the same winner: the election's row lock puts them in turn.
    Election.objects.select_for_update().filter(pk=election.pk).first()
    winners = _certified_winners(election)
    issued = {(c.position_code, c.name) for c in Certificate.objects.filter(election=election)}
    on = today()
    for code, title, name in winners:
        if (code, name) not in issued:
            Certificate.objects.create(
                election=election, position_code=code, title=title, name=name, issued_on=on,
                doc_number=next_document_number(issuer=certificate_issuer_key(election), year=on.year))
    return list(Certificate.objects.filter(election=election))


def numbering(*, election: Election, result: dict) -> dict:
    """What the certified result page says of the certificates: how many are numbered, their numbers as a span
    (〔2026〕第1–4号) when they run on, and whether every winner of `result` has one, so none is left to number."""
    numbers = list(Certificate.objects.filter(election=election).order_by("id").values_list("doc_number", flat=True))
    winners = sum(len(p["elected"]) for p in result["positions"]) if result["valid"] else 0
    return {"count": len(numbers), "numbers": _span(numbers), "complete": bool(numbers) and len(numbers) >= winners}


def _span(numbers: list[str]) -> str:
    """Numbers of one year's series issued one after another read as a range; any others are listed in full."""
    parts = [re.fullmatch(r"(.*第)(\d+)(号)", n) for n in numbers]
    if not numbers or not all(parts) or len({(m[1], m[3]) for m in parts}) != 1:
        return "、".join(numbers)
    first, last = int(parts[0][2]), int(parts[-1][2])
    if last - first + 1 != len(numbers) or [int(m[2]) for m in parts] != list(range(first, last + 1)):
        return "、".join(numbers)
    return numbers[0] if first == last else f"{parts[0][1]}{first}–{last}{parts[0][3]}"


def certificates_context(election: Election) -> dict:
    """One page per elected member: the issued certificate with its number, or an unnumbered draft."""
    issued = {(c.position_code, c.name): c for c in Certificate.objects.filter(election=election)}
    street = election.community.street
    pages = []
    for code, title, name in _certified_winners(election):
        certificate = issued.get((code, name))
        pages.append({
            "name": name, "doc_number": certificate.doc_number if certificate else "",
            "date": certificate.issued_on if certificate else today(),
            "text": _("在%(community)s第%(term)s届居民委员会%(kind)s中，当选为%(community)s居民委员会%(title)s。") % {
                "community": election.community.name, "term": election.term_number,
                "kind": election.get_kind_display(), "title": title}})
    return {"issuer": street.name, "title": _("当选证书"), "pages": pages}


def render_certificates(election: Election) -> bytes:
    return render_pdf("elections/pdf/certificates.html", certificates_context(election))
