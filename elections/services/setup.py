"""Setting an election up: the rule-set copy, positions, the election committee, counting roles, the timeline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.translation import gettext as _

from committee.services import current_term, latest_term_number
from lib.outcome import Outcome
from org.dashboard import Todo
from org.models import Community
from residents.models import Relation, Resident

from ..models import (
    Box,
    BoxKind,
    CandidateStatus,
    CommitteeRole,
    CountingRole,
    Election,
    ElectionCommitteeMember,
    ElectionStatus,
    ElectionWorker,
    Mode,
    Position,
    RuleSet,
)
from .dates import check_act_day, cn_day, timeline, today, warn, warn_if_late

# The positions of a residents' committee, in ballot order; codes match committee.models.Position.
DEFAULT_POSITIONS = [("director", "主任", 1), ("deputy", "副主任", 1), ("member", "委员", 5)]
LEADER_CODES = {"director", "deputy"}

# Counting roles that a candidate or a close relative of one may not hold (docs/domain.md, Elections: setup and
# timeline: scrutineers, counters).
RESTRICTED_ROLES = {CountingRole.SCRUTINEER, CountingRole.COUNTER}

# Pairs of relations to the household head that make two members of one household close relatives
# (spouse, parent, child or sibling of each other); e.g. two children of the head are siblings.
_CLOSE_PAIRS = {
    frozenset(p) for p in [
        (Relation.HEAD, Relation.SPOUSE), (Relation.HEAD, Relation.CHILD), (Relation.HEAD, Relation.PARENT),
        (Relation.HEAD, Relation.SIBLING), (Relation.SPOUSE, Relation.CHILD), (Relation.CHILD, Relation.CHILD),
        (Relation.CHILD, Relation.GRANDCHILD), (Relation.PARENT, Relation.SIBLING),
        (Relation.SIBLING, Relation.SIBLING), (Relation.PARENT, Relation.PARENT),
    ]
}



def _refuse_unless_preparing(election: Election) -> None:
    if election.status != ElectionStatus.PREPARING:
        raise ValidationError(_("选举已进入“%(status)s”阶段，不能再修改设置。") % {
            "status": election.get_status_display()})


# What is posted before the vote (venue, hours, the days notices and cards went out) is a record of how
# the election was prepared: once voting has opened it is history and is no longer edited.
BEFORE_VOTING = frozenset({ElectionStatus.PREPARING, ElectionStatus.ROLL_POSTED, ElectionStatus.CANDIDATES_POSTED})


def _refuse_once_voting(election: Election) -> None:
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("选举已进入“%(status)s”阶段，投票前公告的事项不能再修改。") % {
            "status": election.get_status_display()})


def copy_rules(rule_set: RuleSet) -> RuleSet:
    """A private copy of a rule set for one election (is_template=False, remembering its origin)."""
    data = model_to_dict(rule_set, exclude=["id", "copied_from", "is_template"])
    return RuleSet.objects.create(**data, is_template=False,
                                  copied_from=rule_set if rule_set.is_template else rule_set.copied_from)


def _check_term_number(community: Community, term_number: int) -> None:
    """The election is for the term after the sitting one (docs/domain.md, Elections: guards)."""
    sitting = current_term(community=community, on=today())
    if sitting is not None and term_number != sitting.number + 1:
        raise ValidationError(_("%(community)s现任为第%(sitting)s届居委会，本次换届应为第%(next)s届。") % {
            "community": community.name, "sitting": sitting.number, "next": sitting.number + 1})
    latest = latest_term_number(community=community)
    if sitting is None and latest is not None and term_number <= latest:
        raise ValidationError(_("%(community)s已有第%(latest)s届居委会，届次应大于%(latest)s。") % {
            "community": community.name, "latest": latest})


@transaction.atomic
def create_election(*, community: Community, rule_set: RuleSet, term_number: int, mode: str,
                    election_day: datetime.date, name: str = "",
                    positions: list[tuple[str, str, int]] | None = None, user=None) -> Outcome[Election]:
    """A new election bound to its own copy of `rule_set`, so later edits of the template never reach it."""
    if mode not in Mode.values:
        raise ValidationError(_("选举方式无效：%(mode)s") % {"mode": mode})
    if election_day <= today():
        raise ValidationError(_("选举日%(day)s不在今天之后：换届选举只能为将来的日期筹备。") % {
            "day": cn_day(election_day)})
    if Election.objects.filter(community=community, term_number=term_number, kind="main").exists():
        raise ValidationError(_("%(community)s第%(term)s届换届选举已经存在。") % {
            "community": community.name, "term": term_number})
    _check_term_number(community, term_number)
    for code, _title, seats in positions or DEFAULT_POSITIONS:
        if code == "director" and seats != 1:
            raise ValidationError(_("主任只能设1名。"))
    copy = copy_rules(rule_set)
    election = Election.objects.create(
        community=community, term_number=term_number, mode=mode, election_day=election_day, rules=copy,
        name=name or _("%(community)s第%(term)s届居民委员会换届选举") % {"community": community.name,
                                                                     "term": term_number},
    )
    for order, (code, title, seats) in enumerate(positions or DEFAULT_POSITIONS):
        Position.objects.create(election=election, code=code, title=title, seats=seats, order=order)
    days = (election_day - today()).days
    too_near = None
    if days < copy.roll_posted_days:
        too_near = warn(election=election, stage="roll", user=user, text=_(
            "距选举日只有%(days)s日，选民名单按规定须于选举日%(n)s日前公布，已不能按期公布。") % {
            "days": days, "n": copy.roll_posted_days})
    return Outcome.of(election, too_near)


def seat_warnings(election: Election) -> list[str]:
    """Warnings (not refusals) about the committee size: the rule set's range (5 to 9 in every shipped set) and,
    where it says so, an odd number (docs/domain.md, Elections: setup and timeline)."""
    rules = election.rules
    total = sum(p.seats for p in election.positions.all())
    warnings = []
    if not rules.seats_min <= total <= rules.seats_max:
        warnings.append(_("居委会成员共%(n)s人，应为%(min)s至%(max)s人。") % {
            "n": total, "min": rules.seats_min, "max": rules.seats_max})
    if rules.seats_odd and total % 2 == 0:
        warnings.append(_("居委会成员共%(n)s人，宜为单数。") % {"n": total})
    return warnings


@transaction.atomic
def set_seats(*, election: Election, seats: dict[str, int]) -> Outcome[None]:
    """Set the seats of each position (by code), with the committee-size warnings."""
    _refuse_unless_preparing(election)
    for code, number in seats.items():
        if number < 1:
            raise ValidationError(_("%(code)s 应选人数至少为1。") % {"code": code})
        if code == "director" and number != 1:
            raise ValidationError(_("主任只能设1名（居民委员会设主任1人）。"))
        updated = Position.objects.filter(election=election, code=code).update(seats=number)
        if not updated:
            raise ValidationError(_("没有职位 %(code)s。") % {"code": code})
    return Outcome.of(None, *seat_warnings(election))


def _resident_of(election: Election, resident: Resident | None) -> Resident | None:
    if resident is not None and resident.community_id != election.community_id:
        raise ValidationError(_("%(name)s 不是本社区居民。") % {"name": resident.name})
    return resident


@transaction.atomic
def add_committee_member(*, election: Election, name: str, role: str = CommitteeRole.MEMBER,
                         resident: Resident | None = None) -> ElectionCommitteeMember:
    """Add a member (or the chair) of the election committee: before voting, and never a nominee or a close
    relative of a formal candidate (they must withdraw: docs/domain.md, Elections: guards)."""
    _refuse_once_voting(election)
    _resident_of(election, resident)
    name = (name or (resident.name if resident else "")).strip()
    if not name:
        raise ValidationError(_("请填写姓名。"))
    reason = committee_conflict(election=election, name=name, resident=resident)
    if reason:
        raise ValidationError(_("%(reason)s，不能担任选举委员会成员。") % {"reason": reason})
    if role == CommitteeRole.CHAIR and election.committee_members.filter(role=CommitteeRole.CHAIR).exists():
        raise ValidationError(_("选举委员会已有主任。"))
    if election.committee_members.filter(name=name).exists():
        raise ValidationError(_("%(name)s 已是选举委员会成员。") % {"name": name})
    return ElectionCommitteeMember.objects.create(election=election, name=name, role=role, resident=resident)


def close_relatives(resident: Resident) -> list[Resident]:
    """Members of the resident's household who are their spouse, parent, child or sibling."""
    others = Resident.objects.filter(household_id=resident.household_id).exclude(pk=resident.pk)
    return [o for o in others if frozenset((resident.relation, o.relation)) in _CLOSE_PAIRS
            or (resident.relation == o.relation and resident.relation in (Relation.CHILD, Relation.SIBLING))]


