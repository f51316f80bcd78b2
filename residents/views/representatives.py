"""The representatives page: register a resident's or a unit's representative, end a term."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.web import on_form
from org.access import STAFF, get_scoped, staff_required

from ..forms import EndRepresentativeForm, RepresentativeForm, UnitRepresentativeForm
from ..models import Representative
from ..services.representatives import (
    add_representative,
    add_unit_representative,
    end_representative,
    representative_check,
    representative_rules,
)
from ._common import _can_reveal, _community

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
                add_representative(**form.cleaned_data)
            except ValidationError as exc:
                on_form(form, exc)
            else:
                messages.success(request, _("已登记居民代表"))
                return redirect("residents:representatives")
    return _representatives_page(request, community, form=form, unit_form=UnitRepresentativeForm(
        community=community, initial={"starts": timezone.localdate()}), can_edit=can_edit)


def _representatives_page(request, community, *, form, unit_form, can_edit):
    terms = (Representative.objects.filter(community=community).select_related("resident", "group",
                                                                                "successor__resident")
             .order_by("ends", "group__name", "starts"))
    rules = representative_rules(community=community)
    return render(request, "residents/representatives.html", {
        "community": community, "current": [t for t in terms if not t.ends],
        "past": [t for t in terms if t.ends], "form": form, "unit_form": unit_form, "can_edit": can_edit,
        "rules": rules, "findings": representative_check(community=community, **rules._asdict()),
        "end_form": EndRepresentativeForm(initial={"ends": timezone.localdate()})})


@require_POST
@staff_required(roles=STAFF)
def representative_unit_add(request):
    """Register the representative of a unit in the community (驻区单位代表), who is in no resident record."""
    community = _community(request, STAFF)
    unit_form = UnitRepresentativeForm(request.POST, community=community)
    if unit_form.is_valid():
        try:
            add_unit_representative(community=community, **unit_form.cleaned_data)
        except ValidationError as exc:
            on_form(unit_form, exc)
        else:
            messages.success(request, _("已登记驻区单位代表"))
            return redirect("residents:representatives")
    form = RepresentativeForm(community=community, initial={"starts": timezone.localdate()})
    return _representatives_page(request, community, form=form, unit_form=unit_form, can_edit=True)


@require_POST
@staff_required(roles=STAFF)
def representative_end(request, pk):
    term = get_scoped(Representative.objects.all(), request.user, roles=STAFF, pk=pk)
    form = EndRepresentativeForm(request.POST)
    if form.is_valid():
        try:
            end_representative(term=term, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("residents:representatives")
