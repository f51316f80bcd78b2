"""Petitions for a residents' meeting and their signatures."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.web import on_form, warnings_shown
from org.access import get_scoped, staff_required
from residents.models import Resident

from .. import forms
from ..models import Petition
from ..services import petitions as petition_services
from ._common import WRITE, _community

# Petitions -----------------------------------------------------------------------------------------------


@staff_required(roles=WRITE)
def petitions(request):
    community = _community(request)
    form = forms.PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = petition_services.file_petition(community=community, **form.cleaned_data)
        except ValidationError as error:
            on_form(form, error)
        else:
            return redirect("committee:petition", petition.pk)
    found = Petition.objects.filter(community=community).annotate(n=Count("signatures"))
    return render(request, "committee/petitions.html", {"petitions": found, "form": form, "community": community})


@staff_required(roles=WRITE)
def petition(request, pk):
    petition = get_scoped(Petition.objects.select_related("community", "meeting"), request.user, roles=WRITE, pk=pk)
    form = forms.SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = Resident.objects.filter(community=petition.community,
                                           id_number=form.cleaned_data["id_number"].upper()).first()
        if resident is None:
            form.add_error("id_number", _("本社区没有这位居民"))
        else:
            try:
                signed = petition_services.add_signature(petition=petition, resident=resident,
                                                         on=form.cleaned_data["on"])
            except ValidationError as error:
                on_form(form, error)
            else:
                warnings_shown(request, signed)
                return redirect("committee:petition", pk)
    return render(request, "committee/petition.html", {
        "petition": petition, "count": petition_services.count_petition(petition, on=timezone.localdate()),
        "due_by": petition_services.meeting_due_by(petition), "form": form,
        "signatures": petition.signatures.select_related("resident")}, status=400 if form.errors else 200)
