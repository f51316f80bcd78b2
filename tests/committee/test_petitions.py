import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee.models import Composition, Petition, PetitionStatus
from committee.services.due import due_this_week
from committee.services.meetings import plan_meeting
from committee.services.petitions import add_signature, count_petition
from tests.residents.factories import RepresentativeFactory, ResidentFactory

from .factories import at

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_it_makes_a_meeting_due_when_a_fifth_of_adults_sign(community):
    people = [ResidentFactory(community=community) for _ in range(10)]
    petition = Petition.objects.create(community=community, composition=Composition.ADULTS, subject="讨论停车收费")
    signed = add_signature(petition=petition, resident=people[0], on=TODAY)
    count = signed.value
    assert (count.signatures, count.base, count.needed, count.reached) == (1, 10, 2, False)
    assert signed.warnings == ()
    assert due_this_week(community_ids=[community.pk], today=TODAY).meetings_due == []
    signed = add_signature(petition=petition, resident=people[1], on=TODAY)
    assert signed.value.reached and signed.warnings == ("签名已达法定人数，应及时召开居民会议",)
    petition.refresh_from_db()
    assert (petition.status, petition.reached_on) == (PetitionStatus.DUE, TODAY)
    due = due_this_week(community_ids=[community.pk], today=TODAY).meetings_due
    assert len(due) == 1 and "讨论停车收费" in due[0].text and due[0].due == TODAY + datetime.timedelta(days=15)
    meeting = plan_meeting(community=community, kind="residents", composition=Composition.ADULTS, title="居民会议",
                           agenda="停车收费", place="广场", starts=at(TODAY + datetime.timedelta(days=5)),
                           petition=petition)
    petition.refresh_from_db()
    assert (petition.status, petition.meeting) == (PetitionStatus.CALLED, meeting)
    assert due_this_week(community_ids=[community.pk], today=TODAY).meetings_due == []


@pytest.mark.django_db
def test_it_counts_households_once_against_a_fifth_of_households(community):
    heads = [ResidentFactory(community=community) for _ in range(5)]
    spouse = ResidentFactory(community=community, household=heads[0].household, relation="spouse")
    petition = Petition.objects.create(community=community, composition=Composition.HOUSEHOLDS, subject="议题")
    add_signature(petition=petition, resident=spouse, on=TODAY)
    count = add_signature(petition=petition, resident=heads[0], on=TODAY).value
    assert (count.signatures, count.base, count.needed, count.reached) == (1, 5, 1, True)


@pytest.mark.django_db
def test_it_counts_representatives_against_a_third_and_refuses_others(community):
    reps = [RepresentativeFactory(resident=ResidentFactory(community=community)).resident for _ in range(7)]
    petition = Petition.objects.create(community=community, composition=Composition.REPRESENTATIVES, subject="议题")
    with pytest.raises(ValidationError, match="不是现任居民代表"):
        add_signature(petition=petition, resident=ResidentFactory(community=community), on=TODAY)
    add_signature(petition=petition, resident=reps[0], on=TODAY)
    add_signature(petition=petition, resident=reps[1], on=TODAY)
    assert not count_petition(petition, on=TODAY).reached  # 2 of 7 is less than a third
    assert add_signature(petition=petition, resident=reps[2], on=TODAY).value.reached
    with pytest.raises(ValidationError, match="已签名"):
        add_signature(petition=petition, resident=reps[2], on=TODAY)
