"""No constraint name ever reaches a clerk: the forms show a constraint's message beside the field (that every
constraint has one: tests/test_constraint_messages.py); dates and amounts that must always hold are constraints
too."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from committee.forms import RegistrationForm, SealForm
from committee.models import Asset, AssetMovement, Decision, MailboxItem
from disclosure.forms import ItemForm
from tests.committee.factories import MailboxFactory, MeetingFactory

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_it_shows_the_period_constraint_beside_the_end_date():
    form = ItemForm({"category": "finances", "title": "3月收支", "period_start": "2024-03-31",
                     "period_end": "2024-03-01", "body": ""})
    assert not form.is_valid()
    assert form.errors["period_end"] == ["所属期间的结束日期不能早于开始日期"]
    assert "disclosure_item_period_ordered" not in str(form.errors)


@pytest.mark.parametrize(("form", "data", "field", "message"), [
    (SealForm, {"used_on": "2024-03-01", "reason": "证明", "user_name": "王建国", "stamped_by": "吴逸芸",
                "copies": "0"}, "copies", "份数至少为1"),
    (RegistrationForm, {"name": "王建国", "phone": "", "how": "phone", "people": "0", "on": "2024-03-01"},
     "people", "人数至少为1"),
])
def test_it_shows_a_committee_constraint_beside_its_field(form, data, field, message):
    bound = form(data)
    assert not bound.is_valid()
    assert message in bound.errors[field] and "_positive" not in str(bound.errors)


def test_it_refuses_a_negative_amount_in_the_database(community):
    asset = Asset.objects.create(community=community, name="折叠椅")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssetMovement.objects.create(asset=asset, kind="written_off", quantity=1, value=Decimal("-100"),
                                     on=datetime.date(2024, 3, 1))


def test_it_refuses_an_answer_before_the_letter_in_the_database(community):
    with pytest.raises(IntegrityError), transaction.atomic():
        MailboxFactory(community=community, received_on=datetime.date(2024, 3, 10), answer="已处理",
                       answered_on=datetime.date(2024, 3, 5), status=MailboxItem.Status.ANSWERED)


def test_it_refuses_a_report_before_the_decision_was_done_in_the_database(community):
    meeting = MeetingFactory(community=community)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(meeting=meeting, text="修车棚", owner="方学全", status="done",
                                done_on=datetime.date(2024, 3, 10), reported_on=datetime.date(2024, 3, 5))
