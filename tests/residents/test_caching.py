"""Every page of the registry carries personal data: no browser or proxy may keep a copy of it."""

import datetime

import pytest
from django.urls import reverse

from residents.models import Label, ResidentLabel

from .factories import RepresentativeFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    # Caching headers are set around the response, whatever the PDF holds; WeasyPrint is slow.
    monkeypatch.setattr("residents.views.households.render_pdf", lambda *args, **kwargs: b"%PDF-1.4 test")


@pytest.fixture
def resident(community):
    resident = ResidentFactory(community=community, phone="13812345678")
    ResidentLabel.objects.create(resident=resident, label=Label.HARDSHIP, starts=datetime.date(2024, 1, 1))
    RepresentativeFactory(resident=resident)
    return resident


def test_it_forbids_caching_every_page_with_personal_data(login, resident, committee_user):
    client = login(committee_user)
    gets = [
        reverse("residents:index"), reverse("residents:index") + "?q=" + resident.name,
        reverse("residents:resident", args=[resident.pk]), reverse("residents:edit", args=[resident.pk]),
        reverse("residents:access_request", args=[resident.pk]),
        reverse("residents:household", args=[resident.household_id]),
        reverse("residents:household_pdf", args=[resident.household_id]),
        reverse("residents:groups"), reverse("residents:group", args=[resident.group_id]),
        reverse("residents:group_pdf", args=[resident.group_id]),
        reverse("residents:representatives"), reverse("residents:special"), reverse("residents:special_pdf"),
        reverse("residents:export"),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url
    for url, data in ((reverse("residents:reveal", args=[resident.pk]), {"reason": "核对低保申请"}),
                      (reverse("residents:export"), {"format": "csv", "reason": "报送街道人口统计"}),
                      (reverse("residents:export"), {"format": "xlsx", "reason": "报送街道人口统计"}),
                      (reverse("residents:access_request", args=[resident.pk]), {"reason": "本人申请"})):
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_it_forbids_caching_the_pages_supervision_reads(login, resident, supervision_user):
    client = login(supervision_user)
    for url in (reverse("residents:index"), reverse("residents:resident", args=[resident.pk]),
                reverse("residents:household", args=[resident.household_id]),
                reverse("residents:group", args=[resident.group_id])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url
