"""Disputed ballots (疑难选票): the election committee's decisions, recorded by the counting team, and the
疑难选票认定表 (docs/domain.md, Elections: disputed ballots)."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.pdf import paper, render_pdf
from lib.web import DateInput, pdf_response
from org.access import staff_required

from ..models import DisputedBallot, DisputedDecision
from ..services import disputed as service
from ..services.setup import committee_in_rank
from ._common import RUN, VIEW, act, election_for, kept, refuse
from .counting import _result_for

DECISIONS = [(value, label) for value, label in DisputedDecision.choices if value]


class DecisionForm(forms.Form):
    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=gettext_lazy("认定结果"), choices=DECISIONS, widget=forms.RadioSelect)
    void_posts = forms.MultipleChoiceField(label=gettext_lazy("不计票的职位（部分有效时）"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    votes_for = forms.IntegerField(label=gettext_lazy("同意"), min_value=0)
    votes_against = forms.IntegerField(label=gettext_lazy("反对"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=gettext_lazy("弃权"), min_value=0, initial=0)
    decided_on = forms.DateField(label=gettext_lazy("认定日期"), widget=DateInput)

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["void_posts"].choices = [(p.code, p.label) for p in positions]


@staff_required(roles=RUN)
def disputed(request, pk):
    """Every disputed paper of the election with its issue and marks as read; the decision of each."""
    election = election_for(request, pk, run=True)
    back = reverse("elections:disputed", args=[pk])
    positions = list(election.positions.order_by("order", "id"))
    if request.method == "POST":
        form = DecisionForm(request.POST, positions=positions)
        if not form.is_valid():
            return refuse(request, back, _("请完整填写认定结果、表决情况和日期。"), keep="decision")
        data = dict(form.cleaned_data)
        found = get_object_or_404(DisputedBallot, election=election, number=data.pop("number"))
        return act(request, back, lambda: service.decide(disputed=found, user=request.user, **data),
                   _("已登记第 %(n)s 号疑难选票的认定。") % {"n": found.number}, keep="decision")
    again = kept(request, "decision")
    rows = service.disputed_rows(election=election)
    for row in rows:
        paper = row["disputed"]
        refused = again is not None and again.get("number") == str(paper.number)
        row["form"] = DecisionForm(again if refused else None, positions=positions, initial={
            "number": paper.number, "decision": paper.decision or None, "void_posts": paper.void_posts,
            "votes_for": paper.votes_for, "votes_against": paper.votes_against or 0,
            "votes_abstain": paper.votes_abstain or 0, "decided_on": paper.decided_on or timezone.localdate()})
    return render(request, "elections/disputed.html", {
        "election": election, "rows": rows, "undecided": service.undecided_numbers(election),
        "members": election.committee_members.count()})


@staff_required(roles=VIEW)
@paper
def disputed_pdf(request, pk):
    """疑难选票认定表 (文书范例14): number, issue, decision, how counted, the vote; the committee signs it.
    Seen by the counting team during the count, by the community's staff once it is closed, as the result is."""
    election = _result_for(request, pk)
    context = {
        "election": election, "rows": service.disputed_rows(election=election), "title": _("疑难选票认定表"),
        "issuer": _("%(community)s居民委员会换届选举委员会") % {"community": election.community.name},
        "date": timezone.localdate(), "members": list(committee_in_rank(election)),
    }
    return pdf_response(render_pdf("elections/pdf/disputed.html", context), f"disputed-{election.pk}.pdf")
