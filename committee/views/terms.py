"""The term's life: a member's page, resignation, appraisal, absence, recall, extension, the seat's login."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.web import act, form_messages, messages_for
from org.access import STREET, community_ids, get_scoped, staff_required, street_ids

from .. import forms
from ..models import CommitteeMember, Recall, Term
from ..services import people as people_services
from ..services import terms as term_services
from ._common import READ, WRITE

# The term's life (docs/domain.md, Term's life): the street extends a term; the committee records how its
# members leave.

def _member(request, pk, roles):
    return get_scoped(CommitteeMember.objects.select_related("term__community", "resident", "user"), request.user,
                      roles=roles,
                      path="term__community", pk=pk)


@staff_required(roles=READ)
def member(request, pk):
    found = _member(request, pk, READ)
    return render(request, "committee/member.html", {
        "member": found, "appraisals": found.appraisals.all(),
        "can_write": found.term.community_id in community_ids(request.user, WRITE),
        "street_staff": found.term.community_id in community_ids(request.user, STREET),
        "account_form": forms.MemberAccountForm(),
        "recalls": found.recalls.select_related("petition"),
        "resign_form": forms.ResignForm(), "appraisal_form": forms.AppraisalForm(),
        "absences": found.absences.all(), "absence_form": forms.AbsenceForm(),
        "recall_form": forms.RecallForm(community=found.term.community), "vote_form": forms.RecallVoteForm(),
    })


def _member_act(request, found, form, service, done: str):
    """Run one act of the term's life from a posted form; a refusal is shown as a message on the member page."""
    if not form.is_valid():
        form_messages(request, form)
        return redirect("committee:member", found.pk)
    return act(request, reverse("committee:member", args=[found.pk]), lambda: service(**form.cleaned_data), done)


@require_POST
@staff_required(roles=WRITE)
def member_resign(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.ResignForm(request.POST),
                       lambda **data: term_services.resign(member=found, **data), _("已登记辞职"))


@require_POST
@staff_required(roles=WRITE)
def member_appraisal(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.AppraisalForm(request.POST),
                       lambda **data: term_services.record_appraisal(member=found, **data), _("已登记评议结果"))


@require_POST
@staff_required(roles=WRITE)
def member_absence(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.AbsenceForm(request.POST),
                       lambda **data: term_services.record_absence(member=found, **data), _("已登记缺勤"))


@require_POST
@staff_required(roles=WRITE)
def member_recall(request, pk):
    found = _member(request, pk, WRITE)
    return _member_act(request, found, forms.RecallForm(request.POST, community=found.term.community),
                       lambda **data: term_services.file_recall(member=found, **data), _("已登记罢免请求"))


@require_POST
@staff_required(roles=WRITE)
def recall_vote(request, pk):
    recall = get_scoped(Recall.objects.select_related("member"), request.user, roles=WRITE,
                        path="member__term__community", pk=pk)
    return _member_act(request, recall.member, forms.RecallVoteForm(request.POST),
                       lambda **data: term_services.record_recall_vote(recall=recall, **data), _("已登记表决结果"))


@require_POST
@staff_required(roles=STREET)
def term_extend(request, pk):
    term = get_scoped(Term.objects, request.user, roles=STREET, pk=pk)
    form = forms.ExtendTermForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
    else:
        try:
            term_services.extend_term(term=term, **form.cleaned_data)
        except ValidationError as error:
            messages_for(request, error)
        else:
            messages.success(request, _("已登记街道延期决定"))
    return redirect("committee:organisation")


@require_POST
@staff_required(roles=STREET)
def member_account(request, pk):
    """Street staff open the login of a sitting member from the seat (the member's resident record)."""
    found = _member(request, pk, STREET)
    return _member_act(request, found, forms.MemberAccountForm(request.POST),
                       lambda username, password1: people_services.open_member_account(
                           by=request.user, street_ids=street_ids(request.user), member=found, username=username,
                           password=password1),
                       _("已开设登录账户，请把初始密码当面告知本人"))
