"""Polling day, counting and the result (Elections II); entry per paper and the public board in entry.py.

The counting team (street-office staff, who run the election) sees everything; the result stays hidden
from everyone else until the count is closed, after which the community's committee may see it too.
"""


from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lib.pdf import paper, render_pdf
from lib.web import DateInput, form_errors, messages_for, pdf_response
from org.access import community_ids, staff_required

from ..forms import (
    DestroyedForm,
    ElectionDayForm,
    SignaturesForm,
    SpareForm,
    TallySheetForm,
    WithdrawBoxForm,
)
from ..models import (
    Box,
    BoxKind,
    Certification,
    ElectionStatus,
    ElectionWarning,
    TallySheet,
    VoterRollEntry,
    position_label,
)
from ..services import certificates, sheets, voting
from ..services import certification as cert
from ..services.tally import tally
from ._common import RUN, VIEW, act, election_for, kept, refuse
from .entry import _box, _positions, _titled, _titles

RESULT_OPEN = (ElectionStatus.CLOSED, ElectionStatus.CERTIFIED)


def _is_counting_team(request, election) -> bool:
    return election.community_id in community_ids(request.user, RUN)


def _labelled(result: dict) -> dict:
    """The result as the page shows it: each post also carries its page label (Position.label), leaving the stored
    and printed result (docs/formats.md) as it is."""
    return result | {"positions": [p | {"label": position_label(code=p["code"], title=p["title"])}
                                   for p in result["positions"]]}


def _result_for(request, pk):
    """The election whose result the user may see: the counting team always, other staff once closed."""
    election = election_for(request, pk)
    if election.status not in RESULT_OPEN and not _is_counting_team(request, election):
        raise PermissionDenied
    return election


class BoxForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("编号"), max_length=10)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=BoxKind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    issued = forms.IntegerField(label=gettext_lazy("发出选票"), min_value=0, initial=0)
    route = forms.CharField(label=gettext_lazy("路线"), max_length=300, required=False)
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), required=False, widget=DateInput)
    voters = forms.IntegerField(label=gettext_lazy("本箱选民数"), min_value=0, initial=0, required=False)
    over_reason = forms.CharField(label=gettext_lazy("超发说明"), max_length=200, required=False)


class IssueForm(forms.Form):
    box = forms.ModelChoiceField(label=gettext_lazy("票箱"), queryset=Box.objects.none())
    voter = forms.IntegerField(label=gettext_lazy("选民证号"), min_value=1)
    holder = forms.IntegerField(label=gettext_lazy("受托人选民证号（委托投票时）"), min_value=1, required=False)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = election.boxes.all()


@staff_required(roles=RUN)
def boxes(request, pk):
    """Boxes, issuing ballots at the voter-card check, and the entry state of every box."""
    election = election_for(request, pk, run=True)
    back = reverse("elections:boxes", args=[pk])
    if request.method == "POST":
        form = BoxForm(request.POST)
        if not form.is_valid():
            return refuse(request, back, _("请检查票箱信息。"), keep="box")
        data = form.cleaned_data | {"voters": form.cleaned_data["voters"] or 0}
        return act(request, back, lambda: voting.add_box(election=election, **data), _("已添加票箱。"), keep="box")
    return render(request, "elections/counting_boxes.html", {
        "election": election, "form": BoxForm(kept(request, "box")), "rows": voting.box_summary(election=election),
        "issue_form": IssueForm(election=election, initial={"box": request.session.get(f"issue-box-{pk}")}),
        "issued_count": election.issues.count(), "allowed": voting.ballots_allowed(election),
        "issued_total": voting.ballots_issued(election),
        "spare_form": SpareForm(kept(request, "spare"), initial={"spare": election.spare_ballots,
                                                                  "note": election.spare_note}),
        "destroyed_form": DestroyedForm(kept(request, "destroyed")),
        "withdraw_form": WithdrawBoxForm(kept(request, "withdraw_box"), election=election),
        "record": ElectionWarning.objects.filter(election=election),
    })


@staff_required(roles=RUN)
@require_POST
def ballots_act(request, pk, step):
    """Ballot accounting: the spare ballots decided on, the unused ones destroyed, a mistaken box withdrawn."""
    election = election_for(request, pk, run=True)
    back = reverse("elections:boxes", args=[pk])
    forms_by_step = {"spare": SpareForm, "destroyed": DestroyedForm, "withdraw_box": WithdrawBoxForm}
    if step not in forms_by_step:
        raise PermissionDenied
    form = (WithdrawBoxForm(request.POST, election=election) if step == "withdraw_box"
            else forms_by_step[step](request.POST))
    if not form.is_valid():
        return refuse(request, back, _("请完整填写。"), keep=step)
    data = form.cleaned_data
    actions = {
        "spare": (lambda: voting.set_spare_ballots(election=election, spare=data["spare"], note=data["note"],
                                                   user=request.user), _("已登记备用选票数。")),
        "destroyed": (lambda: voting.record_destroyed(election=election, destroyed=data["destroyed"],
                                                      user=request.user), _("已登记剩余选票作废销毁。")),
        "withdraw_box": (lambda: voting.withdraw_box(box=data["box"], reason=data["reason"], user=request.user),
                         _("票箱已撤销。")),
    }
    action, done = actions[step]
    return act(request, back, action, done, keep=step)


