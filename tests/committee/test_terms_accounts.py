"""A committee member's login opened from the seat: only for a member who lives in the community (the seat's
resident record), and its membership ends with the seat."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from committee.services.terms import resign
from org.models import Membership, PasswordChangeDue, Role
from residents.models import Living
from tests.elections.stages import on
from tests.residents.factories import ResidentFactory

from .factories import MemberFactory, TermFactory

pytestmark = pytest.mark.django_db
FIRST = "first-pass-given-at-desk"


@pytest.fixture
def seat(community):
    resident = ResidentFactory(community=community, name="方学全")
    return MemberFactory(term=TermFactory(community=community, starts=datetime.date(2024, 1, 1)), name="方学全",
                         resident=resident)


def open_account(client, seat, username="fangxq"):
    return client.post(reverse("committee:member_account", args=[seat.pk]), {"username": username,
                                                                            "password1": FIRST}, follow=True)


def test_it_opens_the_login_of_a_member_living_in_the_community(login, seat, street_staff, community):
    response = open_account(login(street_staff), seat)
    assert "已开设登录账户" in response.content.decode()
    seat.refresh_from_db()
    user = get_user_model().objects.get(username="fangxq")
    assert seat.user == user and user.first_name == "方学全"
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.community) == (Role.COMMITTEE, community)
    assert PasswordChangeDue.objects.filter(user=user).exists()
    assert Client().login(username="fangxq", password=FIRST)


def test_it_refuses_a_member_without_a_resident_record_or_who_moved_out(login, seat, street_staff):
    client = login(street_staff)
    seat.resident.living = Living.MOVED
    seat.resident.save()
    assert "不是在本社区居住的居民" in open_account(client, seat).content.decode()
    seat.resident = None
    seat.save()
    assert "没有关联居民档案" in open_account(client, seat).content.decode()
    assert not get_user_model().objects.filter(username="fangxq").exists()


def test_it_refuses_the_account_to_the_committee_itself(login, seat, committee_user):
    assert open_account(login(committee_user), seat).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(client, seat):
    assert reverse("login") in client.post(reverse("committee:member_account", args=[seat.pk]))["Location"]


def test_it_ends_the_logins_membership_when_the_member_resigns(login, seat, street_staff):
    open_account(login(street_staff), seat)
    user = get_user_model().objects.get(username="fangxq")
    today = datetime.date.today()
    with on(today):
        resign(member=seat, letter_on=today, approved_on=today)
    assert Membership.objects.get(user=user).ends == today
    assert not Membership.objects.active(today + datetime.timedelta(days=1)).filter(user=user).exists()
