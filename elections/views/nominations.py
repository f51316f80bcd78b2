from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.web import form_messages
from org.access import community_ids, staff_required

from ..forms import ChooseForm, DateForm, NominationForm, NominationFormsForm, RankForm, ReviewForm
from ..models import CandidateStatus, ElectionStatus, NominationSource
from ..services import nominations as service
from ..services.dates import today
from ..services.setup import resident_named
from ._common import RUN, VIEW, act, election_for, kept, refuse


@staff_required(roles=VIEW)
def nominations(request, pk):
    election = election_for(request, pk)
    positions = list(election.positions.all())
    tally = getattr(election, "nomination_tally", None)
    initial = {"issued": tally.issued, "returned": tally.returned, "valid": tally.valid,
               "invalid": tally.invalid} if tally else {}
    for p in positions:
        initial[f"names_{p.code}"] = "\n".join(
            f"{n.name} {n.count}" for n in election.nominations.filter(position=p, source="forms"))
    return render(request, "elections/nominations.html", {
        "election": election, "tally": tally, "ranking": service.ranking(election),
        "can_run": election.community_id in community_ids(request.user, RUN),
        "forms_form": NominationFormsForm(kept(request, "forms"), positions=positions, initial=initial),
        "nomination_form": NominationForm(kept(request, "nomination"), positions=positions),
        "others": election.nominations.exclude(source="forms").select_related("position"),
        "allowed_sources": [NominationSource(s).label for s in service.allowed_sources(election.rules)],
    })


@require_POST
@staff_required(roles=RUN)
def record_forms(request, pk):
    election = election_for(request, pk, run=True)
    back = reverse("elections:nominations", args=[election.pk])
    form = NominationFormsForm(request.POST, positions=election.positions.all())
    if not form.is_valid():
        return refuse(request, back, _("提名票统计有误，请按提示修改。"), keep="forms")
    data = form.cleaned_data
    return act(request, back, lambda: service.record_nomination_forms(
        election=election, issued=data["issued"], returned=data["returned"], valid=data["valid"],
        invalid=data["invalid"], counts=data["counts"]), _("已保存提名票统计。"), keep="forms")


@require_POST
@staff_required(roles=RUN)
def add_nomination(request, pk):
    election = election_for(request, pk, run=True)
    back = reverse("elections:nominations", args=[election.pk])
    form = NominationForm(request.POST, positions=election.positions.all())
    if not form.is_valid():
        return refuse(request, back, _("请填写职位、被提名人和提名方式。"), keep="nomination")
    data = form.cleaned_data
    return act(request, back, lambda: service.add_nomination(
        election=election, position=election.positions.get(code=data["position"]), name=data["name"],
        source=data["source"], count=data["count"] or 0, note=data["note"], group_name=data["group_name"],
        resident=resident_named(election=election, name=data["name"])), _("已登记提名。"),
        keep="nomination")


@require_POST
@staff_required(roles=RUN)
def rank(request, pk):
    election = election_for(request, pk, run=True)
    form = RankForm(request.POST, positions=election.positions.all())
    if not form.is_valid():
        form_messages(request, form)
        return redirect("elections:nominations", election.pk)
    return act(request, reverse("elections:candidates", args=[election.pk]),
               lambda: service.rank_preliminary(election=election, limits=form.limits()),
               _("已按得票多少产生初步候选人。"))


@staff_required(roles=VIEW)
def candidates(request, pk):
    election = election_for(request, pk)
    positions = list(election.positions.all())
    by_position = {p: [] for p in positions}
    ids = {p.pk: p for p in positions}
    # Formal candidates first, in ballot (stroke) order; then the preliminary ones in nomination rank.
    for c in election.candidates.order_by("position__order", "status", "ballot_order"):
        by_position[ids[c.position_id]].append(c)
    needed = {p: service.required_candidates(election=election, position=p) for p in positions}
    can_run = election.community_id in community_ids(request.user, RUN)
    return render(request, "elections/candidates.html", {
        "election": election, "by_position": [(p, by_position[p], needed[p]) for p in positions],
        # Once the list is posted nothing here changes: the controls are not offered.
        "can_run": can_run and election.status in (ElectionStatus.PREPARING, ElectionStatus.ROLL_POSTED),
        "review_form": ReviewForm(), "date_form": DateForm(kept(request, "post_candidates"), initial={"on": today()}),
        "formal": CandidateStatus.FORMAL,
    })


@require_POST
@staff_required(roles=RUN)
def review(request, pk, candidate_pk):
    election = election_for(request, pk, run=True)
    candidate = get_object_or_404(election.candidates, pk=candidate_pk)
    back = reverse("elections:candidates", args=[election.pk])
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审查结论。"))
        return redirect(back)
    return act(request, back, lambda: service.review_candidate(candidate=candidate, **form.cleaned_data),
               _("已记录资格审查结论。"))


@require_POST
@staff_required(roles=RUN)
def choose(request, pk):
    election = election_for(request, pk, run=True)
    back = reverse("elections:candidates", args=[election.pk])
    form = ChooseForm(request.POST, election=election, positions=election.positions.all())
    if not form.is_valid():
        form_messages(request, form)
        return redirect(back)
    return act(request, back, lambda: service.choose_formal(election=election, chosen=form.chosen()),
               _("已确定正式候选人。"))


@require_POST
@staff_required(roles=RUN)
def post(request, pk):
    election = election_for(request, pk, run=True)
    form = DateForm(request.POST)
    back = reverse("elections:candidates", args=[election.pk])
    if not form.is_valid():
        return refuse(request, back, _("请填写公布日期。"), keep="post_candidates")
    return act(request, back, lambda: service.post_candidates(election=election, on=form.cleaned_data["on"],
                                                                user=request.user),
               _("正式候选人名单已公布。"), keep="post_candidates")
