"""Faults: an import process killed midway, a database connection dropped during a request, two clerks
editing the same resident. Each must leave the registry exactly as it was (or refuse, clearly)."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from lib.idcard import make_id_number
from residents.models import Resident

from .factories import ResidentFactory

HEADER = "姓名,身份证号,户号,与户主关系,居民小组,户籍,居住情况\n"


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a second process and a second connection must see the same test database")


def _state() -> tuple[int, int]:
    return Resident.objects.count(), Resident.history.count()


def _child_env() -> dict:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}


def _writing_pids() -> list[int]:
    """Backends other than ours holding a write lock on the residents table: the import is in its write phase."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                          WHERE c.relname = 'residents_resident' AND l.mode = 'RowExclusiveLock'
                          AND l.pid <> pg_backend_pid()""")
        return [pid for (pid,) in cursor.fetchall()]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_finds_the_database_as_before_when_an_import_process_is_killed(community, tmp_path):
    _postgres_only()
    ResidentFactory.create_batch(3, community=community)
    before = _state()
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(40_000):
            birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=n % 25_000)
            region = f"{110101 + n // 25_000}"
            id_number = make_id_number(birth_date=birth, sequence=n % 997 + 1, sex="M", region=region)
            out.write(f"居民{n},{id_number},H{n},户主,第{n % 9 + 1}居民小组,本社区,在住\n")
    child = subprocess.Popen([sys.executable, "manage.py", "import_residents", str(path), "--community",
                              community.code], cwd=settings.BASE_DIR, env=_child_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while not _writing_pids():
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the import never reached its write phase"
            time.sleep(0.05)
        time.sleep(0.3)  # let it write a few batches
        assert child.poll() is None, "the import finished before it could be killed: make the file bigger"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while _writing_pids() and time.monotonic() < deadline:  # PostgreSQL aborts the orphaned transaction
        time.sleep(0.1)
    assert _state() == before


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_shows_an_error_page_and_writes_nothing_when_the_connection_drops_midway(community, committee_user,
                                                                                     monkeypatch):
    _postgres_only()
    import psycopg

    resident = ResidentFactory(community=community)
    before = _state()
    original = Resident.save
    db = settings.DATABASES["default"]

    def save_then_lose_the_connection(self, *args, **kwargs):
        original(self, *args, **kwargs)  # the row and its history are written inside save_resident's transaction...
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                             password=db["PASSWORD"], dbname=db["NAME"], autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])  # ...and then the connection is gone
        Resident.objects.filter(pk=self.pk).update(address="之后")  # the next statement meets a dead connection

    monkeypatch.setattr(Resident, "save", save_then_lose_the_connection)
    client = Client(raise_request_exception=False)
    client.force_login(committee_user)
    response = client.post(f"/residents/{resident.pk}/edit/", {
        "name": "改过的名字", "id_number": resident.id_number, "household": resident.household_id,
        "relation": resident.relation, "group": resident.group_id, "registration": resident.registration,
        "living": resident.living, "version": resident.version})
    assert response.status_code == 500
    connection.close()
    assert _state() == before
    assert Resident.objects.get(pk=resident.pk).name == resident.name


@pytest.mark.django_db
def test_it_refuses_the_second_of_two_concurrent_edits(community, committee_user, street_staff):
    resident = ResidentFactory(community=community, name="张伟")
    first, second = Client(), Client()
    first.force_login(committee_user)
    second.force_login(street_staff)
    url = f"/residents/{resident.pk}/edit/"
    forms = []
    for client in (first, second):  # both clerks open the form before either saves
        form = client.get(url).context["form"]
        forms.append({name: form[name].value() or "" for name in form.fields})
    forms[0]["name"] = "张伟甲"
    forms[1]["name"] = "张伟乙"
    assert first.post(url, forms[0]).status_code == 302
    history = Resident.history.filter(id=resident.pk).count()
    response = second.post(url, forms[1])
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert errors, "the second edit was not refused"
    resident.refresh_from_db()
    assert resident.name == "张伟甲"  # the first edit is not silently overwritten
    assert Resident.history.filter(id=resident.pk).count() == history


@pytest.mark.django_db
def test_it_refuses_an_edit_that_does_not_say_which_version_it_started_from(community, committee_user):
    resident = ResidentFactory(community=community, name="张伟")
    client = Client()
    client.force_login(committee_user)
    url = f"/residents/{resident.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="张伟丙", version="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    resident.refresh_from_db()
    assert resident.name == "张伟"
