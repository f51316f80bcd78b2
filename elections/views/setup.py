from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import community_ids, current_community, staff_required, visible_communities

from ..forms import CommitteeMemberForm, DetailsForm, ElectionForm, SeatsForm, StageForm, WorkerForm
from ..models import Election
from ..services import setup as service
from ._common import RUN, VIEW, act, election_for


@staff_required(roles=VIEW)
def index(request):
    """Elections of the current community (or of every community of the street for street staff)."""
    communities = visible_communities(request.user, VIEW)
    current = current_community(request, VIEW)
    elections = Election.objects.filter(community__in=communities).select_related("community", "rules")
    if current and request.GET.get("all") != "1":
        elections = elections.filter(community=current)
    runnable = visible_communities(request.user, RUN)
    form = ElectionForm(communities=runnable, initial={"community": current.code if current else None})
    if request.method == "POST":
        form = ElectionForm(request.POST, communities=runnable)
        if form.is_valid():
            community = runnable.get(code=form.cleaned_data["community"])
            data = form.cleaned_data
            try:
                election = service.create_election(
                    community=community, rule_set=data["rule_set"], term_number=data["term_number"],
                    mode=data["mode"], election_day=data["election_day"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已创建：%(name)s") % {"name": election.name})
                return redirect("elections:detail", election.pk)
    return render(request, "elections/index.html", {
        "elections": elections, "form": form if runnable.exists() else None})


@staff_required(roles=VIEW)
def detail(request, pk):
    election = election_for(request, pk)
    positions = list(election.positions.all())
    today = service.today()
    stages = [(s, s.late(today)) for s in service.timeline(election)]
    return render(request, "elections/detail.html", {
        "election": election, "stages": stages, "positions": positions,
        "warnings": service.seat_warnings(election) + service.worker_conflicts(election),
        "committee": election.committee_members.all(), "workers": election.workers.all(),
        "can_run": election.community_id in _run_ids(request),
        "seats_form": SeatsForm(positions=positions), "member_form": CommitteeMemberForm(),
        "worker_form": WorkerForm(), "stage_form": StageForm(initial={"on": today}),
        "details_form": DetailsForm(initial={"election_day": election.election_day, "venue": election.venue,
                                             "voting_hours": election.voting_hours}),
    })


def _run_ids(request):
    return community_ids(request.user, RUN)


def _back(election):
    return reverse("elections:detail", args=[election.pk])


@require_POST
@staff_required(roles=RUN)
def seats(request, pk):
    election = election_for(request, pk, run=True)
    form = SeatsForm(request.POST, positions=election.positions.all())
    if not form.is_valid():
        messages.error(request, _("应选人数须为正整数。"))
        return redirect(_back(election))
    return act(request, _back(election), lambda: service.set_seats(election=election, seats=form.cleaned_data),
               _("已保存应选人数。"))


@require_POST
@staff_required(roles=RUN)
def details(request, pk):
    election = election_for(request, pk, run=True)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的选举日。"))
        return redirect(_back(election))
    return act(request, _back(election), lambda: service.update_election(election=election, **form.cleaned_data),
               _("已保存。"))


@require_POST
@staff_required(roles=RUN)
def add_member(request, pk):
    election = election_for(request, pk, run=True)
    form = CommitteeMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写姓名和职务。"))
        return redirect(_back(election))
    name = form.cleaned_data["name"]
    return act(request, _back(election), lambda: service.add_committee_member(
        election=election, name=name, role=form.cleaned_data["role"],
        resident=service.resident_named(election=election, name=name)), _("已添加选举委员会成员。"))


@require_POST
@staff_required(roles=RUN)
def add_worker(request, pk):
    election = election_for(request, pk, run=True)
    form = WorkerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写姓名和工作。"))
        return redirect(_back(election))
    name = form.cleaned_data["name"]
    return act(request, _back(election), lambda: service.add_worker(
        election=election, name=name, role=form.cleaned_data["role"], is_chief=form.cleaned_data["is_chief"],
        resident=service.resident_named(election=election, name=name)), _("已添加选举工作人员。"))


@require_POST
@staff_required(roles=RUN)
def stage(request, pk):
    election = election_for(request, pk, run=True)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择阶段并填写日期。"))
        return redirect(_back(election))
    return act(request, _back(election), lambda: service.record_stage(election=election, **form.cleaned_data),
               _("已登记。"))
