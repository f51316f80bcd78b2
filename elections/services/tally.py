"""The count: turnout, validity, thresholds, winners, ties and warnings (docs/domain.md, Elections: tally;
docs/formats.md, Tally result).

Everything is aggregated in the database: per position one grouped count of marks that leaves out
spoiled ballots and positions marked with more names than seats on a ballot (found by grouping the
position's marks by ballot in a subquery). Python only ranks the few resulting (name, votes) rows.
"""

import math
from fractions import Fraction

from django.db import connection
from django.db.models import Count, Q

from ..models import Ballot, BallotMark, BallotStatus, Election, ElectionKind, Mode, Position

# Committee size (docs/domain.md, Elections: setup and timeline): 5 to 9 members, an odd number.
COMMITTEE_MIN, COMMITTEE_MAX = 5, 9


def as_fraction(value) -> Fraction:
    """A rule-set fraction as the simple fraction it stands for (0.3333 is one third, 0.8 four fifths).

    Rule sets store fractions with 4 decimals; the law speaks of halves, thirds and fifths, and one third
    must not become 0.3333 (which would lower the threshold for 30,000 ballots by one vote).
    """
    return Fraction(value).limit_denominator(100)


def registered_voters(election: Election) -> int:
    """The registered voters: the archive's figure, else the roll; a further round or tie keeps the first's."""
    while election is not None:
        if election.registered_voters is not None:
            return election.registered_voters
        count = election.roll.count()
        if count or election.parent_id is None:
            return count
        election = election.parent
    return 0


def threshold(election: Election, returned: int) -> int:
    """The least number of votes that wins a seat: more than half in round 1, at least a third in round 2."""
    rules = election.rules
    if election.round == 1:
        return math.floor(returned * as_fraction(rules.win_fraction)) + 1
    return max(math.ceil(returned * as_fraction(rules.further_round_fraction)), 1)


def turnout_fraction(election: Election) -> Fraction:
    rules = election.rules
    return as_fraction({
        Mode.DIRECT: rules.turnout_direct,
        Mode.HOUSEHOLD: rules.turnout_household,
        Mode.REPRESENTATIVE: rules.turnout_representative,
    }[election.mode])


def votes_by_position(election: Election, positions: list[Position]) -> dict[int, dict[str, int]]:
    """{position id: {name: votes}} counted in the database."""
    spoiled = Ballot.objects.filter(election=election, status=BallotStatus.SPOILED).values("id")
    counts: dict[int, dict[str, int]] = {}
    for position in positions:
        # COUNT(*) rather than COUNT(id): both queries can then be answered from the covering indexes alone.
        over_marked = (BallotMark.objects.filter(position=position).values("ballot_id")
                       .annotate(n=Count("*")).filter(n__gt=position.seats).values("ballot_id"))
        rows = (BallotMark.objects.filter(position=position)
                .exclude(ballot_id__in=spoiled).exclude(ballot_id__in=over_marked)
                .values_list("name").annotate(votes=Count("*")).order_by())
        counts[position.pk] = dict(rows)
    return counts


BASELINE_SQL = """
    WITH over_marked AS (
        SELECT o.ballot_id, o.position_id
        FROM elections_ballotmark o
        JOIN elections_position op ON op.id = o.position_id
        WHERE op.election_id = %(election)s
        GROUP BY o.ballot_id, o.position_id, op.seats
        HAVING COUNT(*) > op.seats
    )
    SELECT m.position_id, m.name, COUNT(*)
    FROM elections_ballotmark m
    JOIN elections_position p ON p.id = m.position_id
    LEFT JOIN over_marked x ON x.ballot_id = m.ballot_id AND x.position_id = m.position_id
    WHERE p.election_id = %(election)s
      AND x.ballot_id IS NULL
      AND m.ballot_id NOT IN (SELECT b.id FROM elections_ballot b
                              WHERE b.election_id = %(election)s AND b.status = 'spoiled')
    GROUP BY m.position_id, m.name
"""


