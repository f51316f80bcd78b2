"""Committee views: thin, loading through the access layer and calling one service each.

Reach: committee members work on their own community, street staff on every community of their street
(they read and correct alike); supervision-group members read meetings and decisions only.
"""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import render_pdf
from org.access import (
    ANY_ROLE,
    STAFF,
    STREET,
    community_ids,
    current_community,
    get_scoped,
    staff_required,
    street_ids,
    visible_communities,
)
from residents.models import Resident

from . import forms
from .models import (
    Activity,
    Asset,
    AssetCount,
    AssetMovement,
    Attendee,
    CommitteeMember,
    Decision,
    DecisionStatus,
    DutySlot,
    MailboxItem,
    MediationMatter,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Motion,
    Petition,
    Recall,
    ResponsibilityZone,
    ReviewSubject,
    SealUse,
    SubCommittee,
    Term,
    VolunteerMember,
    VolunteerTeam,
    ZoneVisit,
)
from .rules import rule_of
from .services import (
    add_shift,
    add_subcommittee_seat,
    add_volunteer,
    current_members,
    current_term,
    registers,
    remove_volunteer,
    start_term,
)
from .services import meetings as meeting_services
from .services import people as people_services
from .services import petitions as petition_services
from .services import terms as term_services
from .services.due import due_this_week

READ = ANY_ROLE  # meetings and decisions: supervision members read them too
WRITE = STAFF


def _community(request, roles=WRITE):
    community = current_community(request, roles)
    if community is None:
        raise PermissionDenied
    return community


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _on_form(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: beside the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _paper(community, **context) -> dict:
    return {"issuer": meeting_services.issuer_name(community), "community": community, **context}


# The start page ------------------------------------------------------------------------------------------


@staff_required(roles=READ)
def index(request):
    community = _community(request, READ)
    today = timezone.localdate()
    due = due_this_week(community_ids=[community.pk], today=today)
    can_write = community in current_community_choices(request)
    return render(request, "committee/index.html", {
        "community": community, "due": due, "today": today, "can_write": can_write,
        "term": current_term(community=community, on=today),
    })


def current_community_choices(request):
    """The communities the user may change (read-only users see pages without forms)."""
    return list(visible_communities(request.user, WRITE))


# Meetings ------------------------------------------------------------------------------------------------


@staff_required(roles=READ)
def meetings(request):
    community = _community(request, READ)
    found = Meeting.objects.filter(community=community)
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        found = found.filter(kind=kind)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    return render(request, "committee/meetings.html", {"community": community, "page": page, "kind": kind,
                                                       "kinds": MeetingKind.choices})


@staff_required(roles=WRITE)
def meeting_new(request):
    community = _community(request)
    form = forms.MeetingForm(request.POST or None, community=community,
                             initial={"kind": request.GET.get("kind", "residents"),
                                      "petition": request.GET.get("petition")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.plan_meeting(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", meeting.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("安排会议")})


def _meeting(request, pk, roles=READ) -> Meeting:
    return get_scoped(Meeting.objects.select_related("community", "matter"), request.user, roles=roles, pk=pk)


@staff_required(roles=READ)
def meeting(request, pk):
    return _meeting_page(request, _meeting(request, pk))


def _meeting_page(request, meeting: Meeting, **bound):
    """The meeting page; `bound` holds a form refused on its way in, shown with its errors and what was typed.

    An error about the meeting rather than a field (it has closed, it does not vote) goes to the top of the
    page: the form it came from may not be on the page in the meeting's state."""
    for form in bound.values():
        for message in form.errors.pop(NON_FIELD_ERRORS, []):
            messages.error(request, message)
    context = {
        "meeting": meeting, "rule": rule_of(meeting.kind), "quorum": meeting_services.quorum(meeting),
        "motions": meeting.motions.all(), "decisions": meeting.decisions.all(),
        # An adopted motion is carried out by one decision: the ones already carried out are not offered again.
        "open_motions": meeting.motions.filter(result="adopted", decision__isnull=True),
        "can_write": meeting.community in current_community_choices(request),
        "notify_form": forms.NotifyForm(), "motion_form": forms.MotionForm(), "task_form": forms.TaskForm(),
        "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes, "chair": meeting.chair,
                                                   "recorder": meeting.recorder}),
        "attendee_form": forms.AttendeeForm(), "outcome_form": forms.OutcomeForm(), "date_form": forms.DateForm(),
        "review_form": forms.ReviewSubjectForm(), "subjects": meeting.review_subjects.all(),
        "deadline": meeting_services.notice_deadline(meeting),
        "warnings": meeting_services.notice_warnings(meeting, on=meeting.notified_on or timezone.localdate())
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED) else [],
        "sessions": meeting.matter.sessions.order_by("session_number") if meeting.matter else [],
        **bound,
    }
    return render(request, "committee/meeting.html", context, status=400 if bound else 200)


@require_POST
@staff_required(roles=WRITE)
def meeting_notify(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.NotifyForm(request.POST)
    if form.is_valid():
        try:
            warnings = meeting_services.notify_meeting(meeting=meeting, on=form.cleaned_data["on"])
        except ValidationError as error:
            _on_form(form, error)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("会议通知已发出"))
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, notify_form=form)


