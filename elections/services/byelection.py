"""补选: a seat left vacant during the term (resignation, recall, automatic end) is filled by an election that
goes through the whole machinery (roll, nominations, papers, voting, tally, certification) with only the vacant
seats as its positions; its winners join the sitting term until that term ends (docs/domain.md, Term's life)."""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import CommitteeMember, Term
from committee.services import current_term

from ..models import Certification, Election, ElectionKind, ElectionStatus, Position
from .certification import COMMITTEE_POSITIONS
from .dates import today
from .setup import copy_rules


def vacant_seats(*, term: Term, on: datetime.date) -> dict[str, int]:
    """{position: seats} of the term that nobody holds on `on`: the seats it began with, less those held."""
    began = Counter(term.members.filter(starts=term.starts).values_list("position", flat=True))
    held = Counter(term.members.filter(starts__lte=on).filter(Q(ends__isnull=True) | Q(ends__gt=on))
                   .values_list("position", flat=True))
    return {code: began[code] - held[code] for code in ("director", "deputy", "member") if began[code] > held[code]}


def _main_election(term: Term) -> Election:
    """The certified election whose winners formed `term` (its rule set and mode are the by-election's)."""
    certification = Certification.objects.filter(term=term, election__kind=ElectionKind.MAIN,
                                                 certified_at__isnull=False).select_related("election").first()
    if certification is None:
        raise ValidationError(_("本届居委会不是由本系统中确认的换届选举产生的，无法据以补选"))
    return certification.election


@transaction.atomic
def create_by_election(*, term: Term, election_day: datetime.date) -> Election:
    """A by-election of the term's vacant seats, under a copy of the main election's rule set and in its mode.

    It is held before the term ends (a by-election's winners serve only the rest of the term)."""
    term = Term.objects.select_for_update().get(pk=term.pk)
    on = today()
    if term.ends is not None or current_term(community=term.community, on=on) != term:
        raise ValidationError(_("只能为在任的一届居委会补选"))
    seats = vacant_seats(term=term, on=on)
    if not seats:
        raise ValidationError(_("本届居委会没有空缺职位，无需补选"))
    if election_day <= on:
        raise ValidationError(_("补选的选举日须在今天之后"))
    if election_day >= term.ends_by:
        raise ValidationError(_("补选须在本届任期届满（%(day)s）前举行") % {"day": term.ends_by})
    if Election.objects.filter(community=term.community, term_number=term.number, kind=ElectionKind.BY_ELECTION) \
            .exclude(status=ElectionStatus.CERTIFIED).exists():
        raise ValidationError(_("本届已有一次尚未结束的补选"))
    main = _main_election(term)
    election = Election.objects.create(
        community=term.community, name=_("%(community)s第%(number)s届居民委员会补选") % {
            "community": term.community.name, "number": term.number},
        term_number=term.number, mode=main.mode, kind=ElectionKind.BY_ELECTION, round=1, parent=main,
        election_day=election_day, rules=copy_rules(main.rules), status=ElectionStatus.PREPARING)
    # The vacant seats keep the titles the main election gave them.
    titles = dict(main.positions.values_list("code", "title"))
    for order, (code, count) in enumerate(seats.items()):
        Position.objects.create(election=election, code=code, title=titles.get(code, code), seats=count, order=order)
    return election


@transaction.atomic
def seat_by_election_winners(*, election: Election, starts: datetime.date | None = None) -> list[CommitteeMember]:
    """The certified winners of a by-election join the sitting term from `starts` (default today) until the
    term ends, each in the seat they were elected to, as long as it is still vacant."""
    if election.kind != ElectionKind.BY_ELECTION:
        raise ValidationError(_("这不是补选"))
    certification = Certification.objects.select_for_update().filter(election=election).first()
    if certification is None or certification.certified_at is None:
        raise ValidationError(_("选举结果确认后才能就任"))
    if certification.term_id:
        raise ValidationError(_("补选当选人已经就任"))
    if not certification.result["valid"]:
        raise ValidationError(_("选举无效，无人当选"))
    starts = starts or timezone.localdate()
    if starts < timezone.localdate(certification.certified_at) or starts > timezone.localdate():
        raise ValidationError(_("就任日期须在结果确认之后、不晚于今天"))
    term = Term.objects.select_for_update().get(community=election.community, number=election.term_number)
    if term.ends is not None and term.ends <= starts:
        raise ValidationError(_("本届居委会已经结束"))
    vacant = vacant_seats(term=term, on=starts)
    candidates = {(c.position.code, c.name): c for c in election.candidates.select_related("position")}
    seated = []
    for position in certification.result["positions"]:
        code = position["code"] if position["code"] in COMMITTEE_POSITIONS else "member"
        for name in position["elected"]:
            if vacant.get(code, 0) < 1:
                raise ValidationError(_("%(title)s已无空缺，%(name)s 不能就任") % {"title": position["title"],
                                                                         "name": name})
            vacant[code] -= 1
            candidate = candidates.get((position["code"], name))
            seated.append(CommitteeMember.objects.create(
                term=term, name=name, position=code, starts=starts,
                gender=candidate.gender if candidate else "", resident=candidate.resident if candidate else None))
    certification.term = term
    certification.handed_over_on = starts
    certification.save()
    return seated
