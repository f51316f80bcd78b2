"""Ballots entered per paper: double entry by two clerks (marks or typed keys), compared paper by paper and
committed as the box's Ballot and BallotMark rows, which the tally counts."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lib.text import listed

from ..models import (
    BallotSource,
    BallotStatus,
    Box,
    Candidate,
    CandidateStatus,
    Election,
    EntryPaper,
    EntrySession,
)
from .archive import write_ballots
from .voting import _lock_box, _require_counting

PASSES_DIFFER = gettext_noop("两遍录入不一致（第 %(serials)s 张），请核对选票后修改")


def _clean_marks(election: Election, marks: dict) -> dict[str, list[str]]:
    """{position code: [names]} with names trimmed, blanks dropped and each name once per position."""
    codes = set(election.positions.values_list("code", flat=True))
    cleaned = {}
    for code, names in (marks or {}).items():
        if code not in codes:
            raise ValidationError(_("职位“%(code)s”不属于本次选举") % {"code": code})
        seen = []
        for name in names:
            name = (name or "").strip()
            if len(name) > 50:
                raise ValidationError(_("姓名“%(name)s…”过长") % {"name": name[:10]})
            if name and name not in seen:
                seen.append(name)
        if seen:
            cleaned[code] = seen
    return cleaned


def _claim_route(box: Box, route: str) -> None:
    """A box's ballots come in by one route only: the first entry fixes it, a committed box refuses all."""
    if box.withdrawn_reason:
        raise ValidationError(_("票箱 %(box)s 已经撤销") % {"box": box.code})
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    if box.route_of_entry and box.route_of_entry != route:
        raise ValidationError(_("票箱 %(box)s 已按“%(used)s”录入，不能再改用“%(route)s”") % {
            "box": box.code, "used": BallotSource(box.route_of_entry).label, "route": BallotSource(route).label})
    if not box.route_of_entry:
        box.route_of_entry = route
        box.save(update_fields=["route_of_entry"])


def entered_other_pass(*, box: Box, pass_number: int, clerk) -> bool:
    """Whether `clerk` typed papers of the box's other pass. Looked up by that pass's session, not by the clerk:
    a clerk of a whole street's count has entered tens of thousands of papers (bench/ballot_entry.py)."""
    other = EntrySession.objects.filter(box=box, pass_number=3 - pass_number).values_list("pk", flat=True).first()
    return other is not None and EntryPaper.objects.filter(session_id=other, clerk=clerk).exists()


