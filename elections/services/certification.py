"""After the count: closing it, the two confirmations, the certified and sealed result, corrections,
publication, the further round (另行选举) and tie re-vote, and the handover to the new committee.
"""

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from committee.services import start_term
from committee.services.handover import open_handover
from lib.outcome import Outcome
from lib.text import listed
from org.services import next_document_number

from ..models import (
    Candidate,
    CandidateStatus,
    Certification,
    Correction,
    CountingRole,
    Election,
    ElectionKind,
    ElectionStatus,
    ElectionWorker,
    Position,
    ResultSignature,
    Sealed,
    VoterRollEntry,
)
from .dates import cn_day, today, warn
from .disputed import refuse_if_undecided
from .setup import copy_rules
from .tally import registered_voters, tally

NOT_ENTERED = gettext_noop("票箱 %(boxes)s 的选票尚未录入，不能结束计票")

SIGNING_ROLES = (CountingRole.SCRUTINEER, CountingRole.COUNTER)
COMMITTEE_POSITIONS = {"director", "deputy", "member"}


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("rules", "community").get(pk=election.pk)


def open_certification(*, election: Election, user=None) -> Certification:
    """The record of a closed count, its result report numbered (keyed by the community's code, as the
    election papers are: services/papers.py)."""
    return Certification.objects.create(
        election=election, closed_at=timezone.now(), closed_by=user,
        doc_number=next_document_number(issuer=f"election:{election.community.code}", year=timezone.localdate().year))


@transaction.atomic
def close_counting(*, election: Election, user=None) -> Certification:
    """The election committee closes the count, on election day or after: every box that was given ballots
    must have been entered. The result report is numbered now: it prints, marked uncertified, for signing."""
    election = _locked(election)
    if election.status == ElectionStatus.CERTIFIED:
        raise Sealed()
    if election.status != ElectionStatus.COUNTING:
        raise ValidationError(_("选举处于“%(status)s”阶段，不能结束计票") % {"status": election.get_status_display()})
    if today() < election.election_day:
        raise ValidationError(_("选举日（%(day)s）之前不能结束计票") % {"day": cn_day(election.election_day)})
    missing = [b.code for b in election.boxes.filter(issued__gt=0, entered=False, withdrawn_reason="").order_by("id")]
    if missing:
        raise ValidationError(_(NOT_ENTERED) % {"boxes": listed(missing, sentence=NOT_ENTERED)})
    refuse_if_undecided(election)
    election.status = ElectionStatus.CLOSED
    election.save(update_fields=["status"])
    return open_certification(election=election, user=user)


def _closed(election: Election, refusal: str) -> tuple[Election, Certification]:
    """The election and its certification, locked, while the count is closed and not yet certified."""
    election = _locked(election)
    if election.status == ElectionStatus.CERTIFIED:
        raise Sealed()
    if election.status != ElectionStatus.CLOSED:
        raise ValidationError(refusal)
    return election, Certification.objects.select_for_update().get(election=election)


@transaction.atomic
def record_signatures(*, election: Election, workers: list[ElectionWorker], scan, user=None) -> list[ResultSignature]:
    """Record who signed the printed result report (appointed scrutineers and counters, each once; the
    scrutineer-in-chief and a counter at least) and keep the scan of the signed paper."""
    election, certification = _closed(election, _("计票结束后，在打印的选举结果报告单上签字"))
    if certification.confirmed_by_id:
        raise ValidationError(_("已有账号确认，签字不能再更改"))
    if any(w.election_id != election.pk or w.role not in SIGNING_ROLES for w in workers):
        raise ValidationError(_("只有本次选举任命的监票人和计票人在报告单上签字"))
    names = [w.name for w in workers]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValidationError(_("%(names)s 只能签字一次") % {"names": "、".join(twice)})
    if not any(w.is_chief for w in workers):
        raise ValidationError(_("报告单须有总监票人签字"))
    if not any(w.role == CountingRole.COUNTER for w in workers):
        raise ValidationError(_("报告单须有计票人签字"))
    if not scan and not certification.signed_scan:
        raise ValidationError(_("请上传签字后的报告单扫描件"))
    ResultSignature.objects.filter(election=election).delete()
    signatures = [ResultSignature.objects.create(election=election, worker=w, recorded_by=user) for w in workers]
    if scan:
        certification.signed_scan.save(f"result-{election.pk}-{scan.name}", scan, save=False)
        certification.save(update_fields=["signed_scan"])
    return signatures


