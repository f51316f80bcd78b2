"""A supervision member's login is opened from the seat, checked against the resident record: a resident living
in the community, neither a committee member nor a close relative of one (docs/domain.md, Supervision group)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import SupervisionMember
from org.models import Membership, PasswordChangeDue, Role
from residents.models import Living, Relation
from tests.elections import stages
from tests.factories import committee_of
from tests.residents.factories import HouseholdFactory, ResidentFactory

from .factories import CommitteeMemberFactory, TermFactory

pytestmark = pytest.mark.django_db
FIRST = "first-pass-given-at-desk"
TODAY = datetime.date(2025, 3, 3)


@pytest.fixture
def group(community):
    term = TermFactory(community=community)
    residents = [ResidentFactory(community=community) for _ in range(5)]
    nominees = [services.Nominee(resident=r, is_leader=(i == 0)) for i, r in enumerate(residents)]
    return services.elect_supervision_group(term=term, elected_on=datetime.date(2024, 2, 1), nominees=nominees)


def open_account(street_staff, street, seat, username="jiandu1"):
    return services.open_supervision_account(by=street_staff, street_ids={street.pk}, seat=seat, username=username,
                                             password=FIRST)


def test_it_opens_a_leaders_login_with_a_supervision_membership_to_the_terms_end(group, street_staff, street,
                                                                                 community):
    leader = group.members.get(is_leader=True)
    with stages.on(TODAY):
        user = open_account(street_staff, street, leader)
    leader.refresh_from_db()
    membership = Membership.objects.get(user=user)
    assert leader.user == user and user.first_name == leader.name
    assert (membership.role, membership.community, membership.is_leader) == (Role.SUPERVISION, community, True)
    assert (membership.starts, membership.ends) == (TODAY, datetime.date(2027, 1, 14))
    assert PasswordChangeDue.objects.filter(user=user).exists()
    with stages.on(TODAY), pytest.raises(ValidationError, match="已有登录账户"):
        open_account(street_staff, street, leader, username="jiandu2")


def test_it_refuses_a_member_who_moved_away_or_became_a_committee_members_relative(group, street_staff, street,
                                                                                   community):
    moved, related = group.members.exclude(is_leader=True)[:2]
    moved.resident.living = Living.MOVED
    moved.resident.save()
    household = HouseholdFactory(community=community)
    head = ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="王建国")
    CommitteeMemberFactory(term=group.term, resident=head, name=head.name)
    related.resident.household, related.resident.relation = household, Relation.SPOUSE
    related.resident.save()
    with stages.on(TODAY):
        with pytest.raises(ValidationError, match="不是在本社区居住的居民"):
            open_account(street_staff, street, moved)
        with pytest.raises(ValidationError, match="配偶"):
            open_account(street_staff, street, related, username="jiandu2")
    assert not Membership.objects.filter(role=Role.SUPERVISION).exists()


def test_it_refuses_a_seat_of_a_term_that_has_ended(group, street_staff, street):
    with stages.on(datetime.date(2027, 2, 1)), pytest.raises(ValidationError, match="已届满"):
        open_account(street_staff, street, group.members.first())


def test_it_refuses_another_streets_staff(group, foreign_street_staff):
    street_ids = {m.street_id for m in foreign_street_staff.memberships.all()}
    with stages.on(TODAY), pytest.raises(ValidationError):
        services.open_supervision_account(by=foreign_street_staff, street_ids=street_ids,
                                          seat=group.members.first(), username="jiandu1", password=FIRST)


def test_the_seat_page_opens_the_login_for_street_staff_only(login, group, street_staff, community):
    seat = group.members.get(is_leader=True)
    url = reverse("disclosure:supervision_account", args=[seat.pk])
    data = {"username": "jiandu1", "password1": FIRST, "password2": FIRST}
    Membership.objects.filter(user=street_staff).update(starts=datetime.date(2000, 1, 1))
    committee = committee_of(community)
    Membership.objects.filter(user=committee).update(starts=datetime.date(2000, 1, 1))
    with stages.on(TODAY):
        assert login(committee).post(url, data).status_code == 403
        assert reverse("login") in Client().post(url, data)["Location"]
        page = login(street_staff).get(reverse("disclosure:supervision", args=[community.code])).content.decode()
        assert f'action="{url}"' in page
        login(street_staff).post(url, data)
    seat.refresh_from_db()
    assert seat.user.username == "jiandu1"
    assert SupervisionMember.objects.filter(user__isnull=False).count() == 1
    assert Client().login(username="jiandu1", password=FIRST)


def test_it_hides_another_streets_seat(login, group, foreign_street_staff):
    seat = group.members.first()
    response = login(foreign_street_staff).post(reverse("disclosure:supervision_account", args=[seat.pk]), {
        "username": "jiandu1", "password1": FIRST, "password2": FIRST})
    assert response.status_code == 404
