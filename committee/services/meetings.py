"""Meetings: planning, notice, attendance against the entitled list, quorum, votes, minutes, decisions."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import DateChecks
from lib.outcome import Outcome
from org.models import Community
from org.services import next_document_number
from residents.models import Relation, Representative, RepresentativeKind
from residents.services import adults, current_representatives, representative_terms_on

from ..models import (
    Attendee,
    AttendeeKind,
    Composition,
    Decision,
    DecisionProgress,
    DecisionStatus,
    MediationMatter,
    MediationOutcome,
    MediationParty,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Motion,
    Petition,
    PetitionStatus,
    ReviewSubject,
)
from ..rules import (
    HEARING_RESULT_DAYS,
    HEARING_SCHEDULE_DAYS,
    MEDIATION_MAX_SESSIONS,
    REVIEW_FEEDBACK_DAYS,
    REVIEW_REPORT_DAYS,
    rule_of,
)
from . import current_members


def _locked(meeting: Meeting) -> Meeting:
    """The meeting as it is now in the database, locked: a caller's copy may be stale."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("community", "matter").get(pk=meeting.pk)


def issuer_key(community: Community) -> str:
    """The document-number counter of a community's committee."""
    return f"committee:{community.code}"


def issuer_name(community: Community) -> str:
    return _("%(community)s居民委员会") % {"community": community.name}


@transaction.atomic
def plan_meeting(*, community: Community, kind: str, title: str, agenda: str, place: str,
                 starts: datetime.datetime, composition: str = "", urgent: bool = False,
                 matter: MediationMatter | None = None, requester: str = "", requested_on: datetime.date | None = None,
                 petition: Petition | None = None, user=None) -> Meeting:
    """Put a meeting on the calendar; a mediation session is refused after the third on the same matter."""
    kind = MeetingKind(kind)
    if kind == MeetingKind.RESIDENTS and composition not in Composition.values:
        raise ValidationError({"composition": _("居民会议须选择组成形式：全体居民、户代表或居民代表")})
    if kind != MeetingKind.RESIDENTS:
        composition = ""
    session_number = None
    if kind == MeetingKind.MEDIATION:
        if matter is None or matter.community_id != community.pk:
            raise ValidationError({"matter": _("协调会须选择本社区的调解事项")})
        matter = MediationMatter.objects.select_for_update().get(pk=matter.pk)
        held = matter.sessions.count()
        if held >= MEDIATION_MAX_SESSIONS:
            raise ValidationError(_(
                "同一内容的协调会以%(limit)s次为限：“%(subject)s”已召开%(held)s次，"
                "不能召开第%(next)s次，请告知当事人通过其他途径解决") % {
                "limit": MEDIATION_MAX_SESSIONS, "subject": matter.subject, "held": held, "next": held + 1})
        if matter.status != MediationMatter.Status.OPEN:
            raise ValidationError(_("调解事项“%(subject)s”已%(status)s，不能再召开协调会") % {
                "subject": matter.subject, "status": matter.get_status_display()})
        session_number = held + 1
    else:
        matter = None
    if kind == MeetingKind.HEARING and requested_on is None:
        raise ValidationError({"requested_on": _("听证会须填写收到书面听证要求的日期")})
    day = timezone.localtime(starts).date()
    dates = DateChecks()
    if kind == MeetingKind.HEARING:
        (dates.not_future("requested_on", _("收到书面听证要求日期"), requested_on)
         .not_after("requested_on", _("收到书面听证要求日期"), requested_on, _("听证会日期"), day))
    if matter is not None:
        dates.not_before("starts", _("会议日期"), day, _("调解事项受理日期"), matter.opened_on)
    if petition is not None:
        dates.not_before("starts", _("会议日期"), day, _("提议达到法定人数日期"), petition.reached_on)
    dates.check()
    if petition is not None:
        if petition.community_id != community.pk or kind != MeetingKind.RESIDENTS:
            raise ValidationError(_("提议只能由本社区的居民会议回应"))
        if petition.status != PetitionStatus.DUE:
            raise ValidationError(_("该提议尚未达到法定人数"))
    meeting = Meeting.objects.create(
        community=community, kind=kind, composition=composition, title=title, agenda=agenda, place=place,
        starts=starts, urgent=urgent and kind == MeetingKind.MEDIATION, matter=matter, session_number=session_number,
        requester=requester if kind == MeetingKind.HEARING else "",
        requested_on=requested_on if kind == MeetingKind.HEARING else None, created_by=user)
    if kind == MeetingKind.MEDIATION:
        for party in matter.parties.all():
            Attendee.objects.create(meeting=meeting, kind=AttendeeKind.PARTY, name=party.name,
                                    resident=party.resident, note="当事人")
    if petition is not None:
        petition.meeting = meeting
        petition.status = PetitionStatus.CALLED
        petition.save(update_fields=["meeting", "status"])
    return meeting


