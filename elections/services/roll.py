"""The voter roll (选民名单): built from the registry by rule, posted, objected to, and frozen.

Building is set-based: one query reads every resident of the community with the fields the rules
need, the classification runs in Python, and the entries are written with one bulk insert.
"""

import calendar
import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.outcome import Outcome
from residents.models import ElectionWish, Household, Hukou, Living, Resident
from residents.services import current_representatives, years_before

from ..models import (
    AgeRule,
    Election,
    ElectionStatus,
    HouseholdDelegate,
    Mode,
    Objection,
    ObjectionDecision,
    ObjectionKind,
    VoterRollEntry,
)
from .dates import check_act_day, cn_day, today, warn, warn_if_late
from .setup import BEFORE_VOTING, committee_size_problem
from .tally import as_fraction

# The exclusion reasons of docs/formats.md (Voter roll report), in the order they are tested; each resident
# counts once.
REASONS = ["moved_or_deceased", "under_18", "deprived", "declined", "not_opted_in", "resident_under_one_year"]
# Eligible residents who do not vote in a household or representative election (this mode's roll is narrower).
MODE_REASONS = {Mode.HOUSEHOLD: "not_household_delegate", Mode.REPRESENTATIVE: "not_representative"}
REASON_LABELS = {
    "moved_or_deceased": gettext_lazy("迁出或死亡"),
    "under_18": gettext_lazy("未满18周岁"),
    "deprived": gettext_lazy("被剥夺政治权利"),
    "declined": gettext_lazy("明确表示不参加选举"),
    "not_opted_in": gettext_lazy("人户分离或外地户籍，未申请登记"),
    "resident_under_one_year": gettext_lazy("外地户籍，居住不满一年"),
    "not_household_delegate": gettext_lazy("非户代表"),
    "not_representative": gettext_lazy("非居民代表"),
}

FIELDS = ("id", "name", "name_pinyin", "birth_date", "registration", "living", "move_in_date", "deprived",
          "election_wish", "group__name", "household__number")


def adult_born_by(*, day: datetime.date, rule: str, age: int = 18) -> datetime.date:
    """The latest birth date of someone counted `age` on `day`: on the day itself, or within its month."""
    if rule == AgeRule.IN_MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return years_before(day.replace(day=last), age)
    return years_before(day, age)


def classify(row: dict, *, born_by: datetime.date, lived_since: datetime.date) -> str | None:
    """The first exclusion reason that applies to a resident (a values() row), or None when eligible."""
    living, registration, wish = row["living"], row["registration"], row["election_wish"]
    if living in (Living.MOVED, Living.DECEASED):
        return "moved_or_deceased"
    if registration == Hukou.ELSEWHERE and living == Living.AWAY:
        # Neither registered nor living here: this community is not theirs to vote in.
        return "moved_or_deceased"
    if row["birth_date"] > born_by:
        return "under_18"
    if row["deprived"]:
        return "deprived"
    if wish == ElectionWish.DECLINE:
        return "declined"
    if registration == Hukou.LOCAL and living == Living.LIVING:
        return None
    # 人户分离 (registered here, living elsewhere) and people registered elsewhere must ask to be registered.
    if wish != ElectionWish.REGISTER:
        return "not_opted_in"
    if registration == Hukou.ELSEWHERE and (row["move_in_date"] is None or row["move_in_date"] > lived_since):
        return "resident_under_one_year"
    return None


def _rows(election: Election) -> list[dict]:
    return list(Resident.objects.filter(community_id=election.community_id).values(*FIELDS))


def _voters_of_mode(election: Election) -> set[int] | None:
    """The residents this mode lets vote (None: every eligible resident)."""
    if election.mode == Mode.HOUSEHOLD:
        return set(HouseholdDelegate.objects.filter(election=election).values_list("resident_id", flat=True))
    if election.mode == Mode.REPRESENTATIVE:
        return set(current_representatives(community=election.community, on=election.election_day)
                   .values_list("id", flat=True))
    return None


def evaluate(election: Election) -> tuple[list[dict], dict[int, str]]:
    """Every resident row and, for the excluded ones, the reason (the roll is the rows without one)."""
    rules = election.rules
    born_by = adult_born_by(day=election.election_day, rule=rules.age_rule)
    lived_since = years_before(election.election_day, rules.residence_years)
    rows = _rows(election)
    mode_voters = _voters_of_mode(election)
    reasons = {}
    for row in rows:
        reason = classify(row, born_by=born_by, lived_since=lived_since)
        if reason is None and mode_voters is not None and row["id"] not in mode_voters:
            reason = MODE_REASONS[election.mode]
        if reason is not None:
            reasons[row["id"]] = reason
    return rows, reasons