@staff_required(roles=READ)
def meeting_notice_pdf(request, pk):
    meeting = _meeting(request, pk)
    if not meeting.notified_on:
        raise PermissionDenied
    context = _paper(meeting.community, meeting=meeting, title=_("关于召开%(title)s的通知") % {"title": meeting.title},
                     doc_number=meeting.doc_number, date=meeting.notified_on)
    return _pdf(render_pdf("committee/pdf/meeting_notice.html", context), f"notice-{meeting.pk}.pdf")


@staff_required(roles=READ)
def meeting_minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise PermissionDenied
    context = _paper(meeting.community, meeting=meeting, title=_("%(title)s会议记录") % {"title": meeting.title},
                     doc_number="",
                     date=meeting.minutes_recorded_on, quorum=meeting_services.quorum(meeting),
                     motions=meeting.motions.all(), decisions=meeting.decisions.all(),
                     absent=meeting.attendees.filter(present=False, counts=True).count())
    return _pdf(render_pdf("committee/pdf/minutes.html", context), f"minutes-{meeting.pk}.pdf")


@staff_required(roles=READ)
def meeting_agreement_pdf(request, pk):
    meeting = _meeting(request, pk)
    if meeting.kind != MeetingKind.MEDIATION or not meeting.outcome:
        raise PermissionDenied
    title = _("协调协议书") if meeting.outcome == "agreement" else _("协调记录（未达成协议）")
    context = _paper(meeting.community, meeting=meeting, title=title, doc_number="", date=meeting.day,
                     parties=meeting.matter.parties.all(),
                     others=meeting.attendees.exclude(kind="party").filter(present=True))
    return _pdf(render_pdf("committee/pdf/agreement.html", context), f"agreement-{meeting.pk}.pdf")


@staff_required(roles=READ)
def attendance(request, pk):
    meeting = _meeting(request, pk)
    if request.GET.get("part") == "quorum":
        return render(request, "committee/_quorum.html", {"meeting": meeting,
                                                         "quorum": meeting_services.quorum(meeting)})
    seats = meeting.attendees.all()
    query = request.GET.get("q", "").strip()
    if query:
        seats = seats.filter(Q(name__contains=query) | Q(household__number__contains=query))
    page = Paginator(seats.select_related("household"), 100).get_page(request.GET.get("page"))
    return render(request, "committee/attendance.html", {
        "meeting": meeting, "page": page, "q": query, "quorum": meeting_services.quorum(meeting),
        "can_write": meeting.community in current_community_choices(request)})


@require_POST
@staff_required(roles=WRITE)
def attendance_open(request, pk):
    meeting = _meeting(request, pk, WRITE)
    try:
        count = meeting_services.open_attendance(meeting=meeting)
    except ValidationError as error:
        _refused(request, error)
        return redirect("committee:meeting", pk)
    messages.success(request, _("已按登记生成应到人员名单，共%(count)s人，开始签到") % {"count": count})
    return redirect("committee:attendance", pk)


