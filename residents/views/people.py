"""The resident list and search, and one resident: the dossier, the form, move, leave, labels, reveal,
the access request."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.masking import mask_id_number, mask_phone
from lib.web import form_messages, messages_for, on_form
from org.access import ANY_ROLE, STAFF, get_scoped, staff_required
from org.models import SensitiveAccess
from org.services import log_sensitive_access

from .. import services
from ..forms import (
    AGE_BANDS,
    SORTS,
    EndForm,
    HouseholdForm,
    LabelForm,
    LeaveForm,
    MoveForm,
    ResidentForm,
    RevealForm,
    SearchForm,
)
from ..models import Resident, ResidentLabel
from ..services.people import (
    NumberQuery,
    add_label,
    end_label,
    looks_like_number,
    mark_left,
    move_resident,
    number_query,
    personal_data,
    residents_by_number,
    save_resident,
)
from ._common import _can_reveal, _community, _open_labels

PAGE_SIZE = 50
MASKED_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}
# The masked ID number hides exactly its digits 7 to 14, the birth date: a role that may not reveal the number
# sees no birth date beside it, in the history either.
MASKED_FOR_READERS = MASKED_FIELDS | {"birth_date": lambda value: "****-**-**"}


# --- list and search ---------------------------------------------------------------------------

def search_residents(*, community, params: dict, numbers: bool = False,
                     labels: bool = False) -> tuple[SearchForm, object]:
    """The residents of `community` matching the list's search form: (form, queryset).

    With `numbers`, a whole ID or phone number (or an ID number's last four characters) finds its resident;
    with `labels`, the list can be narrowed to a special-population label. The caller logs lookups by number.
    """
    form = SearchForm(params, community=community, numbers=numbers, labels=labels)
    qs = Resident.objects.filter(community=community)
    if not form.is_valid():
        return form, qs.none()
    data = form.cleaned_data
    if q := data["q"].strip():
        condition = (Q(name__contains=q) | Q(household__number=q) | Q(address__contains=q)
                     | Q(household__address__contains=q))
        if numbers and (lookup := number_query(text=q)):
            condition |= lookup.condition()
        qs = qs.filter(condition)
    if data["group"]:
        qs = qs.filter(group=data["group"])
    if data.get("label"):
        qs = qs.filter(pk__in=ResidentLabel.objects.filter(label=data["label"], ends__isnull=True)
                       .values("resident_id"))
    if data["living"]:
        qs = qs.filter(living=data["living"])
    if data["age"]:
        youngest, oldest = AGE_BANDS[data["age"]]
        today = timezone.localdate()
        qs = qs.filter(birth_date__lte=services.years_before(today, youngest),
                       birth_date__gt=services.years_before(today, oldest + 1))
    return form, qs.order_by(*SORTS[data["sort"] or "name"])


def _log_number_search(request, community, lookup: NumberQuery) -> None:
    """Keep who looked up which number (masked) and whom it found: a match confirms the whole number."""
    found = list(residents_by_number(community=community, query=lookup)[:6])
    names = "、".join(f"{r.name}（{mask_id_number(r.id_number)}）" for r in found[:5]) or _("无匹配")
    if len(found) > 5:
        names = _("%(names)s等多人") % {"names": names}
    log_sensitive_access(user=request.user, community=community, action=SensitiveAccess.Action.SEARCH,
                         subject=f"{lookup.masked()} → {names}"[:200], reason=_("在居民名单中按号码查询"))


@staff_required
def index(request):
    community = _community(request)
    can_reveal = _can_reveal(request.user, community)
    form, qs = search_residents(community=community, params=request.GET, numbers=can_reveal, labels=can_reveal)
    q = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    notice = ""
    if q and looks_like_number(text=q):
        lookup = number_query(text=q)
        if not can_reveal:
            notice = _("无权按证件号码或电话查询")
        elif lookup is None:
            notice = _("按号码查询须输入完整的身份证号（或其后四位）或完整的电话号码")
        else:
            _log_number_search(request, community, lookup)
    qs = qs.select_related("household", "group")
    if can_reveal:
        qs = qs.prefetch_related(_open_labels())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "residents/_list.html" if request.htmx else "residents/index.html"
    return render(request, template, {"community": community, "form": form, "page": page, "notice": notice,
                                      "can_edit": can_reveal, "can_reveal": can_reveal})


# --- one resident ------------------------------------------------------------------------------

def _history(resident: Resident, *, can_reveal: bool) -> list[dict]:
    """The resident's history, newest first, with what changed (identifiers masked)."""
    records = list(resident.history.select_related("history_user").order_by("history_date", "history_id"))
    names = {f.name: f.verbose_name for f in Resident._meta.fields}
    masks = MASKED_FIELDS if can_reveal else MASKED_FOR_READERS
    rows, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                mask = masks.get(change.field, str)
                changes.append({"field": names.get(change.field, change.field),
                                "old": mask(change.old) if change.old not in (None, "") else "—",
                                "new": mask(change.new) if change.new not in (None, "") else "—"})
        rows.append({"record": record, "changes": changes})
        previous = record
    return rows[::-1]


@staff_required
def resident_detail(request, pk):
    resident = get_scoped(Resident.objects.select_related("household", "group", "community"), request.user,
                          roles=ANY_ROLE, pk=pk)
    can_edit = _can_reveal(request.user, resident.community)
    return render(request, "residents/resident.html", {
        "resident": resident, "can_edit": can_edit, "can_reveal": can_edit,
        "history": _history(resident, can_reveal=can_edit),
        # Labels, visits and aid are the committee's working data, never the supervision group's.
        "labels": resident.labels.order_by("ends", "label") if can_edit else [],
        "terms": resident.representative_terms.select_related("group"),
        "care": resident.care_records.all()[:20] if can_edit else [],
        "members": resident.household.members.exclude(pk=resident.pk).order_by("name_pinyin"),
        "move_form": MoveForm(initial={"version": resident.version}),
        "leave_form": LeaveForm(initial={"version": resident.version, "on": timezone.localdate()}),
        "label_form": LabelForm(initial={"starts": timezone.localdate()}), "reveal_form": RevealForm(),
    })


@staff_required(roles=STAFF)
def resident_add(request):
    community = _community(request, STAFF)
    form = ResidentForm(request.POST or None, community=community,
                        initial={"household": request.GET.get("household")})
    if request.method == "POST" and form.is_valid():
        try:
            resident = save_resident(community=community, data=form.cleaned_data)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(request, _("已登记 %(name)s") % {"name": resident.name})
            return redirect("residents:resident", resident.pk)
    return render(request, "residents/form.html", {"form": form, "title": _("登记居民"),
                                                   "household_form": HouseholdForm(prefix="new_household")})


@staff_required(roles=STAFF)
def resident_edit(request, pk):
    resident = get_scoped(Resident.objects.all(), request.user, roles=STAFF, pk=pk)
    # Read before validation copies the typed values onto the instance.
    before = {name: getattr(resident, name) for name in MASKED_FIELDS}
    form = ResidentForm(request.POST or None, instance=resident, community=resident.community)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = save_resident(community=resident.community, data=form.cleaned_data,
                                               resident=Resident.objects.get(pk=pk),
                                               version=form.cleaned_data["version"])
                changed = [name for name, value in before.items() if getattr(saved, name) != value]
                if changed:
                    # Typing a number in is logged like reading one out: both put a whole number on the page.
                    fields = "、".join(str(Resident._meta.get_field(name).verbose_name) for name in changed)
                    log_sensitive_access(user=request.user, community=saved.community,
                                         action=SensitiveAccess.Action.CHANGE,
                                         subject=f"{saved.name} {mask_id_number(before['id_number'])}：{fields}",
                                         reason=_("修改居民信息"))
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("residents:resident", pk)
    return render(request, "residents/form.html", {"form": form, "title": _("修改居民信息"), "resident": resident,
                                                   "household_form": HouseholdForm(prefix="new_household")})


def _resident_action(request, pk, form_class, action):
    resident = get_scoped(Resident.objects.all(), request.user, roles=STAFF, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(resident, form.cleaned_data)
        except ValidationError as exc:
            messages_for(request, exc)
        else:
            messages.success(request, _("已保存"))
    else:
        form_messages(request, form)
    return redirect("residents:resident", pk)


@require_POST
@staff_required(roles=STAFF)
def resident_move(request, pk):
    return _resident_action(request, pk, MoveForm, lambda r, d: move_resident(
        resident=r, household_number=d["household_number"], relation=d["relation"], version=d["version"],
        address=d["address"]))


@require_POST
@staff_required(roles=STAFF)
def resident_leave(request, pk):
    return _resident_action(request, pk, LeaveForm, lambda r, d: mark_left(
        resident=r, living=d["living"], on=d["on"], version=d["version"], reason=d["reason"]))


@require_POST
@staff_required(roles=STAFF)
def label_add(request, pk):
    return _resident_action(request, pk, LabelForm, lambda r, d: add_label(resident=r, **d))


@require_POST
@staff_required(roles=STAFF)
def label_end(request, pk):
    label = get_scoped(ResidentLabel.objects.select_related("resident"), request.user, roles=STAFF,
                       path="resident__community", pk=pk)
    return _resident_action(request, label.resident_id, EndForm,
                            lambda r, d: end_label(label=label, ends=d["ends"]))


@require_POST
@staff_required(roles=STAFF)
def reveal(request, pk):
    """Show one resident's full ID and phone number, after the user says why; the act is logged."""
    resident = get_scoped(Resident.objects.all(), request.user, roles=STAFF, pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "residents/_reveal.html", {"resident": resident, "reveal_form": form}, status=400)
    log_sensitive_access(user=request.user, community=resident.community, action=SensitiveAccess.Action.REVEAL,
                         subject=f"{resident.name} {mask_id_number(resident.id_number)}",
                         reason=form.cleaned_data["reason"])
    return render(request, "residents/_reveal.html", {"resident": resident, "revealed": True})


@staff_required(roles=STAFF)
def access_request(request, pk):
    """PIPL access request: everything the registry holds about one resident, for them (logged)."""
    resident = get_scoped(Resident.objects.select_related("household", "group", "community"), request.user,
                          roles=STAFF, pk=pk)
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        log_sensitive_access(user=request.user, community=resident.community,
                             action=SensitiveAccess.Action.ACCESS_REQUEST,
                             subject=f"{resident.name} {mask_id_number(resident.id_number)}",
                             reason=form.cleaned_data["reason"])
        data = personal_data(resident=resident)
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{resident.pk}.json"'
        return response
    return render(request, "residents/access_request.html", {"resident": resident, "form": form})
