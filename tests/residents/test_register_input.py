"""The resident and care forms take what the import takes, through the same normalisers (docs/formats.md, Residents
file), never show a constraint's name, and a household can be added where a resident is registered."""

import datetime
import io

import pytest
from django.urls import reverse

from lib.idcard import check_char, make_id_number
from residents.models import CareRecord, Household, Relation, Resident
from residents.resources import columns
from residents.services.exporting import export_residents
from residents.services.importing import import_residents

from .factories import GroupFactory, HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

NUMBER = make_id_number(region="320411", birth_date=datetime.date(1962, 3, 14), sequence=8, sex="F")


@pytest.fixture
def household(community):
    return HouseholdFactory(community=community, number="A001")


@pytest.fixture
def group(community):
    return GroupFactory(community=community, name="第一居民小组")


def add_data(household, group, **changes):
    return {"name": "王建国", "id_number": NUMBER, "household": household.pk, "relation": Relation.HEAD,
            "group": group.pk, "registration": "local", "living": "living", "election_wish": ""} | changes


def test_the_form_refuses_the_phone_the_import_refuses_with_the_same_words(login, committee_user, household,
                                                                           group, community):
    response = login(committee_user).post(reverse("residents:add"), add_data(household, group, phone="1381234567"))
    html = response.content.decode()
    assert response.status_code == 200 and not Resident.objects.exists()
    try:
        columns()["联系电话"].widget.clean("1381234567")
    except ValueError as exc:
        import_message = str(exc)
    assert import_message in html
    assert 'value="1381234567"' in html  # what was typed stays


def test_the_form_normalises_name_id_and_phone_as_the_import_does_so_the_export_re_imports(
        login, committee_user, household, group, community):
    full_width = NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = login(committee_user).post(reverse("residents:add"), add_data(
        household, group, name="王　建国", id_number=f" {full_width[:6]} {full_width[6:]} ",
        phone="１３８ １２３４ ５６７８"))
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert (resident.name, resident.id_number, resident.phone) == ("王建国", NUMBER, "13812345678")
    again = import_residents(path_or_file=io.BytesIO(export_residents(community=community, file_format="csv")),
                             community=community)
    assert again.ok and again.unchanged == 1


def test_the_form_stores_a_15_digit_number_as_its_18_digit_form(login, committee_user, household, group):
    response = login(committee_user).post(reverse("residents:add"), add_data(household, group,
                                                                              id_number="320402580621123"))
    assert response.status_code == 302
    assert Resident.objects.get().id_number == "32040219580621123" + check_char("32040219580621123")


def test_the_form_keeps_the_middle_dot_of_a_minority_name(login, committee_user, household, group):
    login(committee_user).post(reverse("residents:add"), add_data(household, group, name="阿依古丽 ・ 买买提"))
    assert Resident.objects.get().name == "阿依古丽·买买提"


def test_the_form_refuses_an_unknown_division_code(login, committee_user, household, group):
    number = make_id_number(region="990102", birth_date=datetime.date(1962, 3, 14), sequence=8, sex="F")
    html = login(committee_user).post(reverse("residents:add"), add_data(household, group, id_number=number)
                                      ).content.decode()
    assert "前两位 99 不是省级行政区划代码" in html and not Resident.objects.exists()


# --- constraint names are never shown ---------------------------------------------------------------------------

def test_the_care_form_refuses_a_negative_amount_in_words_not_a_constraint_name(login, committee_user, community):
    household = ResidentFactory(community=community).household
    response = login(committee_user).post(reverse("residents:care_add", args=[household.pk]), {
        "kind": "aid", "on": "2025-01-20", "amount": "-50"}, follow=True)
    html = response.content.decode()
    assert "金额不能为负数" in html and "care_amount_not_negative" not in html and "约束" not in html
    assert not CareRecord.objects.exists()


def test_the_resident_form_refuses_a_second_head_in_words_not_a_constraint_name(login, committee_user, community,
                                                                                group):
    head = ResidentFactory(community=community, relation=Relation.HEAD)
    html = login(committee_user).post(reverse("residents:add"), add_data(head.household, group)).content.decode()
    assert "一户只能有一名户主" in html and "one_head_per_household" not in html and "约束" not in html


# --- a household added where a resident is registered --------------------------------------------------------------

def test_the_resident_form_offers_existing_households_and_an_inline_new_one(login, committee_user, household, group):
    html = login(committee_user).get(reverse("residents:add")).content.decode()
    assert f'<option value="{household.pk}">A001</option>' in html
    assert 'hx-post="/residents/households/new/"' in html and 'name="new_household-number"' in html


def test_it_adds_a_household_inline_and_puts_it_back_selected(login, committee_user, household, community):
    response = login(committee_user).post(reverse("residents:household_add"), {
        "new_household-number": "B002", "new_household-address": "2幢1单元101室"}, HTTP_HX_REQUEST="true")
    added = Household.objects.get(community=community, number="B002")
    html = response.content.decode()
    assert added.address == "2幢1单元101室"
    assert f'<option value="{added.pk}" selected>B002</option>' in html and 'id="household-field"' in html


def test_it_refuses_a_taken_household_number_inline_keeping_what_was_typed(login, committee_user, household):
    response = login(committee_user).post(reverse("residents:household_add"), {
        "new_household-number": "A001", "new_household-address": "某处", "household": household.pk},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "户号 A001 已存在" in html
    assert 'value="某处"' in html and f'<option value="{household.pk}" selected>' in html
    assert Household.objects.count() == 1


def test_it_adds_a_household_on_its_own_page_without_javascript(login, committee_user, community):
    client = login(committee_user)
    assert client.get(reverse("residents:household_add")).status_code == 200
    response = client.post(reverse("residents:household_add"), {"new_household-number": "C003"})
    added = Household.objects.get(community=community, number="C003")
    assert response.url == f"{reverse('residents:add')}?household={added.pk}"
    assert f'<option value="{added.pk}" selected>' in client.get(response.url).content.decode()


def test_supervision_cannot_add_a_household(login, supervision_user, community):
    response = login(supervision_user).post(reverse("residents:household_add"), {"new_household-number": "D1"})
    assert response.status_code == 403 and not Household.objects.exists()


def test_the_search_box_finds_a_resident_by_the_old_15_digit_number_or_full_width_digits(community):
    from residents.services.people import number_query, residents_by_number

    resident = ResidentFactory(community=community, id_number="32040219580621123" + check_char("32040219580621123"),
                               birth_date=datetime.date(1958, 6, 21), sex="M")
    for typed in ("320402580621123", resident.id_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        assert list(residents_by_number(community=community, query=number_query(text=typed))) == [resident]
