"""The election's dates: today, the legal deadlines and the timeline, acts checked against them, and
late acts put on the record (warn)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Dates in messages and notices follow the active language; cn_day is the name the election services use for it.
from lib.dates import DateChecks
from lib.dates import written_date as cn_day

from ..models import (
    Election,
    ElectionCommitteeMember,
    ElectionStatus,
    ElectionWarning,
)


def today() -> datetime.date:
    return timezone.localdate()


def warn(*, election: Election, stage: str, text: str, user=None) -> str:
    """Put a late but lawful act (or a flagged irregularity) on the election's record; the papers print it."""
    ElectionWarning.objects.create(election=election, stage=stage, text=text,
                                   created_by=user if getattr(user, "pk", None) else None)
    return text


def check_act_day(*, election: Election, on: datetime.date, what: str,
                  after: tuple[tuple[datetime.date | None, str], ...] = (), before_election_day: bool = True) -> None:
    """Refuse an act dated in the future, before an act that must precede it, or (for what is posted before
    the vote) after election day. Only what was done can be recorded, in the order the law gives."""
    checks, name = DateChecks(today()), _("%(what)s的日期") % {"what": what}
    checks.not_future(NON_FIELD_ERRORS, name, on)
    for earlier, label in after:
        checks.not_before(NON_FIELD_ERRORS, name, on, label, earlier)
    checks.check()
    if before_election_day and on >= election.election_day:
        raise ValidationError(_("%(what)s须在选举日（%(day)s）之前完成。") % {
            "what": what, "day": cn_day(election.election_day)})


def warn_if_late(*, election: Election, key: str, on: datetime.date, what: str, user=None) -> str | None:
    """An act after its legal deadline but still before the vote is lawful and done, and goes on the record."""
    due = deadlines(election)[key]
    if on <= due:
        return None
    return warn(election=election, stage=key, user=user, text=_(
        "%(what)s于%(on)s完成，晚于“%(rules)s”规定的%(due)s（选举日%(day)s前%(days)s日），逾期%(late)s日。") % {
        "what": what, "on": cn_day(on), "rules": election.rules.name, "due": cn_day(due),
        "day": cn_day(election.election_day), "days": (election.election_day - due).days,
        "late": (on - due).days})


@dataclass
class Stage:
    key: str
    title: str
    deadline: datetime.date | None
    done_on: datetime.date | None
    rule: str

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def late(self, on: datetime.date) -> bool:
        if self.deadline is None:
            return False
        if self.done_on is not None:
            return self.done_on > self.deadline
        return on > self.deadline


def deadlines(election: Election) -> dict[str, datetime.date]:
    """The legal deadlines of the election, computed from its own rule set."""
    day, rules = election.election_day, election.rules
    before = lambda days: day - datetime.timedelta(days=days)  # noqa: E731
    return {
        "roll": before(rules.roll_posted_days),
        "cards": before(rules.voter_cards_days),
        "candidates": before(rules.candidates_posted_days),
        "proxies": before(rules.proxy_deadline_days),
        "polling_notice": before(rules.polling_notice_days),
        "objections": before(1),
        "mobile_list": before(rules.mobile_list_days),
        "election": day,
        "handover": day + datetime.timedelta(days=rules.handover_days),
    }


def timeline(election: Election) -> list[Stage]:
    """Every stage with its deadline, the date it was done and the rule behind the deadline."""
    rules, due = election.rules, deadlines(election)
    formed = ElectionCommitteeMember.history.filter(election_id=election.pk).order_by("history_date").values_list(
        "history_date", flat=True).first()
    pending_objections = election.objections.filter(decision="").exists()
    last_decided = election.objections.exclude(decision="").order_by("-decided_on").values_list(
        "decided_on", flat=True).first()
    last_proxy = election.proxies.order_by("-registered_on").values_list("registered_on", flat=True).first()
    voted = election.status in {ElectionStatus.COUNTING, ElectionStatus.CLOSED, ElectionStatus.CERTIFIED}
    return [
        Stage("announcement", _("选举公告"), None, election.announced_on, _("筹备阶段公布选举日和选民登记日")),
        Stage("committee", _("选举委员会名单"), due["roll"], timezone.localdate(formed) if formed else None,
              _("选民登记前成立选举委员会")),
        Stage("roll", _("选民名单张榜公布"), due["roll"], election.roll_posted_on,
              _("选举日%(n)s日前") % {"n": rules.roll_posted_days}),
        Stage("objections", _("选民名单异议处理"), due["objections"],
              None if pending_objections or not election.roll_posted_on else (last_decided or election.roll_posted_on),
              _("选举日前作出决定")),
        Stage("cards", _("发放选民证"), due["cards"], election.cards_issued_on,
              _("选举日%(n)s日前") % {"n": rules.voter_cards_days}),
        Stage("nominations", _("提名候选人"), due["candidates"], election.nominations_closed_on,
              _("候选人名单公布前完成")),
        Stage("candidates", _("正式候选人名单公布"), due["candidates"], election.candidates_posted_on,
              _("选举日%(n)s日前") % {"n": rules.candidates_posted_days}),
        Stage("proxies", _("委托投票登记截止"), due["proxies"], last_proxy,
              _("选举日%(n)s日前；每人受托不超过%(limit)s人") % {"n": rules.proxy_deadline_days,
                                                        "limit": rules.proxy_limit}),
        Stage("polling_notice", _("投票时间、地点和方式公告"), due["polling_notice"], election.polling_notice_on,
              _("选举日%(n)s日前") % {"n": rules.polling_notice_days}),
        Stage("election", _("投票选举"), due["election"], election.election_day if voted else None, _("选举日")),
        Stage("handover", _("新老班子工作移交"), due["handover"], None,
              _("选举后%(n)s日内") % {"n": rules.handover_days}),
    ]


def check_deadline(*, election: Election, key: str, on: datetime.date, what: str) -> None:
    """Refuse an act done after its legal deadline, naming the rule and the date."""
    due = deadlines(election)[key]
    if on > due:
        raise ValidationError(
            _("%(what)s须在%(due)s之前完成（选举日%(day)s前%(days)s日，依“%(rules)s”），%(on)s已逾期；"
              "如需继续，请先推迟选举日。") % {
                "what": what, "due": cn_day(due), "day": cn_day(election.election_day),
                "days": (election.election_day - due).days, "rules": str(election.rules), "on": cn_day(on)})
