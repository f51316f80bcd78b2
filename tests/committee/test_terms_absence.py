"""A member absent from the committee's work a month or more without leave (自动离职): the absence register
and the automatic end of the seat (docs/domain.md, Term's life)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee.models import Leaving, MemberAbsence
from committee.services.terms import record_absence
from org.models import Membership
from tests.elections import stages
from tests.factories import supervisor_of

from .factories import MemberFactory, TermFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def seat(community):
    return MemberFactory(term=TermFactory(community=community, starts=D(2024, 1, 1)), name="葛鸿平")


def test_it_ends_the_seat_the_day_an_absence_without_leave_reaches_a_month(seat):
    with stages.on(D(2024, 5, 10)):
        record_absence(member=seat, starts=D(2024, 3, 1), ends=D(2024, 4, 15), with_leave=False, reason="不到岗")
    seat.refresh_from_db()
    assert (seat.ends, seat.left_how) == (D(2024, 3, 31), Leaving.ABSENT)
    assert "2024-03-01" in seat.left_note


def test_it_keeps_a_member_absent_a_day_short_of_a_month_or_on_leave(seat):
    with stages.on(D(2024, 5, 10)):
        record_absence(member=seat, starts=D(2024, 3, 1), ends=D(2024, 3, 30), with_leave=False, reason="")
        record_absence(member=seat, starts=D(2024, 4, 1), ends=D(2024, 5, 5), with_leave=True, reason="病假")
    seat.refresh_from_db()
    assert seat.ends is None and MemberAbsence.objects.filter(member=seat).count() == 2


def test_it_counts_absences_without_leave_that_follow_each_other_as_one(seat):
    with stages.on(D(2024, 5, 10)):
        record_absence(member=seat, starts=D(2024, 3, 11), ends=D(2024, 3, 31), with_leave=False, reason="")
        seat.refresh_from_db()
        assert seat.ends is None
        record_absence(member=seat, starts=D(2024, 3, 1), ends=D(2024, 3, 10), with_leave=False, reason="")
    seat.refresh_from_db()
    assert (seat.ends, seat.left_how) == (D(2024, 3, 31), Leaving.ABSENT)


def test_it_does_not_join_absences_with_a_day_of_work_or_leave_between(seat):
    with stages.on(D(2024, 6, 10)):
        record_absence(member=seat, starts=D(2024, 3, 1), ends=D(2024, 3, 20), with_leave=False, reason="")
        record_absence(member=seat, starts=D(2024, 3, 21), ends=D(2024, 3, 21), with_leave=True, reason="事假")
        record_absence(member=seat, starts=D(2024, 3, 22), ends=D(2024, 4, 15), with_leave=False, reason="")
        record_absence(member=seat, starts=D(2024, 4, 17), ends=D(2024, 5, 10), with_leave=False, reason="")
    seat.refresh_from_db()
    assert seat.ends is None


def test_it_refuses_a_future_overlapping_reversed_or_pre_seat_absence(seat):
    with stages.on(D(2024, 5, 10)):
        record_absence(member=seat, starts=D(2024, 3, 1), ends=D(2024, 3, 5), with_leave=True, reason="病假")
        with pytest.raises(ValidationError, match="晚于今天"):
            record_absence(member=seat, starts=D(2024, 5, 1), ends=D(2024, 5, 20), with_leave=False, reason="")
        with pytest.raises(ValidationError, match="已登记"):
            record_absence(member=seat, starts=D(2024, 3, 5), ends=D(2024, 3, 8), with_leave=False, reason="")
        with pytest.raises(ValidationError, match="早于"):
            record_absence(member=seat, starts=D(2024, 4, 8), ends=D(2024, 4, 1), with_leave=False, reason="")
        with pytest.raises(ValidationError, match="早于"):
            record_absence(member=seat, starts=D(2023, 12, 1), ends=D(2024, 1, 5), with_leave=False, reason="")
    assert MemberAbsence.objects.filter(member=seat).count() == 1


def test_it_refuses_an_absence_of_a_member_who_has_left(seat):
    with stages.on(D(2024, 6, 10)):
        record_absence(member=seat, starts=D(2024, 3, 1), ends=D(2024, 4, 1), with_leave=False, reason="")
        with pytest.raises(ValidationError, match="已于"):
            record_absence(member=seat, starts=D(2024, 5, 1), ends=D(2024, 5, 3), with_leave=True, reason="")


def test_it_records_an_absence_through_the_member_page(login, seat, committee_user):
    Membership.objects.filter(user=committee_user).update(starts=D(2000, 1, 1))
    client = login(committee_user)
    url = reverse("committee:member_absence", args=[seat.pk])
    with stages.on(D(2024, 5, 10)):
        client.post(url, {"starts": "2024-03-01", "ends": "2024-04-02", "reason": "无故不到岗"})
        page = client.get(reverse("committee:member", args=[seat.pk])).content.decode()
    assert "自动离职" in page and "无故不到岗" in page
    seat.refresh_from_db()
    assert seat.left_how == Leaving.ABSENT


def test_it_refuses_the_absence_register_to_supervision_and_anonymous(login, client, seat, community):
    url = reverse("committee:member_absence", args=[seat.pk])
    data = {"starts": "2024-03-01", "ends": "2024-04-02", "reason": ""}
    assert login(supervisor_of(community)).post(url, data).status_code == 403
    assert reverse("login") in client.post(url, data)["Location"]
    assert not MemberAbsence.objects.exists()


def test_it_hides_another_communitys_member_from_the_absence_register(login, seat, other_committee_user):
    url = reverse("committee:member_absence", args=[seat.pk])
    assert login(other_committee_user).post(url, {"starts": "2024-03-01", "ends": "2024-03-02"}).status_code == 404