def _relative_among(resident: Resident, candidates):
    """The first of `candidates` who is a close relative of `resident`, or None."""
    relatives = {r.pk for r in close_relatives(resident)}
    return next((c for c in candidates if c.resident_id in relatives), None)


def committee_conflict(*, election: Election, name: str, resident: Resident | None) -> str | None:
    """Why this person may not sit on the election committee, or None: a nominee, or a close relative of a
    formal candidate (规程第十一条, docs/domain.md)."""
    nominated = election.candidates.exclude(status=CandidateStatus.DISQUALIFIED)
    if (resident is not None and nominated.filter(resident=resident).exists()) or nominated.filter(name=name).exists() \
            or election.nominations.filter(name=name).exists():
        return _("%(name)s 已被提名为候选人") % {"name": name}
    formal = election.candidates.filter(status=CandidateStatus.FORMAL)
    candidate = _relative_among(resident, formal) if resident is not None else None
    if candidate is not None:
        return _("%(name)s 是正式候选人%(candidate)s的近亲属") % {"name": name, "candidate": candidate.name}
    return None


def committee_in_rank(election: Election):
    """The election committee as its papers list it: the chair, the deputy chairs, then the members, each in the
    order they joined (the role codes sort alphabetically, which would put deputies last)."""
    rank = Case(*(When(role=role, then=Value(n)) for n, role in enumerate(CommitteeRole.values)))
    return election.committee_members.order_by(rank, "id")