def report(*, election: Election, rows: list[dict], reasons: dict[int, str]) -> dict:
    """The voter-roll report of docs/formats.md, Voter roll report."""
    counts = Counter(reasons.values())
    excluded = {key: counts.get(key, 0) for key in REASONS}
    if election.mode in MODE_REASONS:
        excluded[MODE_REASONS[election.mode]] = counts.get(MODE_REASONS[election.mode], 0)
    groups = sorted(election.community.groups.values_list("name", flat=True))
    by_group = dict.fromkeys(groups, 0)
    for row in rows:
        if row["id"] not in reasons:
            by_group[row["group__name"]] = by_group.get(row["group__name"], 0) + 1
    return {
        "election": election.pk,
        "election_day": election.election_day.isoformat(),
        "registered": len(rows) - len(reasons),
        "excluded": excluded,
        "by_group": by_group,
    }


def _refuse_other_active_rolls(election: Election, resident_ids: list[int]) -> None:
    # The residents of this community on another active roll (few or none), then matched in Python:
    # no IN list of ten thousand ids.
    wanted = set(resident_ids)
    clash = (VoterRollEntry.objects.filter(active=True, resident__community_id=election.community_id)
             .exclude(election=election).select_related("resident", "election"))
    names = [f"{e.resident.name}（{e.election.name}）" for e in clash if e.resident_id in wanted][:5]
    if names:
        raise ValidationError(_("以下居民已在另一选举的有效选民名单上，不能重复登记：%(names)s") % {
            "names": "、".join(names)})


@transaction.atomic
def build_voter_roll(*, election: Election) -> dict:
    """Build or refresh the roll from the registry; refused once the roll is posted (it is frozen then)."""
    election = Election.objects.select_for_update().select_related("rules", "community").get(pk=election.pk)
    if election.status != ElectionStatus.PREPARING:
        raise ValidationError(_("选民名单已于%(on)s公布，不能重新生成；更正请通过异议处理。") % {
            "on": election.roll_posted_on or election.get_status_display()})
    rows, reasons = evaluate(election)
    voters = sorted((r for r in rows if r["id"] not in reasons),
                    key=lambda r: (r["group__name"], r["household__number"], r["name_pinyin"], r["id"]))
    _refuse_other_active_rolls(election, [r["id"] for r in voters])
    # One DELETE statement: a rebuilt roll replaces the old one wholesale (nothing refers to the entries before
    # posting), so the per-row deletion signals and history rows of QuerySet.delete() are not wanted here; the
    # build itself is recorded in the election's history through roll_report.
    stale = VoterRollEntry.objects.filter(election=election)
    stale._raw_delete(stale.db)
    VoterRollEntry.objects.bulk_create(
        [VoterRollEntry(election=election, resident_id=r["id"], group_name=r["group__name"], serial=n)
         for n, r in enumerate(voters, start=1)], batch_size=2000)
    result = report(election=election, rows=rows, reasons=reasons)
    election.roll_report = result
    election.registered_voters = result["registered"]
    election.save(update_fields=["roll_report", "registered_voters"])
    return result


def exclusions(election: Election) -> list[dict]:
    """The excluded residents with their reasons (for the roll page), in group order."""
    rows, reasons = evaluate(election)
    out = [dict(row, reason=reasons[row["id"]], reason_label=REASON_LABELS[reasons[row["id"]]])
           for row in rows if row["id"] in reasons]
    return sorted(out, key=lambda r: (REASONS + list(MODE_REASONS.values())).index(r["reason"]))


def household_delegate_problem(election: Election) -> str | None:
    """A household election needs delegates registered for the rule set's share of the households (2/3)."""
    if election.mode != Mode.HOUSEHOLD:
        return None
    households = Household.objects.filter(community_id=election.community_id,
                                          members__living=Living.LIVING).distinct().count()
    delegates = election.household_delegates.count()
    fraction = as_fraction(election.rules.household_delegate_fraction)
    if households and delegates < fraction * households:
        return _("户代表选举须有%(fraction)s以上的户登记户代表：本社区%(households)s户，"
                 "现只登记了%(delegates)s户。") % {
            "fraction": f"{fraction.numerator}/{fraction.denominator}", "households": households,
            "delegates": delegates}
    return None


@transaction.atomic
def post_roll(*, election: Election, on: datetime.date | None = None, user=None) -> Outcome[Election]:
    """Post the roll (张榜公布), at the latest the rule set's days before the day (later is recorded as late);
    the roll is frozen from then on. The election committee must be formed, and of lawful size."""
    on = on or today()
    election = Election.objects.select_for_update().select_related("rules").get(pk=election.pk)
    if election.status != ElectionStatus.PREPARING:
        raise ValidationError(_("选民名单已经公布。"))
    if not election.roll.exists():
        raise ValidationError(_("选民名单为空：请先生成选民名单。"))
    check_act_day(election=election, on=on, what=_("公布选民名单"), after=((election.announced_on, _("选举公告")),))
    problem = household_delegate_problem(election)
    if problem:
        raise ValidationError(problem)
    size = committee_size_problem(election)
    if size and election.rules.committee_size_binding:
        raise ValidationError(size)
    if size:
        warn(election=election, stage="committee", text=size, user=user)
    late = warn_if_late(election=election, key="roll", on=on, what=_("公布选民名单"), user=user)
    election.status = ElectionStatus.ROLL_POSTED
    election.roll_posted_on = on
    election.save(update_fields=["status", "roll_posted_on"])
    return Outcome.of(election, size, late)


