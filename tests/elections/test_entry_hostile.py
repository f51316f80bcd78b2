"""Hostile input on election night: the entry, correction and tally-sheet forms of a box being counted refuse
garbage in words, write nothing, and never crash (the matrix's world has no count open to reach them)."""

import pytest
from django.test import Client

from elections.models import EntryPaper, TallySheet

from .test_entry_views import (
    HTMX,
    election,  # noqa: F401 - the fixture: a box being counted
    entry_url,
)

pytestmark = pytest.mark.django_db

GARBAGE = ("abc'; DROP--", "-1", "99999999999999999999", "2026-13-45")
KEYS = ("serial", "keys", "spoiled", "disputed", "issue", "p-director", "p-member", "returned", "valid", "invalid")


@pytest.fixture
def clerk(street_staff):
    client = Client(raise_request_exception=False)
    client.force_login(street_staff)
    return client


@pytest.mark.parametrize("value", GARBAGE)
def test_it_answers_garbage_on_the_entry_page_without_a_crash_or_a_paper(clerk, election, value):  # noqa: F811
    body = dict.fromkeys(KEYS, value)
    for extra in ({}, HTMX):
        assert clerk.post(entry_url(election), body, **extra).status_code < 500
    assert not EntryPaper.objects.filter(serial__gt=10**9).exists()
    assert not EntryPaper.objects.exclude(serial__isnull=True).filter(serial__lt=1).exists()


@pytest.mark.parametrize("value", GARBAGE)
def test_it_answers_garbage_on_the_tally_sheet_without_a_crash_or_a_sheet(clerk, election, value):  # noqa: F811
    box = election.boxes.get(code="C")
    response = clerk.post(f"/elections/{election.pk}/boxes/{box.pk}/sheet/", dict.fromkeys(KEYS, value))
    assert response.status_code in (302, 400) and not TallySheet.objects.exists()


@pytest.mark.parametrize("value", GARBAGE)
def test_it_answers_garbage_on_a_paper_correction_without_a_crash(clerk, election, value):  # noqa: F811
    assert clerk.post(entry_url(election), {"keys": "1", "serial": "1"}, **HTMX).status_code == 200
    paper = EntryPaper.objects.get()
    response = clerk.post(f"/elections/{election.pk}/entered/{paper.pk}/", dict.fromkeys(KEYS, value))
    assert response.status_code < 500
    paper.refresh_from_db()
    assert paper.serial in (1, None) or 1 <= paper.serial < 10**9
