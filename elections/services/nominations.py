"""Nominations (提名), preliminary and formal candidates (差额), qualification review and the posted list."""

import datetime
import math
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.outcome import Outcome
from residents.models import Resident

from ..models import (
    BallotOrder,
    Candidate,
    CandidateStatus,
    Election,
    ElectionStatus,
    Nomination,
    NominationSource,
    NominationTally,
    Position,
    ReviewDecision,
    RuleSet,
)
from ..strokes import ballot_key
from .dates import check_act_day, today, warn, warn_if_late
from .setup import LEADER_CODES, committee_conflicts, worker_conflicts


def _refuse_after_posting(election: Election) -> None:
    if election.status not in (ElectionStatus.PREPARING, ElectionStatus.ROLL_POSTED):
        raise ValidationError(_("候选人名单已经公布，不能再更改提名和候选人。"))


def _resident(election: Election, resident: Resident | None) -> Resident | None:
    if resident is not None and resident.community_id != election.community_id:
        raise ValidationError(_("%(name)s 不是本社区居民。") % {"name": resident.name})
    return resident


def _voter_names(election: Election) -> set[str]:
    """The names on the roll: only a registered voter can be nominated (docs/domain.md, Elections: guards)."""
    names = set(election.roll.values_list("resident__name", flat=True))
    if not names:
        raise ValidationError(_("选民名单尚未生成：候选人须是登记选民，请先生成并公布选民名单。"))
    return names


def _refuse_nominees_off_the_roll(election: Election, names) -> None:
    voters = _voter_names(election)
    missing = sorted({n.strip() for n in names if n.strip()} - voters)
    if missing:
        raise ValidationError(_("以下被提名人不在本次选举的选民名单上，不能被提名：%(names)s") % {
            "names": "、".join(missing[:20])})


@transaction.atomic
def record_nomination_forms(*, election: Election, issued: int, returned: int, valid: int, invalid: int,
                            counts: dict[str, dict[str, int]]) -> NominationTally:
    """Record the counted nomination forms and the names on them (position code → name → forms).

    The totals must reconcile: returned = valid + invalid ≤ issued, and no position may have more
    names than the valid forms allow (each form names at most the seats of the position).
    """
    _refuse_after_posting(election)
    errors = []
    if min(issued, returned, valid, invalid) < 0:
        errors.append(_("票数不能为负数。"))
    if valid + invalid != returned:
        errors.append(_("有效票%(valid)s张加无效票%(invalid)s张为%(sum)s张，不等于收回的%(returned)s张。") % {
            "valid": valid, "invalid": invalid, "sum": valid + invalid, "returned": returned})
    if returned > issued:
        errors.append(_("收回提名票%(returned)s张，多于发出的%(issued)s张。") % {
            "returned": returned, "issued": issued})
    positions = {p.code: p for p in election.positions.all()}
    for code, names in counts.items():
        position = positions.get(code)
        if position is None:
            errors.append(_("没有职位 %(code)s。") % {"code": code})
            continue
        for name, count in names.items():
            if not name.strip() or count < 1:
                errors.append(_("%(title)s：姓名“%(name)s”或票数%(count)s无效。") % {
                    "title": position.label, "name": name, "count": count})
            elif count > valid:
                errors.append(_("%(title)s %(name)s 得%(count)s票，多于有效提名票%(valid)s张。") % {
                    "title": position.label, "name": name, "count": count, "valid": valid})
        if sum(names.values()) > valid * position.seats:
            errors.append(_("%(title)s 的提名合计%(sum)s票，超过有效票%(valid)s张×应选%(seats)s名。") % {
                "title": position.label, "sum": sum(names.values()), "valid": valid, "seats": position.seats})
    if errors:
        raise ValidationError(errors)
    _refuse_nominees_off_the_roll(election, [name for names in counts.values() for name in names])
    tally, _created = NominationTally.objects.update_or_create(
        election=election, defaults={"issued": issued, "returned": returned, "valid": valid, "invalid": invalid})
    Nomination.objects.filter(election=election, source=NominationSource.FORMS).delete()
    residents = _residents_by_name(election)
    Nomination.objects.bulk_create([
        Nomination(election=election, position=positions[code], name=name.strip(), count=count,
                   source=NominationSource.FORMS, resident=residents.get(name.strip()))
        for code, names in counts.items() for name, count in names.items()
    ])
    return tally


