"""Meetings (notice, attendance, motions, minutes, mediation, review), their decisions and mediation matters."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import paper, render_pdf
from lib.web import form_messages, messages_for, on_form, pdf_response, warnings_shown
from org.access import get_scoped, staff_required

from .. import forms
from ..models import (
    Attendee,
    Decision,
    DecisionStatus,
    MediationMatter,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Motion,
    ReviewSubject,
)
from ..rules import rule_of
from ..services import meetings as meeting_services
from ._common import READ, WRITE, _community, _paper, current_community_choices

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
            on_form(form, error)
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


def _meeting_act(request, pk, form_class, service, slot: str, success: str | None = None):
    """Post one form of the meeting page to its service: back to the meeting with the `success` message and the
    act's warnings, or the page again with the form as typed and the refusal beside its field (`slot`: the
    form's name in the page's context)."""
    meeting = _meeting(request, pk, WRITE)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = service(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
        else:
            if success:
                messages.success(request, success)
            warnings_shown(request, result)
            return redirect("committee:meeting", pk)
    return _meeting_page(request, meeting, **{slot: form})


@require_POST
@staff_required(roles=WRITE)
def meeting_notify(request, pk):
    return _meeting_act(request, pk, forms.NotifyForm, meeting_services.notify_meeting, "notify_form",
                        _("会议通知已发出"))


@staff_required(roles=READ)
@paper
def meeting_notice_pdf(request, pk):
    meeting = _meeting(request, pk)
    if not meeting.notified_on:
        raise PermissionDenied
    context = _paper(meeting.community, meeting=meeting, title=_("关于召开%(title)s的通知") % {"title": meeting.title},
                     doc_number=meeting.doc_number, date=meeting.notified_on)
    return pdf_response(render_pdf("committee/pdf/meeting_notice.html", context), f"notice-{meeting.pk}.pdf")


@staff_required(roles=READ)
@paper
def meeting_minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise PermissionDenied
    context = _paper(meeting.community, meeting=meeting, title=_("%(title)s会议记录") % {"title": meeting.title},
                     doc_number="",
                     date=meeting.minutes_recorded_on, quorum=meeting_services.quorum(meeting),
                     motions=meeting.motions.all(), decisions=meeting.decisions.all(),
                     absent=meeting.attendees.filter(present=False, counts=True).count())
    return pdf_response(render_pdf("committee/pdf/minutes.html", context), f"minutes-{meeting.pk}.pdf")


@staff_required(roles=READ)
@paper
def meeting_agreement_pdf(request, pk):
    meeting = _meeting(request, pk)
    if meeting.kind != MeetingKind.MEDIATION or not meeting.outcome:
        raise PermissionDenied
    title = _("协调协议书") if meeting.outcome == "agreement" else _("协调记录（未达成协议）")
    context = _paper(meeting.community, meeting=meeting, title=title, doc_number="", date=meeting.day,
                     parties=meeting.matter.parties.all(),
                     others=meeting.attendees.exclude(kind="party").filter(present=True))
    return pdf_response(render_pdf("committee/pdf/agreement.html", context), f"agreement-{meeting.pk}.pdf")


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
        messages_for(request, error)
        return redirect("committee:meeting", pk)
    messages.success(request, _("已按登记生成应到人员名单，共%(count)s人，开始签到") % {"count": count})
    return redirect("committee:attendance", pk)


@require_POST
@staff_required(roles=WRITE)
def attendee_toggle(request, pk):
    attendee = get_scoped(Attendee.objects.select_related("meeting"), request.user, roles=WRITE,
                          path="meeting__community", pk=pk)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            form_messages(request, form)
            return redirect("committee:attendance", attendee.meeting_id)
        return HttpResponse("；".join(error for errors in form.errors.values() for error in errors), status=400)
    try:
        meeting_services.mark_attendance(attendee=attendee, present=form.cleaned_data["present"],
                                         attended_by=form.cleaned_data["attended_by"])
    except ValidationError as error:
        if not request.htmx:
            messages_for(request, error)
            return redirect("committee:attendance", attendee.meeting_id)
        return HttpResponse("；".join(error.messages), status=409)
    if request.htmx:
        response = render(request, "committee/_attendee_row.html", {
            "seat": attendee, "meeting": attendee.meeting, "can_write": True})
        response["HX-Trigger"] = "quorum-changed"
        return response
    return redirect(f"{reverse('committee:attendance', args=[attendee.meeting_id])}?"
                    f"{urlencode({'q': form.cleaned_data['q']})}")


@require_POST
@staff_required(roles=WRITE)
def attendee_add(request, pk):
    return _meeting_act(request, pk, forms.AttendeeForm, meeting_services.add_attendee, "attendee_form")


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
        on_form(form, error)
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
            on_form(form, error)
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
    return _meeting_act(request, pk, forms.MinutesForm, meeting_services.record_minutes, "minutes_form",
                        _("会议记录已保存，会议结束"))


@require_POST
@staff_required(roles=WRITE)
def meeting_outcome(request, pk):
    return _meeting_act(request, pk, forms.OutcomeForm, meeting_services.record_mediation_outcome, "outcome_form")


@require_POST
@staff_required(roles=WRITE)
def hearing_result(request, pk):
    return _meeting_act(request, pk, forms.DateForm, meeting_services.post_hearing_result, "date_form")


@require_POST
@staff_required(roles=WRITE)
def review_subject_add(request, pk):
    return _meeting_act(request, pk, forms.ReviewSubjectForm, meeting_services.add_review_subject, "review_form")


@staff_required(roles=WRITE)
def review_subject(request, pk):
    subject = get_scoped(ReviewSubject.objects.select_related("meeting"), request.user, roles=WRITE,
                         path="meeting__community", pk=pk)
    form = forms.GradeForm(request.POST or None, initial={
        "report_received_on": subject.report_received_on, "grade": subject.grade, "opinion": subject.opinion,
        "feedback_sent_on": subject.feedback_sent_on})
    if request.method == "POST" and form.is_valid():
        try:
            graded = meeting_services.grade_review_subject(subject=subject, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
        else:
            warnings_shown(request, graded)
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
                on_form(form, error)
            else:
                return redirect("committee:decision", pk)
        bound = {"progress_form" if action == "progress" else "report_form": form}
    return render(request, "committee/decision.html", {
        "decision": decision, "progress": decision.progress.select_related("by"), "can_write": can_write,
        "progress_form": forms.ProgressForm(), "report_form": forms.ReportForm(), **bound},
        status=400 if bound else 200)


# Mediation matters ---------------------------------------------------------------------------------------


@staff_required(roles=WRITE)
def matters(request):
    community = _community(request)
    form = forms.MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.open_matter(community=community, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
        else:
            return redirect(f"{reverse('committee:meeting_new')}?kind=mediation")
    found = MediationMatter.objects.filter(community=community).annotate(n=Count("sessions"))
    return render(request, "committee/matters.html", {"matters": found, "form": form})
