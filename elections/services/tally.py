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

from ..models import Ballot, BallotMark, BallotStatus, Certification, Counting, Election, ElectionKind, Mode, Position
from ..strokes import ballot_key
from .disputed import void_by_post
from .setup import LEADER_CODES

# Statuses of ballots that count for nobody: an undecided disputed paper waits for the election committee.
NOT_COUNTED = (BallotStatus.SPOILED, BallotStatus.DISPUTED)


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
    """The least number of votes that wins a seat: more than half in round 1, at least a third in round 2,
    and in a re-vote among tied names simply the most votes (规程: 以得票多的当选), so one vote is enough."""
    rules = election.rules
    if election.kind == ElectionKind.TIE:
        return 1
    if election.round == 1:
        return math.floor(returned * as_fraction(rules.win_fraction)) + 1
    return max(math.ceil(returned * as_fraction(rules.further_round_fraction)), 1)


def turnout_fraction(election: Election) -> Fraction:
    """The share of registered voters that must be exceeded; a further round counts against the first
    round's registered voters whatever the mode (规程第四十条)."""
    rules = election.rules
    if election.kind == ElectionKind.FURTHER:
        return as_fraction(rules.further_round_turnout)
    return as_fraction({
        Mode.DIRECT: rules.turnout_direct,
        Mode.HOUSEHOLD: rules.turnout_household,
        Mode.REPRESENTATIVE: rules.turnout_representative,
    }[election.mode])


def counting_for_nobody(election: Election):
    """Ballots no mark of which counts: the spoiled, and the disputed the election committee has not decided."""
    return Ballot.objects.filter(election=election, status__in=NOT_COUNTED).values("id")


def votes_by_position(election: Election, positions: list[Position]) -> dict[int, dict[str, int]]:
    """{position id: {name: votes}} counted in the database."""
    spoiled = counting_for_nobody(election)
    void = void_by_post(election)
    counts: dict[int, dict[str, int]] = {}
    for position in positions:
        # COUNT(*) rather than COUNT(id): both queries can then be answered from the covering indexes alone.
        over_marked = (BallotMark.objects.filter(position=position).values("ballot_id")
                       .annotate(n=Count("*")).filter(n__gt=position.seats).values("ballot_id"))
        rows = (BallotMark.objects.filter(position=position)
                .exclude(ballot_id__in=spoiled).exclude(ballot_id__in=over_marked)
                .exclude(ballot_id__in=void.get(position.code, []))
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
                              WHERE b.election_id = %(election)s AND b.status IN ('spoiled', 'disputed'))
      {void}
    GROUP BY m.position_id, m.name
"""


def tally_baseline_sql(*, election: Election) -> dict[int, dict[str, int]]:
    """The same counts by one hand-written SQL statement: the benchmark's baseline (issue 9)."""
    counts: dict[int, dict[str, int]] = {}
    # Partly valid disputed papers leave out a post or two (few rows): each excluded by its ballot ids.
    params, void = {"election": election.pk}, []
    for n, (code, ballots) in enumerate(sorted(void_by_post(election).items())):
        params[f"code{n}"] = code
        params |= {f"v{n}_{i}": ballot for i, ballot in enumerate(ballots)}
        listed = ", ".join(f"%(v{n}_{i})s" for i in range(len(ballots)))
        void.append(f"AND NOT (p.code = %(code{n})s AND m.ballot_id IN ({listed}))")
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL.format(void=" ".join(void)), params)
        for position_id, name, votes in cursor.fetchall():
            counts.setdefault(position_id, {})[name] = votes
    return counts


def ordered(votes: dict[str, int], order: dict[str, int]) -> list[str]:
    """Most votes first; equal votes: candidates in ballot order, then write-ins by surname strokes."""
    return sorted(votes, key=lambda name: (-votes[name], name not in order, order.get(name, 0), ballot_key(name)))


