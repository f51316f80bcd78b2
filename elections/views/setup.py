from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.web import warnings_shown
from org.access import community_ids, current_community, staff_required, visible_communities

from ..forms import (
    CommitteeMemberForm,
    DetailsForm,
    ElectionForm,
    SeatsForm,
    StageForm,
    WithdrawForm,
    WorkerForm,
)
from ..models import Election, ElectionWarning
from ..rulesets import parameters
from ..services import dates
from ..services import setup as service
from ..services.representatives import representative_warnings
from ._common import RUN, VIEW, act, election_for, kept, refuse


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
                created = service.create_election(
                    community=community, rule_set=data["rule_set"], term_number=data["term_number"],
                    mode=data["mode"], election_day=data["election_day"], user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已创建：%(name)s") % {"name": created.value.name})
                return redirect("elections:detail", warnings_shown(request, created).pk)
    return render(request, "elections/index.html", {
        "elections": elections, "form": form if runnable.exists() else None})


@staff_required(roles=VIEW)
def detail(request, pk):
    election = election_for(request, pk)
    positions = list(election.positions.all())
    today = dates.today()
    stages = [(s, s.late(today)) for s in dates.timeline(election)]
    size = service.committee_size_problem(election)
    return render(request, "elections/detail.html", {
        "election": election, "stages": stages, "positions": positions,
        "warnings": service.seat_warnings(election) + representative_warnings(election)
        + service.worker_conflicts(election)
        + service.committee_conflicts(election) + service.box_staff_problems(election) + ([size] if size else []),
        "record": ElectionWarning.objects.filter(election=election),
        "rule_rows": parameters(election.rules),
        "committee": service.committee_in_rank(election), "workers": election.workers.select_related("box"),
        "can_run": election.community_id in _run_ids(request),
        "seats_form": SeatsForm(kept(request, "seats"), positions=positions),
        "member_form": CommitteeMemberForm(kept(request, "member")),
        "worker_form": WorkerForm(kept(request, "worker"), election=election),
        "withdraw_form": WithdrawForm(kept(request, "withdraw"), election=election),
        "stage_form": StageForm(kept(request, "stage"), initial={"on": today}),
        "details_form": DetailsForm(kept(request, "details"), initial={
            "election_day": election.election_day, "venue": election.venue, "voting_hours": election.voting_hours}),
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
        return refuse(request, _back(election), _("应选人数须为正整数。"), keep="seats")
    return act(request, _back(election), lambda: service.set_seats(election=election, seats=form.cleaned_data),
               _("已保存应选人数。"), keep="seats")


@require_POST
@staff_required(roles=RUN)
def details(request, pk):
    election = election_for(request, pk, run=True)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(election), _("请填写有效的选举日。"), keep="details")
    return act(request, _back(election), lambda: service.update_election(election=election, user=request.user,
                                                                          **form.cleaned_data),
               _("已保存。"), keep="details")


@require_POST
@staff_required(roles=RUN)
def add_member(request, pk):
    election = election_for(request, pk, run=True)
    form = CommitteeMemberForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(election), _("请填写姓名和职务。"), keep="member")
    name = form.cleaned_data["name"]
    return act(request, _back(election), lambda: service.add_committee_member(
        election=election, name=name, role=form.cleaned_data["role"],
        resident=service.resident_named(election=election, name=name)), _("已添加选举委员会成员。"), keep="member")


@require_POST
@staff_required(roles=RUN)
def withdraw_member(request, pk):
    """A member of the election committee withdraws (e.g. nominated), with the reason on the record."""
    election = election_for(request, pk, run=True)
    form = WithdrawForm(request.POST, election=election)
    if not form.is_valid():
        return refuse(request, _back(election), _("请选择成员并写明退出理由。"), keep="withdraw")
    return act(request, _back(election), lambda: service.withdraw_committee_member(
        member=form.cleaned_data["member"], reason=form.cleaned_data["reason"], user=request.user),
        _("已登记退出。"), keep="withdraw")


@require_POST
@staff_required(roles=RUN)
def add_worker(request, pk):
    election = election_for(request, pk, run=True)
    form = WorkerForm(request.POST, election=election)
    if not form.is_valid():
        return refuse(request, _back(election), _("请填写姓名和工作。"), keep="worker")
    name = form.cleaned_data["name"]
    return act(request, _back(election), lambda: service.add_worker(
        election=election, name=name, role=form.cleaned_data["role"], is_chief=form.cleaned_data["is_chief"],
        box=form.cleaned_data["box"], resident=service.resident_named(election=election, name=name)),
        _("已添加选举工作人员。"), keep="worker")


@require_POST
@staff_required(roles=RUN)
def stage(request, pk):
    election = election_for(request, pk, run=True)
    form = StageForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(election), _("请选择阶段并填写日期。"), keep="stage")
    return act(request, _back(election), lambda: service.record_stage(election=election, user=request.user,
                                                                        **form.cleaned_data),
               _("已登记。"), keep="stage")
