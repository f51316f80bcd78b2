"""Polling day, counting and the result (Elections II).

The counting team (street-office staff, who run the election) sees everything; the result stays hidden
from everyone else until the count is closed, after which the community's committee may see it too.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lib.pdf import render_pdf
from org.access import community_ids, staff_required

from ..forms import DestroyedForm, SignaturesForm, SpareForm, WithdrawBoxForm
from ..models import (
    Box,
    BoxKind,
    Certification,
    ElectionStatus,
    ElectionWarning,
    EntryPaper,
    TallySheet,
    VoterRollEntry,
)
from ..services import certification as cert
from ..services import voting
from ..services.tally import tally
from ._common import RUN, VIEW, act, election_for, kept, refuse

RESULT_OPEN = (ElectionStatus.CLOSED, ElectionStatus.CERTIFIED)


def _is_counting_team(request, election) -> bool:
    return election.community_id in community_ids(request.user, RUN)


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
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
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
        return act(request, back, lambda: voting.add_box(election=election, **data), _("已添加票箱。"),
                   election=election, keep="box")
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
    return act(request, back, action, done, election=election, keep=step)


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
               action, done, election=election)


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
    return act(request, back, lambda: voting.import_ballots(election=election, text=text), _("已导入机读选票。"),
               election=election)


def _box(election, box_pk) -> Box:
    return get_object_or_404(Box, election=election, pk=box_pk)


def _titles(positions) -> dict[str, str]:
    """Position code → title, in ballot order (positions as the page has loaded them)."""
    return {p.code: p.title for p in positions}


def _positions(election) -> list:
    return list(election.positions.prefetch_related("candidates").order_by("order", "id"))


def _titled(titles: dict[str, str], marks: dict) -> list[tuple[str, object]]:
    """{position code: names} as (position title, names) in ballot order, as a clerk reads a paper."""
    return [(title, marks[code]) for code, title in titles.items() if code in marks]


def _marks_from(request, positions) -> dict:
    return {p.code: request.POST.getlist(f"p-{p.code}") for p in positions}


def _entry_context(election, box, pass_number, user) -> dict:
    papers = list(EntryPaper.objects.filter(session__box=box, session__pass_number=pass_number)
                  .select_related("clerk").order_by("-serial")[:20])
    positions = _positions(election)
    titles = _titles(positions)
    for each in papers:
        each.titled = _titled(titles, each.marks)
    numbers = voting.candidate_numbers(election)
    # A clerk of the other pass may not enter this one: say so before anything is typed.
    other_pass = voting.entered_other_pass(box=box, pass_number=pass_number, clerk=user)
    return {
        "election": election, "box": box, "pass_number": pass_number, "papers": papers, "other_pass": other_pass,
        "positions": [(p, range(p.seats)) for p in positions],
        "cards": [(p, list(enumerate(numbers[p.code], start=1))) for p in positions],
        "numbers": [{"code": p.code, "title": p.title, "seats": p.seats, "names": numbers[p.code]}
                    for p in positions],
        "next_serial": (papers[0].serial + 1) if papers else 1,
    }


@staff_required(roles=RUN)
def entry(request, pk, box_pk, pass_number):
    """The keyboard-fast page: a paper typed as candidates' numbers (docs/domain.md, Elections: numeric entry),
    saved through htmx so the next paper is ready at once; names may still be typed in the form below it."""
    election = election_for(request, pk, run=True)
    box = _box(election, box_pk)
    if pass_number not in (1, 2):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "elections/counting_entry.html", _entry_context(election, box, pass_number,
                                                                               request.user))
    serial = request.POST.get("serial", "").strip()
    serial = int(serial) if serial.isdigit() else None
    keys = request.POST.get("keys")
    problems, paper = [], None
    try:
        if keys is not None:
            paper = voting.record_keys(box=box, pass_number=pass_number, clerk=request.user, keys=keys, serial=serial)
        else:
            positions = list(election.positions.order_by("order", "id"))
            paper = voting.record_paper(box=box, pass_number=pass_number, clerk=request.user,
                                        marks=_marks_from(request, positions),
                                        spoiled=bool(request.POST.get("spoiled")), serial=serial)
    except ValidationError as exc:
        problems = exc.messages
    if request.htmx:
        # The refused keys stay in the field to be corrected; a saved paper clears it for the next one.
        return render(request, "elections/_entry_area.html", _entry_context(election, box, pass_number, request.user)
                      | {"problems": problems, "saved": paper, "keys": keys if problems else ""})
    for message in problems:
        messages.error(request, message)
    if paper is not None:
        messages.success(request, _("第 %(n)s 张已录入。") % {"n": paper.serial})
    return redirect("elections:entry", pk, box_pk, pass_number)


@staff_required(roles=RUN)
def board_open(request, pk):
    """The counting team opens the public board (唱票板) on the projector: its signed link."""
    election = election_for(request, pk, run=True)
    return redirect("elections:board", voting.board_token(election))


def _board_election(token):
    election = voting.election_for_board(token)
    if election is None:
        raise Http404
    return election


@never_cache
def board(request, token):
    """唱票板: the count as it stands, full screen, for the counting room; public to whoever holds the link."""
    election = _board_election(token)
    return render(request, "elections/board.html", {"election": election, "token": token,
                                                     "count": voting.board_counts(election=election)})


@never_cache
def board_counts(request, token):
    """The board's figures alone, polled every second by the board page."""
    election = _board_election(token)
    return render(request, "elections/_board_counts.html", {"token": token,
                                                             "count": voting.board_counts(election=election)})


