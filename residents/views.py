import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.masking import mask_id_number, mask_phone
from lib.pdf import render_pdf
from org.access import ANY_ROLE, STAFF, community_ids, current_community, get_scoped, staff_required
from org.jobs import start_job
from org.models import Job, SensitiveAccess
from org.services import log_sensitive_access

from . import services
from .forms import (
    AGE_BANDS,
    SORTS,
    CareForm,
    EndForm,
    EndRepresentativeForm,
    ExportForm,
    GroupForm,
    HouseholdForm,
    ImportForm,
    LabelForm,
    LeaveForm,
    MoveForm,
    RepresentativeForm,
    ResidentForm,
    RevealForm,
    SearchForm,
)
from .importing import IMPORT_UPLOADS, export_residents, import_template
from .models import (
    CareRecord,
    Household,
    Label,
    Living,
    Relation,
    Representative,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from .resources import column_guide

PAGE_SIZE = 50
MASKED_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}
# The masked ID number hides exactly its digits 7 to 14, the birth date: a role that may not reveal the number
# sees no birth date beside it, in the history either.
MASKED_FOR_READERS = MASKED_FIELDS | {"birth_date": lambda value: "****-**-**"}


def _community(request, roles=ANY_ROLE):
    """The community the user works in now, if they hold one of `roles` there."""
    community = current_community(request)
    if community is None:
        raise PermissionDenied
    if community.pk not in community_ids(request.user, roles):
        raise PermissionDenied
    return community


def _open_labels():
    return Prefetch("labels", queryset=ResidentLabel.objects.filter(ends__isnull=True), to_attr="open_labels")


def _can_reveal(user, community) -> bool:
    """Staff may reveal full numbers, look residents up by number and see labels, visits and aid; supervision
    members read the registry without any of these."""
    return community.pk in community_ids(user, STAFF)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
        if numbers and (lookup := services.number_query(text=q)):
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