def _residents_by_name(election: Election) -> dict[str, Resident]:
    """Living residents by name, for linking nominees; a name shared by two people stays unlinked."""
    found: dict[str, Resident | None] = {}
    for resident in Resident.objects.filter(community_id=election.community_id, living="living"):
        found[resident.name] = None if resident.name in found else resident
    return {name: r for name, r in found.items() if r is not None}


def allowed_sources(rules: RuleSet) -> list[str]:
    """The ways of nominating besides the forms that the rule set allows (docs/domain.md, Elections: nominations)."""
    allowed = {NominationSource.JOINT: rules.joint_nomination_min > 0,
               NominationSource.HOUSEHOLDS: rules.household_nomination_min > 0,
               NominationSource.GROUP: rules.group_nomination,
               NominationSource.ORGANISATION: rules.organisation_nomination,
               NominationSource.SELF: rules.self_nomination}
    return [source for source, yes in allowed.items() if yes]


@transaction.atomic
def add_nomination(*, election: Election, position: Position, name: str, source: str, count: int = 1,
                   resident: Resident | None = None, note: str = "", group_name: str = "") -> Nomination:
    """A nomination other than by the forms, in a way the rule set allows: jointly by at least its number of
    voters or household delegates, by a resident group (at most the post's seats per group), by the
    organisation or by the person."""
    _refuse_after_posting(election)
    _resident(election, resident)
    rules = election.rules
    name = (name or (resident.name if resident else "")).strip()
    group_name = group_name.strip() if source == NominationSource.GROUP else ""
    if position.election_id != election.pk:
        raise ValidationError(_("职位不属于本次选举。"))
    if not name:
        raise ValidationError(_("请填写被提名人姓名。"))
    if source == NominationSource.FORMS or source not in NominationSource.values:
        raise ValidationError(_("提名票请按提名票统计录入。"))
    if source not in allowed_sources(rules):
        raise ValidationError(_("本次选举的选举规则（%(rules)s）不允许%(source)s。") % {
            "rules": rules, "source": NominationSource(source).label})
    least = {NominationSource.JOINT: rules.joint_nomination_min,
             NominationSource.HOUSEHOLDS: rules.household_nomination_min}.get(source)
    if least is not None and count < least:
        raise ValidationError(_("%(source)s须有%(min)s人以上，现只有%(count)s人。") % {
            "source": NominationSource(source).label, "min": least, "count": count})
    if source == NominationSource.GROUP:
        if not group_name:
            raise ValidationError(_("请填写提名的居民小组。"))
        named = Nomination.objects.filter(position=position, source=source, group_name=group_name).count()
        if named >= position.seats:
            raise ValidationError(_("%(group)s已提名%(n)s人为%(title)s，每个居民小组所提人数不得超过应选人数。") % {
                "group": group_name, "n": named, "title": position.label})
    _refuse_nominees_off_the_roll(election, [name])
    if Nomination.objects.filter(position=position, name=name, source=source).exists():
        raise ValidationError(_("%(name)s 已以此方式被提名为%(title)s。") % {"name": name, "title": position.label})
    return Nomination.objects.create(election=election, position=position, name=name, source=source,
                                     count=count if least is not None else 1, resident=resident,
                                     note=note, group_name=group_name)


def ranking(election: Election) -> dict[Position, list[dict]]:
    """Nominees per position ranked by their nomination forms (joint and organisation nominees included)."""
    per_position: dict[int, dict[str, dict]] = defaultdict(dict)
    for n in election.nominations.select_related("position"):
        entry = per_position[n.position_id].setdefault(
            n.name, {"name": n.name, "resident": n.resident, "forms": 0, "sources": []})
        if n.source == NominationSource.FORMS:
            entry["forms"] += n.count
        entry["sources"].append(n.get_source_display())
        entry["resident"] = entry["resident"] or n.resident
    return {p: sorted(per_position[p.pk].values(), key=lambda e: (-e["forms"], ballot_key(e["name"])))
            for p in election.positions.all()}


