"""The dates of the guard tests and the elections they start from (posted, certified)."""

import datetime

from elections.models import ElectionStatus
from elections.services import roll, sheets
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.residents.factories import ResidentFactory

from .. import stages

TODAY = datetime.date(2030, 1, 10)
DAY = datetime.date(2030, 2, 20)  # 41 days ahead: every pre-vote deadline can be met


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def posted_election(community, *, rules=None):
    """An election whose roll and formal candidates are posted, with its counting staff appointed."""
    election = ElectionFactory(community=community, election_day=DAY, positions=True,
                               **({"rules": rules} if rules else {}))
    stages.form_committee(election)
    for _ in range(4):
        ResidentFactory(community=community)
    roll.build_voter_roll(election=election)
    stages.appoint_counting_staff(election)
    return stages.at_stage(election, ElectionStatus.CANDIDATES_POSTED, roll_posted_on=TODAY)


def _certify_small(election):
    """A counted and certified election with one ballot box entered by file."""
    election = stages.at_stage(election, ElectionStatus.COUNTING, ballots_destroyed=0, registered_voters=3,
                               roll_posted_on=election.election_day - days(20))
    CandidateFactory(position=election.positions.get(code="director"), name="甲")
    election.boxes.create(code="C", kind="venue", name="中心会场", issued=2)
    with stages.on(election.election_day, hour=18):
        sheets.import_ballots(election=election, text="box,serial,position,marks,status\nC,1,director,甲,\n"
                                                       "C,2,director,甲,\n")
        stages.certify(election)
    election.refresh_from_db()
    return election


def _certified(community):
    """An election certified today (TODAY), with its handover due three days later."""
    election = ElectionFactory(community=community, election_day=TODAY, positions=True)
    return _certify_small(election)
