"""Several clerks entering the papers of one box at the same moment: none lost, none doubled."""

import threading

import pytest
from django.db import connection, connections

from elections.models import Ballot, EntryPaper
from elections.services import entry, voting
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import UserFactory

from . import stages

CLERKS, PAPERS = 4, 15


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_loses_and_doubles_no_paper_when_clerks_enter_one_box_at_once(community):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer anyway")
    election = ElectionFactory(community=community, positions=True, registered_voters=CLERKS * PAPERS)
    CandidateFactory(position=election.positions.get(code="director"), name="甲")
    box = voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=CLERKS * PAPERS)
    stages.counting(election)
    passes = {1: [UserFactory() for _ in range(CLERKS)], 2: [UserFactory() for _ in range(CLERKS)]}
    start = threading.Barrier(CLERKS * 2)
    errors = []

    def clerk_at_work(pass_number, clerk, number):
        try:
            start.wait()
            for n in range(PAPERS):
                # Every clerk takes the next free serial: the box row lock hands out each number once.
                names = ["甲"] if (number + n) % 3 else [f"另选{number}"]
                entry.record_paper(box=box, pass_number=pass_number, clerk=clerk, marks={"director": names})
        except Exception as error:  # noqa: BLE001 - the failure is reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk_at_work, args=(p, clerk, i))
               for p, clerks in passes.items() for i, clerk in enumerate(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for pass_number in (1, 2):
        serials = sorted(EntryPaper.objects.filter(session__box=box, session__pass_number=pass_number)
                         .values_list("serial", flat=True))
        assert serials == list(range(1, CLERKS * PAPERS + 1))
    assert EntryPaper.objects.filter(session__pass_number=1).count() == CLERKS * PAPERS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_commits_a_box_once_when_two_clerks_press_commit_together(community):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    election = ElectionFactory(community=community, positions=True, registered_voters=3)
    box = voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=3)
    stages.counting(election)
    for pass_number in (1, 2):
        clerk = UserFactory()
        for _ in range(3):
            entry.record_paper(box=box, pass_number=pass_number, clerk=clerk, marks={"director": ["甲"]})
    start = threading.Barrier(2)
    outcomes = []

    def press():
        try:
            start.wait()
            outcomes.append(entry.commit_box(box=box))
        except Exception as error:  # noqa: BLE001
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["3", "ValidationError"]
    assert Ballot.objects.filter(box=box).count() == 3
