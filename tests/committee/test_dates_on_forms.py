"""Impossible dates and amounts refused through the pages: the message beside the field, naming it, with what was
typed still in the form; the same entries with possible dates go through."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import Asset, AssetMovement, Decision, MailboxItem, Meeting, SealUse
from tests.committee.factories import MailboxFactory, MeetingFactory, at

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def held(community):
    """A staff meeting held three days ago, attendance open, minutes not yet written."""
    return MeetingFactory(community=community, kind="staff", status="open",
                          starts=at(TODAY - datetime.timedelta(days=3)))


def field_error(page: str, message: str) -> bool:
    return '<ul class="errorlist"' in page and f"<li>{message}</li>" in page


def written(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_it_refuses_minutes_dated_before_their_meeting(login, committee_user, held):
    client = login(committee_user)
    early = TODAY - datetime.timedelta(days=8)
    response = client.post(reverse("committee:meeting_minutes", args=[held.pk]), {
        "chair": "吴逸芸", "recorder": "方学全", "minutes": "讨论车棚修缮。", "on": early.isoformat()})
    page = response.content.decode()
    assert response.status_code == 400
    assert field_error(page, f"记录日期 {written(early)} 早于会议日期 {written(TODAY - datetime.timedelta(days=3))}")
    assert "讨论车棚修缮。</textarea>" in page
    held.refresh_from_db()
    assert held.status == "open" and held.minutes == ""
    response = client.post(reverse("committee:meeting_minutes", args=[held.pk]), {
        "chair": "吴逸芸", "recorder": "方学全", "minutes": "讨论车棚修缮。", "on": TODAY.isoformat()})
    assert response.status_code == 302 and Meeting.objects.get(pk=held.pk).status == "closed"


def test_it_refuses_a_decision_due_before_the_meeting_that_took_it(login, committee_user, held):
    client = login(committee_user)
    early = TODAY - datetime.timedelta(days=10)
    response = client.post(reverse("committee:decision_add", args=[held.pk]),
                           {"text": "修车棚", "owner": "方学全", "due": early.isoformat()})
    page = response.content.decode()
    assert response.status_code == 400 and field_error(
        page, f"完成期限 {written(early)} 早于会议日期 {written(TODAY - datetime.timedelta(days=3))}")
    assert "修车棚</textarea>" in page and not Decision.objects.exists()
    client.post(reverse("committee:decision_add", args=[held.pk]),
                {"text": "修车棚", "owner": "方学全", "due": TODAY.isoformat()})
    assert Decision.objects.get().due == TODAY


def test_it_refuses_a_seal_use_dated_next_year(login, committee_user):
    client = login(committee_user)
    next_year = TODAY.replace(year=TODAY.year + 1, day=1)
    data = {"used_on": next_year.isoformat(), "reason": "出具居住证明", "user_name": "王建国", "user_address": "",
            "stamped_by": "吴逸芸", "copies": "1"}
    response = client.post(reverse("committee:seal"), data)
    page = response.content.decode()
    assert response.status_code == 200 and field_error(
        page, f"使用日期 {written(next_year)} 晚于今天（{written(TODAY)}）：不能登记尚未发生的日期")
    assert 'value="出具居住证明"' in page and not SealUse.objects.exists()
    assert client.post(reverse("committee:seal"), {**data, "used_on": TODAY.isoformat()}).status_code == 302
    assert SealUse.objects.get().used_on == TODAY


def test_it_refuses_a_write_off_of_minus_100_yuan(login, committee_user, community):
    chairs = Asset.objects.create(community=community, name="折叠椅")
    AssetMovement.objects.create(asset=chairs, kind="bought", quantity=5, on=TODAY)
    client = login(committee_user)
    data = {"action": "movement", "asset": chairs.pk, "kind": "written_off", "quantity": "1", "value": "-100",
            "on": TODAY.isoformat(), "source": "损坏"}
    page = client.post(reverse("committee:assets"), data).content.decode()
    assert field_error(page, "金额（元）不能为负数（-100）") and 'value="损坏"' in page
    assert chairs.movements.count() == 1
    assert client.post(reverse("committee:assets"), {**data, "value": "0"}).status_code == 302
    assert chairs.movements.count() == 2


def test_it_refuses_an_answer_dated_before_the_letter(login, committee_user, community):
    item = MailboxFactory(community=community, received_on=TODAY)
    client = login(committee_user)
    early = TODAY - datetime.timedelta(days=2)
    response = client.post(reverse("committee:mailbox_item", args=[item.pk]),
                           {"answer": "已联系物业", "by": "吴逸芸", "on": early.isoformat()})
    page = response.content.decode()
    assert response.status_code == 400 and field_error(page, f"答复日期 {written(early)} 早于收到日期 {written(TODAY)}")
    assert "已联系物业</textarea>" in page
    assert MailboxItem.objects.get(pk=item.pk).status == "open"
    client.post(reverse("committee:mailbox_item", args=[item.pk]),
                {"answer": "已联系物业", "by": "吴逸芸", "on": TODAY.isoformat()})
    assert MailboxItem.objects.get(pk=item.pk).status == "answered"
