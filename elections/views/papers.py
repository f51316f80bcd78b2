from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import paper
from lib.web import messages_for, pdf_response
from org.access import staff_required
from org.jobs import start_job

from ..forms import BallotPaperForm
from ..services import certificates
from ..services import papers as service
from ..services.voting import ballots_allowed
from ._common import RUN, VIEW, act, election_for, kept, refuse

# Up to this many voters the list is rendered in the request; above it, in the background.
INLINE_VOTERS = 400


@staff_required(roles=VIEW)
def papers(request, pk):
    election = election_for(request, pk)
    issued = service.issued_papers(election)
    rows = [(kind, title, issued.get(kind)) for kind, title in service.NOTICES.items()]
    ballot_form = BallotPaperForm(kept(request, "ballot_paper"), initial={
        "serials": election.ballot_serials, "counterfoil": election.ballot_counterfoil,
        "layout": election.ballot_layout})
    return render(request, "elections/papers.html", {"election": election, "notices": rows,
                                                     "voters_paper": issued.get("voters"),
                                                     "ballot_form": ballot_form,
                                                     "ballots": ballots_allowed(election)})


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
@paper
def notice(request, pk, kind):
    election = election_for(request, pk)
    if kind not in service.NOTICES:
        raise Http404
    return pdf_response(service.render_notice(election, kind), f"{kind}-{election.pk}.pdf")


@staff_required(roles=VIEW)
@paper
def voters_pdf(request, pk):
    election = election_for(request, pk)
    group = request.GET.get("group", "")
    roll = election.roll.filter(group_name=group) if group else election.roll
    if roll.count() <= INLINE_VOTERS:
        return pdf_response(service.render_voter_list(election, group=group or None), f"voters-{election.pk}.pdf")
    if request.method != "POST":  # starting the background job writes: it is asked for with the form
        messages.info(request, _("选民名单较长，请点击“后台生成”。"))
        return redirect("elections:papers", election.pk)
    job = start_job(user=request.user, title=_("选民名单：%(name)s") % {"name": election.name},
                    func=service.VOTER_LIST_JOB,
                    params={"election_id": election.pk, "group": group},
                    community=election.community, next_url=reverse("elections:roll", args=[election.pk]))
    return redirect("job_detail", job.pk)


@require_POST
@staff_required(roles=VIEW)
def voter_cards_pdf(request, pk):
    election = election_for(request, pk)
    job = start_job(user=request.user, title=_("选民证：%(name)s") % {"name": election.name},
                    func=service.VOTER_CARDS_JOB, params={"election_id": election.pk},
                    community=election.community, next_url=reverse("elections:roll", args=[election.pk]))
    return redirect("job_detail", job.pk)


@staff_required(roles=VIEW)
@paper
def ballot_pdf(request, pk):
    election = election_for(request, pk)
    return pdf_response(service.render_ballot(election), f"ballot-{election.pk}.pdf")


@staff_required(roles=VIEW)
@paper
def nomination_form_pdf(request, pk):
    election = election_for(request, pk)
    return pdf_response(service.render_nomination_form(election), f"nomination-form-{election.pk}.pdf")


@staff_required(roles=VIEW)
@paper
def proxy_cards_pdf(request, pk):
    election = election_for(request, pk)
    return pdf_response(service.render_proxy_cards(election), f"proxy-cards-{election.pk}.pdf")


@require_POST
@staff_required(roles=RUN)
def ballot_paper(request, pk):
    """The election committee's choice of ballot paper: serials, counterfoil, one sheet or one per post."""
    election = election_for(request, pk, run=True)
    back = reverse("elections:papers", args=[pk])
    form = BallotPaperForm(request.POST)
    if not form.is_valid():
        return refuse(request, back, _("请选择选票印制方式。"), keep="ballot_paper")
    data = form.cleaned_data
    return act(request, back, lambda: service.set_ballot_paper(
        election=election, serials=data["serials"], counterfoil=data["counterfoil"], layout=data["layout"]),
        _("已保存选票印制方式。"), keep="ballot_paper")


@require_POST
@staff_required(roles=VIEW)
def numbered_ballots(request, pk):
    """The numbered ballots 1..N, rendered in the background (N is in the thousands)."""
    election = election_for(request, pk)
    back = reverse("elections:papers", args=[pk])
    try:
        job = service.start_numbered_ballots(election=election, user=request.user, next_url=back)
    except ValidationError as exc:
        messages_for(request, exc)
        return redirect(back)
    return redirect("job_detail", job.pk)


@staff_required(roles=VIEW)
@paper
def nomination_report_pdf(request, pk):
    election = election_for(request, pk)
    return pdf_response(service.render_nomination_report(election), f"nomination-report-{election.pk}.pdf")


@staff_required(roles=VIEW)
@paper
def certificates_pdf(request, pk):
    """当选证书, one page per elected member; only from a certified result."""
    election = election_for(request, pk)
    try:
        content = certificates.render_certificates(election)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from None
    return pdf_response(content, f"certificates-{election.pk}.pdf")


@require_POST
@staff_required(roles=RUN)
def issue_certificates(request, pk):
    """The street office numbers the certificates (once; a reprint keeps the numbers)."""
    election = election_for(request, pk, run=True)
    return act(request, reverse("elections:result", args=[pk]),
               lambda: certificates.issue_certificates(election=election), _("当选证书已编号，可以打印颁发。"))