@staff_required(roles=RUN)
def compare(request, pk, box_pk):
    """The two passes side by side, paper by paper; commit when they agree."""
    election = election_for(request, pk, run=True)
    box = _box(election, box_pk)
    if request.method == "POST":
        return act(request, reverse("elections:compare", args=[pk, box_pk]),
                   lambda: voting.commit_box(box=box, user=request.user), _("两遍录入一致，选票已入账。"))
    comparison, titles = voting.compare_box(box=box), _titles(election.positions.order_by("order", "id"))
    for difference in comparison["differences"]:
        for each in (difference["first"], difference["second"]):
            if each is not None:
                each.titled = _titled(titles, each.marks)
    return render(request, "elections/counting_compare.html", {
        "election": election, "box": box, "comparison": comparison})


@staff_required(roles=RUN)
def paper(request, pk, paper_pk):
    """Correct one paper of a pass after looking at the ballot again."""
    election = election_for(request, pk, run=True)
    found = get_object_or_404(EntryPaper.objects.select_related("session__box"), pk=paper_pk,
                              session__box__election=election)
    positions = _positions(election)
    if request.method == "POST":
        return act(request, reverse("elections:compare", args=[pk, found.session.box_id]),
                   lambda: voting.correct_paper(paper=found, clerk=request.user,
                                                marks=_marks_from(request, positions),
                                                spoiled=bool(request.POST.get("spoiled"))),
                   _("已修改第 %(n)s 张。") % {"n": found.serial})
    rows = []
    for p in positions:
        names = list(found.marks.get(p.code, []))
        rows.append((p, names + [""] * max(p.seats - len(names), 0)))
    return render(request, "elections/counting_paper.html", {"election": election, "paper": found, "rows": rows})


def _parse_counts(text: str) -> dict[str, int]:
    counts = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, votes = line.replace("，", " ").replace(",", " ").rpartition(" ")
        if not name.strip() or not votes.strip().isdigit():
            raise ValidationError(_("第 %(n)s 行：应为“姓名 票数”") % {"n": number})
        counts[name.strip()] = int(votes)
    return counts


@staff_required(roles=RUN)
def sheet(request, pk, box_pk):
    """A hand-counted tally sheet for a box: refused with the reason unless it reconciles."""
    election = election_for(request, pk, run=True)
    box = _box(election, box_pk)
    positions = _positions(election)
    if request.method == "POST":
        def do():
            numbers = {}
            for key, label in (("returned", _("收回选票")), ("valid", _("有效票")), ("invalid", _("无效票"))):
                value = request.POST.get(key, "").strip()
                if not value.isdigit():
                    raise ValidationError(_("%(label)s：应为非负整数") % {"label": label})
                numbers[key] = int(value)
            counts = {}
            for p in positions:
                try:
                    counts[p.code] = _parse_counts(request.POST.get(f"p-{p.code}", ""))
                except ValidationError as exc:
                    raise ValidationError(_("%(position)s %(problem)s") % {
                        "position": p.title, "problem": exc.messages[0]}) from None
            return voting.enter_tally_sheet(box=box, counts=counts, user=request.user, **numbers)

        try:
            do()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
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
        "confirm": (lambda: voting.confirm_tally_sheet(box=box, user=request.user), _("计票单已核对，选票已入账。")),
        "discard": (lambda: voting.discard_tally_sheet(box=box, user=request.user), _("计票单已退回，请重新录入。")),
    }
    if step not in actions:
        raise PermissionDenied
    action, done = actions[step]
    return act(request, reverse("elections:sheet", args=[pk, box_pk]), action, done, election=election)


@staff_required(roles=VIEW)
def result(request, pk):
    """The tally; after certification the certified result, its confirmations, corrections and follow-ups."""
    election = _result_for(request, pk)
    certification = Certification.objects.filter(election=election).first()
    certified = certification is not None and certification.certified_at is not None
    return render(request, "elections/result.html", {
        "election": election, "result": certification.result if certified else tally(election=election),
        "certification": certification, "certified": certified, "can_run": _is_counting_team(request, election),
        "corrections": election.corrections.all(), "followups": election.followups.all(),
        "parent": election.parent, "today": timezone.localdate(),
        "signatures": election.signatures.select_related("worker"),
        "signatures_form": SignaturesForm(election=election),
        # A further round or a tie vote is for a valid election with seats left open.
        "seats_open": (certified and certification.result["valid"]
                       and any(p["unfilled"] for p in certification.result["positions"])),
        "record": ElectionWarning.objects.filter(election=election),
    })


@staff_required(roles=RUN)
@require_POST
def result_act(request, pk, step):
    """Confirm, publish, correct, schedule a further round or tie vote, hand over."""
    election = election_for(request, pk, run=True)
    back = reverse("elections:result", args=[pk])
    post = request.POST

    def day():
        try:
            return datetime.date.fromisoformat(post.get("election_day", ""))
        except ValueError:
            raise ValidationError(_("请填写日期")) from None

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
    }
    if step not in actions:
        raise PermissionDenied
    action, done = actions[step]
    return act(request, back, action, done, election=election)


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
def result_pdf(request, pk):
    """选举结果报告单 (docs/commands.md, Stable URLs: /elections/<id>/result.pdf)."""
    election, certification = _certification_for_pdf(request, pk, certified=False)
    context = _pdf_context(election, certification) | {"title": _("选举结果报告单")}
    response = HttpResponse(render_pdf("elections/pdf/result.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="result-{election.pk}.pdf"'
    return response


@staff_required(roles=VIEW)
def winners_pdf(request, pk):
    """当选公告: the winners' notice, posted on the board and at the venue."""
    election, certification = _certification_for_pdf(request, pk, certified=True)
    context = _pdf_context(election, certification) | {"title": _("选举结果公告")}
    response = HttpResponse(render_pdf("elections/pdf/winners.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="winners-{election.pk}.pdf"'
    return response
