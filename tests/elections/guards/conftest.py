"""Fixtures of the guard tests: today frozen at TODAY, an election with its committee, two counting boxes."""

import pytest

from elections.models import BoxKind
from elections.services import voting
from tests.elections.factories import CandidateFactory, ElectionFactory

from .. import stages
from .common import DAY, TODAY, posted_election


@pytest.fixture(autouse=True)
def _today():
    with stages.on(TODAY):
        yield


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, election_day=DAY, positions=True)
    stages.form_committee(election)
    return election


@pytest.fixture
def counting_two_boxes(community):
    election = posted_election(community)
    voting.set_spare_ballots(election=election, spare=10, note="决定")
    paper = voting.add_box(election=election, code="P", kind=BoxKind.VENUE, name="中心会场", issued=3)
    sheet = voting.add_box(election=election, code="S", kind=BoxKind.STATION, name="投票站", issued=3)
    CandidateFactory(position=election.positions.get(code="director"), name="甲")
    stages.counting(election)
    with stages.on(DAY, hour=17):
        yield election, paper, sheet
