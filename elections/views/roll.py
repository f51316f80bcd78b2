from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import community_ids, staff_required

from ..forms import DateForm, DecisionForm, ObjectionForm, PersonForm, ProxyForm
from ..models import Mode
from ..services import proxies as proxy_service
from ..services import roll as service
from ..services.dates import today
from ..services.setup import resident_named
from ._common import RUN, VIEW, act, election_for, kept, refuse


@staff_required(roles=VIEW)
def roll(request, pk):
    election = election_for(request, pk)
    tab = request.GET.get("show", "voters")
    if tab == "excluded":
        page = Paginator(service.exclusions(election), 100).get_page(request.GET.get("page"))
    else:
        page = Paginator(election.roll.select_related("resident").order_by("serial"), 100).get_page(
            request.GET.get("page"))
    report = election.roll_report or {}
    reasons = [(service.REASON_LABELS[k], v) for k, v in report.get("excluded", {}).items()]
    return render(request, "elections/roll.html", {
        "election": election, "report": report, "reasons": reasons, "page": page, "tab": tab,
        "objections": election.objections.select_related("resident"),
        "delegates": election.household_delegates.select_related("household", "resident")
        if election.mode == Mode.HOUSEHOLD else None,
        "can_run": election.community_id in community_ids(request.user, RUN),
        "date_form": DateForm(kept(request, "post"), initial={"on": today()}),
        "objection_form": ObjectionForm(kept(request, "objection"), initial={"on": today()}),
        "decision_form": DecisionForm(initial={"on": today()}), "delegate_form": PersonForm(kept(request, "delegate")),
        "delegate_problem": service.household_delegate_problem(election),
    })


def _back(election):
    return reverse("elections:roll", args=[election.pk])


@require_POST
@staff_required(roles=RUN)
def build(request, pk):
    election = election_for(request, pk, run=True)
    return act(request, _back(election), lambda: service.build_voter_roll(election=election),
               _("已根据居民信息生成选民名单。"))


@require_POST
@staff_required(roles=RUN)
def post(request, pk):
    election = election_for(request, pk, run=True)
    form = DateForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(election), _("请填写公布日期。"), keep="post")
    return act(request, _back(election), lambda: service.post_roll(election=election, on=form.cleaned_data["on"],
                                                                     user=request.user),
               _("选民名单已公布，名单自此冻结。"), keep="post")


@require_POST
@staff_required(roles=RUN)
def delegate(request, pk):
    election = election_for(request, pk, run=True)
    form = PersonForm(request.POST)
    resident = resident_named(election=election, name=form.data.get("name", "")) if form.is_valid() else None
    if resident is None:
        return refuse(request, _back(election), _("找不到唯一的在住居民：%(name)s") % {
            "name": form.data.get("name", "")}, keep="delegate")
    return act(request, _back(election), lambda: service.choose_household_delegate(
        election=election, resident=resident), _("已登记户代表。"), keep="delegate")


@require_POST
@staff_required(roles=RUN)
def objection(request, pk):
    election = election_for(request, pk, run=True)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(election), _("请完整填写异议。"), keep="objection")
    data = form.cleaned_data
    resident = resident_named(election=election, name=data["serial_or_name"])
    if resident is None:
        return refuse(request, _back(election), _("找不到唯一的在住居民：%(name)s") % {"name": data["serial_or_name"]},
                      keep="objection")
    return act(request, _back(election), lambda: service.file_objection(
        election=election, resident=resident, kind=data["kind"], filed_by=data["filed_by"], reason=data["reason"],
        on=data["on"], user=request.user), _("已登记异议。"), keep="objection")


@require_POST
@staff_required(roles=RUN)
def decide(request, pk, objection_pk):
    election = election_for(request, pk, run=True)
    found = get_object_or_404(election.objections, pk=objection_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(election), _("请填写处理结果和意见。"))
    return act(request, _back(election), lambda: service.decide_objection(objection=found, user=request.user,
                                                                            **form.cleaned_data),
               _("已作出处理决定。"))


@staff_required(roles=VIEW)
def proxies(request, pk):
    election = election_for(request, pk)
    return render(request, "elections/proxies.html", {
        "election": election,
        "proxies": election.proxies.select_related("principal__resident", "holder__resident"),
        "can_run": election.community_id in community_ids(request.user, RUN),
        "form": ProxyForm(kept(request, "proxy"), initial={"on": today()}),
    })


@require_POST
@staff_required(roles=RUN)
def add_proxy(request, pk):
    election = election_for(request, pk, run=True)
    back = reverse("elections:proxies", args=[election.pk])
    form = ProxyForm(request.POST)
    if not form.is_valid():
        return refuse(request, back, _("请填写委托人、受托人的选民证号和登记日期。"), keep="proxy")
    data = form.cleaned_data
    entries = {e.serial: e for e in election.roll.filter(serial__in=[data["principal"], data["holder"]])
               .select_related("resident")}
    missing = [str(n) for n in (data["principal"], data["holder"]) if n not in entries]
    if missing:
        return refuse(request, back, _("没有选民证号：%(serials)s") % {"serials": "、".join(missing)}, keep="proxy")
    return act(request, back, lambda: proxy_service.register_proxy(
        election=election, principal=entries[data["principal"]], holder=entries[data["holder"]],
        reason=data["reason"], on=data["on"]), _("已登记委托投票。"), keep="proxy")