@transaction.atomic
def rank_preliminary(*, election: Election, limits: dict[str, int] | None = None,
                     on: datetime.date | None = None) -> dict[str, int]:
    """Make the ranked nominees (the first `limits[code]` of each position) the preliminary candidates."""
    _refuse_after_posting(election)
    if election.candidates.filter(status=CandidateStatus.FORMAL).exists():
        raise ValidationError(_("已确定正式候选人，不能重新排序产生初步候选人。"))
    if not election.nominations.exists():
        raise ValidationError(_("还没有任何提名。"))
    election.candidates.all().delete()
    made = {}
    for position, ranked in ranking(election).items():
        limit = (limits or {}).get(position.code) or len(ranked)
        chosen = ranked[:limit]
        Candidate.objects.bulk_create([
            Candidate(election=election, position=position, name=e["name"], resident=e["resident"],
                      gender=e["resident"].sex if e["resident"] else "", status=CandidateStatus.PRELIMINARY,
                      nominations=e["forms"], ballot_order=rank)
            for rank, e in enumerate(chosen, start=1)])
        made[position.code] = len(chosen)
    election.nominations_closed_on = on or today()
    election.save(update_fields=["nominations_closed_on"])
    return made


@transaction.atomic
def review_candidate(*, candidate: Candidate, qualified: bool, note: str,
                     on: datetime.date | None = None) -> Candidate:
    """Record the election committee's qualification review (资格审查) of a preliminary candidate."""
    _refuse_after_posting(candidate.election)
    if not qualified and not (note or "").strip():
        raise ValidationError(_("不符合条件的，须写明审查意见。"))
    candidate.review = ReviewDecision.QUALIFIED if qualified else ReviewDecision.DISQUALIFIED
    candidate.review_note = (note or "").strip()
    candidate.reviewed_on = on or today()
    if not qualified:
        candidate.status = CandidateStatus.DISQUALIFIED
    elif candidate.status == CandidateStatus.DISQUALIFIED:
        candidate.status = CandidateStatus.PRELIMINARY
    candidate.save()
    return candidate


def required_candidates(*, election: Election, position: Position) -> tuple[int, int | None]:
    """How many formal candidates the 差额 rule of the election's rule set asks for: (at least, at most)."""
    rules = election.rules
    if rules.leader_margin_extra and position.code in LEADER_CODES:
        exact = position.seats + rules.leader_margin_extra
        return exact, exact
    extra = max(rules.margin_min_extra, math.ceil(position.seats * rules.margin_percent / 100))
    most = position.seats + rules.margin_max_extra if rules.margin_max_extra else None
    return position.seats + extra, most


def margin_message(*, election: Election, position: Position, count: int) -> str | None:
    """Why `count` formal candidates break the 差额 rule for `position`, or None."""
    least, most = required_candidates(election=election, position=position)
    if count < least:
        return _("%(title)s应选%(seats)s名，按“%(rules)s”的差额规定至少需要%(least)s名正式候选人，"
                 "现只有%(count)s名。") % {
            "title": position.label, "seats": position.seats, "rules": str(election.rules), "least": least,
            "count": count}
    if most is not None and count > most:
        return _("%(title)s应选%(seats)s名，按“%(rules)s”的差额规定最多%(most)s名正式候选人，现有%(count)s名。") % {
            "title": position.label, "seats": position.seats, "rules": str(election.rules), "most": most,
            "count": count}
    return None