def tally_baseline_sql(*, election: Election) -> dict[int, dict[str, int]]:
    """The same counts by one hand-written SQL statement: the benchmark's baseline (issue 9)."""
    counts: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, {"election": election.pk})
        for position_id, name, votes in cursor.fetchall():
            counts.setdefault(position_id, {})[name] = votes
    return counts


def rank(*, seats: int, threshold: int, votes: dict[str, int], order: dict[str, int]) -> tuple[list, list, list]:
    """(ranked names, elected, tied): the most votes over the threshold win; a tie at the last seat is left open."""
    ranked = sorted(votes, key=lambda name: (-votes[name], name not in order, order.get(name, 0), name))
    eligible = [name for name in ranked if votes[name] >= threshold]
    if len(eligible) <= seats:
        return ranked, eligible, []
    last = votes[eligible[seats - 1]]
    if votes[eligible[seats]] != last:
        return ranked, eligible[:seats], []
    # Equal votes straddle the last seat: those above are elected, the tied wait for a new vote.
    elected = [name for name in eligible if votes[name] > last]
    tied = [name for name in eligible if votes[name] == last]
    return ranked, elected, tied


def tally(*, election: Election) -> dict:
    """The result of `election` as docs/formats.md (Tally result) describes it. Read-only."""
    positions = list(election.positions.order_by("order", "id"))
    boxes = list(election.boxes.order_by("id").values("id", "code", "issued"))
    per_box = {row["box_id"]: row for row in Ballot.objects.filter(election=election).values("box_id").annotate(
        returned=Count("id"), spoiled=Count("id", filter=Q(status=BallotStatus.SPOILED))).order_by()}
    issued = sum(box["issued"] for box in boxes)
    returned = sum(row["returned"] for row in per_box.values())
    invalid = sum(row["spoiled"] for row in per_box.values())
    voters = registered_voters(election)

    problems = []
    if not voters or Fraction(returned, voters) <= turnout_fraction(election):
        problems.append("turnout_too_low")
    if returned > issued or any(per_box.get(box["id"], {}).get("returned", 0) > box["issued"] for box in boxes):
        problems.append("returned_exceeds_issued")

    candidates = {}
    for c in election.candidates.filter(position__in=positions).values("position_id", "name", "gender",
                                                                        "ballot_order"):
        candidates.setdefault(c["position_id"], {})[c["name"]] = c
    counts = votes_by_position(election, positions)
    seat_threshold = threshold(election, returned)

    result_positions, elected_genders = [], []
    for position in positions:
        known = candidates.get(position.pk, {})
        order = {name: c["ballot_order"] for name, c in known.items()}
        votes = counts.get(position.pk, {})
        ranked, elected, tied = rank(seats=position.seats, threshold=seat_threshold, votes=votes, order=order)
        if problems:
            # An invalid election elects nobody: its votes are reported, and the election is held again.
            elected, tied = [], []
        elected_genders += [known.get(name, {}).get("gender", "") for name in elected]
        result_positions.append({
            "code": position.code, "title": position.title, "seats": position.seats, "threshold": seat_threshold,
            "candidates": [{"name": name, "votes": votes[name], "write_in": name not in known,
                            "elected": name in elected} for name in ranked],
            "elected": elected, "unfilled": position.seats - len(elected), "tied": tied,
        })

    warnings = []
    if elected_genders and "F" not in elected_genders:
        warnings.append("no_woman_elected")
    if election.kind == ElectionKind.MAIN:
        size = sum(position.seats for position in positions)
        if size % 2 == 0:
            warnings.append("committee_size_even")
        if not COMMITTEE_MIN <= size <= COMMITTEE_MAX:
            warnings.append("committee_size_out_of_range")

    return {
        "election": election.pk,
        "registered_voters": voters,
        "ballots_issued": issued,
        "ballots_returned": returned,
        "ballots_valid": returned - invalid,
        "ballots_invalid": invalid,
        "turnout": round(returned / voters, 4) if voters else 0.0,
        "valid": not problems,
        "problems": problems,
        "positions": result_positions,
        "warnings": warnings,
    }
