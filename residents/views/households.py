"""Households and resident groups (pages and PDFs, visits and aid), and the special populations' lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import paper, render_pdf
from lib.web import form_messages, messages_for, on_form, pdf_response
from org.access import STAFF, community_ids, get_scoped, staff_required

from .. import services
from ..forms import CareForm, GroupForm, GroupLeaderForm, HouseholdForm, ResidentForm
from ..models import CareRecord, Household, Label, Living, Relation, ResidentGroup, ResidentLabel
from ..services.households import (
    create_group,
    create_household,
    record_care,
    set_group_leader,
    spring_festival_unvisited,
)
from ._common import _can_reveal, _community, _open_labels

# --- households and groups ---------------------------------------------------------------------

@staff_required
def household_detail(request, pk):
    household = get_scoped(Household.objects.select_related("community"), request.user, pk=pk)
    can_edit = _can_reveal(request.user, household.community)
    members = household.members.select_related("group").order_by("relation", "birth_date")
    if can_edit:
        members = members.prefetch_related(_open_labels())
    members = sorted(members, key=lambda m: (m.relation != Relation.HEAD, m.birth_date))
    return render(request, "residents/household.html", {
        "household": household, "members": members, "can_edit": can_edit, "can_reveal": can_edit,
        # Visits and aid (with their amounts) are the committee's working data, never the supervision group's.
        "care": household.care_records.select_related("resident")[:50] if can_edit else [],
        "care_form": CareForm(household=household, initial={"on": timezone.localdate()}) if can_edit else None,
    })


@staff_required(roles=STAFF)
def household_add(request):
    """A new household: inline from the resident form (htmx: the household field comes back with it selected), or
    on this page without JavaScript (then back to the resident form with it selected)."""
    community = _community(request, STAFF)
    form = HouseholdForm(request.POST or None, prefix="new_household")
    if request.method == "POST" and form.is_valid():
        try:
            household = create_household(community=community, **form.cleaned_data)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("已新建户 %(number)s") % {"number": household.number})
                return redirect(f"{reverse('residents:add')}?household={household.pk}")
            field = ResidentForm(community=community, initial={"household": household.pk})["household"]
            return render(request, "residents/_household_field.html", {
                "field": field, "household_form": HouseholdForm(prefix="new_household"), "added": household})
    if request.htmx:
        field = ResidentForm(community=community, initial={"household": request.POST.get("household")})["household"]
        return render(request, "residents/_household_field.html", {"field": field, "household_form": form})
    return render(request, "residents/household_add.html", {"form": form, "community": community})


@staff_required(roles=STAFF)
@paper
def household_pdf(request, pk):
    household = get_scoped(Household.objects.select_related("community__street"), request.user, roles=STAFF, pk=pk)
    members = sorted(household.members.select_related("group"),
                     key=lambda m: (m.relation != Relation.HEAD, m.birth_date))
    pdf = render_pdf("residents/pdf/household.html", {
        "issuer": household.community.name, "title": _("居民户口登记簿"), "household": household,
        "members": members, "date": timezone.localdate()})
    return pdf_response(pdf, f"household-{household.number}.pdf")


@require_POST
@staff_required(roles=STAFF)
def care_add(request, pk):
    household = get_scoped(Household.objects.all(), request.user, roles=STAFF, pk=pk)
    form = CareForm(request.POST, household=household)
    if form.is_valid():
        try:
            record_care(household=household, data=form.cleaned_data)
        except ValidationError as exc:
            messages_for(request, exc)
        else:
            messages.success(request, _("已记录"))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("residents:household", pk)


@staff_required
def groups(request):
    community = _community(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        if community.pk not in community_ids(request.user, STAFF):
            raise PermissionDenied
        if form.is_valid():
            try:
                create_group(community=community, name=form.cleaned_data["name"])
            except ValidationError as exc:
                on_form(form, exc)
            else:
                return redirect("residents:groups")
    rows = (ResidentGroup.objects.filter(community=community).select_related("leader")
            .annotate(living=Count("residents", filter=Q(residents__living=Living.LIVING)),
                      total=Count("residents")))
    return render(request, "residents/groups.html", {"community": community, "groups": rows, "form": form,
                                                     "can_edit": _can_reveal(request.user, community)})


@staff_required
def group_detail(request, pk):
    group = get_scoped(ResidentGroup.objects.select_related("leader", "community"), request.user, pk=pk)
    can_edit = _can_reveal(request.user, group.community)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = GroupLeaderForm(request.POST, group=group)
        if not form.is_valid():
            form_messages(request, form)
            return redirect("residents:group", pk)
        try:
            set_group_leader(group=group, leader=form.cleaned_data["leader"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("residents:group", pk)
    members = group.residents.filter(living__in=[Living.LIVING, Living.AWAY]).select_related("household")
    page = Paginator(members.order_by("name_pinyin", "id"), 100).get_page(request.GET.get("page"))
    terms = services.representative_terms_on(community=group.community, on=timezone.localdate()).filter(
        group=group).select_related("resident")
    return render(request, "residents/group.html", {"group": group, "page": page, "can_edit": can_edit,
                                                    "terms": terms})


@staff_required(roles=STAFF)
@paper
def group_pdf(request, pk):
    group = get_scoped(ResidentGroup.objects.select_related("leader", "community"), request.user, roles=STAFF,
                       pk=pk)
    members = (group.residents.filter(living__in=[Living.LIVING, Living.AWAY]).select_related("household")
               .order_by("household__number", "name_pinyin"))
    pdf = render_pdf("residents/pdf/roster.html", {
        "issuer": group.community.name, "title": _("%(group)s居民花名册") % {"group": group.name}, "group": group,
        "members": members, "date": timezone.localdate()})
    return pdf_response(pdf, f"roster-{group.pk}.pdf")


# --- special populations -----------------------------------------------------------------------

def _special(community, label: str):
    labels = (ResidentLabel.objects.filter(resident__community=community, ends__isnull=True,
                                           resident__living__in=[Living.LIVING, Living.AWAY])
              .select_related("resident__household", "resident__group")
              .order_by("label", "resident__household__number", "resident__name_pinyin"))
    if label:
        labels = labels.filter(label=label)
    return labels


@staff_required(roles=STAFF)
def special(request):
    community = _community(request, STAFF)
    label = request.GET.get("label", "")
    if label and label not in Label.values:
        raise Http404
    counts = dict(ResidentLabel.objects.filter(resident__community=community, ends__isnull=True)
                  .values_list("label").annotate(n=Count("id")).values_list("label", "n"))
    page = Paginator(_special(community, label), 100).get_page(request.GET.get("page"))
    today = timezone.localdate()
    unvisited = spring_festival_unvisited(community_ids=[community.pk], on=today).order_by("number")
    care = CareRecord.objects.filter(community=community).select_related("household", "resident")[:30]
    return render(request, "residents/special.html", {
        "community": community, "page": page, "label": label, "labels": Label.choices,
        "counts": [(value, name, counts.get(value, 0)) for value, name in Label.choices],
        "unvisited": unvisited[:50], "unvisited_count": unvisited.count(), "care": care})


@staff_required(roles=STAFF)
@paper
def special_pdf(request):
    community = _community(request, STAFF)
    label = request.GET.get("label", "")
    if label and label not in Label.values:
        raise Http404
    title = _("特殊人群名单") if not label else _("%(label)s人员名单") % {"label": Label(label).label}
    pdf = render_pdf("residents/pdf/special.html", {
        "issuer": community.name, "title": title, "labels": _special(community, label),
        "date": timezone.localdate()})
    return pdf_response(pdf, "special-populations.pdf")
