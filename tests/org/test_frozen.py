"""The one immutability mechanism (org/frozen.py): each frozen model's declaration builds every guard."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from disclosure.models import Attachment, Item, PublishedItemImmutable, Status
from elections.models import Box, Certification, ElectionWarning, Sealed
from elections.services.archive import import_election
from org.frozen import FrozenModel, triggers_for
from tests.disclosure.conftest import a_published_item
from tests.disclosure.factories import ItemFactory
from tests.elections.archives import small_archive, votes
from tests.elections.factories import ElectionFactory
from tests.elections.stages import certify

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified():
    election = import_election(small_archive(ballots=votes({"director": {"甲": 7}}, 8), registered=12))
    certify(election)
    return election


def test_it_builds_every_database_trigger_of_the_project_from_a_freeze():
    for model in apps.get_models():
        names = {t.name for t in getattr(model._meta, "triggers", [])}
        expected = {t.name for t in triggers_for(model)} if issubclass(model, FrozenModel) else set()
        assert names == expected, model


def test_it_refuses_a_raw_update_of_a_published_item_on_either_database(community):
    item = a_published_item(community, title="公开")
    with pytest.raises(DatabaseError, match="published_item_final|Cannot"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE disclosure_item SET title = 'SQL改' WHERE id = %s", [item.pk])


@pytest.mark.postgres_only
def test_it_refuses_a_raw_change_of_a_published_items_attachment_in_postgresql(community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = ItemFactory(community=community)
    attachment = Attachment.objects.create(item=item, name="a.pdf", size=4, content_type="application/pdf",
                                           file=ContentFile(b"%PDF", name="a.pdf"))
    Item.objects.filter(pk=item.pk).update(status=Status.PUBLISHED, published_at=timezone.now(), archive_year=2026,
                                           official_notice=True)
    for sql in ("UPDATE disclosure_attachment SET name = 'b.pdf' WHERE id = %s",
                "DELETE FROM disclosure_attachment WHERE id = %s"):
        with pytest.raises(DatabaseError, match="attachment_final"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [attachment.pk])
    assert Attachment.objects.get(pk=attachment.pk).name == "a.pdf"


def test_it_refuses_a_new_attachment_on_a_published_item_in_bulk_too(community):
    item = a_published_item(community)
    with pytest.raises(PublishedItemImmutable):
        Attachment.objects.bulk_create([Attachment(item=item, name="a.pdf", size=3, content_type="application/pdf",
                                                   file=ContentFile(b"%PDF", name="a.pdf"))])
    assert not Attachment.objects.exists()


def test_it_lets_a_certified_result_record_its_publication_and_nothing_else(certified):
    now = timezone.now()
    Certification.objects.filter(election=certified).update(published_at=now)
    assert Certification.objects.get(election=certified).published_at == now
    with pytest.raises(Sealed):
        Certification.objects.filter(election=certified).update(doc_number="〔2099〕1号")
    certification = Certification.objects.get(election=certified)
    certification.doc_number = "〔2099〕1号"
    with pytest.raises(Sealed):
        certification.save()
    with pytest.raises(Sealed):
        Certification.objects.filter(election=certified).delete()
    assert Certification.objects.get(election=certified).doc_number != "〔2099〕1号"


def test_it_refuses_a_raw_rewrite_of_a_certified_result_but_not_its_publication(certified):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE elections_certification SET published_at = %s WHERE election_id = %s",
                       [timezone.now(), certified.pk])
    with pytest.raises(DatabaseError, match="certification_final|Cannot"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE elections_certification SET doc_number = 'x' WHERE election_id = %s",
                           [certified.pk])


def test_it_never_rewrites_the_election_record(community):
    election = ElectionFactory(community=community)
    warning = ElectionWarning.objects.create(election=election, stage="roll", text="名单晚公布")
    warning.text = "没有晚"
    for attempt in (warning.save, warning.delete, lambda: ElectionWarning.objects.filter(pk=warning.pk).update(
            text="没有晚"), lambda: ElectionWarning.objects.filter(pk=warning.pk).delete()):
        with pytest.raises(Sealed), transaction.atomic():
            attempt()
    assert ElectionWarning.objects.get(pk=warning.pk).text == "名单晚公布"


def test_it_refuses_to_move_a_row_under_a_certified_election(certified, community):
    election = ElectionFactory(community=community)
    box = Box.objects.create(election=election, code="Z", kind="venue", name="另一箱")
    with pytest.raises(Sealed):
        Box.objects.filter(pk=box.pk).update(election=certified)
    box.election = certified
    with pytest.raises(Sealed):
        box.save()
    assert Box.objects.get(pk=box.pk).election_id == election.pk