@transaction.atomic
def open_matter(*, community: Community, subject: str, facts: str, opened_on: datetime.date,
                parties: list[str]) -> MediationMatter:
    """Take a dispute into mediation with its parties (at least two, named once each: the form checks that)."""
    DateChecks().not_future("opened_on", _("受理日期"), opened_on).check()
    matter = MediationMatter.objects.create(community=community, subject=subject, facts=facts, opened_on=opened_on)
    MediationParty.objects.bulk_create([MediationParty(matter=matter, name=name) for name in parties])
    return matter


def notice_deadline(meeting: Meeting) -> datetime.date:
    """The last day the notice may go out under the kind's notice period."""
    days = 0 if (meeting.kind == MeetingKind.MEDIATION and meeting.urgent) else rule_of(meeting.kind).notice_days
    return meeting.day - datetime.timedelta(days=days)


def notice_warnings(meeting: Meeting, *, on: datetime.date) -> list[str]:
    """What is wrong with a notice going out on `on`: a short notice period, a late hearing schedule."""
    warnings = []
    days = 0 if (meeting.kind == MeetingKind.MEDIATION and meeting.urgent) else rule_of(meeting.kind).notice_days
    given = (meeting.day - on).days
    if given < 0:
        warnings.append(_("通知于会议之后（%(on)s）才发出") % {"on": on.isoformat()})
    elif given < days:
        warnings.append(_("通知期不足：%(kind)s应至少提前%(days)s天通知并告知议题，本次仅提前%(given)s天") % {
            "kind": meeting.get_kind_display(), "days": days, "given": given})
    if meeting.kind == MeetingKind.HEARING and meeting.requested_on:
        late = (on - meeting.requested_on).days
        if late > HEARING_SCHEDULE_DAYS:
            warnings.append(_("听证会应在收到书面听证要求后%(days)s日内确定时间、地点和人员并通知，"
                              "本次在第%(late)s日") % {"days": HEARING_SCHEDULE_DAYS, "late": late})
    if meeting.kind == MeetingKind.REVIEW:
        report_due = meeting.day - datetime.timedelta(days=REVIEW_REPORT_DAYS)
        if not meeting.review_subjects.exists():
            warnings.append(_("评议会尚未登记被评议单位"))
        elif on > report_due:
            warnings.append(_("被评议单位应在评议会前%(days)s日递交工作总结（%(due)s之前），通知已晚") % {
                "days": REVIEW_REPORT_DAYS, "due": report_due})
    return warnings


@transaction.atomic
def notify_meeting(*, meeting: Meeting, on: datetime.date) -> Outcome[Meeting]:
    """Issue the notice (with a document number) on `on`, with warnings, e.g. a short notice period."""
    meeting = _locked(meeting)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED):
        raise ValidationError(_("会议已开始或已结束，不能再发通知"))
    (DateChecks().not_future("on", _("通知日期"), on)
     .not_after("on", _("通知日期"), on, _("会议日期"), meeting.day)
     .not_before("on", _("通知日期"), on, _("收到书面听证要求日期"), meeting.requested_on).check())
    warnings = notice_warnings(meeting, on=on)
    meeting.notified_on = on
    meeting.status = MeetingStatus.NOTIFIED
    if not meeting.doc_number:
        meeting.doc_number = next_document_number(issuer=issuer_key(meeting.community), year=on.year)
    meeting.save(update_fields=["notified_on", "status", "doc_number"])
    return Outcome.of(meeting, *warnings)