@transaction.atomic
def record_paper(*, box: Box, pass_number: int, clerk, marks: dict, spoiled: bool = False,
                 serial: int | None = None, disputed: bool = False, issue: str = "") -> EntryPaper:
    """Enter one ballot paper in pass 1 or 2 of a box; the next serial is allocated when none is given.
    A disputed paper (疑难选票) carries its issue; its marks are kept as read for the election committee."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if pass_number not in (1, 2):
        raise ValidationError(_("录入遍次只能是第1遍或第2遍"))
    issue = _clean_issue(disputed, issue, spoiled)
    _claim_route(box, BallotSource.PAPER)
    if entered_other_pass(box=box, pass_number=pass_number, clerk=clerk):
        raise ValidationError(_("同一票箱的两遍录入须由不同的录入员完成"))
    session, _created = EntrySession.objects.get_or_create(box=box, pass_number=pass_number)
    if serial is None:
        serial = (session.papers.aggregate(m=Max("serial"))["m"] or 0) + 1
    elif serial < 1:
        raise ValidationError(_("选票序号应为正整数"))
    elif session.papers.filter(serial=serial).exists():
        raise ValidationError(_("第%(pass_number)s遍已录入第 %(serial)s 张选票") % {
            "pass_number": pass_number, "serial": serial})
    return EntryPaper.objects.create(session=session, serial=serial, clerk=clerk, spoiled=spoiled, issue=issue,
                                     marks={} if spoiled else _clean_marks(election, marks))


def _clean_issue(disputed: bool, issue: str, spoiled: bool) -> str:
    """The issue of a disputed paper, blank for any other."""
    issue = (issue or "").strip() if disputed else ""
    if disputed and not issue:
        raise ValidationError(_("疑难选票请写明疑难问题"))
    if issue and spoiled:
        raise ValidationError(_("无效票不能同时是疑难选票：请选其一"))
    if len(issue) > 100:
        raise ValidationError(_("疑难问题请用100字以内写明"))
    return issue


def candidate_numbers(election: Election) -> dict[str, list[str]]:
    """{position code: formal candidates' names in ballot order}: a candidate's number (docs/domain.md,
    Elections: numeric entry) is its place in the list, from 1, as printed on the ballot."""
    numbers: dict[str, list[str]] = {code: [] for code in
                                     election.positions.order_by("order", "id").values_list("code", flat=True)}
    for code, name in (Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL)
                       .order_by("ballot_order", "id").values_list("position__code", "name")):
        numbers[code].append(name)
    return numbers


SPOILED_KEY = "*"
BLANK_KEY = "0"
WRITE_IN_KEY = "+"
# Marks as read, then `?` and the issue in a few words: a disputed paper (疑难选票) for the election committee.
DISPUTED_KEY = "?"


def _digits_per_number(names: list[str]) -> int:
    # Up to nine candidates a digit each; a post with ten or more is typed two digits a candidate (01, 12).
    return 1 if len(names) <= 9 else 2


def parse_keys(*, numbers: dict[str, list[str]], titles: dict[str, str], keys: str) -> tuple[dict, bool]:
    """A paper typed as keys (docs/domain.md, Elections: numeric entry) as ({position code: [names]}, spoiled).

    One group per post in ballot order, separated by spaces; a group is the candidates' numbers, `0` for a
    blank post, `+name` for a write-in; fewer groups leave the remaining posts blank; `*` alone is a spoiled
    paper. Over-marked posts are kept as typed: the tally voids them.
    """
    keys = (keys or "").replace("\u3000", " ").replace("＋", WRITE_IN_KEY).strip()
    if keys == SPOILED_KEY:
        return {}, True
    groups, codes = keys.split(), list(numbers)
    if len(groups) > len(codes):
        raise ValidationError(_("输入了 %(typed)s 组，本选票只有 %(posts)s 个职位") % {
            "typed": len(groups), "posts": len(codes)})
    marks: dict[str, list[str]] = {}
    for code, group in zip(codes, groups, strict=False):
        digits, *write_ins = group.split(WRITE_IN_KEY)
        names, width = numbers[code], _digits_per_number(numbers[code])
        if digits == BLANK_KEY and not write_ins:
            continue
        if not digits.isdigit() and digits:
            raise ValidationError(_("%(position)s：“%(group)s”应为候选人编号，另选他人以“+”开头") % {
                "position": titles[code], "group": group})
        if len(digits) % width:
            raise ValidationError(_("%(position)s：候选人编号为两位数，“%(digits)s”位数不对") % {
                "position": titles[code], "digits": digits})
        chosen = []
        for at in range(0, len(digits), width):
            number = int(digits[at:at + width])
            if not 1 <= number <= len(names):
                raise ValidationError(_("%(position)s没有 %(number)s 号候选人（共 %(count)s 名）") % {
                    "position": titles[code], "number": number, "count": len(names)})
            chosen.append(names[number - 1])
        chosen += [name.strip() for name in write_ins if name.strip()]
        if chosen:
            marks[code] = chosen
    return marks, False


@transaction.atomic
def record_keys(*, box: Box, pass_number: int, clerk, keys: str, serial: int | None = None) -> EntryPaper:
    """Enter one paper typed as keys (see parse_keys; `?issue` after them makes it disputed), through
    record_paper and all its guards."""
    election = box.election
    keys, disputed, issue = (keys or "").replace("？", DISPUTED_KEY).partition(DISPUTED_KEY)
    if disputed and not issue.strip():
        raise ValidationError(_("疑难选票请在“?”后写明疑难问题，如“12 ?主任栏符号不清”"))
    marks, spoiled = parse_keys(numbers=candidate_numbers(election), keys=keys, titles=dict(
        election.positions.values_list("code", "title")))
    return record_paper(box=box, pass_number=pass_number, clerk=clerk, marks=marks, spoiled=spoiled, serial=serial,
                        disputed=bool(disputed), issue=issue)


@transaction.atomic
def correct_paper(*, paper: EntryPaper, clerk, marks: dict, spoiled: bool = False, disputed: bool = False,
                  issue: str = "") -> EntryPaper:
    """Re-enter a paper of one pass after looking at the ballot again (only a clerk of that pass may)."""
    box = _lock_box(paper.session.box)
    _require_counting(box.election)
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    if entered_other_pass(box=box, pass_number=paper.session.pass_number, clerk=clerk):
        raise ValidationError(_("录入员不能修改另一遍的录入"))
    paper.issue = _clean_issue(disputed, issue, spoiled)
    paper.spoiled = spoiled
    paper.marks = {} if spoiled else _clean_marks(box.election, marks)
    paper.clerk = clerk
    paper.save()
    return paper


def _as_comparable(paper: EntryPaper | None):
    if paper is None:
        return None
    # Two clerks word a disputed paper's issue each their own way: only whether it is disputed must agree.
    return (paper.spoiled, bool(paper.issue),
            tuple(sorted((code, tuple(sorted(names))) for code, names in paper.marks.items())))


def compare_box(*, box: Box) -> dict:
    """The two passes of a box side by side: every serial where they differ, and whether they agree."""
    papers = {1: {}, 2: {}}
    for paper in EntryPaper.objects.filter(session__box=box).select_related("session", "clerk"):
        papers[paper.session.pass_number][paper.serial] = paper
    differences = []
    for serial in sorted(set(papers[1]) | set(papers[2])):
        first, second = papers[1].get(serial), papers[2].get(serial)
        if _as_comparable(first) != _as_comparable(second):
            differences.append({"serial": serial, "first": first, "second": second})
    return {
        "first": len(papers[1]), "second": len(papers[2]), "differences": differences,
        "agree": bool(papers[1]) and not differences,
    }


@transaction.atomic
def commit_box(*, box: Box, user=None) -> int:
    """Both passes agree: the papers become the box's ballots. Returns the number of ballots."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if box.entered:
        raise ValidationError(_("票箱 %(box)s 的选票已经确认入账") % {"box": box.code})
    comparison = compare_box(box=box)
    if not comparison["first"] or not comparison["second"]:
        raise ValidationError(_("每个票箱须由两名录入员各录入一遍"))
    if not comparison["agree"]:
        serials = listed((d["serial"] for d in comparison["differences"][:10]), sentence=PASSES_DIFFER)
        raise ValidationError(_(PASSES_DIFFER) % {"serials": serials})
    papers = EntryPaper.objects.filter(session__box=box, session__pass_number=1).order_by("serial")
    second = dict(EntryPaper.objects.filter(session__box=box, session__pass_number=2).exclude(issue="")
                  .values_list("serial", "issue"))
    ballots = []
    for p in papers:
        ballot = {"box": box.code, "serial": p.serial, "status": BallotStatus.SPOILED if p.spoiled else "",
                  "marks": p.marks}
        if p.issue:
            # Both clerks' words go to the committee when they differ.
            issue = p.issue if second.get(p.serial, p.issue) == p.issue else f"{p.issue}；{second[p.serial]}"
            ballot |= {"status": BallotStatus.DISPUTED, "disputed": {"issue": issue[:100]}}
        ballots.append(ballot)
    return _commit(election=election, box=box, ballots=ballots, source=BallotSource.PAPER)


def _commit(*, election: Election, box: Box | None, ballots: list[dict], source: str) -> int:
    positions = {p.code: p for p in election.positions.all()}
    candidates = {(c.position_id, c.name): c.pk for c in election.candidates.all()}
    boxes = {b.code: b for b in election.boxes.all()}
    count = write_ballots(election=election, ballots=ballots, boxes=boxes, positions=positions,
                          candidates=candidates, source=source)
    codes = {b["box"] for b in ballots} | ({box.code} if box else set())
    Box.objects.filter(election=election, code__in=codes).update(entered=True)
    return count
