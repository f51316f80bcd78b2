import datetime

import pytest

from residents.models import Living, RepresentativeEnd, RepresentativeKind
from residents.services import adults, current_representatives

from .factories import RepresentativeFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_it_counts_as_adults_only_residents_living_here_who_are_18_on_the_day(community):
    on = datetime.date(2024, 6, 1)
    adult = ResidentFactory(community=community, birth_date=datetime.date(2006, 6, 1))
    ResidentFactory(community=community, birth_date=datetime.date(2006, 6, 2))  # 18 the day after
    ResidentFactory(community=community, living=Living.AWAY)
    ResidentFactory(community=community, living=Living.DECEASED)
    ResidentFactory()  # another community
    assert list(adults(community=community, on=on)) == [adult]


def test_it_lists_representatives_whose_term_runs_on_the_day(community):
    on = datetime.date(2025, 3, 1)
    elected = RepresentativeFactory(resident=ResidentFactory(community=community))
    ex_officio = RepresentativeFactory(resident=ResidentFactory(community=community),
                                       kind=RepresentativeKind.EX_OFFICIO)
    RepresentativeFactory(resident=ResidentFactory(community=community), ends=datetime.date(2025, 3, 1),
                          ended_by=RepresentativeEnd.REPLACED)
    RepresentativeFactory(resident=ResidentFactory(community=community), starts=datetime.date(2025, 3, 2))
    RepresentativeFactory()
    assert set(current_representatives(community=community, on=on)) == {elected.resident, ex_officio.resident}


def test_the_dashboard_lists_overdue_representatives_and_unvisited_hardship_households(community, committee_user,
                                                                                       supervision_user):
    from residents.dashboard import todos
    from residents.models import CareRecord, Label, ResidentLabel

    RepresentativeFactory(resident=ResidentFactory(community=community), starts=datetime.date(2020, 1, 1))
    head = ResidentFactory(community=community)
    ResidentLabel.objects.create(resident=head, label=Label.HARDSHIP)
    texts = [t.text for t in todos(user=committee_user, communities=[community])]
    assert "1 名居民代表任期已满三年，需由居民小组改选" in texts
    assert todos(user=supervision_user, communities=[community]) == []
    from residents.services.households import spring_festival_unvisited

    on = datetime.date(2025, 1, 10)
    assert list(spring_festival_unvisited(community_ids=[community.pk], on=on)) == [head.household]
    CareRecord.objects.create(community=community, household=head.household, on=datetime.date(2024, 12, 20))
    assert not spring_festival_unvisited(community_ids=[community.pk], on=on).exists()