def committee_conflicts(election: Election) -> list[str]:
    """Members of the election committee who must withdraw because of the candidates chosen since."""
    return [_("%(reason)s，应当退出选举委员会。") % {"reason": reason}
            for member in election.committee_members.select_related("resident")
            if (reason := committee_conflict(election=election, name=member.name, resident=member.resident))]


def committee_size_problem(election: Election) -> str | None:
    """What is wrong with the size of the election committee under the rule set, or None."""
    rules, size = election.rules, election.committee_members.count()
    if rules.committee_min <= size <= rules.committee_max and (not rules.committee_odd or size % 2):
        return None
    return _("选举委员会现有%(size)s人，按“%(rules)s”应由%(min)s至%(max)s人%(odd)s组成。") % {
        "size": size, "rules": str(rules), "min": rules.committee_min, "max": rules.committee_max,
        "odd": _("单数") if rules.committee_odd else ""}


@transaction.atomic
def withdraw_committee_member(*, member: ElectionCommitteeMember, reason: str, user=None) -> Outcome[None]:
    """A member leaves the election committee (e.g. nominated): the reason goes on the record."""
    election = member.election
    _refuse_once_voting(election)
    if not (reason or "").strip():
        raise ValidationError(_("请写明退出理由。"))
    withdrawn = warn(election=election, stage="committee", user=user, text=_("%(name)s退出选举委员会：%(reason)s") % {
        "name": member.name, "reason": reason.strip()})
    member.delete()
    return Outcome.of(None, withdrawn)


