import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import default_task_backend

from disclosure import services
from disclosure.models import Category, Item, Status
from tests.factories import supervisor_of

from .factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_to_publish_an_unsigned_item(draft):
    services.submit_item(item=draft)
    with pytest.raises(ValidationError, match="签字"):
        services.schedule_item(item=draft, today=datetime.date(2024, 4, 2))
    # Even forced onto the board, publication checks the signature.
    Item.objects.filter(pk=draft.pk).update(scheduled_for=datetime.date(2024, 4, 10))
    with pytest.raises(ValidationError, match="签字"):
        services.publish_item(item=draft, today=datetime.date(2024, 4, 10))
    assert services.publish_due(today=datetime.date(2024, 4, 10)) == []
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.published_at is None


def test_it_publishes_on_the_10th(signed):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    signed.refresh_from_db()
    assert signed.scheduled_for == datetime.date(2024, 4, 10)
    assert services.publish_due(today=datetime.date(2024, 4, 9)) == []
    signed.refresh_from_db()
    assert signed.status == Status.SCHEDULED
    published = services.publish_due(today=datetime.date(2024, 4, 10))
    assert [i.pk for i in published] == [signed.pk]
    signed.refresh_from_db()
    assert signed.status == Status.PUBLISHED
    assert timezone.localdate(signed.published_at) == datetime.date(2024, 4, 10)
    assert signed.archive_year == 2024


def test_it_queues_the_publication_of_the_10th_in_the_task_worker(signed, settings, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    [queued] = default_task_backend.results
    assert timezone.localtime(queued.task.run_after) == timezone.make_aware(datetime.datetime(2024, 4, 10, 0, 5))
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2024, 4, 10))
    assert queued.task.call() == 1  # what the worker runs at that time
    signed.refresh_from_db()
    assert signed.status == Status.PUBLISHED


def test_it_queues_nothing_where_tasks_run_at_once(signed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    assert len(callbacks) == 1
    assert services.queue_publication(day=datetime.date(2024, 4, 10)) is False


def test_it_puts_an_item_signed_after_the_10th_on_next_months_board(signed):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 11))
    signed.refresh_from_db()
    assert signed.scheduled_for == datetime.date(2024, 5, 10)
    assert services.publish_due(today=datetime.date(2024, 4, 30)) == []
    assert len(services.publish_due(today=datetime.date(2024, 5, 10))) == 1


def test_it_publishes_items_of_longer_cadence_with_that_months_items(community, committee_user, supervision_user):
    monthly = ItemFactory(community=community, title="2023年12月社区经费收支公开",
                          period_start=datetime.date(2023, 12, 1), period_end=datetime.date(2023, 12, 31))
    yearly = ItemFactory(community=community, category=Category.ANNUAL_GOALS, title="2023年度目标完成情况",
                         period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2023, 12, 31))
    for item in (monthly, yearly):
        services.submit_item(item=item)
        services.sign_item(item=item, user=supervision_user)
        services.schedule_item(item=item, today=datetime.date(2024, 1, 3))
    published = services.publish_due(today=datetime.date(2024, 1, 10))
    assert {i.pk for i in published} == {monthly.pk, yearly.pk}
    assert {i.published_at for i in published} == {published[0].published_at}


def test_it_catches_up_when_the_task_missed_the_10th(signed):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    assert len(services.publish_due(today=datetime.date(2024, 4, 12))) == 1


def test_it_lets_only_the_supervision_leader_sign(draft, community):
    services.submit_item(item=draft)
    member = supervisor_of(community, leader=False)
    with pytest.raises(ValidationError, match="组长"):
        services.sign_item(item=draft, user=member)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.signed_at is None


def test_it_records_the_signature_and_its_time(signed, supervision_user):
    signed.refresh_from_db()
    assert signed.status == Status.REVIEWED
    assert signed.signed_by == supervision_user and signed.signed_at is not None
    assert signed.signature_name == supervision_user.username
    assert len(signed.signature_digest) == 64


def test_it_refuses_to_publish_what_changed_after_signing(signed):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    Item.objects.filter(pk=signed.pk).update(body="<p>改过的内容</p>")
    with pytest.raises(ValidationError, match="改动"):
        services.publish_item(item=signed, today=datetime.date(2024, 4, 10))