def entitled_seats(meeting: Meeting, *, on: datetime.date) -> list[Attendee]:
    """The entitled list derived from the registry (residents' meetings) or the committee (its own meetings)."""
    community = meeting.community
    seats: list[Attendee] = []
    seated: set[int] = set()
    if meeting.kind == MeetingKind.RESIDENTS:
        if meeting.composition == Composition.ADULTS:
            for pk, name in adults(community=community, on=on).values_list("id", "name"):
                seats.append(Attendee(meeting=meeting, kind=AttendeeKind.ADULT, resident_id=pk, name=name))
                seated.add(pk)
        elif meeting.composition == Composition.HOUSEHOLDS:
            # One seat per household with an adult living here, named after its head when the head is one.
            chosen: dict[int, tuple[int, str, bool]] = {}
            rows = adults(community=community, on=on).values_list("household_id", "id", "name", "relation")
            for household_id, pk, name, relation in rows:
                is_head = relation == Relation.HEAD
                if household_id not in chosen or (is_head and not chosen[household_id][2]):
                    chosen[household_id] = (pk, name, is_head)
            for household_id, (pk, name, _head) in sorted(chosen.items()):
                seats.append(Attendee(meeting=meeting, kind=AttendeeKind.HOUSEHOLD, household_id=household_id,
                                      resident_id=pk, name=name))
            ex_officio = representative_terms_on(community=community, on=on).filter(
                kind=RepresentativeKind.EX_OFFICIO).select_related("resident")
            for term in ex_officio:
                seats.append(Attendee(meeting=meeting, kind=AttendeeKind.EX_OFFICIO, resident=term.resident,
                                      name=term.resident.name))
                seated.add(term.resident_id)
        else:
            kinds = dict(Representative.objects.filter(
                id__in=representative_terms_on(community=community, on=on)).values_list("resident_id", "kind"))
            for resident in current_representatives(community=community, on=on):
                kind = AttendeeKind.EX_OFFICIO if kinds.get(resident.pk) == RepresentativeKind.EX_OFFICIO \
                    else AttendeeKind.REPRESENTATIVE
                seats.append(Attendee(meeting=meeting, kind=kind, resident=resident, name=resident.name))
                seated.add(resident.pk)
            # Units' representatives (驻区单位代表) sit too: they are named on the term, in no resident record.
            for term in representative_terms_on(community=community, on=on).filter(
                    kind=RepresentativeKind.UNIT).order_by("person_name", "id"):
                seats.append(Attendee(meeting=meeting, kind=AttendeeKind.REPRESENTATIVE, name=term.person_name,
                                      note=term.unit_name[:100]))
        if meeting.composition != Composition.ADULTS:
            # Committee members are ex-officio representatives (当然代表) of household and representative meetings.
            for member in current_members(community=community, on=on):
                if member.resident_id and member.resident_id in seated:
                    continue
                seats.append(Attendee(meeting=meeting, kind=AttendeeKind.EX_OFFICIO, member=member,
                                      resident_id=member.resident_id, name=member.name,
                                      note=member.get_position_display()))
    elif meeting.kind in (MeetingKind.COMMITTEE, MeetingKind.STAFF, MeetingKind.JOINT):
        for member in current_members(community=community, on=on):
            seats.append(Attendee(meeting=meeting, kind=AttendeeKind.MEMBER, member=member,
                                  resident_id=member.resident_id, name=member.name,
                                  note=member.get_position_display()))
    return seats


@transaction.atomic
def add_attendee(*, meeting: Meeting, name: str, note: str = "", counts: bool = True) -> Attendee:
    """Add someone by hand: a hearing or review group member, a party-branch member, a guest (who does not count)."""
    meeting = _locked(meeting)
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已结束"))
    if meeting.attendees.filter(name=name, kind__in=[AttendeeKind.INVITED, AttendeeKind.PARTY]).exists():
        raise ValidationError(_("%(name)s 已在名单中") % {"name": name})
    return Attendee.objects.create(meeting=meeting, kind=AttendeeKind.INVITED, name=name, note=note, counts=counts)