@transaction.atomic
def choose_formal(*, election: Election, chosen: dict[str, list[int]]) -> Outcome[list[Candidate]]:
    """Make the chosen reviewed preliminary candidates (ids per position code) the formal candidates.

    Every position must meet the 差额 rule; the ballot order of the rule set is set here (`in_ballot_order`).
    """
    _refuse_after_posting(election)
    positions = {p.code: p for p in election.positions.all()}
    errors = []
    formal = []
    for code, position in positions.items():
        ids = set(chosen.get(code, []))
        candidates = list(election.candidates.filter(position=position, pk__in=ids))
        if len(candidates) != len(ids):
            errors.append(_("%(title)s：所选候选人不属于该职位。") % {"title": position.label})
        for c in candidates:
            if c.review != ReviewDecision.QUALIFIED:
                errors.append(_("%(name)s 尚未通过资格审查，不能确定为正式候选人。") % {"name": c.name})
        message = margin_message(election=election, position=position, count=len(candidates))
        if message:
            errors.append(message)
        formal.extend(candidates)
    names = [c.name for c in formal]
    if len(names) != len(set(names)):
        errors.append(_("同一人只能作为一个职位的正式候选人。"))
    holding = _proxy_holders(election, formal)
    if holding and election.rules.candidates_refuse_proxies:
        errors += [_("正式候选人%(name)s已接受委托投票，按“%(rules)s”正式候选人不得接受委托，请先撤销委托。") % {
            "name": c.name, "rules": str(election.rules)} for c in holding]
    if errors:
        raise ValidationError(errors)
    election.candidates.filter(status=CandidateStatus.FORMAL).update(status=CandidateStatus.PRELIMINARY)
    for position in positions.values():
        ordered = in_ballot_order(rules=election.rules, candidates=[c for c in formal if c.position_id == position.pk])
        for order, c in enumerate(ordered, start=1):
            c.status = CandidateStatus.FORMAL
            c.ballot_order = order
            c.save(update_fields=["status", "ballot_order"])
    conflicts = worker_conflicts(election)
    if conflicts:
        raise ValidationError(conflicts)
    # Lawful under this rule set, but flagged on the record (Gansu 规程第三十条 forbids it).
    return Outcome.of(formal, *(warn(election=election, stage="candidates",
                                     text=_("正式候选人%(name)s已接受委托投票。") % {"name": candidate.name})
                                for candidate in holding))


def in_ballot_order(*, rules: RuleSet, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates of one position in the rule set's ballot order: by surname strokes, or (Gansu 规程第三十一条:
    候选人名单按照提名票的多少顺序排列。提名票相同的，按姓氏笔画排列) by nomination forms, most first."""
    if rules.ballot_order == BallotOrder.FORMS:
        return sorted(candidates, key=lambda c: (-c.nominations, ballot_key(c.name)))
    return sorted(candidates, key=lambda c: ballot_key(c.name))


def _proxy_holders(election: Election, formal: list[Candidate]) -> list[Candidate]:
    """The chosen candidates who hold proxies of this election."""
    holders = set(election.proxies.values_list("holder__resident_id", "holder__resident__name"))
    return [c for c in formal if any(rid == c.resident_id or name == c.name for rid, name in holders)]


@transaction.atomic
def post_candidates(*, election: Election, on: datetime.date | None = None, user=None) -> Outcome[Election]:
    """Post the formal candidate list (张榜公布), at the latest the rule set's days before election day (later is
    recorded as late); election-committee members who became candidates or their relatives must have withdrawn."""
    on = on or today()
    election = Election.objects.select_for_update().select_related("rules").get(pk=election.pk)
    if election.status != ElectionStatus.ROLL_POSTED:
        raise ValidationError(_("须先公布选民名单，且候选人名单尚未公布，才能公布候选人名单。"))
    conflicts = committee_conflicts(election)
    if conflicts:
        raise ValidationError(conflicts)
    errors = [m for p in election.positions.all() if (m := margin_message(
        election=election, position=p, count=election.candidates.filter(
            position=p, status=CandidateStatus.FORMAL).count()))]
    if errors:
        raise ValidationError(errors)
    check_act_day(election=election, on=on, what=_("公布正式候选人名单"),
                  after=((election.roll_posted_on, _("选民名单公布")),
                         (election.nominations_closed_on, _("提名结束"))))
    late = warn_if_late(election=election, key="candidates", on=on, what=_("公布正式候选人名单"), user=user)
    election.status = ElectionStatus.CANDIDATES_POSTED
    election.candidates_posted_on = on
    election.save(update_fields=["status", "candidates_posted_on"])
    return Outcome.of(election, late)


def formal_candidates(election: Election) -> dict[Position, list[Candidate]]:
    """Formal candidates per position in ballot order (the rule set's, `in_ballot_order`)."""
    result: dict[Position, list[Candidate]] = {p: [] for p in election.positions.all()}
    by_id = {p.pk: p for p in result}
    for c in election.candidates.filter(status=CandidateStatus.FORMAL).order_by("position__order", "ballot_order"):
        result[by_id[c.position_id]].append(c)
    return result
