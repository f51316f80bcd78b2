"""The handover list's pages (docs/domain.md, Handover with the street present).

Street staff write the list, attach the audit note and confirm as supervisor (监交); a committee member confirms
for the outgoing or the incoming side through the login of their own seat in that term. The list is opened from
the election's result page (elections/services/certification.py: open_handover_list).
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import paper, render_pdf
from lib.web import act, form_messages, on_form, pdf_response
from org.access import STAFF, STREET, community_ids, get_scoped, staff_required

from .. import forms
from ..models import Handover, HandoverItem, HandoverSide
from ..services import handover as services
from ..services.meetings import issuer_name


def _handover(request, pk, roles=STAFF) -> Handover:
    return get_scoped(Handover.objects.select_related("community__street", "outgoing", "incoming"), request.user,
                      roles=roles, pk=pk)


def _item(request, pk, roles) -> HandoverItem:
    return get_scoped(HandoverItem.objects.select_related("handover__community"), request.user, roles=roles,
                      path="handover__community", pk=pk)


def _items(found: Handover) -> list[HandoverItem]:
    """The items with their confirmations by side (`item.by_side`), for the page and the paper."""
    items = list(found.items.prefetch_related("confirmations__seat", "confirmations__confirmed_by"))
    for item in items:
        item.by_side = {c.side: c for c in item.confirmations.all()}
    return items


@staff_required(roles=STAFF)
def handover(request, pk):
    return _handover_page(request, _handover(request, pk))


def _handover_page(request, found: Handover, **bound):
    """The list's page; `bound` holds a form refused on its way in, shown with its errors and what was typed.
    An error about the list rather than a field (it is complete) goes to the top of the page."""
    for form in bound.values():
        for message in form.errors.pop(NON_FIELD_ERRORS, []):
            messages.error(request, message)
    items = _items(found)
    street_staff = found.community_id in community_ids(request.user, STREET)
    # The sides this account may confirm for: a seat of that term logged in as itself, or the street's staff.
    sides = [(side.value, side.label) for side in (HandoverSide.OUTGOING, HandoverSide.INCOMING)
             if services.seat_for(handover=found, side=side, user=request.user)]
    if street_staff:
        sides.append((HandoverSide.STREET.value, HandoverSide.STREET.label))
    return render(request, "committee/handover.html", {
        "handover": found, "items": items, "progress": services.progress(found), "sides": sides,
        "street_staff": street_staff, "late": services.is_late(found, timezone.localdate()),
        "item_form": forms.HandoverItemForm(), "audit_form": forms.HandoverAuditForm(), **bound,
    }, status=400 if bound else 200)


@require_POST
@staff_required(roles=STREET)
def handover_item_add(request, pk):
    found = _handover(request, pk, STREET)
    form = forms.HandoverItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(handover=found, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
        else:
            messages.success(request, _("已加入移交清单"))
            return redirect("committee:handover", found.pk)
    return _handover_page(request, found, item_form=form)


@require_POST
@staff_required(roles=STREET)
def handover_item_remove(request, pk):
    item = _item(request, pk, STREET)
    return act(request, reverse("committee:handover", args=[item.handover_id]),
               lambda: services.remove_item(item=item), _("已从移交清单删除"))


@require_POST
@staff_required(roles=STAFF)
def handover_confirm(request, pk):
    item = _item(request, pk, STAFF)
    form = forms.HandoverConfirmForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect("committee:handover", item.handover_id)
    return act(request, reverse("committee:handover", args=[item.handover_id]),
               lambda: services.confirm(item=item, side=form.cleaned_data["side"], user=request.user), _("已确认"))


@require_POST
@staff_required(roles=STREET)
def handover_audit(request, pk):
    found = _handover(request, pk, STREET)
    form = forms.HandoverAuditForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_audit(handover=found, note=form.cleaned_data["note"], upload=form.cleaned_data["upload"],
                                  user=request.user)
        except ValidationError as error:
            on_form(form, error)
        else:
            messages.success(request, _("已附上离任审计说明"))
            return redirect("committee:handover", found.pk)
    return _handover_page(request, found, audit_form=form)


@staff_required(roles=STAFF)
def handover_audit_file(request, pk):
    found = _handover(request, pk)
    if not found.audit_file:
        raise Http404
    try:
        handle = found.audit_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=services.audit_content_type(handle) or "application/octet-stream",
                            filename=found.audit_file.name.rsplit("/", 1)[-1])
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


@staff_required(roles=STAFF)
@paper
def handover_pdf(request, pk):
    """The one paper of the handover, printed once the list is complete (what the three sides sign)."""
    found = _handover(request, pk)
    if not found.completed_at:
        raise PermissionDenied
    items = _items(found)
    issuer = issuer_name(found.community)
    context = {"issuer": issuer, "community": found.community, "handover": found, "items": items,
               "title": _("移交清单"), "doc_number": "", "date": timezone.localdate(found.completed_at)}
    return pdf_response(render_pdf("committee/pdf/handover_list.html", context), f"handover-list-{found.pk}.pdf")