def test_it_sends_an_item_back_with_comments(draft, supervision_user):
    services.submit_item(item=draft)
    services.return_item(item=draft, user=supervision_user, comments="请列出办公经费明细")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.review_comments == "请列出办公经费明细"
    with pytest.raises(ValidationError):
        services.return_item(item=draft, user=supervision_user, comments="再退一次")


def test_it_files_a_january_item_about_december_under_the_previous_year(community, supervision_user):
    december = ItemFactory(community=community, title="2023年12月经费收支", period_start=datetime.date(2023, 12, 1),
                           period_end=datetime.date(2023, 12, 31))
    january = ItemFactory(community=community, category=Category.MEETING_DECISIONS, title="2024年1月居民会议决定",
                          period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 1, 5))
    for item in (december, january):
        services.submit_item(item=item)
        services.sign_item(item=item, user=supervision_user)
        services.schedule_item(item=item, today=datetime.date(2024, 1, 2))
    services.publish_due(today=datetime.date(2024, 1, 10))
    december.refresh_from_db()
    january.refresh_from_db()
    assert december.published_at.year == 2024 and december.archive_year == 2023
    assert january.archive_year == 2024


def test_it_sanitises_the_body_and_keeps_tables(community):
    item = services.create_item(
        community=community, category=Category.FINANCES, title="3月收支", period_start=datetime.date(2024, 3, 1),
        period_end=datetime.date(2024, 3, 31),
        body='<table onclick="x()"><tr><td colspan="2" style="color:red">合计</td></tr></table>'
             '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">链接</a>')
    assert "<table>" in item.body and '<td colspan="2">合计</td>' in item.body
    for bad in ("script", "onclick", "onerror", "style", "javascript", "<img"):
        assert bad not in item.body


def test_it_refuses_a_body_with_an_id_or_mobile_number(community):
    with pytest.raises(ValidationError, match="身份证号.*手机号"):
        services.create_item(community=community, category=Category.ASSISTANCE, title="低保名单",
                             period_start=datetime.date(2024, 3, 1), period_end=datetime.date(2024, 3, 31),
                             body="<p>张伟 320402198005170011 13812345678</p>")


def test_it_makes_a_correction_a_new_item_pointing_to_the_old_one(published, committee_user):
    correction = services.correct_item(item=published, user=committee_user)
    assert correction.pk != published.pk
    assert correction.corrects == published and correction.status == Status.DRAFT
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_it_refuses_to_correct_an_unpublished_item(draft):
    with pytest.raises(ValidationError):
        services.correct_item(item=draft)


def test_it_publishes_from_the_daily_command(signed, capsys):
    from django.core.management import call_command

    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    call_command("publish_due_items", "--today", "2024-04-09")
    assert "公开 0 项" in capsys.readouterr().out
    call_command("publish_due_items", "--today", "2024-04-10", "--json")
    assert f'"published": [{signed.pk}]' in capsys.readouterr().out
    signed.refresh_from_db()
    assert signed.status == Status.PUBLISHED


def test_it_refuses_to_publish_a_row_whose_digest_was_recomputed_without_the_key(signed):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    signed.refresh_from_db()
    # What someone with write access to the table could do: change the body and recompute a plain digest.
    body = "<p>请点击 http://phish.example 领取补贴</p>"
    plain = "\n".join([signed.category, signed.title, signed.period_start.isoformat(),
                       signed.period_end.isoformat(), body])
    Item.objects.filter(pk=signed.pk).update(body=body, signature_digest=hashlib.sha256(plain.encode()).hexdigest())
    with pytest.raises(ValidationError, match="改动"):
        services.publish_item(item=signed, today=datetime.date(2024, 4, 10))
    assert Item.objects.get(pk=signed.pk).status == Status.SCHEDULED


def test_it_checks_the_signature_with_the_key_it_was_made_with(signed, settings):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    settings.SIGNATURE_KEY = "another-key"
    with pytest.raises(ValidationError, match="改动"):
        services.publish_item(item=signed, today=datetime.date(2024, 4, 10))


def test_it_publishes_a_signed_item_whose_signature_holds(signed):
    services.schedule_item(item=signed, today=datetime.date(2024, 4, 2))
    published = services.publish_item(item=signed, today=datetime.date(2024, 4, 10))
    assert published.status == Status.PUBLISHED
