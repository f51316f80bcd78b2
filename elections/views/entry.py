"""Ballots entered per paper: the keyboard-fast entry page, the two passes compared, a paper corrected, and the
public board (唱票板) read out while they are entered."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lib.web import form_errors, form_messages
from org.access import staff_required

from ..forms import PaperForm
from ..models import (
    Box,
    EntryPaper,
)
from ..services import board as public_board
from ..services import entry as ballot_entry
from ._common import RUN, act, election_for


def _box(election, box_pk) -> Box:
    return get_object_or_404(Box, election=election, pk=box_pk)


def _titles(positions) -> dict[str, str]:
    """Position code → title as the page shows it (Position.label), in ballot order (positions as loaded)."""
    return {p.code: p.label for p in positions}


def _positions(election) -> list:
    return list(election.positions.prefetch_related("candidates").order_by("order", "id"))


def _titled(titles: dict[str, str], marks: dict) -> list[tuple[str, object]]:
    """{position code: names} as (position title, names) in ballot order, as a clerk reads a paper."""
    return [(title, marks[code]) for code, title in titles.items() if code in marks]


def _entry_context(election, box, pass_number, user) -> dict:
    papers = list(EntryPaper.objects.filter(session__box=box, session__pass_number=pass_number)
                  .select_related("clerk").order_by("-serial")[:20])
    positions = _positions(election)
    titles = _titles(positions)
    for each in papers:
        each.titled = _titled(titles, each.marks)
    numbers = ballot_entry.candidate_numbers(election)
    # A clerk of the other pass may not enter this one: say so before anything is typed.
    other_pass = ballot_entry.entered_other_pass(box=box, pass_number=pass_number, clerk=user)
    return {
        "election": election, "box": box, "pass_number": pass_number, "papers": papers, "other_pass": other_pass,
        "positions": [(p, range(p.seats)) for p in positions],
        "cards": [(p, list(enumerate(numbers[p.code], start=1))) for p in positions],
        "numbers": [{"code": p.code, "title": p.label, "seats": p.seats, "names": numbers[p.code]}
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
    # The fast page posts keys and needs no positions; the names form below it posts marks per position.
    positions = [] if "keys" in request.POST else list(election.positions.order_by("order", "id"))
    form = PaperForm(request.POST, positions=positions)
    # What was typed goes back into the field when refused.
    problems, paper, keys = [], None, form.data.get("keys")
    if not form.is_valid():
        problems = form_errors(form)
    else:
        data = form.cleaned_data
        keys = data["keys"]
        try:
            if keys is not None:
                paper = ballot_entry.record_keys(box=box, pass_number=pass_number, clerk=request.user, keys=keys,
                                                 serial=data["serial"])
            else:
                paper = ballot_entry.record_paper(box=box, pass_number=pass_number, clerk=request.user,
                                                  marks=form.marks(), spoiled=data["spoiled"], serial=data["serial"],
                                                  disputed=data["disputed"], issue=data["issue"])
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
    return redirect("elections:board", public_board.board_token(election))


def _board_election(token):
    election = public_board.election_for_board(token)
    if election is None:
        raise Http404
    return election


@never_cache
def board(request, token):
    """唱票板: the count as it stands, full screen, for the counting room; public to whoever holds the link."""
    election = _board_election(token)
    return render(request, "elections/board.html", {"election": election, "token": token,
                                                     "count": public_board.board_counts(election=election)})


@never_cache
def board_counts(request, token):
    """The board's figures alone, polled every second by the board page."""
    election = _board_election(token)
    return render(request, "elections/_board_counts.html", {"token": token,
                                                             "count": public_board.board_counts(election=election)})


@staff_required(roles=RUN)
def compare(request, pk, box_pk):
    """The two passes side by side, paper by paper; commit when they agree."""
    election = election_for(request, pk, run=True)
    box = _box(election, box_pk)
    if request.method == "POST":
        return act(request, reverse("elections:compare", args=[pk, box_pk]),
                   lambda: ballot_entry.commit_box(box=box, user=request.user), _("两遍录入一致，选票已入账。"))
    comparison, titles = ballot_entry.compare_box(box=box), _titles(election.positions.order_by("order", "id"))
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
        back = reverse("elections:compare", args=[pk, found.session.box_id])
        form = PaperForm(request.POST, positions=positions)
        if not form.is_valid():
            form_messages(request, form)
            return redirect(back)
        data = form.cleaned_data
        return act(request, back, lambda: ballot_entry.correct_paper(
            paper=found, clerk=request.user, marks=form.marks(), spoiled=data["spoiled"], disputed=data["disputed"],
            issue=data["issue"]), _("已修改第 %(n)s 张。") % {"n": found.serial})
    rows = []
    for p in positions:
        names = list(found.marks.get(p.code, []))
        rows.append((p, names + [""] * max(p.seats - len(names), 0)))
    return render(request, "elections/counting_paper.html", {"election": election, "paper": found, "rows": rows})
