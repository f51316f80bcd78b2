"""The daily registers: duty roster, mailbox, responsibility zones, seal, assets and activities."""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.pdf import paper, render_pdf
from lib.web import form_messages, messages_for, on_form, pdf_response
from org.access import get_scoped, staff_required

from .. import forms
from ..models import (
    Activity,
    Asset,
    AssetCount,
    AssetMovement,
    DutySlot,
    MailboxItem,
    ResponsibilityZone,
    SealUse,
    ZoneVisit,
)
from ..services import current_members, current_term, registers
from ..services import meetings as meeting_services
from ._common import WRITE, _community, _paper

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
            messages_for(request, error)
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
        form = forms.DutyLogForm(request.POST)
        if not form.is_valid():
            form_messages(request, form)
            return redirect("committee:duty_slot", pk)
        slot.log = form.cleaned_data["log"]
        slot.save(update_fields=["log"])
        return redirect(f"{reverse('committee:duty')}?month={slot.date:%Y-%m}")
    return render(request, "committee/duty_slot.html", {"slot": slot})


@staff_required(roles=WRITE)
@paper
def duty_pdf(request):
    community = _community(request)
    year, month = _month(request)
    slots = DutySlot.objects.filter(community=community, date__year=year, date__month=month)
    context = _paper(community, title=_("%(year)s年%(month)s月值班表") % {"year": year, "month": month},
                     doc_number="", slots=slots,
                     date=timezone.localdate())
    return pdf_response(render_pdf("committee/pdf/duty.html", context), f"duty-{year}-{month:02d}.pdf")


@staff_required(roles=WRITE)
def mailbox(request):
    community = _community(request)
    form = forms.MailboxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registers.receive_item(community=community, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
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
            messages_for(request, error)
        return redirect("committee:mailbox_item", pk)
    if form.is_bound and form.is_valid():
        try:
            registers.answer_item(item=item, answer=form.cleaned_data["answer"], by=form.cleaned_data["by"],
                                  on=form.cleaned_data["on"])
        except ValidationError as error:
            on_form(form, error)
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
            on_form(visit_form, error)
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
            on_form(form, error)
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
            on_form(movement_form, error)
        else:
            return redirect("committee:assets")
    if request.POST.get("action") == "count":
        year = today.year if today.month == 12 else today.year - 1
        count_form = forms.CountForm(request.POST)
        if not count_form.is_valid():
            form_messages(request, count_form)
            return redirect("committee:assets")
        try:
            registers.year_end_count(community=community, year=year, found=_found(request, community),
                                     counted_by=count_form.cleaned_data["counted_by"], on=today)
        except ValidationError as error:
            messages_for(request, error)
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
@paper
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
    return pdf_response(render_pdf("committee/pdf/handover.html", context), f"handover-{on:%Y-%m-%d}.pdf")


@staff_required(roles=WRITE)
def activities(request):
    community = _community(request)
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = registers.create_activity(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
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
            on_form(form, error)
        else:
            return redirect("committee:activity", pk)
    return render(request, "committee/activity.html", {
        "activity": activity, "form": form, "registrations": activity.registrations.all(),
        "headcount": registers.headcount(activity)})


@staff_required(roles=WRITE)
@paper
def activity_notice_pdf(request, pk):
    activity = get_scoped(Activity.objects.select_related("community"), request.user, roles=WRITE, pk=pk)
    title = _("关于举办%(title)s的通告") % {"title": activity.title}
    context = _paper(activity.community, activity=activity, title=title, doc_number=activity.doc_number,
                     date=timezone.localdate())
    return pdf_response(render_pdf("committee/pdf/activity_notice.html", context), f"activity-{activity.pk}.pdf")