def worker_conflict(*, election: Election, name: str, resident: Resident | None) -> str | None:
    """Why this person may not scrutinise or count, or None: a candidate, or a close relative of one."""
    candidates = list(election.candidates.exclude(status=CandidateStatus.DISQUALIFIED).select_related("resident"))
    for candidate in candidates:
        if (resident is not None and candidate.resident_id == resident.pk) or candidate.name == name:
            return _("%(name)s 是候选人，不得担任监票人或计票人。") % {"name": name}
    candidate = _relative_among(resident, candidates) if resident is not None else None
    if candidate is not None:
        return _("%(name)s 是候选人%(candidate)s的近亲属，不得担任监票人或计票人。") % {
            "name": name, "candidate": candidate.name}
    return None


@transaction.atomic
def add_worker(*, election: Election, name: str, role: str, resident: Resident | None = None,
               is_chief: bool = False, box: Box | None = None) -> ElectionWorker:
    """Appoint a scrutineer, counter, caller, scribe or box staff before voting opens (they are frozen then);
    candidates and their close relatives may not count, and nobody both scrutinises and counts."""
    _refuse_once_voting(election)
    _resident_of(election, resident)
    name = (name or (resident.name if resident else "")).strip()
    if not name:
        raise ValidationError(_("请填写姓名。"))
    if role not in CountingRole.values:
        raise ValidationError(_("工作类别无效。"))
    if role in RESTRICTED_ROLES:
        reason = worker_conflict(election=election, name=name, resident=resident)
        if reason:
            raise ValidationError(reason)
    if role in RESTRICTED_ROLES and election.workers.filter(name=name, role__in=RESTRICTED_ROLES).exclude(
            role=role).exists():
        raise ValidationError(_("%(name)s 已担任监票人或计票人，同一人不能既监票又计票。") % {"name": name})
    if role == CountingRole.BOX_STAFF:
        if box is None or box.election_id != election.pk:
            raise ValidationError(_("票箱工作人员须指定所负责的票箱。"))
    elif box is not None:
        raise ValidationError(_("只有票箱工作人员指定票箱。"))
    if is_chief and election.workers.filter(is_chief=True).exists():
        raise ValidationError(_("已有总监票人。"))
    if election.workers.filter(name=name, role=role).exists():
        raise ValidationError(_("%(name)s 已担任%(role)s。") % {"name": name, "role": CountingRole(role).label})
    return ElectionWorker.objects.create(election=election, name=name, role=role, resident=resident, box=box,
                                         is_chief=is_chief and role == CountingRole.SCRUTINEER)


def box_staff_problems(election: Election) -> list[str]:
    """Mobile boxes without the staff the rule set asks (3 or more, one of the election committee)."""
    problems = []
    least = election.rules.mobile_box_min_workers
    members = list(election.committee_members.values_list("resident_id", "name"))
    residents, names = {r for r, _n in members if r}, {n for _r, n in members}
    for box in election.boxes.filter(kind=BoxKind.MOBILE, withdrawn_reason="").prefetch_related("workers"):
        staff = list(box.workers.all())
        if len(staff) < least:
            problems.append(_("流动票箱%(box)s只有%(n)s名工作人员，按规定应有%(least)s名以上。") % {
                "box": box.code, "n": len(staff), "least": least})
        # A member of the election committee serving at the box, known by resident record, else by name.
        elif not any(w.resident_id in residents or w.name in names for w in staff):
            problems.append(_("流动票箱%(box)s的工作人员中没有选举委员会成员。") % {"box": box.code})
    return problems


def worker_conflicts(election: Election) -> list[str]:
    """Conflicts that appeared after appointment (e.g. a relative later became a candidate)."""
    found = []
    for worker in election.workers.filter(role__in=RESTRICTED_ROLES).select_related("resident"):
        reason = worker_conflict(election=election, name=worker.name, resident=worker.resident)
        if reason:
            found.append(reason)
    return found


STAGE_FIELDS = {"announcement": "announced_on", "cards": "cards_issued_on", "polling_notice": "polling_notice_on",
                "mobile_list": "mobile_list_on"}


