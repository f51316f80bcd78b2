import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from org.audit import AuditLogImmutable
from org.models import Community

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(community):
    community.name = "改名"
    community.save()
    return Community.history.filter(id=community.pk).first()


def test_it_refuses_to_save_a_changed_history_record(record):
    record.name = "篡改"
    with pytest.raises(AuditLogImmutable):
        record.save()


def test_it_refuses_to_delete_a_history_record(record):
    with pytest.raises(AuditLogImmutable):
        record.delete()


def test_it_refuses_a_bulk_update_or_delete_of_the_audit_log(record):
    with pytest.raises(AuditLogImmutable):
        Community.history.all().update(name="篡改")
    with pytest.raises(AuditLogImmutable):
        Community.history.filter(id=record.id).delete()
    assert Community.history.filter(name="篡改").count() == 0


def test_it_still_appends_new_history(community):
    before = Community.history.count()
    community.name = "再改"
    community.save()
    assert Community.history.count() == before + 1


def test_it_refuses_a_raw_update_in_postgresql(record):
    if connection.vendor != "postgresql":
        pytest.skip("the database trigger is PostgreSQL's")
    table = Community.history.model._meta.db_table
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET name = %s", ["篡改"])