def _log_number_search(request, community, lookup: services.NumberQuery) -> None:
    """Keep who looked up which number (masked) and whom it found: a match confirms the whole number."""
    found = list(services.residents_by_number(community=community, query=lookup)[:6])
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
    if q and services.looks_like_number(text=q):
        lookup = services.number_query(text=q)
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
            resident = services.save_resident(community=community, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
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
                saved = services.save_resident(community=resident.community, data=form.cleaned_data,
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
            _form_errors(form, exc)
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
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已保存"))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}")
    return redirect("residents:resident", pk)


@require_POST
@staff_required(roles=STAFF)
def resident_move(request, pk):
    return _resident_action(request, pk, MoveForm, lambda r, d: services.move_resident(
        resident=r, household_number=d["household_number"], relation=d["relation"], version=d["version"],
        address=d["address"]))


@require_POST
@staff_required(roles=STAFF)
def resident_leave(request, pk):
    return _resident_action(request, pk, LeaveForm, lambda r, d: services.mark_left(
        resident=r, living=d["living"], on=d["on"], version=d["version"], reason=d["reason"]))


@require_POST
@staff_required(roles=STAFF)
def label_add(request, pk):
    return _resident_action(request, pk, LabelForm, lambda r, d: services.add_label(resident=r, **d))


@require_POST
@staff_required(roles=STAFF)
def label_end(request, pk):
    label = get_scoped(ResidentLabel.objects.select_related("resident"), request.user, roles=STAFF,
                       path="resident__community", pk=pk)
    return _resident_action(request, label.resident_id, EndForm,
                            lambda r, d: services.end_label(label=label, ends=d["ends"]))


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
        data = services.personal_data(resident=resident)
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{resident.pk}.json"'
        return response
    return render(request, "residents/access_request.html", {"resident": resident, "form": form})


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
            household = services.create_household(community=community, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
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
def household_pdf(request, pk):
    household = get_scoped(Household.objects.select_related("community__street"), request.user, roles=STAFF, pk=pk)
    members = sorted(household.members.select_related("group"),
                     key=lambda m: (m.relation != Relation.HEAD, m.birth_date))
    pdf = render_pdf("residents/pdf/household.html", {
        "issuer": household.community.name, "title": _("居民户口登记簿"), "household": household,
        "members": members, "date": timezone.localdate()})
    return _pdf_response(pdf, f"household-{household.number}.pdf")


@require_POST
@staff_required(roles=STAFF)
def care_add(request, pk):
    household = get_scoped(Household.objects.all(), request.user, roles=STAFF, pk=pk)
    form = CareForm(request.POST, household=household)
    if form.is_valid():
        try:
            services.record_care(household=household, data=form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
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
                services.create_group(community=community, name=form.cleaned_data["name"])
            except ValidationError as exc:
                _form_errors(form, exc)
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
        leader = group.residents.filter(pk=request.POST.get("leader") or None).first()
        try:
            services.set_group_leader(group=group, leader=leader)
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
def group_pdf(request, pk):
    group = get_scoped(ResidentGroup.objects.select_related("leader", "community"), request.user, roles=STAFF,
                       pk=pk)
    members = (group.residents.filter(living__in=[Living.LIVING, Living.AWAY]).select_related("household")
               .order_by("household__number", "name_pinyin"))
    pdf = render_pdf("residents/pdf/roster.html", {
        "issuer": group.community.name, "title": _("%(group)s居民花名册") % {"group": group.name}, "group": group,
        "members": members, "date": timezone.localdate()})
    return _pdf_response(pdf, f"roster-{group.pk}.pdf")


# --- representatives ---------------------------------------------------------------------------

@staff_required
def representatives(request):
    community = _community(request)
    can_edit = _can_reveal(request.user, community)
    form = RepresentativeForm(request.POST or None, community=community,
                              initial={"starts": timezone.localdate()})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_representative(**form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记居民代表"))
                return redirect("residents:representatives")
    terms = (Representative.objects.filter(community=community).select_related("resident", "group",
                                                                                "successor__resident")
             .order_by("ends", "group__name", "starts"))
    return render(request, "residents/representatives.html", {
        "community": community, "current": [t for t in terms if not t.ends],
        "past": [t for t in terms if t.ends], "form": form, "can_edit": can_edit,
        "end_form": EndRepresentativeForm(initial={"ends": timezone.localdate()})})


@require_POST
@staff_required(roles=STAFF)
def representative_end(request, pk):
    term = get_scoped(Representative.objects.all(), request.user, roles=STAFF, pk=pk)
    form = EndRepresentativeForm(request.POST)
    if form.is_valid():
        try:
            services.end_representative(term=term, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("residents:representatives")


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
    unvisited = services.spring_festival_unvisited(community_ids=[community.pk], on=today).order_by("number")
    care = CareRecord.objects.filter(community=community).select_related("household", "resident")[:30]
    return render(request, "residents/special.html", {
        "community": community, "page": page, "label": label, "labels": Label.choices,
        "counts": [(value, name, counts.get(value, 0)) for value, name in Label.choices],
        "unvisited": unvisited[:50], "unvisited_count": unvisited.count(), "care": care})


@staff_required(roles=STAFF)
def special_pdf(request):
    community = _community(request, STAFF)
    label = request.GET.get("label", "")
    if label and label not in Label.values:
        raise Http404
    title = _("特殊人群名单") if not label else _("%(label)s人员名单") % {"label": Label(label).label}
    pdf = render_pdf("residents/pdf/special.html", {
        "issuer": community.name, "title": title, "labels": _special(community, label),
        "date": timezone.localdate()})
    return _pdf_response(pdf, "special-populations.pdf")


# --- import and export -------------------------------------------------------------------------

@staff_required(roles=STAFF)
def import_upload(request):
    community = _community(request, STAFF)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        path = default_storage.save(f"{IMPORT_UPLOADS}/{uuid.uuid4().hex}{suffix}", upload)
        job = start_job(user=request.user, title=_("居民名单预检：%(name)s") % {"name": upload.name},
                        func="residents.importing.run_import_job", community=community,
                        params={"path": path, "community_id": community.pk, "dry_run": True,
                                "user_id": request.user.pk, "file_name": upload.name})
        Job.objects.filter(pk=job.pk).update(next_url=reverse("residents:import_preview", args=[job.pk]))
        return redirect("residents:import_preview", job.pk)
    return render(request, "residents/import.html", {"form": form, "community": community,
                                                     "columns": column_guide()})


@staff_required(roles=STAFF)
def import_template_download(request):
    """The empty residents file (XLSX, ID number and phone columns formatted as text) to fill in and import."""
    _community(request, STAFF)
    response = HttpResponse(import_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


def _import_job(request, pk) -> Job:
    job = Job.objects.filter(pk=pk, user=request.user, func="residents.importing.run_import_job").first()
    if job is None:
        raise Http404
    if job.community_id not in community_ids(request.user, STAFF):
        raise PermissionDenied
    return job


@staff_required(roles=STAFF)
def import_preview(request, pk):
    """The dry run's outcome: every error by row and column, or the summary and a confirm button."""
    job = _import_job(request, pk)
    return render(request, "residents/import_preview.html", {"job": job, "file_name": job.params.get("file_name")})


@require_POST
@staff_required(roles=STAFF)
def import_confirm(request, pk):
    preview = _import_job(request, pk)
    if not preview.params.get("dry_run") or preview.status != Job.Status.DONE:
        messages.error(request, _("预检未通过，不能导入"))
        return redirect("residents:import_preview", pk)
    if not default_storage.exists(preview.params["path"]):
        messages.error(request, _("该文件已导入或已过期，请重新上传"))
        return redirect("residents:import")
    job = start_job(user=request.user, title=_("导入居民名单：%(name)s") % {"name": preview.params["file_name"]},
                    func="residents.importing.run_import_job", community=preview.community,
                    params={**preview.params, "dry_run": False},
                    next_url=reverse("residents:index"))
    return redirect("job_detail", job.pk)


@staff_required(roles=STAFF)
def export(request):
    """The registry as a file, for a reason that goes on the sensitive-access record (a POST: it writes)."""
    community = _community(request, STAFF)
    form = ExportForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "residents/export.html", {"form": form, "community": community, "can_edit": True})
    file_format = form.cleaned_data["format"]
    log_sensitive_access(user=request.user, community=community, action=SensitiveAccess.Action.EXPORT,
                         subject=_("居民名单（%(n)s 人）") % {"n": community.residents.count()},
                         reason=form.cleaned_data["reason"])
    response = HttpResponse(export_residents(community=community, file_format=file_format),
                            content_type="text/csv; charset=utf-8" if file_format == "csv" else
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="residents-{community.code}-{stamp}.{file_format}"'
    return response


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