@transaction.atomic
def record_stage(*, election: Election, stage: str, on: datetime.date, user=None) -> Outcome[Election]:
    """Record the day a posted stage was done (announcement, voter cards, polling notice, mobile-box list).

    Refused when dated in the future, out of order or on or after election day; late is recorded."""
    if stage not in STAGE_FIELDS:
        raise ValidationError(_("该阶段不能在此登记。"))
    _refuse_once_voting(election)
    labels = {"announcement": _("选举公告"), "cards": _("发放选民证"), "polling_notice": _("公告投票时间和地点"),
              "mobile_list": _("公布流动票箱选民名单")}
    after = ((election.announced_on, _("选举公告")),) if stage != "announcement" else ()
    if stage == "cards":
        if not election.roll_posted_on:
            raise ValidationError(_("选民名单公布后才能发放选民证。"))
        after += ((election.roll_posted_on, _("选民名单公布")),)
    check_act_day(election=election, on=on, what=labels[stage], after=after)
    late = corrected = None
    if stage != "announcement":
        late = warn_if_late(election=election, key=stage, on=on, what=labels[stage], user=user)
    before = getattr(election, STAGE_FIELDS[stage])
    if before is not None and before != on:
        # A posted date corrected is a change of what was posted: the record keeps both.
        corrected = warn(election=election, stage=stage, user=user, text=_("%(what)s的日期由%(before)s改为%(on)s。") % {
            "what": labels[stage], "before": cn_day(before), "on": cn_day(on)})
    setattr(election, STAGE_FIELDS[stage], on)
    election.save(update_fields=[STAGE_FIELDS[stage]])
    return Outcome.of(election, late, corrected)


@transaction.atomic
def update_election(*, election: Election, election_day: datetime.date | None = None, venue: str | None = None,
                    voting_hours: str | None = None, user=None) -> Outcome[Election]:
    """Change the day (only while preparing: the posted deadlines hang on it), the venue or the hours
    (only before voting opens)."""
    if (venue is not None and venue != election.venue) or (
            voting_hours is not None and voting_hours != election.voting_hours):
        _refuse_once_voting(election)
    moved = None
    if election_day is not None and election_day != election.election_day:
        _refuse_unless_preparing(election)
        if election_day <= today():
            raise ValidationError(_("选举日%(day)s不在今天之后。") % {"day": cn_day(election_day)})
        moved = warn(election=election, stage="election", user=user, text=_("选举日由%(before)s改为%(day)s。") % {
            "before": cn_day(election.election_day), "day": cn_day(election_day)})
        election.election_day = election_day
    if venue is not None:
        election.venue = venue
    if voting_hours is not None:
        election.voting_hours = voting_hours
    election.save()
    return Outcome.of(election, moved)


def resident_named(*, election: Election, name: str) -> Resident | None:
    """The one living resident of the community with this name, or None when there is none or several."""
    found = list(Resident.objects.filter(community_id=election.community_id, name=name.strip(),
                                         living="living")[:2])
    return found[0] if len(found) == 1 else None


# Stages whose deadline falls within this many days appear on the dashboard.
DASHBOARD_DAYS = 7


def stage_todos(*, user, communities) -> list[Todo]:
    """Dashboard: the unfinished stages of running elections that are late or due within a week."""
    on = today()
    running = Election.objects.filter(community__in=communities, status__in=[
        ElectionStatus.PREPARING, ElectionStatus.ROLL_POSTED, ElectionStatus.CANDIDATES_POSTED,
    ]).select_related("community", "rules")
    todos = []
    for election in running:
        for stage in timeline(election):
            if stage.done or stage.deadline is None or stage.key in ("election", "handover", "proxies"):
                continue
            if stage.deadline <= on + datetime.timedelta(days=DASHBOARD_DAYS):
                todos.append(Todo(text=f"{election.name}：{stage.title}", due=stage.deadline,
                                  url=reverse("elections:detail", args=[election.pk]), late=stage.late(on),
                                  community=election.community.name))
    return todos
