"""The backup procedure of docs/deploy.md, run for real: pg_dump, restore into a new database, compare."""

import os
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from org.models import Community
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip("the pg_dump round trip needs PostgreSQL")
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is missing: install Debian's postgresql-client")
    settings = connection.settings_dict
    env = dict(os.environ, PGPASSWORD=settings["PASSWORD"] or "")
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    return settings, env, args


def test_it_restores_a_pg_dump_into_an_identical_database(pg, tmp_path):
    settings, env, args = pg
    street = factories.StreetFactory(name="备份街道")
    factories.CommunityFactory.create_batch(3, street=street)
    dump = tmp_path / "juwei.dump"
    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(dump), settings["NAME"]], env=env, check=True)

    restored = f"{settings['NAME']}_restored"
    conninfo = (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
                f"user={settings['USER']} password={settings['PASSWORD']}")
    with psycopg.connect(conninfo + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(["pg_restore", *args, "--no-owner", "-d", restored, str(dump)], env=env, check=True)
        with psycopg.connect(conninfo + f" dbname={restored}") as copy:
            names = {row[0] for row in copy.execute(
                "SELECT c.name FROM org_community c JOIN org_streetoffice s ON s.id = c.street_id "
                "WHERE s.name = %s", ["备份街道"])}
        assert names == set(Community.objects.filter(street=street).values_list("name", flat=True))
        assert len(names) == 3
    finally:
        with psycopg.connect(conninfo + " dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
