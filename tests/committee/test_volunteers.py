"""Volunteer teams: their roll and weekly schedule, kept on the team page rather than in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from committee.models import VolunteerMember, VolunteerShift, VolunteerTeam
from committee.services import add_shift, add_volunteer, remove_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(community):
    return VolunteerTeam.objects.create(community=community, name="助老服务队", service="上门陪护", leader="葛鸿平")


def page(team):
    return reverse("committee:volunteer_team", args=[team.pk])


def test_it_enrols_a_name_once_per_team(team, community):
    add_volunteer(team=team, name="陈静", phone="13812345678", joined_on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        add_volunteer(team=team, name="陈静")
    assert refused.value.message_dict == {"name": ["陈静 已是助老服务队的志愿者"]}
    other = VolunteerTeam.objects.create(community=community, name="环保服务队")
    add_volunteer(team=other, name="陈静")  # a volunteer may serve in two teams
    assert VolunteerMember.objects.filter(name="陈静").count() == 2


def test_it_refuses_a_shift_that_does_not_end_after_it_starts(team):
    for ends in (datetime.time(8), datetime.time(7, 30)):
        with pytest.raises(ValidationError) as refused:
            add_shift(team=team, weekday=1, starts=datetime.time(8), ends=ends, task="陪护")
        assert refused.value.message_dict == {"ends": ["结束时间须晚于开始时间"]}
    assert not VolunteerShift.objects.exists()
    # The database holds the same rule for any other way in.
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerShift.objects.create(team=team, weekday=1, starts=datetime.time(8), ends=datetime.time(8), task="x")
    shift = add_shift(team=team, weekday=1, starts=datetime.time(8), ends=datetime.time(10), task="陪护", place="3幢")
    assert str(shift) == "周二 08:00-10:00 陪护"


def test_it_shows_the_team_its_volunteers_and_schedule(login, street_staff, team):
    add_volunteer(team=team, name="陈静", phone="13812345678", joined_on=datetime.date(2024, 3, 1))
    add_shift(team=team, weekday=5, starts=datetime.time(14), ends=datetime.time(16), task="读报", place="活动室")
    response = login(street_staff).get(page(team))
    assert response.status_code == 200
    html = response.content.decode()
    assert "助老服务队" in html and "上门陪护" in html and "葛鸿平" in html
    assert "陈静" in html and "138****5678" in html and "13812345678" not in html and "2024-03-01" in html
    assert "周六" in html and "14:00–16:00" in html and "读报" in html and "活动室" in html
    assert reverse("committee:volunteer_schedule_pdf", args=[team.pk]) in html


def test_it_links_each_team_from_the_organisation_page(login, committee_user, team):
    html = login(committee_user).get(reverse("committee:organisation")).content.decode()
    assert f'href="{page(team)}"' in html


def test_it_adds_a_volunteer_from_the_team_page(login, committee_user, team):
    response = login(committee_user).post(page(team), {"action": "volunteer", "name": "王芳", "phone": "13987654321",
                                                       "joined_on": "2024-05-04"}, follow=True)
    assert response.redirect_chain == [(page(team), 302)]
    assert "已添加志愿者" in response.content.decode()
    volunteer = team.volunteers.get()
    assert (volunteer.name, volunteer.phone, volunteer.joined_on) == ("王芳", "13987654321", datetime.date(2024, 5, 4))


def test_it_shows_field_errors_for_a_volunteer_it_cannot_add(login, committee_user, team):
    add_volunteer(team=team, name="王芳")
    client = login(committee_user)
    response = client.post(page(team), {"action": "volunteer", "name": "王芳"})
    assert response.status_code == 200
    assert response.context["volunteer_form"].errors == {"name": ["王芳 已是助老服务队的志愿者"]}
    assert "王芳 已是助老服务队的志愿者" in response.content.decode()
    response = client.post(page(team), {"action": "volunteer", "name": "", "joined_on": "去年"})
    assert set(response.context["volunteer_form"].errors) == {"name", "joined_on"}
    assert team.volunteers.count() == 1


def test_it_adds_a_shift_from_the_team_page(login, committee_user, team):
    response = login(committee_user).post(page(team), {
        "action": "shift", "weekday": "2", "starts": "09:00", "ends": "11:30", "place": "小区广场",
        "task": "垃圾分类督导"}, follow=True)
    assert "已添加排班" in response.content.decode()
    shift = team.shifts.get()
    assert (shift.weekday, shift.starts, shift.ends, shift.place, shift.task) == (
        2, datetime.time(9), datetime.time(11, 30), "小区广场", "垃圾分类督导")


def test_it_tells_the_user_a_shift_must_end_after_it_starts(login, committee_user, team):
    response = login(committee_user).post(page(team), {
        "action": "shift", "weekday": "2", "starts": "11:00", "ends": "09:00", "task": "垃圾分类督导"})
    assert response.status_code == 200
    assert response.context["shift_form"].errors == {"ends": ["结束时间须晚于开始时间"]}
    assert "结束时间须晚于开始时间" in response.content.decode()
    response = login(committee_user).post(page(team), {"action": "shift", "weekday": "7", "starts": "9点",
                                                       "ends": "11:00", "task": ""})
    assert set(response.context["shift_form"].errors) == {"weekday", "starts", "task"}
    assert not team.shifts.exists()


def test_it_removes_a_volunteer(login, committee_user, team):
    stays = add_volunteer(team=team, name="陈静")
    leaves = add_volunteer(team=team, name="王芳")
    response = login(committee_user).post(reverse("committee:volunteer_remove", args=[leaves.pk]), follow=True)
    assert response.redirect_chain == [(page(team), 302)]
    assert "已将王芳移出助老服务队" in response.content.decode()
    assert list(team.volunteers.all()) == [stays]
    assert leaves.history.latest().history_type == "-"  # the audit trail keeps who left


def test_it_hides_another_communitys_team_and_leaves_its_roll_alone(login, other_committee_user, team):
    volunteer = add_volunteer(team=team, name="陈静")
    client = login(other_committee_user)
    assert client.get(page(team)).status_code == 404
    assert client.post(page(team), {"action": "volunteer", "name": "王芳"}).status_code == 404
    assert client.get(reverse("committee:volunteer_schedule_pdf", args=[team.pk])).status_code == 404
    assert client.post(reverse("committee:volunteer_remove", args=[volunteer.pk])).status_code == 404
    assert list(team.volunteers.values_list("name", flat=True)) == ["陈静"]


def test_it_lets_no_one_remove_a_volunteer_by_get(login, committee_user, team):
    volunteer = add_volunteer(team=team, name="陈静")
    assert login(committee_user).get(reverse("committee:volunteer_remove", args=[volunteer.pk])).status_code == 405
    remove_volunteer(volunteer=volunteer)
    assert not team.volunteers.exists()