@transaction.atomic
def open_attendance(*, meeting: Meeting, on: datetime.date | None = None) -> int:
    """Snapshot the entitled list and open attendance; later changes to the registry do not move it."""
    meeting = _locked(meeting)
    on = on or meeting.day
    if meeting.status == MeetingStatus.PLANNED and notice_deadline(meeting) < meeting.day:
        raise ValidationError(_("%(kind)s须先发出通知才能签到") % {"kind": meeting.get_kind_display()})
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED):
        raise ValidationError(_("签到已经开始"))
    seats = entitled_seats(meeting, on=on)
    already = set(meeting.attendees.exclude(resident__isnull=True).values_list("resident_id", flat=True))
    Attendee.objects.bulk_create([s for s in seats if s.resident_id is None or s.resident_id not in already],
                                 batch_size=2000)
    if not meeting.attendees.filter(counts=True).exists():
        raise ValidationError(_("应到人员名单为空：请先登记本届居委会成员、居民代表或特邀人员"))
    meeting.status = MeetingStatus.OPEN
    meeting.attendance_opened_at = timezone.now()
    meeting.save(update_fields=["status", "attendance_opened_at"])
    return meeting.attendees.count()


@dataclass(frozen=True)
class Quorum:
    entitled: int
    present: int
    required: bool

    @property
    def needed(self) -> int:
        """The smallest attendance that is more than half of those entitled."""
        return self.entitled // 2 + 1

    @property
    def met(self) -> bool:
        return self.entitled > 0 and self.present * 2 > self.entitled


def quorum(meeting: Meeting) -> Quorum:
    """Attendance counted live: seats that count, and how many of them are taken."""
    counts = meeting.attendees.filter(counts=True).aggregate(
        entitled=Count("id"), present=Count("id", filter=Q(present=True)))
    return Quorum(entitled=counts["entitled"], present=counts["present"], required=rule_of(meeting.kind).quorum)


@transaction.atomic
def mark_attendance(*, attendee: Attendee, present: bool, attended_by: str = "") -> Attendee:
    if _locked(attendee.meeting).status != MeetingStatus.OPEN:
        raise ValidationError(_("会议不在签到中"))
    attendee.present = present
    attendee.attended_by = attended_by if present else ""
    attendee.save(update_fields=["present", "attended_by"])
    return attendee


@transaction.atomic
def vote_motion(*, meeting: Meeting, text: str, votes_for: int, votes_against: int, abstentions: int) -> Motion:
    """Put a motion to the vote: adopted when more than half of those present vote for it, never without quorum."""
    meeting = _locked(meeting)
    rule = rule_of(meeting.kind)
    if not rule.votes:
        raise ValidationError(_("%(kind)s不进行表决") % {"kind": meeting.get_kind_display()})
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议须在签到后、结束前表决"))
    q = quorum(meeting)
    if rule.quorum and not q.met:
        raise ValidationError(_("未达到法定人数：应到%(entitled)s人，实到%(present)s人，须超过半数（至少%(needed)s人）"
                                "出席，会议不能作出决定") % {
            "entitled": q.entitled, "present": q.present, "needed": q.needed})
    cast = votes_for + votes_against + abstentions
    if cast > q.present:
        raise ValidationError(_("赞成、反对、弃权合计%(cast)s票，超过实到人数%(present)s人") % {
            "cast": cast, "present": q.present})
    adopted = votes_for * 2 > q.present
    return Motion.objects.create(
        meeting=meeting, text=text, entitled=q.entitled, present=q.present, quorum_required=rule.quorum,
        votes_for=votes_for, votes_against=votes_against, abstentions=abstentions,
        result=Motion.Result.ADOPTED if adopted else Motion.Result.REJECTED, voted_at=timezone.now())