@transaction.atomic
def choose_household_delegate(*, election: Election, resident: Resident) -> HouseholdDelegate:
    """Record the member a household chose to vote for it (household elections, before the roll is built)."""
    if election.mode != Mode.HOUSEHOLD:
        raise ValidationError(_("只有户代表选举需要确定户代表。"))
    if election.status != ElectionStatus.PREPARING:
        raise ValidationError(_("选民名单已公布，不能再更换户代表。"))
    if resident.community_id != election.community_id:
        raise ValidationError(_("%(name)s 不是本社区居民。") % {"name": resident.name})
    delegate, _created = HouseholdDelegate.objects.update_or_create(
        election=election, household_id=resident.household_id, defaults={"resident": resident})
    return delegate


@transaction.atomic
def file_objection(*, election: Election, resident: Resident, kind: str, filed_by: str, reason: str,
                   on: datetime.date | None = None, user=None) -> Outcome[Objection]:
    """Record an objection to the posted roll: after posting, before the vote; later than the rule set's days
    after posting (5) it is recorded as late."""
    on = on or today()
    if not election.roll_posted_on:
        raise ValidationError(_("选民名单尚未公布，不能提出异议。"))
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("投票已经开始，不能再对选民名单提出异议。"))
    if on >= election.election_day:
        raise ValidationError(_("异议须在选举日前提出。"))
    check_act_day(election=election, on=on, what=_("提出异议"), after=((election.roll_posted_on, _("选民名单公布")),))
    if resident.community_id != election.community_id:
        raise ValidationError(_("%(name)s 不是本社区居民。") % {"name": resident.name})
    if kind not in ObjectionKind.values:
        raise ValidationError(_("异议类别无效。"))
    if not (filed_by or "").strip() or not (reason or "").strip():
        raise ValidationError(_("请填写申诉人和理由。"))
    objection = Objection.objects.create(election=election, resident=resident, kind=kind,
                                         filed_by=filed_by.strip(), filed_on=on, reason=reason.strip())
    due = election.roll_posted_on + datetime.timedelta(days=election.rules.objection_days)
    late = None
    if on > due:
        late = warn(election=election, stage="objections", user=user, text=_(
            "%(name)s的异议于%(on)s提出，超过名单公布之日起%(days)s日的申诉期限（%(due)s）。") % {
            "name": resident.name, "on": cn_day(on), "days": election.rules.objection_days, "due": cn_day(due)})
    return Outcome.of(objection, late)


@transaction.atomic
def decide_objection(*, objection: Objection, upheld: bool, note: str, on: datetime.date | None = None,
                     user=None) -> Outcome[Objection]:
    """The election committee's decision, before the vote; an upheld objection corrects the posted roll (the
    only way the roll changes once posted). Later than the rule set's days after filing (3) is recorded."""
    on = on or today()
    election = Election.objects.select_for_update().select_related("rules").get(pk=objection.election_id)
    if objection.decision:
        raise ValidationError(_("该异议已经处理。"))
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("投票已经开始，选民名单不能再更改；异议须在投票前处理。"))
    if on >= election.election_day:
        raise ValidationError(_("异议须在选举日前作出处理决定（选举日%(day)s）。") % {
            "day": cn_day(election.election_day)})
    check_act_day(election=election, on=on, what=_("异议处理"), after=((objection.filed_on, _("异议提出")),))
    if not (note or "").strip():
        raise ValidationError(_("请填写处理意见。"))
    if upheld:
        entry = VoterRollEntry.objects.filter(election=election, resident=objection.resident).first()
        if objection.kind == ObjectionKind.OMITTED and entry is None:
            _refuse_other_active_rolls(election, [objection.resident_id])
            serial = (election.roll.aggregate(m=Max("serial"))["m"] or 0) + 1
            VoterRollEntry.objects.create(election=election, resident=objection.resident,
                                          group_name=objection.resident.group.name, serial=serial)
        elif objection.kind == ObjectionKind.WRONGLY_INCLUDED and entry is not None:
            if entry.proxy_given.exists() or entry.proxies_held.exists():
                raise ValidationError(_("该选民涉及委托投票，请先撤销委托。"))
            entry.delete()
        registered = election.roll.count()
        Election.objects.filter(pk=election.pk).update(registered_voters=registered)
    due = objection.filed_on + datetime.timedelta(days=election.rules.objection_decision_days)
    late = None
    if on > due:
        late = warn(election=election, stage="objections", user=user, text=_(
            "%(name)s的异议于%(on)s作出处理决定，超过收到申诉之日起%(days)s日的期限（%(due)s）。") % {
            "name": objection.resident.name, "on": cn_day(on), "days": election.rules.objection_decision_days,
            "due": cn_day(due)})
    objection.decision = ObjectionDecision.UPHELD if upheld else ObjectionDecision.REJECTED
    objection.decided_on = on
    objection.decision_note = note.strip()
    objection.save()
    return Outcome.of(objection, late)