@require_POST
@staff_required(roles=WRITE)
def attendee_toggle(request, pk):
    attendee = get_scoped(Attendee.objects.select_related("meeting"), request.user, roles=WRITE,
                          path="meeting__community", pk=pk)
    try:
        meeting_services.mark_attendance(attendee=attendee, present=request.POST.get("present") == "1",
                                         attended_by=request.POST.get("attended_by", ""))
    except ValidationError as error:
        if not request.htmx:
            _refused(request, error)
            return redirect("committee:attendance", attendee.meeting_id)
        return HttpResponse("；".join(error.messages), status=409)
    if request.htmx:
        response = render(request, "committee/_attendee_row.html", {
            "seat": attendee, "meeting": attendee.meeting, "can_write": True})
        response["HX-Trigger"] = "quorum-changed"
        return response
    return redirect(f"{reverse('committee:attendance', args=[attendee.meeting_id])}?q={request.POST.get('q', '')}")


@require_POST
@staff_required(roles=WRITE)
def attendee_add(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.AttendeeForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.add_attendee(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, attendee_form=form)


@require_POST
@staff_required(roles=WRITE)
def motion_vote(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.MotionForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, motion_form=form)
    data = form.cleaned_data
    try:
        # The vote and the decision it carries stand or fall together: a refused deadline leaves no vote behind.
        with transaction.atomic():
            motion = meeting_services.vote_motion(meeting=meeting, text=data["text"], votes_for=data["votes_for"],
                                                  votes_against=data["votes_against"],
                                                  abstentions=data["abstentions"])
            if motion.result == Motion.Result.ADOPTED and data["owner"]:
                meeting_services.record_decision(meeting=meeting, text=data["text"], owner=data["owner"],
                                                 due=data["due"], motion=motion)
    except ValidationError as error:
        _on_form(form, error)
        return _meeting_page(request, meeting, motion_form=form)
    if motion.result == Motion.Result.ADOPTED:
        messages.success(request, _("表决通过：赞成%(votes)s票，超过实到%(present)s人的半数") % {
            "votes": motion.votes_for, "present": motion.present})
    else:
        messages.warning(request, _("未通过：赞成%(votes)s票，未超过实到%(present)s人的半数") % {
            "votes": motion.votes_for, "present": motion.present})
    return redirect("committee:meeting", pk)


@require_POST
@staff_required(roles=WRITE)
def decision_add(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        motion_pk = data.pop("motion")
        motion = get_object_or_404(meeting.motions, pk=motion_pk) if motion_pk else None
        try:
            meeting_services.record_decision(meeting=meeting, motion=motion, **data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", pk)
    # The page shows the task fields (the motion is a select of its own): the errors go back on those.
    task_form = forms.TaskForm(request.POST)
    task_form.is_valid()
    for field, errors in form.errors.items():
        if field not in task_form.errors:
            task_form.add_error(field if field in task_form.fields else None, errors)
    return _meeting_page(request, meeting, task_form=task_form)


@require_POST
@staff_required(roles=WRITE)
def meeting_minutes(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.record_minutes(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            messages.success(request, _("会议记录已保存，会议结束"))
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, minutes_form=form)


@require_POST
@staff_required(roles=WRITE)
def meeting_outcome(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.record_mediation_outcome(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, outcome_form=form)


@require_POST
@staff_required(roles=WRITE)
def hearing_result(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.DateForm(request.POST)
    if form.is_valid():
        try:
            for warning in meeting_services.post_hearing_result(meeting=meeting, on=form.cleaned_data["on"]):
                messages.warning(request, warning)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, date_form=form)


@require_POST
@staff_required(roles=WRITE)
def review_subject_add(request, pk):
    meeting = _meeting(request, pk, WRITE)
    form = forms.ReviewSubjectForm(request.POST)
    if form.is_valid():
        try:
            for warning in meeting_services.add_review_subject(meeting=meeting, **form.cleaned_data):
                messages.warning(request, warning)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, review_form=form)


@staff_required(roles=WRITE)
def review_subject(request, pk):
    subject = get_scoped(ReviewSubject.objects.select_related("meeting"), request.user, roles=WRITE,
                         path="meeting__community", pk=pk)
    form = forms.GradeForm(request.POST or None, initial={
        "report_received_on": subject.report_received_on, "grade": subject.grade, "opinion": subject.opinion,
        "feedback_sent_on": subject.feedback_sent_on})
    if request.method == "POST" and form.is_valid():
        try:
            for warning in meeting_services.grade_review_subject(subject=subject, **form.cleaned_data):
                messages.warning(request, warning)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:meeting", subject.meeting_id)
    title = _("评议：%(organisation)s") % {"organisation": subject.organisation}
    return render(request, "committee/form.html", {"form": form, "title": title})


# Decisions -----------------------------------------------------------------------------------------------


@staff_required(roles=READ)
def decisions(request):
    community = _community(request, READ)
    found = Decision.objects.filter(meeting__community=community).select_related("meeting")
    show = request.GET.get("show", "open")
    if show == "open":
        found = found.exclude(status=DecisionStatus.DONE)
    elif show == "overdue":
        found = found.exclude(status=DecisionStatus.DONE).filter(due__lt=timezone.localdate())
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "committee/decisions.html", {"page": page, "show": show, "community": community})


@staff_required(roles=READ)
def decision(request, pk):
    decision = get_scoped(Decision.objects.select_related("meeting__community"), request.user, roles=READ,
                          path="meeting__community", pk=pk)
    can_write = decision.meeting.community in current_community_choices(request)
    bound = {}
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        action = request.POST.get("action")
        form = forms.ProgressForm(request.POST) if action == "progress" else forms.ReportForm(request.POST)
        if form.is_valid():
            try:
                if action == "progress":
                    meeting_services.add_progress(decision=decision, user=request.user, **form.cleaned_data)
                else:
                    meeting_services.report_back(decision=decision, **form.cleaned_data)
            except ValidationError as error:
                _on_form(form, error)
            else:
                return redirect("committee:decision", pk)
        bound = {"progress_form" if action == "progress" else "report_form": form}
    return render(request, "committee/decision.html", {
        "decision": decision, "progress": decision.progress.select_related("by"), "can_write": can_write,
        "progress_form": forms.ProgressForm(), "report_form": forms.ReportForm(), **bound},
        status=400 if bound else 200)


# Petitions -----------------------------------------------------------------------------------------------


@staff_required(roles=WRITE)
def petitions(request):
    community = _community(request)
    form = forms.PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = petition_services.file_petition(community=community, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:petition", petition.pk)
    found = Petition.objects.filter(community=community).annotate(n=Count("signatures"))
    return render(request, "committee/petitions.html", {"petitions": found, "form": form, "community": community})


@staff_required(roles=WRITE)
def petition(request, pk):
    petition = get_scoped(Petition.objects.select_related("community", "meeting"), request.user, roles=WRITE, pk=pk)
    form = forms.SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = Resident.objects.filter(community=petition.community,
                                           id_number=form.cleaned_data["id_number"].upper()).first()
        if resident is None:
            form.add_error("id_number", _("本社区没有这位居民"))
        else:
            try:
                count = petition_services.add_signature(petition=petition, resident=resident,
                                                        on=form.cleaned_data["on"])
            except ValidationError as error:
                _on_form(form, error)
            else:
                if count.reached:
                    messages.warning(request, _("签名已达法定人数，应及时召开居民会议"))
                return redirect("committee:petition", pk)
    return render(request, "committee/petition.html", {
        "petition": petition, "count": petition_services.count_petition(petition, on=timezone.localdate()),
        "due_by": petition_services.meeting_due_by(petition), "form": form,
        "signatures": petition.signatures.select_related("resident")}, status=400 if form.errors else 200)


# Mediation matters ---------------------------------------------------------------------------------------


@staff_required(roles=WRITE)
def matters(request):
    community = _community(request)
    form = forms.MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.open_matter(community=community, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect(f"{reverse('committee:meeting_new')}?kind=mediation")
    found = MediationMatter.objects.filter(community=community).annotate(n=Count("sessions"))
    return render(request, "committee/matters.html", {"matters": found, "form": form})


# Organisation --------------------------------------------------------------------------------------------


@staff_required(roles=WRITE)
def organisation(request):
    community = _community(request)
    today = timezone.localdate()
    form = forms.TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            start_term(community=community, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("已登记"))
            return redirect("committee:organisation")
    term = current_term(community=community, on=today)
    return render(request, "committee/organisation.html", {
        "community": community, "term": term, "form": form,
        "terms": Term.objects.filter(community=community).prefetch_related("members"),
        "subcommittees": term.subcommittees.prefetch_related("seats") if term else [],
        "teams": VolunteerTeam.objects.filter(community=community).prefetch_related("volunteers", "shifts"),
        "team_form": forms.VolunteerTeamForm(), "seat_form": forms.SeatForm(), "extend_form": forms.ExtendTermForm(),
        "street_staff": bool(community.pk in community_ids(request.user, STREET)),
        "zones": ResponsibilityZone.objects.filter(community=community).select_related("member"),
    })


@require_POST
@staff_required(roles=WRITE)
def subcommittee_seat(request, pk):
    term = get_scoped(Term.objects.all(), request.user, roles=WRITE, pk=pk)
    form = forms.SeatForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("committee:organisation")
    data = form.cleaned_data
    subcommittee, _created = SubCommittee.objects.get_or_create(term=term, kind=data["kind"])
    member = term.members.filter(name=data["name"]).first()
    try:
        add_subcommittee_seat(subcommittee=subcommittee, member=member, name=data["name"], is_chair=data["is_chair"])
    except ValidationError as error:
        _refused(request, error)
    return redirect("committee:organisation")


@require_POST
@staff_required(roles=WRITE)
def volunteer_team_add(request):
    community = _community(request)
    form = forms.VolunteerTeamForm(request.POST)
    if form.is_valid():
        team = form.save(commit=False)
        team.community = community
        team.save()
    else:
        _form_errors(request, form)
    return redirect("committee:organisation")


def _team(request, pk) -> VolunteerTeam:
    return get_scoped(VolunteerTeam.objects.select_related("community"), request.user, roles=WRITE, pk=pk)


@staff_required(roles=WRITE)
def volunteer_team(request, pk):
    team = _team(request, pk)
    action = request.POST.get("action")
    volunteer_form = forms.VolunteerForm(request.POST if action == "volunteer" else None)
    shift_form = forms.ShiftForm(request.POST if action == "shift" else None)
    for form, add, done in ((volunteer_form, add_volunteer, _("已添加志愿者")),
                            (shift_form, add_shift, _("已添加排班"))):
        if form.is_bound and form.is_valid():
            try:
                add(team=team, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)  # a field's error shows beside that field
            else:
                messages.success(request, done)
                return redirect("committee:volunteer_team", pk)
    return render(request, "committee/volunteer_team.html", {
        "team": team, "volunteers": team.volunteers.all(), "shifts": team.shifts.all(),
        "volunteer_form": volunteer_form, "shift_form": shift_form})


@require_POST
@staff_required(roles=WRITE)
def volunteer_remove(request, pk):
    volunteer = get_scoped(VolunteerMember.objects.select_related("team"), request.user, roles=WRITE,
                           path="team__community", pk=pk)
    remove_volunteer(volunteer=volunteer)
    messages.success(request, _("已将%(name)s移出%(team)s") % {"name": volunteer.name, "team": volunteer.team.name})
    return redirect("committee:volunteer_team", volunteer.team_id)


@staff_required(roles=WRITE)
def volunteer_schedule_pdf(request, pk):
    team = _team(request, pk)
    context = _paper(team.community, team=team, title=_("%(team)s志愿服务排班表") % {"team": team.name},
                     doc_number="", shifts=team.shifts.all(), volunteers=team.volunteers.all(),
                     date=timezone.localdate())
    return _pdf(render_pdf("committee/pdf/volunteer_schedule.html", context), f"volunteers-{team.pk}.pdf")


# Daily registers -----------------------------------------------------------------------------------------


def _month(request) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        year, month = today.year, today.month
    return year, month


@staff_required(roles=WRITE)
def duty(request):
    community = _community(request)
    year, month = _month(request)
    members = current_members(community=community, on=timezone.localdate())
    form = forms.RosterForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            added = registers.fill_roster(community=community, year=year, month=month,
                                          members=list(form.cleaned_data["members"]))
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("已排%(days)s天") % {"days": added})
        return redirect(f"{reverse('committee:duty')}?month={year}-{month:02d}")
    slots = DutySlot.objects.filter(community=community, date__year=year, date__month=month)
    return render(request, "committee/duty.html", {"slots": slots, "form": form, "year": year, "month": month,
                                                   "community": community})


@staff_required(roles=WRITE)
def duty_slot(request, pk):
    slot = get_scoped(DutySlot.objects.all(), request.user, roles=WRITE, pk=pk)
    if request.method == "POST":
        slot.log = request.POST.get("log", "")
        slot.save(update_fields=["log"])
        return redirect(f"{reverse('committee:duty')}?month={slot.date:%Y-%m}")
    return render(request, "committee/duty_slot.html", {"slot": slot})


@staff_required(roles=WRITE)
def duty_pdf(request):
    community = _community(request)
    year, month = _month(request)
    slots = DutySlot.objects.filter(community=community, date__year=year, date__month=month)
    context = _paper(community, title=_("%(year)s年%(month)s月值班表") % {"year": year, "month": month},
                     doc_number="", slots=slots,
                     date=timezone.localdate())
    return _pdf(render_pdf("committee/pdf/duty.html", context), f"duty-{year}-{month:02d}.pdf")


@staff_required(roles=WRITE)
def mailbox(request):
    community = _community(request)
    form = forms.MailboxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registers.receive_item(community=community, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:mailbox")
    items = MailboxItem.objects.filter(community=community)
    status = request.GET.get("status", "")
    if status in MailboxItem.Status.values:
        items = items.filter(status=status)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "committee/mailbox.html", {"page": page, "form": form, "status": status})


@staff_required(roles=WRITE)
def mailbox_item(request, pk):
    item = get_scoped(MailboxItem.objects.all(), request.user, roles=WRITE, pk=pk)
    closing = request.POST.get("action") == "close"
    form = forms.AnswerForm(request.POST if request.method == "POST" and not closing else None)
    if closing:
        try:
            registers.close_item(item=item, on=timezone.localdate())
        except ValidationError as error:
            _refused(request, error)
        return redirect("committee:mailbox_item", pk)
    if form.is_bound and form.is_valid():
        try:
            registers.answer_item(item=item, answer=form.cleaned_data["answer"], by=form.cleaned_data["by"],
                                  on=form.cleaned_data["on"])
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:mailbox_item", pk)
    return render(request, "committee/mailbox_item.html", {"item": item, "form": form},
                  status=400 if form.errors else 200)


@staff_required(roles=WRITE)
def zones(request):
    community = _community(request)
    members = current_members(community=community, on=timezone.localdate())
    zone_form = forms.ZoneForm(request.POST if request.POST.get("action") == "zone" else None, members=members)
    visit_form = forms.VisitForm(request.POST if request.POST.get("action") == "visit" else None,
                                 community=community)
    if zone_form.is_bound and zone_form.is_valid():
        zone = zone_form.save(commit=False)
        zone.community = community
        zone.save()
        return redirect("committee:zones")
    if visit_form.is_bound and visit_form.is_valid():
        try:
            registers.record_visit(**visit_form.cleaned_data)
        except ValidationError as error:
            _on_form(visit_form, error)
        else:
            return redirect("committee:zones")
    today = timezone.localdate()
    return render(request, "committee/zones.html", {
        "zones": ResponsibilityZone.objects.filter(community=community).select_related("member"),
        "unvisited": registers.unvisited_zones(community=community, on=today, days=7),
        "visits": ZoneVisit.objects.filter(zone__community=community).select_related("zone")[:50],
        "zone_form": zone_form, "visit_form": visit_form})


@staff_required(roles=WRITE)
def seal(request):
    community = _community(request)
    form = forms.SealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registers.record_seal_use(community=community, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:seal")
    page = Paginator(SealUse.objects.filter(community=community), 50).get_page(request.GET.get("page"))
    return render(request, "committee/seal.html", {"page": page, "form": form})


def _found(request, community) -> dict[int, int]:
    """The year-end count's findings, posted as found_<asset id>: a whole number for an asset of the community.

    A field left empty counts as the books say; any other key or value is refused, naming what is wrong.
    """
    names = dict(Asset.objects.filter(community=community).values_list("pk", "name"))
    found, errors = {}, []
    for key, value in request.POST.items():
        if not key.startswith("found_"):
            continue
        suffix = key.removeprefix("found_")
        pk = int(suffix) if suffix.isascii() and suffix.isdigit() else None
        if pk not in names:
            errors.append(_("清点表中有不属于本社区台账的物品：%(key)s") % {"key": suffix})
            continue
        if not value.strip():
            continue
        if re.fullmatch(r"-?[0-9]+", value.strip()):
            found[pk] = int(value)
        else:
            errors.append(_("%(asset)s 的实有数量应为整数：%(value)s") % {"asset": names[pk], "value": value})
    if errors:
        raise ValidationError(errors)
    return found


@staff_required(roles=WRITE)
def assets(request):
    community = _community(request)
    today = timezone.localdate()
    asset_form = forms.AssetForm(request.POST if request.POST.get("action") == "asset" else None)
    movement_form = forms.MovementForm(request.POST if request.POST.get("action") == "movement" else None,
                                       community=community)
    if asset_form.is_bound and asset_form.is_valid():
        asset = asset_form.save(commit=False)
        asset.community = community
        asset.save()
        return redirect("committee:assets")
    if movement_form.is_bound and movement_form.is_valid():
        try:
            registers.record_movement(**movement_form.cleaned_data)
        except ValidationError as error:
            _on_form(movement_form, error)
        else:
            return redirect("committee:assets")
    if request.POST.get("action") == "count":
        year = today.year if today.month == 12 else today.year - 1
        try:
            registers.year_end_count(community=community, year=year, found=_found(request, community),
                                     counted_by=request.POST.get("counted_by", ""), on=today)
        except ValidationError as error:
            _refused(request, error)
        return redirect("committee:assets")
    on = today
    if request.GET.get("on"):
        try:
            on = datetime.date.fromisoformat(request.GET["on"])
        except ValueError:
            messages.error(request, _("日期格式应为 YYYY-MM-DD"))
    counts = [(count, registers.discrepancies(count)) for count in
              AssetCount.objects.filter(community=community).prefetch_related("lines__asset")]
    return render(request, "committee/assets.html", {
        "assets": registers.assets_on_hand(community=community, on=on), "on": on, "counts": counts,
        "asset_form": asset_form, "movement_form": movement_form, "term": current_term(community=community, on=on),
        "movements": AssetMovement.objects.filter(asset__community=community).select_related("asset")
        .order_by("-on", "-id")[:50]})


@staff_required(roles=WRITE)
def asset_handover_pdf(request):
    community = _community(request)
    on = timezone.localdate()
    if request.GET.get("on"):
        form = forms.DateForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(_("日期格式应为 YYYY-MM-DD"), content_type="text/plain; charset=utf-8")
        on = form.cleaned_data["on"]
    context = _paper(community, title=_("%(issuer)s财产移交清单") % {"issuer": meeting_services.issuer_name(community)},
                     doc_number="", on=on, assets=registers.handover_list(community=community, on=on), date=on)
    return _pdf(render_pdf("committee/pdf/handover.html", context), f"handover-{on:%Y-%m-%d}.pdf")


@staff_required(roles=WRITE)
def activities(request):
    community = _community(request)
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = registers.create_activity(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:activity", activity.pk)
    found = Activity.objects.filter(community=community).annotate(n=Count("registrations"))
    return render(request, "committee/activities.html", {"activities": found, "form": form})


@staff_required(roles=WRITE)
def activity(request, pk):
    activity = get_scoped(Activity.objects.select_related("community"), request.user, roles=WRITE, pk=pk)
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registers.register(activity=activity, **form.cleaned_data)
        except ValidationError as error:
            _on_form(form, error)
        else:
            return redirect("committee:activity", pk)
    return render(request, "committee/activity.html", {
        "activity": activity, "form": form, "registrations": activity.registrations.all(),
        "headcount": registers.headcount(activity)})


@staff_required(roles=WRITE)
def activity_notice_pdf(request, pk):
    activity = get_scoped(Activity.objects.select_related("community"), request.user, roles=WRITE, pk=pk)
    title = _("关于举办%(title)s的通告") % {"title": activity.title}
    context = _paper(activity.community, activity=activity, title=title, doc_number=activity.doc_number,
                     date=timezone.localdate())
    return _pdf(render_pdf("committee/pdf/activity_notice.html", context), f"activity-{activity.pk}.pdf")


# The term's life (docs/domain.md, Term's life): the street extends a term; the committee records how its
# members leave.

def _member(request, pk, roles):
    return get_scoped(CommitteeMember.objects.select_related("term__community", "resident", "user"), request.user,
                      roles=roles,
                      path="term__community", pk=pk)


@staff_required(roles=READ)
def member(request, pk):
    found = _member(request, pk, READ)
    return render(request, "committee/member.html", {
        "member": found, "appraisals": found.appraisals.all(),
        "can_write": found.term.community_id in community_ids(request.user, WRITE),
        "street_staff": found.term.community_id in community_ids(request.user, STREET),
        "account_form": forms.MemberAccountForm(),
        "recalls": found.recalls.select_related("petition"),
        "resign_form": forms.ResignForm(), "appraisal_form": forms.AppraisalForm(),
        "recall_form": forms.RecallForm(community=found.term.community), "vote_form": forms.RecallVoteForm(),
    })


def _member_act(request, found, form, act, done: str):
    """Run one act of the term's life from a posted form; a refusal is shown as a message on the member page."""
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            act(**form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, done)
    return redirect("committee:member", found.pk)


@require_POST
@staff_required(roles=WRITE)
def member_resign(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.ResignForm(request.POST),
                       lambda **data: term_services.resign(member=found, **data), _("已登记辞职"))


@require_POST
@staff_required(roles=WRITE)
def member_appraisal(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.AppraisalForm(request.POST),
                       lambda **data: term_services.record_appraisal(member=found, **data), _("已登记评议结果"))


@require_POST
@staff_required(roles=WRITE)
def member_recall(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.RecallForm(request.POST, community=found.term.community),
                       lambda **data: term_services.file_recall(member=found, **data), _("已登记罢免请求"))


@require_POST
@staff_required(roles=WRITE)
def recall_vote(request, pk):
    recall = get_scoped(Recall.objects.select_related("member"), request.user, roles=WRITE,
                        path="member__term__community", pk=pk)
    return _member_act(request, recall.member, forms.RecallVoteForm(request.POST),
                       lambda **data: term_services.record_recall_vote(recall=recall, **data), _("已登记表决结果"))


@require_POST
@staff_required(roles=STREET)
def term_extend(request, pk):
    term = get_scoped(Term.objects, request.user, roles=STREET, pk=pk)
    form = forms.ExtendTermForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            term_services.extend_term(term=term, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("已登记街道延期决定"))
    return redirect("committee:organisation")


@require_POST
@staff_required(roles=STREET)
def member_account(request, pk):
    """Street staff open the login of a sitting member from the seat (the member's resident record)."""
    found = _member(request, pk, STREET)
    return _member_act(request, found, forms.MemberAccountForm(request.POST),
                       lambda username, password1: people_services.open_member_account(
                           by=request.user, street_ids=street_ids(request.user), member=found, username=username,
                           password=password1),
                       _("已开设登录账户，请把初始密码当面告知本人"))