def rank(*, seats: int, threshold: int, votes: dict[str, int], order: dict[str, int],
         taken: frozenset = frozenset()) -> tuple[list, list, list]:
    """(ranked names, elected, tied): the most votes over the threshold win; a tie at the last seat is left open.
    Names in `taken` already hold a post and are passed over (nobody, write-ins included, wins two posts)."""
    ranked = ordered(votes, order)
    eligible = [name for name in ranked if votes[name] >= threshold and name not in taken]
    if len(eligible) <= seats:
        return ranked, eligible, []
    last = votes[eligible[seats - 1]]
    if votes[eligible[seats]] != last:
        return ranked, eligible[:seats], []
    # Equal votes straddle the last seat: those above are elected, the tied wait for a new vote.
    elected = [name for name in eligible if votes[name] > last]
    tied = [name for name in eligible if votes[name] == last]
    return ranked, elected, tied


def post_totals(election: Election, positions: list[Position]) -> dict[str, int]:
    """{name: the valid ballots naming it for any post}: a post section void on a ballot (over-marked) does not
    count, and a name on one ballot for two posts counts once (一次性投票, 规程第三十九条（一）)."""
    marks = BallotMark.objects.filter(position__in=positions).exclude(ballot_id__in=counting_for_nobody(election))
    void = void_by_post(election)
    for position in positions:
        over_marked = (BallotMark.objects.filter(position=position).values("ballot_id")
                       .annotate(n=Count("*")).filter(n__gt=position.seats).values("ballot_id"))
        marks = marks.exclude(Q(position=position) & Q(ballot_id__in=over_marked))
        if void.get(position.code):
            marks = marks.exclude(Q(position=position) & Q(ballot_id__in=void[position.code]))
    return dict(marks.values_list("name").annotate(total=Count("ballot_id", distinct=True)).order_by())


def _pick(pool: list[str], seats: int, key) -> tuple[list, list]:
    """(given the post, tied): the best `seats` of `pool` by `key` (pool already in ballot order for equal keys);
    equal keys across the last seat leave it open."""
    pool = sorted(pool, key=key, reverse=True)
    if len(pool) <= seats:
        return pool, []
    last = key(pool[seats - 1])
    if key(pool[seats]) != last:
        return pool[:seats], []
    return [n for n in pool if key(n) > last], [n for n in pool if key(n) == last]


def one_ballot_posts(*, positions: list[Position], counts: dict[int, dict[str, int]], totals: dict[str, int],
                     threshold: int, order: dict[str, int], taken: frozenset = frozenset()) -> dict[int, tuple]:
    """{position id: (given the post, tied)} under 一次性投票 (规程第三十九条): everyone whose total reaches the
    threshold is elected; the director's and deputies' posts go, in that order, to the elected with the most votes
    for the post (at least one; equal post votes: the larger total), the members' seats to the rest by total."""
    remaining = ordered({n: t for n, t in totals.items() if t >= threshold and n not in taken}, order)
    posts = {}
    for position in positions:
        votes = counts.get(position.pk, {})
        if position.code in LEADER_CODES:
            pool = [n for n in remaining if votes.get(n, 0) > 0]
            given, tied = _pick(pool, position.seats, key=lambda n, v=votes: (v.get(n, 0), totals[n]))
        else:
            given, tied = _pick(remaining, position.seats, key=lambda n: totals[n])
        posts[position.pk] = (given, tied)
        remaining = [n for n in remaining if n not in given and n not in tied]
    return posts


def already_elected(election: Election) -> frozenset:
    """Names certified as elected in the elections this one follows (a further round, a re-vote)."""
    names: set[str] = set()
    parent = election.parent
    while parent is not None:
        certification = Certification.objects.filter(election=parent, certified_at__isnull=False).first()
        if certification and certification.result["valid"]:
            names |= {name for p in certification.result["positions"] for name in p["elected"]}
        parent = parent.parent
    return frozenset(names)