@staff_required(roles=RUN)
@require_POST
def issue(request, pk):
    election = election_for(request, pk, run=True)
    form = IssueForm(request.POST, election=election)
    back = reverse("elections:boxes", args=[pk])
    if not form.is_valid():
        messages.error(request, _("请选择票箱并填写选民证号。"))
        return redirect(back)
    # The clerk at a box issues ballot after ballot to the same box: keep it chosen.
    request.session[f"issue-box-{pk}"] = form.cleaned_data["box"].pk

    def do():
        voter = election.roll.filter(serial=form.cleaned_data["voter"]).select_related("resident").first()
        if voter is None:
            raise ValidationError(_("选民证号 %(n)s 不在选民名单中") % {"n": form.cleaned_data["voter"]})
        holder = None
        if form.cleaned_data["holder"]:
            holder = VoterRollEntry.objects.filter(election=election, serial=form.cleaned_data["holder"]).first()
            if holder is None:
                raise ValidationError(_("受托人选民证号 %(n)s 不在选民名单中") % {"n": form.cleaned_data["holder"]})
        return voting.issue_ballot(election=election, box=form.cleaned_data["box"], voter=voter, holder=holder,
                                   user=request.user)

    return act(request, back, do, _("已发放选票。"))


@staff_required(roles=RUN)
@require_POST
def stage(request, pk):
    """Open polling, open counting, or close counting."""
    election = election_for(request, pk, run=True)
    step = request.POST.get("step")
    actions = {
        "polling": (lambda: voting.open_polling(election=election), _("投票开始。")),
        "counting": (lambda: voting.open_counting(election=election), _("开始计票。")),
        "close": (lambda: cert.close_counting(election=election, user=request.user), _("计票结束，票箱已封存。")),
    }
    if step not in actions:
        messages.error(request, _("未知的操作。"))
        return redirect("elections:boxes", pk)
    action, done = actions[step]
    return act(request, reverse("elections:result" if step == "close" else "elections:boxes", args=[pk]),
               action, done)


@staff_required(roles=RUN)
@require_POST
def upload_ballots(request, pk):
    """Machine-read ballots (docs/formats.md, Machine-read ballots), all or nothing."""
    election = election_for(request, pk, run=True)
    upload = request.FILES.get("file")
    back = reverse("elections:boxes", args=[pk])
    if upload is None:
        messages.error(request, _("请选择 CSV 文件。"))
        return redirect(back)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        messages.error(request, _("文件不是 UTF-8 编码的 CSV。"))
        return redirect(back)
    return act(request, back, lambda: sheets.import_ballots(election=election, text=text), _("已导入机读选票。"))


@staff_required(roles=RUN)
def sheet(request, pk, box_pk):
    """A hand-counted tally sheet for a box: refused with the reason unless it reconciles."""
    election = election_for(request, pk, run=True)
    box = _box(election, box_pk)
    positions = _positions(election)
    if request.method == "POST":
        form = TallySheetForm(request.POST, positions=positions)
        try:
            if not form.is_valid():
                raise ValidationError(form_errors(form))
            data = form.cleaned_data
            sheets.enter_tally_sheet(box=box, counts=data["counts"], user=request.user, returned=data["returned"],
                                     valid=data["valid"], invalid=data["invalid"])
        except ValidationError as exc:
            messages_for(request, exc)
            return render(request, "elections/counting_sheet.html", {
                "election": election, "box": box, "positions": positions, "data": request.POST}, status=400)
        messages.success(request, _("计票单已录入，请另一名录入员对照原件核对确认。"))
        return redirect("elections:sheet", pk, box_pk)
    pending = TallySheet.objects.filter(box=box).select_related("entered_by", "confirmed_by").first()
    return render(request, "elections/counting_sheet.html", {
        "election": election, "box": box, "positions": positions, "data": {},
        "pending": pending, "pending_counts": _titled(_titles(positions), pending.counts) if pending else []})


@staff_required(roles=RUN)
@require_POST
def sheet_act(request, pk, box_pk, step):
    """The second clerk confirms the tally sheet against the paper, or sends it back to be entered again."""
    election = election_for(request, pk, run=True)
    box = _box(election, box_pk)
    actions = {
        "confirm": (lambda: sheets.confirm_tally_sheet(box=box, user=request.user), _("计票单已核对，选票已入账。")),
        "discard": (lambda: sheets.discard_tally_sheet(box=box, user=request.user), _("计票单已退回，请重新录入。")),
    }
    if step not in actions:
        raise PermissionDenied
    action, done = actions[step]
    return act(request, reverse("elections:sheet", args=[pk, box_pk]), action, done)


