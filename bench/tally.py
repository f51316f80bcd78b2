"""tally: the count of the demo's certified election (100,000 ballot papers, 7 seats) by
`elections.services.tally.tally`, against one hand-written SQL aggregate of the same rows
(`tally_baseline_sql`), side by side in this run; the two must agree."""

from elections.models import BallotMark, Election, ElectionStatus
from elections.services.tally import tally, tally_baseline_sql, votes_by_position

from .timing import best_of


def run(*, quick: bool) -> dict:
    election = (Election.objects.filter(status=ElectionStatus.CERTIFIED).select_related("rules")
                .order_by("-id").first())
    if election is None or not election.ballots.exists():
        raise SystemExit("no certified election with ballots: run loaddemo --size street")
    positions = list(election.positions.order_by("order", "id"))
    if votes_by_position(election, positions) != tally_baseline_sql(election=election):
        raise SystemExit("tally and baseline disagree")
    repeat = 3 if quick else 5
    # Interleaved, so both see the same state of the machine and the database's caches.
    baseline = best_of(lambda: tally_baseline_sql(election=election), repeat=repeat)
    seconds = best_of(lambda: tally(election=election), repeat=repeat)
    baseline = min(baseline, best_of(lambda: tally_baseline_sql(election=election), repeat=repeat))
    ratio = seconds / baseline
    return {"value": round(seconds, 3), "unit": "s", "target": 1.0, "baseline": round(baseline, 3),
            "ratio": round(ratio, 2), "ratio_target": 2.0, "ok": seconds <= 1.0 and ratio <= 2.0,
            "ballots": election.ballots.count(), "marks": BallotMark.objects.filter(ballot__election=election).count(),
            "seats": sum(p.seats for p in positions)}
