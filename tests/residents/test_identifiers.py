"""ID and phone numbers stay masked: no search by a part of them, no birth date beside a masked ID for a role
that may not reveal, no full number in the edit form; every lookup or change by number is logged."""

import datetime

import pytest
from django.urls import reverse

from lib.idcard import make_id_number
from org.models import SensitiveAccess
from residents.models import Relation
from residents.services import people

from .factories import GroupFactory, HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1980, 5, 17)
BIRTH_FORMS = ("1980-05-17", "19800517", "1980年5月17日")


@pytest.fixture
def resident(community):
    household = HouseholdFactory(community=community, number="A001")
    return ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="吴逸芸",
                           phone="13812345678", birth_date=BIRTH, group=GroupFactory(community=community))


def found(client, q) -> tuple[list[str], str]:
    """(names, HTML) of the result list, as the search box fetches it (the box itself shows what was typed)."""
    response = client.get(reverse("residents:index"), {"q": q}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return [r.name for r in response.context["page"]], response.content.decode()


def test_it_gives_supervision_no_search_by_id_or_phone_number(login, resident, supervision_user):
    client = login(supervision_user)
    number = resident.id_number
    for q in (number[:6], number[:14], number[:17], number, number.lower(), number[-4:], "1381234", "13812345678",
              "5678"):
        names, html = found(client, q)
        assert names == [], q
        assert number not in html and "13812345678" not in html, q
        assert "无权按证件号码或电话查询" in html, q
    assert not SensitiveAccess.objects.exists()


def test_it_still_finds_by_name_household_and_address_for_supervision(login, resident, supervision_user):
    client = login(supervision_user)
    assert found(client, "逸芸")[0] == ["吴逸芸"]
    assert found(client, "A001")[0] == ["吴逸芸"]
    assert not SensitiveAccess.objects.exists()


def test_it_finds_a_resident_by_the_full_id_number_for_committee_and_logs_the_lookup(login, resident,
                                                                                    committee_user):
    client = login(committee_user)
    number = resident.id_number
    spaced = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    assert found(client, spaced)[0] == ["吴逸芸"]
    log = SensitiveAccess.objects.get()
    assert (log.user, log.community, log.action) == (committee_user, resident.community, "search")
    assert "吴逸芸" in log.subject and number not in log.subject and number[6:14] not in log.subject


def test_it_finds_a_resident_by_the_full_phone_number_for_committee_and_logs_the_lookup(login, resident,
                                                                                       committee_user):
    assert found(login(committee_user), "138 1234 5678")[0] == ["吴逸芸"]
    log = SensitiveAccess.objects.get()
    assert (log.user, log.action) == (committee_user, "search")
    assert "吴逸芸" in log.subject and "13812345678" not in log.subject


def test_it_logs_a_lookup_by_number_that_finds_nobody(login, resident, committee_user):
    other = make_id_number(birth_date=datetime.date(1990, 1, 2), sequence=7, sex="F")
    assert found(login(committee_user), other)[0] == []
    log = SensitiveAccess.objects.get()
    assert log.action == "search" and other not in log.subject


def test_it_finds_nothing_by_a_prefix_or_middle_of_a_number_for_committee(login, resident, committee_user):
    client = login(committee_user)
    number = resident.id_number
    for q in (number[:4], number[:6], number[:14], number[:17], number[6:14], number[-6:], "138", "1381234",
              "1381234567", "2345678", "12345678"):
        names, html = found(client, q)
        assert names == [], q
        assert "13812345678" not in html and number not in html, q
    assert not SensitiveAccess.objects.filter(subject__contains="吴逸芸").exists()


def test_it_keeps_the_last_four_characters_search_for_committee_and_logs_it(login, resident, committee_user):
    assert found(login(committee_user), resident.id_number[-4:])[0] == ["吴逸芸"]
    log = SensitiveAccess.objects.get()
    assert log.action == "search" and "吴逸芸" in log.subject


def test_it_shows_supervision_an_age_not_the_birth_date(login, resident, supervision_user, committee_user):
    # A change of ID number puts both birth dates into the resident's history too.
    data = {name: getattr(resident, name) for name in people.RESIDENT_INPUT}
    data["id_number"] = make_id_number(birth_date=datetime.date(1981, 6, 18), sequence=3, sex="F")
    people.save_resident(community=resident.community, data=data, resident=resident)
    urls = (reverse("residents:index"), reverse("residents:resident", args=[resident.pk]),
            reverse("residents:household", args=[resident.household_id]))
    client = login(supervision_user)
    for url in urls:
        html = client.get(url).content.decode()
        for form in BIRTH_FORMS + ("1981-06-18", "19810618"):
            assert form not in html, (url, form)
    today = datetime.date.today()
    age = today.year - 1981 - ((today.month, today.day) < (6, 18))
    assert f"<td>{age}</td>" in client.get(reverse("residents:index")).content.decode()
    assert "1981-06-18" in login(committee_user).get(reverse("residents:index")).content.decode()


def test_it_keeps_the_full_id_and_phone_out_of_the_edit_form(login, resident, committee_user):
    html = login(committee_user).get(reverse("residents:edit", args=[resident.pk])).content.decode()
    assert resident.id_number not in html and "13812345678" not in html
    assert "138****5678" in html and "留空则不变" in html


def edit_data(resident, **changes):
    data = {"name": resident.name, "id_number": "", "household": resident.household_id,
            "relation": resident.relation, "group": resident.group_id, "address": resident.address,
            "registration": resident.registration, "living": resident.living, "move_in_date": "",
            "election_wish": "", "phone": "", "version": resident.version}
    return data | changes


def test_it_keeps_the_id_and_phone_when_an_edit_changes_another_field(login, resident, committee_user):
    number = resident.id_number
    response = login(committee_user).post(reverse("residents:edit", args=[resident.pk]),
                                          edit_data(resident, name="吴芸", address="3幢1单元101室"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.name, resident.address, resident.version) == ("吴芸", "3幢1单元101室", 2)
    assert (resident.id_number, resident.phone, resident.birth_date) == (number, "13812345678", BIRTH)
    assert not SensitiveAccess.objects.exists()


def test_it_logs_a_change_of_phone_or_id_number_in_the_edit_form(login, resident, committee_user):
    client = login(committee_user)
    url = reverse("residents:edit", args=[resident.pk])
    assert client.post(url, edit_data(resident, phone="13900001111")).status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "13900001111"
    log = SensitiveAccess.objects.get()
    assert (log.user, log.action) == (committee_user, "change")
    assert "13900001111" not in log.subject and "13812345678" not in log.subject

    new_number = make_id_number(birth_date=datetime.date(1981, 6, 18), sequence=3, sex="F")
    assert client.post(url, edit_data(resident, id_number=new_number)).status_code == 302
    resident.refresh_from_db()
    assert (resident.id_number, resident.birth_date) == (new_number, datetime.date(1981, 6, 18))
    assert SensitiveAccess.objects.filter(action="change").count() == 2
    assert not SensitiveAccess.objects.filter(subject__contains=new_number).exists()

    assert client.post(url, edit_data(resident, clear_phone="on")).status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "" and resident.id_number == new_number
    assert SensitiveAccess.objects.filter(action="change").count() == 3