@transaction.atomic
def confirm(*, election: Election, user) -> Certification:
    """Certification by two different accounts: first the clerk who closed the count, then a second street
    account. No account confirms twice; with the second confirmation the result is certified and sealed."""
    election, certification = _closed(election, _("计票结束后才能确认结果"))
    if not election.signatures.exists() or not certification.signed_scan:
        raise ValidationError(_("请先登记报告单上监票人、计票人的签字并上传扫描件"))
    if user is None or not getattr(user, "pk", None):
        raise ValidationError(_("确认须由登录的账号完成"))
    now = timezone.now()
    if certification.confirmed_by_id is None:
        if certification.closed_by_id and certification.closed_by_id != user.pk:
            raise ValidationError(_("第一次确认由结束计票的 %(name)s 完成") % {
                "name": certification.closed_by.get_full_name() or certification.closed_by.username})
        certification.confirmed_by, certification.confirmed_at = user, now
        certification.save(update_fields=["confirmed_by", "confirmed_at"])
        return certification
    if user.pk in (certification.confirmed_by_id, certification.closed_by_id):
        raise ValidationError(_("第二次确认须由另一个账号完成：同一账号不能确认两次"))
    certification.second_confirmed_by, certification.second_confirmed_at = user, now
    certification.result = tally(election=election)
    certification.certified_at = now
    certification.handover_due = timezone.localdate() + datetime.timedelta(days=election.rules.handover_days)
    certification.save()
    # The roll of a finished election frees its voters for the next one (setup.VoterRollEntry.active).
    VoterRollEntry.objects.filter(election=election).update(active=False)
    election.status = ElectionStatus.CERTIFIED
    election.save(update_fields=["status"])
    return certification


@transaction.atomic
def record_correction(*, election: Election, reason: str, text: str, user=None) -> Correction:
    """A correction of a certified result is a new act with its reason; the result itself stays as certified."""
    election.refresh_from_db(fields=["status"])
    if election.status != ElectionStatus.CERTIFIED:
        raise ValidationError(_("结果确认前请直接修改计票，无需登记更正"))
    if not (reason or "").strip() or not (text or "").strip():
        raise ValidationError(_("更正须写明理由和内容"))
    return Correction.objects.create(election=election, reason=reason.strip(), text=text.strip(), created_by=user)


def result_text(election: Election, result: dict) -> str:
    """The announcement (选举结果公告) in plain text, as posted on the board."""
    lines = [
        _("%(community)s于%(day)s举行%(kind)s。登记选民 %(registered)s 人，发出选票 %(issued)s 张，"
          "收回选票 %(returned)s 张，其中有效票 %(valid)s 张、无效票 %(invalid)s 张，参选率 %(turnout)s，") % {
            "community": election.community.name, "day": cn_day(election.election_day),
            "kind": election.get_kind_display(), "registered": result["registered_voters"],
            "issued": result["ballots_issued"], "returned": result["ballots_returned"],
            "valid": result["ballots_valid"], "invalid": result["ballots_invalid"],
            "turnout": f"{result['turnout']:.2%}"}
        + (_("选举有效。") if result["valid"] else _("选举无效。")),
    ]
    if not result["valid"]:
        lines.append(_("本次选举无人当选，须依法重新组织选举。"))
        return "\n".join(lines)
    separator = _("、")
    # The law asks for every candidate's and every write-in's votes (同时应当公布所有候选人和被选人所得票数):
    # formal candidates who received no vote are listed with 0.
    formal = {}
    for code, name in (election.candidates.filter(status=CandidateStatus.FORMAL)
                       .order_by("ballot_order", "id").values_list("position__code", "name")):
        formal.setdefault(code, []).append(name)
    for position in result["positions"]:
        elected = [_("%(name)s（%(votes)s票）") % {"name": c["name"], "votes": c["votes"]}
                   for c in position["candidates"] if c["elected"]]
        line = _("%(position)s（应选 %(seats)s 人）：") % {"position": position["title"], "seats": position["seats"]}
        line += _("%(names)s当选") % {"names": separator.join(elected)} if elected else _("无人当选")
        if position["unfilled"]:
            line += _("；空缺 %(unfilled)s 名") % {"unfilled": position["unfilled"]}
            if position["tied"]:
                line += _("（%(names)s票数相等，须再次投票）") % {"names": separator.join(position["tied"])}
            else:
                line += _("，另行选举")
        lines.append(line + _("。"))
        counted = {c["name"] for c in position["candidates"]}
        shown = [_("%(name)s %(votes)s票") % {"name": c["name"], "votes": c["votes"]} if not c["write_in"] else
                 _("%(name)s（另选他人）%(votes)s票") % {"name": c["name"], "votes": c["votes"]}
                 for c in position["candidates"]]
        shown += [_("%(name)s %(votes)s票") % {"name": name, "votes": 0}
                  for name in formal.get(position["code"], []) if name not in counted]
        lines.append(_("%(position)s得票情况：%(votes)s。") % {"position": position["title"],
                                                          "votes": separator.join(shown)})
    return "\n".join(lines)


