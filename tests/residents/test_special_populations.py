"""Special-population labels, visits and aid are the committee's: supervision members see none of them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from residents.models import CareKind, CareRecord, Label, Relation, ResidentLabel

from .factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(community):
    return HouseholdFactory(community=community, number="A001")


@pytest.fixture
def labelled(community, household):
    """A hardship (困难户) resident on 低保 whose household got 1234.50 yuan of Spring Festival aid."""
    resident = ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="吴逸芸")
    ResidentLabel.objects.create(resident=resident, label=Label.MINIMUM_INCOME, starts=datetime.date(2024, 1, 1))
    ResidentLabel.objects.create(resident=resident, label=Label.HARDSHIP, starts=datetime.date(2024, 1, 1))
    CareRecord.objects.create(community=community, household=household, resident=resident, kind=CareKind.AID,
                              on=datetime.date(2025, 1, 20), amount=Decimal("1234.50"), occasion="春节慰问金",
                              by="方学全", note="家中老人卧床")
    return resident


@pytest.fixture
def unlabelled(community):
    return ResidentFactory(community=community, name="印彦邦")


SECRETS = ("低保", "困难户", "1234.50", "1234.5", "春节慰问金", "家中老人卧床", "走访救助记录")


def test_it_ignores_the_label_filter_for_supervision(login, labelled, unlabelled, supervision_user):
    response = login(supervision_user).get(reverse("residents:index"), {"label": Label.MINIMUM_INCOME})
    assert response.status_code == 200
    assert sorted(r.name for r in response.context["page"]) == ["印彦邦", "吴逸芸"]
    html = response.content.decode()
    for secret in ("低保", "困难户", "人群标签"):
        assert secret not in html, secret


def test_it_still_filters_by_label_for_committee(login, labelled, unlabelled, committee_user):
    response = login(committee_user).get(reverse("residents:index"), {"label": Label.MINIMUM_INCOME})
    assert [r.name for r in response.context["page"]] == ["吴逸芸"]
    assert "困难户" in response.content.decode()


def test_it_keeps_labels_care_and_amounts_off_the_household_page_for_supervision(login, labelled, household,
                                                                                supervision_user, committee_user):
    url = reverse("residents:household", args=[household.pk])
    html = login(supervision_user).get(url).content.decode()
    assert "吴逸芸" in html
    for secret in SECRETS:
        assert secret not in html, secret
    html = login(committee_user).get(url).content.decode()
    for secret in ("低保", "困难户", "1234.50", "春节慰问金", "家中老人卧床"):
        assert secret in html, secret


def test_it_keeps_labels_care_and_amounts_off_the_dossier_for_supervision(login, labelled, supervision_user,
                                                                         committee_user):
    url = reverse("residents:resident", args=[labelled.pk])
    html = login(supervision_user).get(url).content.decode()
    assert "吴逸芸" in html
    for secret in SECRETS + ("人群标签",):
        assert secret not in html, secret
    html = login(committee_user).get(url).content.decode()
    for secret in ("低保", "困难户", "1234.50", "春节慰问金"):
        assert secret in html, secret


def test_it_refuses_supervision_the_special_population_pages(login, labelled, supervision_user):
    client = login(supervision_user)
    for url in (reverse("residents:special"), reverse("residents:special_pdf"),
                reverse("residents:special") + "?label=dibao"):
        assert client.get(url).status_code == 403, url