def with_director_votes(counts: dict[int, dict[str, int]], positions: list[Position],
                        deputy_candidates: set[str]) -> dict[int, dict[str, int]]:
    """Deputy votes plus the votes the same people received for director (副主任候选人的得票数，应当将其获得主任、
    副主任的票数相加), for the deputy candidates and anyone written in for deputy."""
    by_code = {p.code: p.pk for p in positions}
    if "director" not in by_code or "deputy" not in by_code:
        return counts
    director, deputy = counts.get(by_code["director"], {}), counts.get(by_code["deputy"], {})
    names = set(deputy) | deputy_candidates
    added = {n: deputy.get(n, 0) + director.get(n, 0) for n in names}
    return counts | {by_code["deputy"]: {n: v for n, v in added.items() if v}}


def tally(*, election: Election) -> dict:
    """The result of `election` as docs/formats.md (Tally result) describes it. Read-only."""
    positions = list(election.positions.order_by("order", "id"))
    boxes = list(election.boxes.order_by("id").values("id", "code", "issued"))
    per_box = {row["box_id"]: row for row in Ballot.objects.filter(election=election).values("box_id").annotate(
        returned=Count("id"), spoiled=Count("id", filter=Q(status=BallotStatus.SPOILED)),
        disputed=Count("id", filter=Q(status=BallotStatus.DISPUTED))).order_by()}
    issued = sum(box["issued"] for box in boxes)
    returned = sum(row["returned"] for row in per_box.values())
    invalid = sum(row["spoiled"] for row in per_box.values())
    # Disputed papers not yet decided are neither valid nor invalid (the count cannot close while any is left).
    undecided = sum(row["disputed"] for row in per_box.values())
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
    one_ballot = election.rules.counting == Counting.ONE_BALLOT
    taken = set(already_elected(election))
    totals, posts = {}, {}
    if one_ballot:
        totals = post_totals(election, positions)
        # Equal totals are listed in the ballot order of the post each person stands for.
        anywhere = {name: c["ballot_order"] for known in candidates.values() for name, c in known.items()}
        posts = one_ballot_posts(positions=positions, counts=counts, totals=totals, threshold=seat_threshold,
                                 order=anywhere, taken=frozenset(taken))
    elif election.rules.deputy_adds_director:
        deputy = next((p for p in positions if p.code == "deputy"), None)
        counts = with_director_votes(counts, positions, set(candidates.get(deputy.pk, {})) if deputy else set())
    genders = {name: c["gender"] for known in candidates.values() for name, c in known.items()}

    result_positions, elected_genders = [], []
    for position in positions:
        known = candidates.get(position.pk, {})
        order = {name: c["ballot_order"] for name, c in known.items()}
        votes = counts.get(position.pk, {})
        if one_ballot:
            elected, tied = posts[position.pk]
            # Someone given a member's seat by the total may have no member votes: listed with 0.
            votes = votes | {name: 0 for name in elected if name not in votes}
            ranked = ordered(votes, order)
        else:
            ranked, elected, tied = rank(seats=position.seats, threshold=seat_threshold, votes=votes, order=order,
                                         taken=frozenset(taken))
            taken |= set(elected)
        if problems:
            # An invalid election elects nobody: its votes are reported, and the election is held again.
            elected, tied = [], []
        elected_genders += [genders.get(name, "") for name in elected]
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
        size, rules = sum(position.seats for position in positions), election.rules
        if rules.seats_odd and size % 2 == 0:
            warnings.append("committee_size_even")
        if not rules.seats_min <= size <= rules.seats_max:
            warnings.append("committee_size_out_of_range")

    result = {
        "election": election.pk,
        "registered_voters": voters,
        "ballots_issued": issued,
        "ballots_returned": returned,
        "ballots_valid": returned - invalid - undecided,
        "ballots_invalid": invalid,
        "turnout": round(returned / voters, 4) if voters else 0.0,
        "valid": not problems,
        "problems": problems,
        "positions": result_positions,
        "warnings": warnings,
    }
    if one_ballot:
        result["totals"] = dict(sorted(totals.items(), key=lambda item: (-item[1], ballot_key(item[0]))))
    return result