@staff_required(roles=VIEW)
def result(request, pk):
    """The tally; after certification the certified result, its confirmations, corrections and follow-ups."""
    election = _result_for(request, pk)
    certification = Certification.objects.filter(election=election).first()
    certified = certification is not None and certification.certified_at is not None
    return render(request, "elections/result.html", {
        "election": election, "result": _labelled(certification.result if certified else tally(election=election)),
        "certification": certification, "certified": certified, "can_run": _is_counting_team(request, election),
        "corrections": election.corrections.all(), "followups": election.followups.all(),
        "parent": election.parent, "today": timezone.localdate(),
        "signatures": election.signatures.select_related("worker"),
        "signatures_form": SignaturesForm(election=election),
        # A further round or a tie vote is for a valid election with seats left open.
        "seats_open": (certified and certification.result["valid"]
                       and any(p["unfilled"] for p in certification.result["positions"])),
        "record": ElectionWarning.objects.filter(election=election),
        "numbering": certificates.numbering(election=election, result=certification.result) if certified else None,
    })


@staff_required(roles=RUN)
@require_POST
def result_act(request, pk, step):
    """Confirm, publish, correct, schedule a further round or tie vote, hand over."""
    election = election_for(request, pk, run=True)
    back = reverse("elections:result", args=[pk])
    post = request.POST

    def day():
        form = ElectionDayForm(post)
        if not form.is_valid():
            raise ValidationError(form.errors["election_day"])
        return form.cleaned_data["election_day"]

    def sign():
        form = SignaturesForm(post, request.FILES, election=election)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        return cert.record_signatures(election=election, workers=list(form.cleaned_data["workers"]),
                                      scan=form.cleaned_data["scan"], user=request.user)

    actions = {
        "sign": (sign, _("已登记报告单签字。")),
        "confirm": (lambda: cert.confirm(election=election, user=request.user), _("已确认。")),
        "publish": (lambda: cert.publish_result(election=election, user=request.user), _("选举结果已在公开栏公告。")),
        "correct": (lambda: cert.record_correction(election=election, reason=post.get("reason", ""),
                                                   text=post.get("text", ""), user=request.user), _("已登记更正。")),
        "further": (lambda: cert.create_further_round(election=election, election_day=day()), _("已安排另行选举。")),
        "tie": (lambda: cert.create_tie_vote(election=election, election_day=day()), _("已安排再次投票。")),
        "handover": (lambda: cert.hand_over(election=election, user=request.user), _("当选人已移交为新一届居委会。")),
        "handover_list": (lambda: cert.open_handover_list(election=election, user=request.user),
                          _("已建立移交清单，请逐项登记并三方确认。")),
    }
    if step not in actions:
        raise PermissionDenied
    action, done = actions[step]
    return act(request, back, action, done)


def _pdf_context(election, certification):
    certified = certification.certified_at is not None
    result = certification.result if certified else tally(election=election)
    return {"election": election, "result": result, "certification": certification, "certified": certified,
            "issuer": _("%(community)s居民委员会换届选举委员会") % {"community": election.community.name},
            "date": timezone.localdate(certification.certified_at or certification.closed_at),
            "doc_number": certification.doc_number, "text": cert.result_text(election, result),
            "record": list(ElectionWarning.objects.filter(election=election)),
            "signatures": list(election.signatures.select_related("worker"))}


def _certification_for_pdf(request, pk, *, certified: bool):
    """The closed count's record: the result report prints once the count is closed (marked uncertified until
    certified, the paper the scrutineers sign); the winners' notice only once certified."""
    election = _result_for(request, pk)
    certification = Certification.objects.filter(election=election).first()
    if certification is None or (certified and certification.certified_at is None):
        raise PermissionDenied(_("选举结果确认后才能打印") if certified else _("计票结束后才能打印报告单"))
    return election, certification


@staff_required(roles=VIEW)
@paper
def result_pdf(request, pk):
    """选举结果报告单 (docs/commands.md, Stable URLs: /elections/<id>/result.pdf)."""
    election, certification = _certification_for_pdf(request, pk, certified=False)
    context = _pdf_context(election, certification) | {"title": _("选举结果报告单")}
    return pdf_response(render_pdf("elections/pdf/result.html", context), f"result-{election.pk}.pdf")


@staff_required(roles=VIEW)
@paper
def winners_pdf(request, pk):
    """当选公告: the winners' notice, posted on the board and at the venue."""
    election, certification = _certification_for_pdf(request, pk, certified=True)
    context = _pdf_context(election, certification) | {"title": _("选举结果公告")}
    return pdf_response(render_pdf("elections/pdf/winners.html", context), f"winners-{election.pk}.pdf")