@transaction.atomic
def record_decision(*, meeting: Meeting, text: str, owner: str, due: datetime.date | None = None,
                    motion: Motion | None = None) -> Decision:
    """A decision to carry out; in a meeting that votes it must come from an adopted motion (so from a quorum)."""
    meeting = _locked(meeting)
    rule = rule_of(meeting.kind)
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED):
        raise ValidationError(_("会议尚未召开，不能形成决定"))
    if motion is not None and motion.meeting_id != meeting.pk:
        raise ValidationError(_("表决事项不属于本次会议"))
    if rule.votes:
        if motion is None or motion.result != Motion.Result.ADOPTED:
            raise ValidationError(_("%(kind)s的决定须经出席人过半数表决通过") % {"kind": meeting.get_kind_display()})
        if rule.quorum and motion.present * 2 <= motion.entitled:
            raise ValidationError(_("会议未达到法定人数，不能作出决定"))
        if Decision.objects.filter(motion=motion).exists():
            raise ValidationError(_("该表决事项已形成决定"))
    DateChecks().not_before("due", _("完成期限"), due, _("会议日期"), meeting.day).check()
    return Decision.objects.create(meeting=meeting, motion=motion, text=text, owner=owner, due=due)


@transaction.atomic
def record_minutes(*, meeting: Meeting, minutes: str, chair: str, recorder: str, on: datetime.date) -> Meeting:
    """Record the minutes and close the meeting."""
    meeting = _locked(meeting)
    if meeting.status == MeetingStatus.CLOSED:
        # The minutes are the record of what was said; once the meeting is closed they are not rewritten.
        raise ValidationError(_("会议已结束，会议记录不能再修改"))
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议须签到后才能记录"))
    if meeting.kind == MeetingKind.MEDIATION and not meeting.outcome:
        raise ValidationError(_("协调会须先登记协调结果（达成协议或未达成协议）"))
    if not minutes.strip():
        raise ValidationError({"minutes": _("会议记录不能为空")})
    (DateChecks().not_future("on", _("记录日期"), on)
     .not_before("on", _("记录日期"), on, _("会议日期"), meeting.day).check())
    meeting.minutes, meeting.chair, meeting.recorder = minutes, chair, recorder
    meeting.minutes_recorded_on = on
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["minutes", "chair", "recorder", "minutes_recorded_on", "status"])
    return meeting


@transaction.atomic
def record_mediation_outcome(*, meeting: Meeting, outcome: str, agreement: str) -> Meeting:
    """Agreement or record of no agreement; after the third session without one the parties go elsewhere."""
    meeting = _locked(meeting)
    if meeting.kind != MeetingKind.MEDIATION:
        raise ValidationError(_("只有协调会有协调结果"))
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("协调会须签到后、结束前登记结果"))
    if not agreement.strip():
        raise ValidationError({"agreement": _("须写明协议内容或未达成协议的情况")})
    meeting.outcome, meeting.agreement = MediationOutcome(outcome), agreement
    meeting.save(update_fields=["outcome", "agreement"])
    matter = meeting.matter
    if outcome == MediationOutcome.AGREEMENT:
        matter.status = MediationMatter.Status.AGREED
    elif meeting.session_number >= MEDIATION_MAX_SESSIONS:
        matter.status = MediationMatter.Status.NO_AGREEMENT
    matter.save(update_fields=["status"])
    return meeting


@transaction.atomic
def add_progress(*, decision: Decision, note: str, on: datetime.date, user=None, done: bool = False) -> Decision:
    """A progress note; `done` closes the decision on that day."""
    if decision.status == DecisionStatus.DONE:
        raise ValidationError(_("该决定已完成"))
    (DateChecks().not_future("on", _("进展日期"), on)
     .not_before("on", _("进展日期"), on, _("会议日期"), decision.meeting.day).check())
    DecisionProgress.objects.create(decision=decision, note=note, on=on, by=user)
    if done:
        decision.status, decision.done_on = DecisionStatus.DONE, on
    else:
        decision.status = DecisionStatus.IN_PROGRESS
    decision.save(update_fields=["status", "done_on"])
    return decision


@transaction.atomic
def report_back(*, decision: Decision, on: datetime.date, to: str) -> Decision:
    """Report the carried-out decision back (to the next meeting, the residents, the requesting department)."""
    if decision.status != DecisionStatus.DONE:
        raise ValidationError(_("决定完成后才能反馈落实情况"))
    (DateChecks().not_future("on", _("反馈日期"), on)
     .not_before("on", _("反馈日期"), on, _("完成日期"), decision.done_on).check())
    decision.reported_on, decision.reported_to = on, to
    decision.save(update_fields=["reported_on", "reported_to"])
    return decision