@transaction.atomic
def publish_result(*, election: Election, user=None) -> Certification:
    """Post the certified result on the community's public board (居务公开栏)."""
    from disclosure.services.items import post_official_notice

    certification = Certification.objects.select_for_update().filter(election=election).first()
    if certification is None or certification.certified_at is None:
        raise ValidationError(_("选举结果确认后才能公告"))
    if certification.published_at:
        raise ValidationError(_("选举结果已经公告"))
    # The notice stays on the public board: it is written in the board's language, whoever publishes it.
    with translation.override(settings.LANGUAGE_CODE):
        title = (_("%(election)s结果公告") if election.name.endswith("选举") else _("%(election)s选举结果公告")) % {
            "election": election.name}
        body = "".join(f"<p>{escape(line)}</p>" for line in result_text(election, certification.result).splitlines())
    notice = post_official_notice(community=election.community, title=title, body=body, source=certification,
                                  user=user)
    certification.published_at = timezone.now()
    certification.notice_id = getattr(notice, "pk", None)
    certification.save()
    return certification


def _certified_result(election: Election) -> dict:
    certification = Certification.objects.filter(election=election, certified_at__isnull=False).first()
    if certification is None:
        raise ValidationError(_("选举结果确认后才能安排另行选举或再次投票"))
    if not certification.result["valid"]:
        raise ValidationError(_("选举无效，无人当选：应重新组织选举，不能另行选举或再次投票"))
    return certification.result


def _followup(*, election: Election, kind: str, election_day: datetime.date, days: int,
              seats: dict[str, int], candidates: dict[str, list[str]]) -> Election:
    if election.followups.filter(kind=kind).exists():
        raise ValidationError(_("本次选举已经安排了%(kind)s") % {"kind": ElectionKind(kind).label})
    if election_day <= today():
        raise ValidationError(_("%(kind)s的选举日须在今天之后") % {"kind": ElectionKind(kind).label})
    if election_day < election.election_day or election_day > election.election_day + datetime.timedelta(days=days):
        raise ValidationError(_("%(kind)s须在选举日后 %(days)s 日内举行") % {
            "kind": ElectionKind(kind).label, "days": days})
    label = ElectionKind(kind).label
    followup = Election.objects.create(
        community=election.community, name=f"{election.name}（{label}）", term_number=election.term_number,
        mode=election.mode, kind=kind, round=2 if kind == ElectionKind.FURTHER else election.round,
        parent=election, election_day=election_day, rules=copy_rules(election.rules),
        # A further round registers nobody new: it keeps the first vote's number of voters.
        registered_voters=registered_voters(election), status=ElectionStatus.PREPARING,
    )
    genders = {(c.position.code, c.name): c for c in election.candidates.select_related("position")}
    for order, position in enumerate(election.positions.order_by("order", "id")):
        if not seats.get(position.code):
            continue
        new = Position.objects.create(election=followup, code=position.code, title=position.title,
                                      seats=seats[position.code], order=order)
        for rank, name in enumerate(candidates[position.code]):
            known = genders.get((position.code, name))
            Candidate.objects.create(election=followup, position=new, name=name, status=CandidateStatus.FORMAL,
                                     gender=known.gender if known else "",
                                     resident=known.resident if known else None, ballot_order=rank)
    return followup


def further_round_candidates(*, election: Election, position: dict) -> list[str]:
    """The best-placed names not elected, as many as the 差额 rule asks for the unfilled seats.

    Names tied with the last one taken are taken too: the software never chooses between equal votes.
    """
    rules = election.rules
    unfilled = position["unfilled"]
    wanted = max(unfilled + rules.margin_min_extra, math.ceil(unfilled * (100 + rules.margin_percent) / 100))
    if rules.margin_max_extra:
        wanted = min(wanted, unfilled + rules.margin_max_extra)
    remaining = [c for c in position["candidates"] if not c["elected"]]
    chosen = remaining[:wanted]
    if chosen:
        chosen += [c for c in remaining[wanted:] if c["votes"] == chosen[-1]["votes"]]
    return [c["name"] for c in chosen]


@transaction.atomic
def create_further_round(*, election: Election, election_day: datetime.date) -> Election:
    """另行选举 for the seats left unfilled for lack of votes: round 2, at least a third of the ballots wins."""
    result = _certified_result(election)
    short = [p for p in result["positions"] if p["unfilled"] and not p["tied"]]
    if not short:
        raise ValidationError(_("没有因票数不足而空缺的职位，无需另行选举"))
    return _followup(election=election, kind=ElectionKind.FURTHER, election_day=election_day,
                     days=election.rules.further_round_days,
                     seats={p["code"]: p["unfilled"] for p in short},
                     candidates={p["code"]: further_round_candidates(election=election, position=p) for p in short})


