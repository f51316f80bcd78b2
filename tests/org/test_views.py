import pytest
from django.test import Client
from django.urls import reverse

from org.models import Community

pytestmark = pytest.mark.django_db


def test_it_answers_ok_on_healthz():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_shows_the_public_board_without_login(community):
    response = Client().get("/board/")
    assert response.status_code == 200
    assert community.name in response.content.decode()


def test_it_shows_the_dashboard_to_a_committee_member(login, committee_user, community):
    response = login(committee_user).get("/")
    assert response.status_code == 200
    assert community.name in response.content.decode()


def test_it_switches_to_a_community_of_the_street(login, street_staff, other_community):
    client = login(street_staff)
    response = client.post(reverse("switch_community"), {"community": other_community.code, "next": "/residents/"})
    assert response.status_code == 302
    assert response.url == "/residents/"
    assert client.session["juwei_community"] == other_community.pk


def test_it_refuses_to_switch_to_another_streets_community(login, street_staff, foreign_community):
    response = login(street_staff).post(reverse("switch_community"), {"community": foreign_community.code})
    assert response.status_code == 404


class TestAuditLog:
    def test_it_shows_street_staff_who_changed_what(self, login, street_staff, community):
        client = login(street_staff)
        community.name = "改名社区"
        community._history_user = street_staff
        community.save()
        response = client.get("/audit/", {"model": "org.community"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "改名社区" in body
        assert street_staff.username in body

    def test_it_hides_other_streets_records(self, login, street_staff, foreign_community):
        body = login(street_staff).get("/audit/", {"model": "org.community"}).content.decode()
        assert foreign_community.name not in body

    def test_it_refuses_a_committee_member(self, login, committee_user):
        assert login(committee_user).get("/audit/").status_code == 403

    def test_it_keeps_old_and_new_values(self, community):
        community.name = "新名称"
        community.save()
        record = Community.history.filter(id=community.pk).first()
        change = record.diff_against(record.prev_record).changes[0]
        assert (change.field, change.new) == ("name", "新名称")
