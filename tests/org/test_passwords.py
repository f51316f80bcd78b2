"""Users change their own password; street staff reset the password of an account of their street."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory, UserFactory, committee_of, staff_of

pytestmark = pytest.mark.django_db
NEW = "a-new-and-long-passphrase"


def can_log_in(user, password) -> bool:
    return Client().login(username=user.username, password=password)


def test_it_lets_a_user_change_their_own_password(login, committee_user):
    response = login(committee_user).post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "密码已修改" in response.content.decode()
    assert can_log_in(committee_user, NEW) and not can_log_in(committee_user, PASSWORD)


def test_it_refuses_a_password_change_without_the_old_password(login, committee_user):
    response = login(committee_user).post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    assert can_log_in(committee_user, PASSWORD)


def test_it_sends_anonymous_visitors_from_the_password_page_to_the_login(client):
    assert reverse("login") in client.get(reverse("password_change"))["Location"]


def test_it_lets_street_staff_reset_a_clerks_password(login, street_staff, committee_user):
    response = login(street_staff).post(reverse("account_password", args=[committee_user.pk]), {
        "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert committee_user.username in response.content.decode()
    assert can_log_in(committee_user, NEW)


def test_it_lists_only_the_accounts_of_the_staffs_street(login, street_staff, committee_user,
                                                         foreign_street_staff):
    page = login(street_staff).get(reverse("accounts")).content.decode()
    assert committee_user.username in page and foreign_street_staff.username not in page


def test_it_refuses_a_reset_outside_the_street_or_of_an_account_that_serves_elsewhere(
        login, street_staff, foreign_community, community):
    foreign = committee_of(foreign_community)
    both = committee_of(community)
    MembershipFactory(user=both, community=foreign_community)
    superuser = UserFactory(is_superuser=True)
    MembershipFactory(user=superuser, community=community)
    client = login(street_staff)
    for user in (foreign, both, superuser, street_staff):
        response = client.post(reverse("account_password", args=[user.pk]), {"new_password1": NEW,
                                                                              "new_password2": NEW})
        assert response.status_code == 404
        assert can_log_in(get_user_model().objects.get(pk=user.pk), PASSWORD) or user.is_superuser


def test_it_refuses_the_reset_page_to_committee_members(login, committee_user, community):
    colleague = committee_of(community)
    response = login(committee_user).post(reverse("account_password", args=[colleague.pk]), {
        "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 403
    assert can_log_in(colleague, PASSWORD)


def test_it_lets_street_staff_reset_a_colleague_of_the_same_street(login, street, street_staff):
    colleague = staff_of(street)
    login(street_staff).post(reverse("account_password", args=[colleague.pk]), {"new_password1": NEW,
                                                                                 "new_password2": NEW})
    assert can_log_in(colleague, NEW)
