"""Street staff open accounts, give and end memberships; a password they set is changed at the first login;
every act is on the street's audit page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from org import services
from org.models import AccountAction, AccountEvent, Membership, PasswordChangeDue, Role
from tests.factories import PASSWORD, staff_of
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db
FIRST = "first-pass-given-at-desk"
OWN = "only-the-clerk-knows-this"
TODAY = datetime.date.today()


def create(client, **fields):
    data = {"username": "lixiaohong", "full_name": "李晓红", "role": Role.COMMITTEE, "starts": TODAY.isoformat(),
            "password1": FIRST, "password2": FIRST, **fields}
    return client.post(reverse("account_new"), data)


def test_it_lets_street_staff_open_a_committee_account_that_sees_only_its_community(
        login, street_staff, community, other_community):
    response = create(login(street_staff), community=community.pk)
    user = get_user_model().objects.get(username="lixiaohong")
    assert response["Location"] == reverse("account_detail", args=[user.pk])
    assert user.first_name == "李晓红"
    assert Membership.objects.get(user=user).community == community
    mine, theirs = ResidentFactory(community=community), ResidentFactory(community=other_community)
    clerk = Client()
    assert clerk.login(username="lixiaohong", password=FIRST)
    clerk.post(reverse("password_change"), {"old_password": FIRST, "new_password1": OWN, "new_password2": OWN})
    assert clerk.get(reverse("residents:resident", args=[mine.pk])).status_code == 200
    assert clerk.get(reverse("residents:resident", args=[theirs.pk])).status_code == 404


def test_it_sends_an_account_with_a_given_password_to_change_it_before_any_page(login, street_staff, community):
    create(login(street_staff), community=community.pk)
    clerk = Client()
    clerk.login(username="lixiaohong", password=FIRST)
    response = clerk.get(reverse("dashboard"))
    assert response["Location"] == reverse("password_change")
    assert clerk.get(reverse("password_change")).status_code == 200
    clerk.post(reverse("password_change"), {"old_password": FIRST, "new_password1": OWN, "new_password2": OWN})
    assert not PasswordChangeDue.objects.exists()
    assert clerk.get(reverse("dashboard")).status_code == 200


def test_it_asks_for_a_new_password_after_a_reset_too(login, street_staff, committee_user):
    login(street_staff).post(reverse("account_password", args=[committee_user.pk]), {
        "new_password1": FIRST, "new_password2": FIRST})
    assert PasswordChangeDue.objects.filter(user=committee_user).exists()
    committee_user.refresh_from_db()  # the session carries the new password's hash
    assert login(committee_user).get(reverse("dashboard"))["Location"] == reverse("password_change")
    event = AccountEvent.objects.get(account=committee_user)
    assert event.action == AccountAction.PASSWORD_RESET and event.by == street_staff


def test_it_opens_a_clerk_account_over_the_street(login, street_staff, street):
    create(login(street_staff), username="luru2", role=Role.STREET_STAFF, street=street.pk)
    membership = Membership.objects.get(user__username="luru2")
    assert membership.street == street and membership.community is None


def test_it_refuses_an_account_in_another_streets_community(street_staff, foreign_community, street):
    for fields in ({"role": Role.COMMITTEE, "community": foreign_community},
                   {"role": Role.STREET_STAFF, "street": foreign_community.street}):
        with pytest.raises(ValidationError):
            services.create_account(by=street_staff, street_ids={street.pk}, username="x", full_name="某某",
                                    password=FIRST, starts=TODAY, **fields)
    assert not get_user_model().objects.filter(username="x").exists()


def test_it_offers_only_the_staffs_own_communities_on_the_form(login, street_staff, community, foreign_community):
    response = create(login(street_staff), community=foreign_community.pk)
    assert response.status_code == 200 and response.context["form"].errors["community"]


def test_it_refuses_a_username_already_taken_whatever_its_case(login, street_staff, community, committee_user):
    response = create(login(street_staff), community=community.pk, username=committee_user.username.upper())
    assert "已被使用" in str(response.context["form"].errors["username"])


def test_it_refuses_a_weak_or_mistyped_first_password(login, street_staff, community):
    client = login(street_staff)
    assert create(client, community=community.pk, password1="123", password2="123").context["form"].errors
    assert create(client, community=community.pk, password2="other-pass-phrase").context["form"].errors
    assert not get_user_model().objects.filter(username="lixiaohong").exists()


def test_it_gives_and_ends_a_membership_with_dates(login, street_staff, committee_user, other_community):
    client = login(street_staff)
    client.post(reverse("account_detail", args=[committee_user.pk]), {
        "role": Role.COMMITTEE, "community": other_community.pk, "starts": "2024-01-01", "ends": ""})
    given = Membership.objects.get(user=committee_user, community=other_community)
    assert given.community == other_community and given.starts == datetime.date(2024, 1, 1)
    client.post(reverse("membership_end", args=[given.pk]), {"ends": "2024-06-30"})
    given.refresh_from_db()
    assert given.ends == datetime.date(2024, 6, 30)
    actions = list(AccountEvent.objects.filter(account=committee_user).values_list("action", flat=True))
    assert sorted(actions) == [AccountAction.MEMBERSHIP_ENDED, AccountAction.MEMBERSHIP_GIVEN]


def test_it_refuses_the_same_membership_twice_in_one_period(street_staff, committee_user, community, street):
    with pytest.raises(ValidationError):
        services.give_membership(by=street_staff, street_ids={street.pk}, user=committee_user, role=Role.COMMITTEE,
                                 community=community, starts=TODAY)


def test_it_refuses_an_end_before_the_start_or_of_ones_own_membership(street_staff, committee_user, street):
    membership = Membership.objects.get(user=committee_user)
    with pytest.raises(ValidationError):
        services.end_membership(by=street_staff, street_ids={street.pk}, membership=membership,
                                ends=membership.starts - datetime.timedelta(days=1))
    own = Membership.objects.get(user=street_staff)
    with pytest.raises(PermissionDenied):
        services.end_membership(by=street_staff, street_ids={street.pk}, membership=own, ends=TODAY)


def test_it_hides_another_streets_memberships_and_accounts(login, street_staff, foreign_street_staff):
    client = login(street_staff)
    foreign = Membership.objects.get(user=foreign_street_staff)
    assert client.post(reverse("membership_end", args=[foreign.pk]), {"ends": TODAY.isoformat()}).status_code == 404
    assert client.get(reverse("account_detail", args=[foreign_street_staff.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.ends is None


def test_it_lets_a_colleague_end_a_street_staff_membership(login, street, street_staff):
    colleague = staff_of(street)
    membership = Membership.objects.get(user=colleague)
    login(street_staff).post(reverse("membership_end", args=[membership.pk]), {"ends": TODAY.isoformat()})
    membership.refresh_from_db()
    assert membership.ends == TODAY


def test_it_shows_the_account_acts_on_the_streets_audit_page(login, street_staff, community):
    client = login(street_staff)
    create(client, community=community.pk)
    page = client.get(reverse("audit_log"), {"model": "org.accountevent"}).content.decode()
    assert "lixiaohong" in page and street_staff.username in page


def test_it_refuses_the_account_pages_to_committee_members(login, committee_user, community):
    client = login(committee_user)
    assert create(client, community=community.pk).status_code == 403
    assert client.get(reverse("account_detail", args=[committee_user.pk])).status_code == 403


def test_it_sends_anonymous_visitors_from_the_account_pages_to_the_login(client, committee_user):
    for url in (reverse("account_new"), reverse("account_detail", args=[committee_user.pk])):
        assert reverse("login") in client.get(url)["Location"]


def test_the_initial_password_is_the_only_one_that_logs_in(login, street_staff, community):
    create(login(street_staff), community=community.pk)
    assert not Client().login(username="lixiaohong", password=PASSWORD)


def test_it_keeps_an_account_whose_memberships_all_ended_and_gives_it_a_new_one(login, street_staff, committee_user,
                                                                                  community):
    membership = Membership.objects.get(user=committee_user)
    Membership.objects.filter(pk=membership.pk).update(starts=TODAY - datetime.timedelta(days=30))
    client = login(street_staff)
    client.post(reverse("membership_end", args=[membership.pk]), {"ends": (TODAY - datetime.timedelta(days=1))
                                                                  .isoformat()})
    assert not Membership.objects.active().filter(user=committee_user).exists()
    assert client.get(reverse("account_detail", args=[committee_user.pk])).status_code == 200
    assert committee_user.username in client.get(reverse("accounts")).content.decode()
    client.post(reverse("account_detail", args=[committee_user.pk]), {
        "role": Role.COMMITTEE, "community": community.pk, "starts": TODAY.isoformat(), "ends": ""})
    assert Membership.objects.active().filter(user=committee_user, community=community).exists()


def test_it_leaves_an_ended_account_that_now_serves_another_street_to_that_street(
        login, street_staff, committee_user, foreign_community):
    Membership.objects.filter(user=committee_user).update(starts=TODAY - datetime.timedelta(days=30),
                                                          ends=TODAY - datetime.timedelta(days=1))
    Membership.objects.create(user=committee_user, role=Role.COMMITTEE, community=foreign_community, starts=TODAY)
    assert login(street_staff).get(reverse("account_detail", args=[committee_user.pk])).status_code == 404


def test_it_records_a_password_reset_of_an_account_whose_memberships_all_ended(street_staff, committee_user, street):
    Membership.objects.filter(user=committee_user).update(starts=TODAY - datetime.timedelta(days=30),
                                                          ends=TODAY - datetime.timedelta(days=1))
    services.reset_password(by=street_staff, user=committee_user, street_ids={street.pk}, password=OWN)
    assert AccountEvent.objects.filter(account=committee_user, street=street,
                                       action=AccountAction.PASSWORD_RESET).exists()


def test_it_sends_a_supervision_members_login_to_the_seat_that_names_the_resident(login, street_staff, community,
                                                                                   committee_user):
    client = login(street_staff)
    page = create(client, role=Role.SUPERVISION, community=community.pk).content.decode()
    assert "居务监督小组页面" in page
    assert not get_user_model().objects.filter(username="lixiaohong").exists()
    client.post(reverse("account_detail", args=[committee_user.pk]), {
        "role": Role.SUPERVISION, "community": community.pk, "starts": TODAY.isoformat(), "ends": ""})
    assert not Membership.objects.filter(user=committee_user, role=Role.SUPERVISION).exists()
