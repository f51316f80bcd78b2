"""A certified election is sealed: its row (status included) is never changed or deleted again.

Three layers, as for the ballots: the model's save and delete, its queryset's update and delete, and the
database itself (a trigger on PostgreSQL; on SQLite one for updates), which also refuses what bypasses the ORM.
"""

import pytest
from django.db import DatabaseError, transaction

from elections.models import Election, ElectionStatus, Sealed
from tests.elections.factories import ElectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(community):
    return ElectionFactory(community=community, venue="社区活动中心", status=ElectionStatus.CERTIFIED)


def test_it_refuses_to_move_a_certified_election_back_by_a_queryset_update(certified):
    with pytest.raises(Sealed):
        Election.objects.filter(pk=certified.pk).update(status=ElectionStatus.COUNTING)
    assert Election.objects.get(pk=certified.pk).status == ElectionStatus.CERTIFIED


def test_it_refuses_to_save_or_delete_a_certified_election(certified):
    certified.status = ElectionStatus.COUNTING
    with pytest.raises(Sealed):
        certified.save()
    with pytest.raises(Sealed):
        certified.delete()
    with pytest.raises(Sealed):
        Election.objects.filter(pk=certified.pk).delete()
    assert Election.objects.get(pk=certified.pk).status == ElectionStatus.CERTIFIED


def test_it_refuses_in_the_database_to_move_a_certified_election_back(certified):
    # The base manager has none of the model's guards: only the database stands in the way here.
    with pytest.raises(DatabaseError, match="sealed|Cannot"), transaction.atomic():
        Election._base_manager.filter(pk=certified.pk).update(status=ElectionStatus.COUNTING)
    with pytest.raises(DatabaseError, match="sealed|Cannot"), transaction.atomic():
        Election._base_manager.filter(pk=certified.pk).update(venue="别处")
    stored = Election.objects.get(pk=certified.pk)
    assert (stored.status, stored.venue) == (ElectionStatus.CERTIFIED, "社区活动中心")


@pytest.mark.postgres_only
def test_it_refuses_in_the_database_to_delete_a_certified_election(certified):
    with pytest.raises(DatabaseError, match="sealed|Cannot"), transaction.atomic():
        Election.objects.filter(pk=certified.pk)._raw_delete(using="default")
    assert Election.objects.filter(pk=certified.pk).exists()


def test_it_still_moves_an_election_through_its_stages_up_to_certification(community):
    election = ElectionFactory(community=community)
    for status in (ElectionStatus.VOTING, ElectionStatus.COUNTING, ElectionStatus.CLOSED, ElectionStatus.CERTIFIED):
        Election.objects.filter(pk=election.pk).update(status=status)
    assert Election.objects.get(pk=election.pk).status == ElectionStatus.CERTIFIED