@transaction.atomic
def post_hearing_result(*, meeting: Meeting, on: datetime.date) -> Outcome[Meeting]:
    meeting = _locked(meeting)
    if meeting.kind != MeetingKind.HEARING or meeting.status != MeetingStatus.CLOSED:
        raise ValidationError(_("听证会结束后才能公示表决结果"))
    (DateChecks().not_future("on", _("表决结果公示日期"), on)
     .not_before("on", _("表决结果公示日期"), on, _("听证会日期"), meeting.day).check())
    meeting.result_posted_on = on
    meeting.save(update_fields=["result_posted_on"])
    late = (on - meeting.day).days
    if late > HEARING_RESULT_DAYS:
        return Outcome.of(meeting, _("听证会表决结果应在会后%(days)s日内公示，本次在第%(late)s日") % {
            "days": HEARING_RESULT_DAYS, "late": late})
    return Outcome.of(meeting)


@transaction.atomic
def add_review_subject(*, meeting: Meeting, organisation: str,
                       report_requested_on: datetime.date) -> Outcome[ReviewSubject]:
    if meeting.kind != MeetingKind.REVIEW:
        raise ValidationError(_("只有评议会有被评议单位"))
    if meeting.review_subjects.filter(organisation=organisation).exists():
        raise ValidationError(_("%(organisation)s 已登记") % {"organisation": organisation})
    (DateChecks().not_future("report_requested_on", _("通知递交工作总结日期"), report_requested_on)
     .not_after("report_requested_on", _("通知递交工作总结日期"), report_requested_on, _("评议会日期"), meeting.day)
     .check())
    subject = ReviewSubject.objects.create(meeting=meeting, organisation=organisation,
                                           report_requested_on=report_requested_on)
    report_due = meeting.day - datetime.timedelta(days=REVIEW_REPORT_DAYS)
    if report_requested_on > report_due:
        return Outcome.of(subject, _("应在评议会前%(days)s日（%(due)s之前）通知%(organisation)s递交工作总结") % {
            "days": REVIEW_REPORT_DAYS, "due": report_due, "organisation": organisation})
    return Outcome.of(subject)


@transaction.atomic
def grade_review_subject(*, subject: ReviewSubject, report_received_on: datetime.date | None, grade: str,
                         opinion: str, feedback_sent_on: datetime.date | None) -> Outcome[ReviewSubject]:
    """Record report, grade (优秀/合格/不合格) and feedback; warn when the report or the feedback was late."""
    meeting = subject.meeting
    if feedback_sent_on and not grade:
        raise ValidationError({"grade": _("须先评定等级再反馈")})
    (DateChecks().not_future("report_received_on", _("收到工作总结日期"), report_received_on)
     .not_before("report_received_on", _("收到工作总结日期"), report_received_on, _("通知递交工作总结日期"),
                 subject.report_requested_on)
     .not_future("feedback_sent_on", _("反馈日期"), feedback_sent_on)
     .not_before("feedback_sent_on", _("反馈日期"), feedback_sent_on, _("评议会日期"), meeting.day).check())
    subject.report_received_on, subject.grade = report_received_on, grade
    subject.opinion, subject.feedback_sent_on = opinion, feedback_sent_on
    subject.save()
    warnings = []
    report_due = meeting.day - datetime.timedelta(days=REVIEW_REPORT_DAYS)
    if report_received_on and report_received_on > report_due:
        warnings.append(_("%(organisation)s的工作总结应在%(due)s之前递交") % {
            "organisation": subject.organisation, "due": report_due})
    if feedback_sent_on and (feedback_sent_on - meeting.day).days > REVIEW_FEEDBACK_DAYS:
        warnings.append(_("评议意见应在评议会后%(days)s日内反馈") % {"days": REVIEW_FEEDBACK_DAYS})
    return Outcome.of(subject, *warnings)
