"""The period of an item and its board day: whole calendar periods that are over, a board day after the period;
a scheduled item withdrawn before its board day with a recorded reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.models import Category, Item, Status

from .factories import ItemFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def draft(community, category, start, end):
    return services.create_item(community=community, category=category, title="公开事项", period_start=start,
                                period_end=end, body="见附表。")


def test_it_refuses_a_monthly_item_for_half_a_year(community):
    with pytest.raises(ValidationError, match="一个自然月") as refused:
        draft(community, Category.FINANCES, datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    assert list(refused.value.message_dict) == ["period_end"]


def test_it_refuses_a_monthly_item_for_a_future_month(community):
    start = datetime.date(TODAY.year + 1, 3, 1)
    with pytest.raises(ValidationError, match="晚于今天"):
        draft(community, Category.FINANCES, start, services.month_end(start))


def test_it_refuses_this_months_accounts_and_this_quarters_report_before_they_end(community):
    start = TODAY.replace(day=1)
    with pytest.raises(ValidationError, match="尚未结束"):
        draft(community, Category.FINANCES, start, services.month_end(start))
    quarter = datetime.date(TODAY.year, (TODAY.month - 1) // 3 * 3 + 1, 1)
    with pytest.raises(ValidationError, match="尚未结束"):
        draft(community, Category.MEETING_DECISIONS, quarter, services.month_end(services.add_months(quarter, 2)))


def test_it_accepts_whole_periods_that_are_over(community):
    assert draft(community, Category.FINANCES, datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)).pk
    assert draft(community, Category.MEETING_DECISIONS, datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)).pk
    assert draft(community, Category.ANNUAL_GOALS, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)).pk
    # A term item announces the term ahead: its period runs into the future.
    assert draft(community, Category.TERM_GOALS, datetime.date(2024, 1, 15), datetime.date(2027, 1, 14)).pk


def test_it_refuses_a_quarter_that_is_not_a_calendar_quarter(community):
    with pytest.raises(ValidationError, match="一个季度"):
        draft(community, Category.MEETING_DECISIONS, datetime.date(2024, 2, 1), datetime.date(2024, 4, 30))


def test_it_refuses_to_schedule_december_for_the_board_of_the_10th_of_december(community, supervision_user):
    item = ItemFactory(community=community, title="2024年12月社区经费收支公开", period_start=datetime.date(2024, 12, 1),
                       period_end=datetime.date(2024, 12, 31))
    services.submit_item(item=item)
    services.sign_item(item=item, user=supervision_user)
    with pytest.raises(ValidationError, match="公开日期 2024-12-10 不在所属期间结束（2024-12-31）之后"):
        services.schedule_item(item=item, today=datetime.date(2024, 12, 2))
    services.schedule_item(item=item, today=datetime.date(2025, 1, 2))
    item.refresh_from_db()
    assert item.scheduled_for == datetime.date(2025, 1, 10)


def test_it_refuses_a_board_day_inside_the_period_in_the_database(community):
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFactory(community=community, scheduled_for=datetime.date(2024, 3, 10))


def test_it_shows_the_period_error_beside_the_field_keeping_what_was_typed(login, community, committee_user):
    response = login(committee_user).post(reverse("disclosure:item_create", args=[community.code]), {
        "category": Category.FINANCES, "title": "2024年上半年经费收支", "period_start": "2024-01-01",
        "period_end": "2024-06-30", "body": "收支见表"})
    page = response.content.decode()
    assert "一个自然月" in page and 'value="2024年上半年经费收支"' in page and "收支见表</textarea>" in page
    assert not Item.objects.exists()


@pytest.fixture
def scheduled(signed):
    return services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))


def test_it_withdraws_a_scheduled_item_before_its_board_day(scheduled, committee_user):
    item = services.withdraw_item(item=scheduled, user=committee_user, reason="收支金额有误，需重新核对",
                                  today=datetime.date(2024, 4, 9))
    assert item.status == Status.DRAFT and item.scheduled_for is None and item.signed_at is None
    assert item.withdrawal_reason == "收支金额有误，需重新核对" and item.withdrawn_by == committee_user
    assert services.publish_due(today=datetime.date(2024, 4, 10)) == []
    assert item.history.first().withdrawal_reason == "收支金额有误，需重新核对"


def test_it_refuses_to_withdraw_on_the_board_day_or_without_a_reason(scheduled, committee_user):
    with pytest.raises(ValidationError, match="已到，不能撤回"):
        services.withdraw_item(item=scheduled, user=committee_user, reason="有误", today=datetime.date(2024, 4, 10))
    with pytest.raises(ValidationError, match="请写明撤回原因"):
        services.withdraw_item(item=scheduled, user=committee_user, reason="  ", today=datetime.date(2024, 4, 9))
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


def test_it_refuses_to_withdraw_a_published_item(published, committee_user):
    with pytest.raises(ValidationError, match="请发布更正"):
        services.withdraw_item(item=published, user=committee_user, reason="有误")


def test_it_withdraws_through_the_page_for_committee_and_street_staff(login, community, committee_user,
                                                                      street_staff, supervision_user):
    for user in (committee_user, street_staff):
        item = ItemFactory(community=community, title=f"{user.pk}年3月收支", status=Status.DRAFT)
        services.submit_item(item=item)
        services.sign_item(item=item, user=supervision_user)
        # Scheduled for a board day still ahead, the way a clerk meets it.
        Item.objects.filter(pk=item.pk).update(status=Status.SCHEDULED,
                                               scheduled_for=TODAY + datetime.timedelta(days=3))
        client = login(user)
        refused = client.post(reverse("disclosure:item_withdraw", args=[item.pk]), {"reason": ""})
        assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
        response = client.post(reverse("disclosure:item_withdraw", args=[item.pk]), {"reason": "金额有误"},
                               follow=True)
        assert "已撤回" in response.content.decode() and "金额有误" in response.content.decode()
        item.refresh_from_db()
        assert item.status == Status.DRAFT and item.withdrawal_reason == "金额有误"


def test_it_keeps_the_reason_typed_when_the_board_day_has_come(login, scheduled, committee_user):
    Item.objects.filter(pk=scheduled.pk).update(scheduled_for=TODAY)
    response = login(committee_user).post(reverse("disclosure:item_withdraw", args=[scheduled.pk]),
                                          {"reason": "金额有误"})
    page = response.content.decode()
    assert response.status_code == 400 and "不能撤回" in page and "金额有误</textarea>" in page


def test_it_shows_the_period_order_in_words_not_the_constraint_name(login, community, committee_user):
    response = login(committee_user).post(reverse("disclosure:item_create", args=[community.code]), {
        "category": Category.FINANCES, "title": "2024年3月收支", "period_start": "2024-03-31",
        "period_end": "2024-03-01", "body": ""})
    page = response.content.decode()
    assert "所属期间的结束日期不能早于开始日期" in page and "disclosure_item_period_ordered" not in page
