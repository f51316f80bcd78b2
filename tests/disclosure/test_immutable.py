"""A published item is never changed or deleted: not by views, services, the admin, a bulk update or SQL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from disclosure import services
from disclosure.models import Attachment, Item, PublishedItemImmutable, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _unchanged(item):
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.body, fresh.status) == (item.title, item.body, Status.PUBLISHED)


def test_it_refuses_save_and_delete_on_a_published_item(published):
    published.title = "改过的标题"
    with pytest.raises(PublishedItemImmutable):
        published.save()
    with pytest.raises(PublishedItemImmutable):
        Item.objects.get(pk=published.pk).delete()
    stale = Item(pk=published.pk, community=published.community, category=published.category, title="覆盖",
                 period_start=published.period_start, period_end=published.period_end)
    with pytest.raises(PublishedItemImmutable):
        stale.save()
    assert Item.objects.get(pk=published.pk).title != "覆盖"


def test_it_refuses_bulk_updates_and_deletes(published):
    with pytest.raises(PublishedItemImmutable):
        Item.objects.filter(pk=published.pk).update(title="批量修改")
    with pytest.raises(PublishedItemImmutable):
        Item.objects.all().delete()
    with pytest.raises(PublishedItemImmutable):
        Item.objects.bulk_update([published], ["title"])
    assert Item.objects.filter(pk=published.pk, status=Status.PUBLISHED).exists()


def test_it_refuses_changes_through_the_services(published, committee_user):
    item = Item.objects.get(pk=published.pk)
    with pytest.raises(ValidationError):
        services.update_item(item=item, title="新标题", period_start=item.period_start, period_end=item.period_end,
                             body="<p>新</p>", user=committee_user)
    with pytest.raises(ValidationError):
        services.delete_draft(item=item, user=committee_user)
    with pytest.raises(ValidationError):
        services.submit_item(item=item)
    with pytest.raises(ValidationError):
        services.publish_item(item=item, today=timezone.localdate(item.published_at))
    _unchanged(published)


def test_it_refuses_new_attachments_on_a_published_item(published, tmp_path):
    with pytest.raises(PublishedItemImmutable):
        Attachment(item=published, name="x.pdf", content_type="application/pdf", size=1, file="x.pdf").save()


def test_it_refuses_changes_through_the_views(published, login, committee_user):
    client = login(committee_user)
    edit = client.post(f"/disclosure/items/{published.pk}/edit/", {
        "category": published.category, "title": "改", "period_start": "2024-03-01", "period_end": "2024-03-31",
        "body": "x"})
    assert edit.status_code == 302
    delete = client.post(f"/disclosure/items/{published.pk}/delete/")
    assert delete.status_code == 302
    _unchanged(published)


def test_it_refuses_changes_through_the_admin(published):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = f"/admin/disclosure/item/{published.pk}/change/"
    assert client.get(url).status_code == 200  # view only
    response = client.post(url, {"title": "管理员改的", "community": published.community_id,
                                 "category": published.category, "status": "draft"})
    assert response.status_code == 403
    assert client.post(f"/admin/disclosure/item/{published.pk}/delete/", {"post": "yes"}).status_code == 403
    _unchanged(published)


@pytest.mark.postgres_only
def test_it_refuses_changes_in_the_database(published):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL trigger")
    for sql in ("UPDATE disclosure_item SET title = 'SQL改' WHERE id = %s",
                "DELETE FROM disclosure_item WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [published.pk])
    _unchanged(published)


@pytest.mark.postgres_only
def test_it_lets_the_database_change_unpublished_items(draft):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL trigger")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE disclosure_item SET title = 'SQL改' WHERE id = %s", [draft.pk])
    assert Item.objects.get(pk=draft.pk).title == "SQL改"
