"""The committee's start page and its organisation: terms, members' seats in sub-committees, volunteer teams
and their shifts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import paper, render_pdf
from lib.web import form_messages, messages_for, pdf_response
from org.access import STREET, community_ids, get_scoped, staff_required

from .. import forms
from ..models import ResponsibilityZone, SubCommittee, Term, VolunteerMember, VolunteerTeam
from ..services import add_shift, add_subcommittee_seat, add_volunteer, current_term, remove_volunteer, start_term
from ..services.due import due_this_week
from ._common import READ, WRITE, _community, _paper, current_community_choices

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
            messages_for(request, error)
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
        form_messages(request, form)
        return redirect("committee:organisation")
    data = form.cleaned_data
    subcommittee, _created = SubCommittee.objects.get_or_create(term=term, kind=data["kind"])
    member = term.members.filter(name=data["name"]).first()
    try:
        add_subcommittee_seat(subcommittee=subcommittee, member=member, name=data["name"], is_chair=data["is_chair"])
    except ValidationError as error:
        messages_for(request, error)
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
        form_messages(request, form)
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
@paper
def volunteer_schedule_pdf(request, pk):
    team = _team(request, pk)
    context = _paper(team.community, team=team, title=_("%(team)s志愿服务排班表") % {"team": team.name},
                     doc_number="", shifts=team.shifts.all(), volunteers=team.volunteers.all(),
                     date=timezone.localdate())
    return pdf_response(render_pdf("committee/pdf/volunteer_schedule.html", context), f"volunteers-{team.pk}.pdf")
