"""The daily registers' rules: activity sign-up closing, the asset ledger, its year-end count and handover list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committee.models import Asset, AssetCount, AssetMovement, Registration
from committee.rules import ACTIVITY_REGISTRATION_DAYS
from committee.services.registers import (
    assets_on_hand,
    create_activity,
    discrepancies,
    handover_list,
    headcount,
    on_hand,
    record_movement,
    register,
    year_end_count,
)

from .factories import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 15)


def bought(asset, quantity, on, kind=AssetMovement.Kind.BOUGHT):
    return record_movement(asset=asset, kind=kind, quantity=quantity, on=on, value=0, source="街道拨付")


def written_off(asset, quantity, on, source="损坏"):
    return record_movement(asset=asset, kind=AssetMovement.Kind.WRITTEN_OFF, quantity=quantity, on=on, source=source)


@pytest.fixture
def chairs(community):
    return Asset.objects.create(community=community, name="折叠椅", unit="把", location="活动室")


@pytest.fixture
def outing(community):
    return create_activity(community=community, title="春季郊游", body="采摘草莓", starts=at(DAY), place="居委会门口",
                           capacity=10)


# Activities ----------------------------------------------------------------------------------------------


def test_it_closes_activity_registration_two_days_ahead(outing):
    assert ACTIVITY_REGISTRATION_DAYS == 2
    assert outing.registration_closes == DAY - datetime.timedelta(days=2)


def test_it_accepts_a_registration_up_to_the_closing_day_and_refuses_one_after(outing):
    register(activity=outing, name="陈静", phone="13800000001", how="phone", people=3,
             on=DAY - datetime.timedelta(days=5))
    register(activity=outing, name="王芳", phone="", how="in_person", people=2, on=outing.registration_closes)
    with pytest.raises(ValidationError, match="报名已于2024-06-13截止"):
        register(activity=outing, name="李强", phone="13800000003", how="phone", people=1,
                 on=outing.registration_closes + datetime.timedelta(days=1))
    assert list(outing.registrations.values_list("name", flat=True)) == ["陈静", "王芳"]
    assert headcount(outing) == 5


def test_it_says_only_when_registration_closed_for_an_activity_with_its_own_closing_day(community):
    outing = create_activity(community=community, title="秋季登山", body="登山", starts=at(DAY), place="居委会门口",
                             registration_closes=DAY - datetime.timedelta(days=5))
    with pytest.raises(ValidationError) as refused:
        register(activity=outing, name="李强", phone="13800000003", how="phone", people=1,
                 on=DAY - datetime.timedelta(days=4))
    assert refused.value.messages == ["报名已于2024-06-10截止"]
    assert not outing.registrations.exists()


def test_it_refuses_registrations_beyond_the_places_and_counts_people_not_names(outing):
    on = DAY - datetime.timedelta(days=3)
    register(activity=outing, name="陈静", phone="1", how="phone", people=8, on=on)
    with pytest.raises(ValidationError, match="名额已满：共10人，已报名8人"):
        register(activity=outing, name="王芳", phone="2", how="phone", people=3, on=on)
    register(activity=outing, name="王芳", phone="2", how="phone", people=2, on=on)
    assert headcount(outing) == 10


def test_it_refuses_a_late_registration_through_the_activity_page(login, committee_user, outing):
    response = login(committee_user).post(reverse("committee:activity", args=[outing.pk]), {
        "name": "李强", "phone": "13800000003", "how": "phone", "people": 2,
        "on": (DAY - datetime.timedelta(days=1)).isoformat()}, follow=True)
    assert "报名已于2024-06-13截止" in response.content.decode()
    assert not Registration.objects.exists()
    response = login(committee_user).post(reverse("committee:activity", args=[outing.pk]), {
        "name": "李强", "phone": "13800000003", "how": "phone", "people": 2,
        "on": (DAY - datetime.timedelta(days=2)).isoformat()}, follow=True)
    assert response.context["headcount"] == 2 and "共 2 人" in response.content.decode()


# Asset ledger --------------------------------------------------------------------------------------------


def test_it_reduces_what_is_on_hand_by_a_write_off(community, chairs):
    bought(chairs, 12, DAY)
    written_off(chairs, 5, DAY + datetime.timedelta(days=30))
    assert on_hand(chairs, on=DAY) == 12
    assert on_hand(chairs, on=DAY + datetime.timedelta(days=30)) == 7
    listed = {a.name: a.on_hand for a in assets_on_hand(community=community, on=DAY + datetime.timedelta(days=30))}
    assert listed == {"折叠椅": 7}


def test_it_refuses_to_write_off_more_than_is_on_hand(chairs):
    bought(chairs, 3, DAY)
    with pytest.raises(ValidationError) as refused:
        written_off(chairs, 4, DAY)
    assert refused.value.message_dict == {"quantity": ["折叠椅 账面仅有3把，不能报损4把"]}
    with pytest.raises(ValidationError):  # not yet bought on the day before
        written_off(chairs, 1, DAY - datetime.timedelta(days=1))
    assert AssetMovement.objects.filter(kind=AssetMovement.Kind.WRITTEN_OFF).count() == 0
    assert on_hand(chairs, on=DAY) == 3


def test_it_refuses_a_back_dated_write_off_that_a_later_write_off_already_took(chairs):
    bought(chairs, 5, DAY)
    written_off(chairs, 4, DAY + datetime.timedelta(days=20))
    with pytest.raises(ValidationError, match="此后账面最少仅有1把，不能报损2把"):
        written_off(chairs, 2, DAY + datetime.timedelta(days=10))
    written_off(chairs, 1, DAY + datetime.timedelta(days=10))
    assert on_hand(chairs, on=DAY + datetime.timedelta(days=20)) == 0


def test_it_refuses_a_back_dated_write_off_even_when_a_later_purchase_refills_the_ledger(chairs):
    # Bought again after the later write-off: the days between still hold only 1.
    bought(chairs, 5, DAY)
    written_off(chairs, 4, DAY + datetime.timedelta(days=20))
    bought(chairs, 10, DAY + datetime.timedelta(days=25))
    with pytest.raises(ValidationError, match="此后账面最少仅有1把"):
        written_off(chairs, 3, DAY + datetime.timedelta(days=10))


def test_it_needs_a_reason_to_write_off(chairs):
    bought(chairs, 3, DAY)
    with pytest.raises(ValidationError) as refused:
        written_off(chairs, 1, DAY, source=" ")
    assert "source" in refused.value.message_dict


def test_it_refuses_an_over_write_off_on_the_assets_page(login, committee_user, chairs):
    bought(chairs, 2, DAY)
    response = login(committee_user).post(reverse("committee:assets"), {
        "action": "movement", "asset": chairs.pk, "kind": "written_off", "quantity": 3, "value": "0",
        "on": DAY.isoformat(), "source": "损坏"}, follow=True)
    assert "折叠椅 账面仅有2把，不能报损3把" in response.content.decode()
    assert on_hand(chairs, on=DAY) == 2


# Year-end count ------------------------------------------------------------------------------------------


def test_it_reconciles_a_count_that_finds_what_the_books_say(community, chairs):
    desk = Asset.objects.create(community=community, name="办公桌", unit="张")
    bought(chairs, 12, datetime.date(2024, 3, 1))
    bought(desk, 2, datetime.date(2024, 3, 1))
    bought(chairs, 6, datetime.date(2025, 1, 5))  # next year's: not on the 2024 books
    count = year_end_count(community=community, year=2024, found={chairs.pk: 12, desk.pk: 2}, counted_by="方学全",
                           on=datetime.date(2024, 12, 30))
    assert {(line.asset.name, line.booked, line.found) for line in count.lines.all()} == {
        ("折叠椅", 12, 12), ("办公桌", 2, 2)}
    assert discrepancies(count) == []


def test_it_shows_the_difference_of_each_asset_that_does_not_reconcile(community, chairs):
    desk = Asset.objects.create(community=community, name="办公桌", unit="张")
    kettle = Asset.objects.create(community=community, name="电水壶", unit="个")
    bought(chairs, 12, datetime.date(2024, 3, 1))
    bought(desk, 2, datetime.date(2024, 3, 1))
    bought(kettle, 1, datetime.date(2024, 3, 1))
    count = year_end_count(community=community, year=2024, found={chairs.pk: 10, kettle.pk: 2}, counted_by="方学全",
                           on=datetime.date(2024, 12, 30))
    found = {(d.asset.name, d.booked, d.found, d.difference) for d in discrepancies(count)}
    assert found == {("折叠椅", 12, 10, -2), ("电水壶", 1, 2, 1)}  # the desk, not entered, counts as booked


def test_it_counts_a_year_once_and_refuses_negative_findings(community, chairs):
    bought(chairs, 1, datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="实有数量不能为负数"):
        year_end_count(community=community, year=2024, found={chairs.pk: -1}, counted_by="方学全", on=DAY)
    year_end_count(community=community, year=2024, found={}, counted_by="方学全", on=datetime.date(2025, 1, 5))
    with pytest.raises(ValidationError, match="2024年度已清点"):
        year_end_count(community=community, year=2024, found={}, counted_by="方学全", on=datetime.date(2025, 1, 5))
    assert AssetCount.objects.count() == 1


def test_it_shows_the_counts_differences_on_the_assets_page(login, committee_user, community, chairs):
    today = timezone.localdate()
    year = today.year if today.month == 12 else today.year - 1
    bought(chairs, 12, datetime.date(year, 3, 1))
    client = login(committee_user)
    client.post(reverse("committee:assets"), {"action": "count", f"found_{chairs.pk}": "9", "counted_by": "方学全"})
    page = client.get(reverse("committee:assets")).content.decode()
    assert "帐物不符" in page and "折叠椅 账面12、实有9（-3把）" in page
    count = AssetCount.objects.get(community=community, year=year)
    assert [(d.booked, d.found) for d in discrepancies(count)] == [(12, 9)]


def test_it_refuses_a_count_with_a_crafted_field_and_says_what_is_wrong(login, committee_user, other_community,
                                                                        chairs):
    elsewhere = Asset.objects.create(community=other_community, name="办公桌", unit="张")
    client = login(committee_user)
    for field, value in (("found_x", "1"), (f"found_{elsewhere.pk}", "1"), ("found_", "1"),
                         (f"found_{chairs.pk}", "x"), (f"found_{chairs.pk}", "²"), (f"found_{chairs.pk}", "1.5")):
        response = client.post(reverse("committee:assets"), {"action": "count", field: value, "counted_by": "方学全"},
                               follow=True)
        assert response.status_code == 200
        messages = [str(m) for m in response.context["messages"]]
        assert messages and ("不属于本社区台账" in messages[0] or "折叠椅 的实有数量应为整数" in messages[0])
    assert not AssetCount.objects.exists()
    client.post(reverse("committee:assets"), {"action": "count", f"found_{chairs.pk}": "", "counted_by": "方学全"})
    assert AssetCount.objects.filter(community=chairs.community).count() == 1


def test_it_refuses_a_year_end_count_without_who_counted(login, committee_user, community, chairs):
    with pytest.raises(ValidationError, match="须填写清点人"):
        year_end_count(community=community, year=2024, found={}, counted_by="  ", on=DAY)
    response = login(committee_user).post(reverse("committee:assets"), {"action": "count", f"found_{chairs.pk}": "0"},
                                          follow=True)
    assert "须填写清点人" in response.content.decode()
    assert not AssetCount.objects.exists()


# Handover list -------------------------------------------------------------------------------------------


def test_it_lists_for_handover_only_what_is_on_hand_on_the_day(community, other_community, chairs):
    desk = Asset.objects.create(community=community, name="办公桌", unit="张")
    broken = Asset.objects.create(community=community, name="旧投影仪", unit="台")
    later = Asset.objects.create(community=community, name="电水壶", unit="个")
    elsewhere = Asset.objects.create(community=other_community, name="折叠椅", unit="把")
    bought(chairs, 12, DAY)
    written_off(chairs, 2, DAY)
    bought(desk, 2, DAY, kind=AssetMovement.Kind.DONATED)
    bought(broken, 1, DAY)
    written_off(broken, 1, DAY)
    bought(later, 1, DAY + datetime.timedelta(days=1))
    bought(elsewhere, 40, DAY)
    assert [(a.name, a.on_hand) for a in handover_list(community=community, on=DAY)] == [("办公桌", 2), ("折叠椅", 10)]
    assert [a.name for a in handover_list(community=community, on=DAY - datetime.timedelta(days=1))] == []


def test_it_links_the_handover_list_of_the_day_shown_from_the_assets_page(login, committee_user):
    html = login(committee_user).get(reverse("committee:assets"), {"on": "2024-06-15"}).content.decode()
    assert f'href="{reverse("committee:asset_handover_pdf")}?on=2024-06-15"' in html