@transaction.atomic
def create_tie_vote(*, election: Election, election_day: datetime.date) -> Election:
    """A new vote among the tied for the seats their equal votes left open (never decided by the software)."""
    result = _certified_result(election)
    tied = [p for p in result["positions"] if p["tied"]]
    if not tied:
        raise ValidationError(_("没有票数相等的候选人，无需再次投票"))
    return _followup(election=election, kind=ElectionKind.TIE, election_day=election_day,
                     days=election.rules.tie_revote_days,
                     seats={p["code"]: p["unfilled"] for p in tied}, candidates={p["code"]: p["tied"] for p in tied})


def winners(election: Election) -> list[dict]:
    """Everyone certified as elected in `election` and its certified further rounds and tie votes."""
    found = []
    # A by-election during the term has the main election as its parent too, but seats its own winners.
    for each in [election, *election.followups.exclude(kind=ElectionKind.BY_ELECTION).order_by("id")]:
        certification = Certification.objects.filter(election=each, certified_at__isnull=False).first()
        if certification is None or not certification.result["valid"]:
            continue
        candidates = {(c.position.code, c.name): c for c in each.candidates.select_related("position")}
        for position in certification.result["positions"]:
            for name in position["elected"]:
                candidate = candidates.get((position["code"], name))
                found.append({"name": name, "position": position["code"], "title": position["title"],
                              "gender": candidate.gender if candidate else "",
                              "resident": candidate.resident if candidate else None})
    return found


@transaction.atomic
def hand_over(*, election: Election, starts: datetime.date | None = None, user=None) -> Outcome[Certification]:
    """The certified winners become the committee of the new term (committee.services.start_term)."""
    certification = Certification.objects.select_for_update().filter(election=election).first()
    if certification is None or certification.certified_at is None:
        raise ValidationError(_("选举结果确认后才能移交"))
    if election.kind != ElectionKind.MAIN:
        raise ValidationError(_("请在原换届选举中办理移交，另行选举和再次投票的当选人一并移交"))
    if certification.term_id:
        raise ValidationError(_("本届居委会已经完成移交"))
    if not certification.result["valid"]:
        raise ValidationError(_("选举无效，不能移交"))
    members = winners(election)
    if not members:
        raise ValidationError(_("没有当选人，不能移交"))
    starts = starts or timezone.localdate()
    if starts < timezone.localdate(certification.certified_at):
        raise ValidationError(_("移交日期不能早于结果确认日期"))
    if starts > timezone.localdate():
        raise ValidationError(_("移交日期不能晚于今天"))
    late = None
    if certification.handover_due and starts > certification.handover_due:
        late = warn(election=election, stage="handover", user=user, text=_(
            "工作移交于%(on)s完成，晚于规定的%(due)s（结果确认后%(days)s日内）。") % {
            "on": cn_day(starts), "due": cn_day(certification.handover_due), "days": election.rules.handover_days})
    term = start_term(community=election.community, number=election.term_number, starts=starts, members=[
        {"name": m["name"], "gender": m["gender"], "resident": m["resident"],
         "position": m["position"] if m["position"] in COMMITTEE_POSITIONS else "member"} for m in members
    ], term_years=election.rules.term_years, extension_months_max=election.rules.extension_months_max)
    certification.term = term
    certification.handed_over_on = starts
    certification.save()
    return Outcome.of(certification, late)


def open_handover_list(*, election: Election, user):
    """Street staff open the handover list (移交清单) once the winners are the new term, with the certification's
    deadline (handover_days of the rule set); committee.services.handover keeps the list."""
    certification = Certification.objects.filter(election=election).select_related("term").first()
    if certification is None or not certification.term_id:
        raise ValidationError(_("当选人移交为新一届居委会后才能建立移交清单"))
    return open_handover(incoming=certification.term, due=certification.handover_due, by=user)


def handover_todos(*, user, communities) -> list:
    """Dashboard: certified elections not yet handed over, with the rule set's deadline (handover_days)."""
    from org.dashboard import Todo

    pending = (Certification.objects.filter(election__community__in=communities, certified_at__isnull=False,
                                            term__isnull=True, election__kind=ElectionKind.MAIN)
               .select_related("election__community"))
    today = timezone.localdate()
    return [Todo(text=_("%(election)s：当选人移交新一届居委会") % {"election": c.election.name},
                 url=f"/elections/{c.election_id}/result/",
                 due=c.handover_due, late=bool(c.handover_due and c.handover_due < today),
                 community=c.election.community.name) for c in pending]
