"""The public board (唱票板): its signed link and the count as it stands, in tally marks."""

from collections import Counter

from django.core import signing

from ..models import (
    Ballot,
    BallotStatus,
    Election,
    ElectionStatus,
    EntryPaper,
)
from .entry import candidate_numbers
from .tally import votes_by_position

BOARD_SALT = "elections.board"
BOARD_MAX_AGE = 3 * 24 * 3600  # a token outlives election night, not the term
BOARD_OPEN = (ElectionStatus.COUNTING, ElectionStatus.CLOSED)
TALLY_STROKES = ["", "一", "丅", "下", "止"]


def board_token(election: Election) -> str:
    """The signed link of the public board (唱票板) the counting team opens on the projector."""
    return signing.dumps(election.pk, salt=BOARD_SALT)


def election_for_board(token: str) -> Election | None:
    """The election a board token names, while its count is open or just closed; None otherwise."""
    try:
        pk = signing.loads(token, salt=BOARD_SALT, max_age=BOARD_MAX_AGE)
    except signing.BadSignature:
        return None
    return Election.objects.filter(pk=pk, status__in=BOARD_OPEN).select_related("community").first()


def tally_marks(votes: int) -> str:
    """Votes written as the counting room writes them on the blackboard: a 正 for every five."""
    return "正" * (votes // 5) + TALLY_STROKES[votes % 5]


def board_counts(*, election: Election) -> dict:
    """The count as it stands (docs/domain.md, Elections: the public board): per post each formal
    candidate's votes and the write-ins, from the committed ballots and the first pass of the boxes still being
    entered (the pass called out aloud). Spoiled papers and over-marked posts count for nobody. Names of
    candidates and write-ins only: nothing about who voted."""
    positions = list(election.positions.order_by("order", "id"))
    committed = votes_by_position(election, positions)
    counts = {p.code: Counter(committed.get(p.pk, {})) for p in positions}
    seats = {p.code: p.seats for p in positions}
    papers = Ballot.objects.filter(election=election).count()
    spoiled = Ballot.objects.filter(election=election, status=BallotStatus.SPOILED).count()
    live = EntryPaper.objects.filter(session__box__election=election, session__box__entered=False,
                                     session__box__withdrawn_reason="", session__pass_number=1)
    for is_spoiled, issue, marks in live.values_list("spoiled", "issue", "marks"):
        papers += 1
        if is_spoiled:
            spoiled += 1
            continue
        if issue:  # a disputed paper counts for nobody until the election committee decides it
            continue
        for code, names in marks.items():
            if code in counts and len(names) <= seats[code]:
                counts[code].update(names)
    numbers = candidate_numbers(election)
    rows = []
    for p in positions:
        names = numbers[p.code]
        rows.append({
            "code": p.code, "title": p.title, "label": p.label, "seats": p.seats,
            "candidates": [{"number": n, "name": name, "votes": counts[p.code][name],
                            "marks": tally_marks(counts[p.code][name])} for n, name in enumerate(names, start=1)],
            "write_ins": sorted(((name, votes) for name, votes in counts[p.code].items() if name not in names),
                                key=lambda item: (-item[1], item[0])),
        })
    return {"papers": papers, "spoiled": spoiled, "positions": rows,
            "closed": election.status != ElectionStatus.COUNTING}
