from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import staff_required
from org.jobs import start_job

from ..services import papers as service
from ._common import RUN, VIEW, election_for

# Up to this many voters the list is rendered in the request; above it, in the background.
INLINE_VOTERS = 400


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_required(roles=VIEW)
def papers(request, pk):
    election = election_for(request, pk)
    issued = service.issued_papers(election)
    rows = [(kind, title, issued.get(kind)) for kind, title in service.NOTICES.items()]
    return render(request, "elections/papers.html", {"election": election, "notices": rows,
                                                     "voters_paper": issued.get("voters")})


@require_POST
@staff_required(roles=RUN)
def issue(request, pk, kind):
    election = election_for(request, pk, run=True)
    if kind not in service.NUMBERED:
        raise Http404
    paper = service.issue_paper(election=election, kind=kind)
    messages.success(request, _("已编号：%(number)s") % {"number": paper.doc_number})
    return redirect("elections:papers", election.pk)


@staff_required(roles=VIEW)
def notice(request, pk, kind):
    election = election_for(request, pk)
    if kind not in service.NOTICES:
        raise Http404
    return _pdf(service.render_notice(election, kind), f"{kind}-{election.pk}.pdf")


@staff_required(roles=VIEW)
def voters_pdf(request, pk):
    election = election_for(request, pk)
    group = request.GET.get("group", "")
    roll = election.roll.filter(group_name=group) if group else election.roll
    if roll.count() <= INLINE_VOTERS:
        return _pdf(service.render_voter_list(election, group=group or None), f"voters-{election.pk}.pdf")
    if request.method != "POST":  # starting the background job writes: it is asked for with the form
        messages.info(request, _("选民名单较长，请点击“后台生成”。"))
        return redirect("elections:papers", election.pk)
    job = start_job(user=request.user, title=_("选民名单：%(name)s") % {"name": election.name},
                    func="elections.services.papers.voter_list_job",
                    params={"election_id": election.pk, "group": group},
                    community=election.community, next_url=reverse("elections:roll", args=[election.pk]))
    return redirect("job_detail", job.pk)


@require_POST
@staff_required(roles=VIEW)
def voter_cards_pdf(request, pk):
    election = election_for(request, pk)
    job = start_job(user=request.user, title=_("选民证：%(name)s") % {"name": election.name},
                    func="elections.services.papers.voter_cards_job", params={"election_id": election.pk},
                    community=election.community, next_url=reverse("elections:roll", args=[election.pk]))
    return redirect("job_detail", job.pk)


@staff_required(roles=VIEW)
def ballot_pdf(request, pk):
    election = election_for(request, pk)
    return _pdf(service.render_ballot(election), f"ballot-{election.pk}.pdf")


@staff_required(roles=VIEW)
def nomination_form_pdf(request, pk):
    election = election_for(request, pk)
    return _pdf(service.render_nomination_form(election), f"nomination-form-{election.pk}.pdf")


@staff_required(roles=VIEW)
def proxy_cards_pdf(request, pk):
    election = election_for(request, pk)
    return _pdf(service.render_proxy_cards(election), f"proxy-cards-{election.pk}.pdf")
