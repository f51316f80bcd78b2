"""voter_roll: build the roll of one 10,000-resident community inside the 100,000-resident street
(`elections.services.roll.build_voter_roll`), for a new election made for the run and rolled back."""

from django.db import transaction

from elections.services.roll import build_voter_roll

from ._data import community, new_election
from .timing import best_of


def run(*, quick: bool) -> dict:
    place = community(2)
    with transaction.atomic():
        election = new_election(place)
        report = {}

        def build():
            report.update(build_voter_roll(election=election))

        seconds = best_of(build, repeat=2 if quick else 3)
        transaction.set_rollback(True)
    return {"value": round(seconds, 3), "unit": "s", "target": 1.0, "ok": seconds <= 1.0,
            "residents": place.residents.count(), "voters": report["registered"]}
