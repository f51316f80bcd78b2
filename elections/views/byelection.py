"""补选 pages: street staff open a by-election of the sitting term's vacant seats and, once it is certified, seat
its winners in that term (elections/services/byelection.py)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from committee.services import current_term
from lib.web import DateInput
from org.access import current_community, staff_required

from ..models import Certification, Election, ElectionKind
from ..services import byelection as service
from ._common import RUN, act, election_for, refuse


class ByElectionForm(forms.Form):
    election_day = forms.DateField(label=gettext_lazy("补选选举日"), widget=DateInput)


def _community(request):
    community = current_community(request, RUN)
    if community is None:
        raise PermissionDenied
    return community


@staff_required(roles=RUN)
def by_elections(request):
    """The sitting term's vacant seats and the community's by-elections, with what each still needs."""
    community = _community(request)
    today = timezone.localdate()
    term = current_term(community=community, on=today)
    found = (Election.objects.filter(community=community, kind=ElectionKind.BY_ELECTION)
             .select_related("certification").order_by("-election_day"))
    seated = set(Certification.objects.filter(election__in=found, term__isnull=False).values_list("election_id",
                                                                                                  flat=True))
    return render(request, "elections/by_elections.html", {
        "community": community, "term": term, "form": ByElectionForm(),
        "vacant": service.vacant_seats(term=term, on=today) if term else {},
        "elections": [(e, e.pk in seated) for e in found]})


@require_POST
@staff_required(roles=RUN)
def by_election_new(request):
    community = _community(request)
    term = current_term(community=community, on=timezone.localdate())
    form = ByElectionForm(request.POST)
    if term is None:
        return refuse(request, "elections:by_elections", _("本社区没有在任的居委会"))
    if not form.is_valid():
        return refuse(request, "elections:by_elections", _("请填写补选选举日"))
    return act(request, "elections:by_elections",
               lambda: service.create_by_election(term=term, election_day=form.cleaned_data["election_day"]),
               _("已建立补选，请按选举流程办理"))


@require_POST
@staff_required(roles=RUN)
def by_election_seat(request, pk):
    election = election_for(request, pk, run=True)
    return act(request, "elections:by_elections", lambda: service.seat_by_election_winners(election=election),
               _("补选当选人已就任"))
