import datetime
import io
import json

import pytest
from django.urls import reverse

from lib.idcard import make_id_number
from org.models import Job, SensitiveAccess
from residents.models import CareRecord, Label, Living, Relation, Representative, Resident, ResidentLabel

from .factories import GroupFactory, HouseholdFactory, RepresentativeFactory, ResidentFactory
from .test_import import FANG, csv_bytes, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(community):
    household = HouseholdFactory(community=community, number="A001")
    return ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="吴逸芸",
                           phone="13812345678", group=GroupFactory(community=community, name="第一居民小组"))


@pytest.fixture
def label(resident):
    return ResidentLabel.objects.create(resident=resident, label=Label.HARDSHIP, starts=datetime.date(2024, 1, 1))


@pytest.fixture
def term(resident):
    return RepresentativeFactory(resident=resident)


def pages(resident, label, term):
    """(url, method, data, roles allowed) of every protected view."""
    any_role, staff = "any", "staff"
    return [
        (reverse("residents:index"), "get", None, any_role),
        (reverse("residents:resident", args=[resident.pk]), "get", None, any_role),
        (reverse("residents:household", args=[resident.household_id]), "get", None, any_role),
        (reverse("residents:groups"), "get", None, any_role),
        (reverse("residents:group", args=[resident.group_id]), "get", None, any_role),
        (reverse("residents:representatives"), "get", None, any_role),
        (reverse("residents:add"), "get", None, staff),
        (reverse("residents:edit", args=[resident.pk]), "get", None, staff),
        (reverse("residents:special"), "get", None, staff),
        (reverse("residents:import"), "get", None, staff),
        (reverse("residents:export"), "get", None, staff),
        (reverse("residents:access_request", args=[resident.pk]), "get", None, staff),
        (reverse("residents:reveal", args=[resident.pk]), "post", {"reason": "核对低保申请"}, staff),
        (reverse("residents:move", args=[resident.pk]), "post", {"version": 1}, staff),
        (reverse("residents:leave", args=[resident.pk]), "post", {"version": 1}, staff),
        (reverse("residents:label_add", args=[resident.pk]), "post", {}, staff),
        (reverse("residents:label_end", args=[label.pk]), "post", {}, staff),
        (reverse("residents:care_add", args=[resident.household_id]), "post", {}, staff),
        (reverse("residents:representative_end", args=[term.pk]), "post", {}, staff),
    ]


def request(client, url, method, data):
    return client.get(url) if method == "get" else client.post(url, data or {})


def test_it_refuses_users_without_a_role_or_from_elsewhere(login, resident, label, term, outsider,
                                                           other_committee_user, foreign_street_staff):
    for user in (outsider, other_committee_user, foreign_street_staff):
        client = login(user)
        for url, method, data, _ in pages(resident, label, term):
            response = request(client, url, method, data)
            if user != outsider and url in community_pages():
                # Pages of "my community" show the user's own community, never this one.
                assert response.status_code == 200 and resident.name not in response.content.decode(), url
            else:
                assert response.status_code in (403, 404), (user, url, response.status_code)
    assert not SensitiveAccess.objects.filter(action="reveal").exists()
    assert not Resident.objects.exclude(pk=resident.pk).exists()


def community_pages():
    names = ("index", "groups", "representatives", "add", "special", "import", "export")
    return {reverse(f"residents:{name}") for name in names}


def test_it_lets_supervision_read_but_not_edit_or_reveal(login, resident, label, term, supervision_user):
    client = login(supervision_user)
    for url, method, data, roles in pages(resident, label, term):
        response = request(client, url, method, data)
        assert response.status_code == (200 if roles == "any" else 403), (url, response.status_code)


def test_it_masks_id_and_phone_numbers_on_every_page(login, resident, committee_user, supervision_user):
    for user in (committee_user, supervision_user):
        client = login(user)
        for url in (reverse("residents:index"), reverse("residents:resident", args=[resident.pk]),
                    reverse("residents:household", args=[resident.household_id])):
            html = client.get(url).content.decode()
            assert resident.id_number not in html and "13812345678" not in html, url
            assert resident.id_number[:4] + "*" * 10 + resident.id_number[-4:] in html


def test_it_reveals_a_number_to_staff_with_a_reason_and_logs_it(login, resident, committee_user):
    client = login(committee_user)
    assert client.post(reverse("residents:reveal", args=[resident.pk]), {"reason": ""}).status_code == 400
    response = client.post(reverse("residents:reveal", args=[resident.pk]), {"reason": "核对低保申请"})
    assert resident.id_number in response.content.decode() and "13812345678" in response.content.decode()
    log = SensitiveAccess.objects.get()
    assert (log.user, log.action, log.reason) == (committee_user, "reveal", "核对低保申请")
    assert resident.id_number not in log.subject


def test_it_never_reveals_to_supervision(login, resident, supervision_user):
    response = login(supervision_user).post(reverse("residents:reveal", args=[resident.pk]), {"reason": "看看"})
    assert response.status_code == 403
    assert not SensitiveAccess.objects.exists()


def test_it_searches_by_name_id_phone_household_and_address(login, resident, community, committee_user):
    ResidentFactory(community=community, name="方学全", phone="13900001111")
    client = login(committee_user)

    def names(**params):
        page = client.get(reverse("residents:index"), params).context["page"]
        return [r.name for r in page]

    assert names(q="逸") == ["吴逸芸"]
    assert names(q=resident.id_number) == ["吴逸芸"]
    assert names(q=resident.id_number[-4:]) == ["吴逸芸"]
    assert names(q="13900001111") == ["方学全"]
    assert names(q="A001") == ["吴逸芸"]
    assert names(q=resident.household.address[:3]) == ["吴逸芸"]
    assert names(sort="name") == ["方学全", "吴逸芸"]  # fang < wu in pinyin
    assert names(sort="-name") == ["吴逸芸", "方学全"]


def test_it_finds_a_number_ending_in_x_by_its_last_four_characters(login, community, committee_user):
    birth = datetime.date(1980, 5, 17)
    number = next(n for n in (make_id_number(birth_date=birth, sequence=s, sex="M", region="320402")
                              for s in range(1, 500)) if n.endswith("X"))
    ResidentFactory(community=community, name="印彦邦", birth_date=birth, sex="M", id_number=number)
    page = login(committee_user).get(reverse("residents:index"), {"q": number[-4:].lower()}).context["page"]
    assert [r.name for r in page] == ["印彦邦"]


def test_it_filters_by_group_label_living_and_age(login, resident, community, committee_user):
    old = ResidentFactory(community=community, name="葛鸿平", birth_date=datetime.date(1940, 1, 1))
    ResidentLabel.objects.create(resident=old, label=Label.VERY_OLD)
    ResidentFactory(community=community, name="毛若虹", living=Living.MOVED)
    client = login(committee_user)

    def names(**params):
        return sorted(r.name for r in client.get(reverse("residents:index"), params).context["page"])

    assert names(group=resident.group_id) == ["吴逸芸"]
    assert names(label=Label.VERY_OLD) == ["葛鸿平"]
    assert names(living=Living.MOVED) == ["毛若虹"]
    assert names(age="80+") == ["葛鸿平"]


def test_the_list_runs_a_fixed_number_of_queries(login, community, committee_user, django_assert_max_num_queries):
    group = GroupFactory(community=community)
    for _ in range(30):
        r = ResidentFactory(community=community, group=group)
        ResidentLabel.objects.create(resident=r, label=Label.ALONE)
    client = login(committee_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("residents:index")).status_code == 200


def form_data(resident, **changes):
    data = {"name": resident.name, "id_number": resident.id_number, "household": resident.household_id,
            "relation": resident.relation, "group": resident.group_id, "address": resident.address,
            "registration": resident.registration, "living": resident.living, "move_in_date": "",
            "election_wish": "", "phone": resident.phone, "version": resident.version}
    return data | changes


def test_it_saves_an_edit_and_refuses_a_stale_form(login, resident, committee_user):
    client = login(committee_user)
    url = reverse("residents:edit", args=[resident.pk])
    assert client.post(url, form_data(resident, name="吴芸")).status_code == 302
    resident.refresh_from_db()
    assert (resident.name, resident.name_pinyin, resident.version) == ("吴芸", "wu yun", 2)
    stale = client.post(url, form_data(resident, name="吴逸", version=1))
    assert stale.status_code == 200
    assert "此记录已被他人修改" in stale.content.decode()
    resident.refresh_from_db()
    assert resident.name == "吴芸"


def test_it_adds_a_resident_with_sex_and_birth_date_from_the_id_number(login, resident, community, committee_user):

    number = make_id_number(birth_date=datetime.date(1980, 2, 29), sequence=9, sex="F")
    data = form_data(resident, name="蒋惠琴", id_number=number, relation=Relation.SPOUSE)
    data.pop("version")
    response = login(committee_user).post(reverse("residents:add"), data)
    assert response.status_code == 302
    added = Resident.objects.get(id_number=number)
    assert (added.sex, added.birth_date, added.community) == ("F", datetime.date(1980, 2, 29), community)


def test_it_refuses_a_second_head_in_the_add_form(login, resident, committee_user):

    number = make_id_number(birth_date=datetime.date(1980, 2, 1), sequence=9, sex="F")
    data = form_data(resident, name="蒋惠琴", id_number=number)
    response = login(committee_user).post(reverse("residents:add"), data)
    assert "一户只能有一名户主" in response.content.decode()


def test_it_moves_a_resident_and_marks_one_deceased_without_deleting(login, resident, community, committee_user):
    member = ResidentFactory(community=community, household=resident.household, relation=Relation.CHILD)
    RepresentativeFactory(resident=member)
    client = login(committee_user)
    client.post(reverse("residents:move", args=[member.pk]),
                {"version": 1, "household_number": "B009", "relation": Relation.HEAD})
    member.refresh_from_db()
    assert (member.household.number, member.relation, member.version) == ("B009", Relation.HEAD, 2)
    client.post(reverse("residents:leave", args=[member.pk]),
                {"version": 2, "living": Living.DECEASED, "on": "2025-01-05", "reason": "病故"})
    member.refresh_from_db()
    assert member.living == Living.DECEASED
    assert Representative.objects.get(resident=member).ended_by == "moved"
    assert member.history.count() == 3


def test_it_shows_the_history_of_a_resident_with_masked_changes(login, resident, committee_user):
    resident.phone = "13900000000"
    resident.save()
    html = login(committee_user).get(reverse("residents:resident", args=[resident.pk])).content.decode()
    assert "138****5678 → 139****0000" in html


def test_it_records_representatives_and_a_replacement(login, resident, community, committee_user):
    successor = ResidentFactory(community=community, group=resident.group, name="印彦邦")
    old = RepresentativeFactory(resident=resident)
    client = login(committee_user)
    response = client.post(reverse("residents:representatives"), {
        "resident": successor.pk, "kind": "elected", "starts": "2025-04-01", "replaces": old.pk,
        "ended_by": "by_election"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.ends, old.ended_by, old.successor.resident) == (datetime.date(2025, 4, 1), "by_election", successor)


def test_it_records_a_spring_festival_visit_with_aid(login, resident, label, committee_user):
    client = login(committee_user)
    client.post(reverse("residents:care_add", args=[resident.household_id]), {
        "kind": "aid", "on": "2025-01-20", "occasion": "春节慰问", "amount": "800", "by": "吴逸芸"})
    care = CareRecord.objects.get()
    assert (care.amount, care.community_id) == (800, resident.community_id)


def test_it_exports_personal_data_for_an_access_request_and_logs_it(login, resident, label, committee_user):
    response = login(committee_user).post(reverse("residents:access_request", args=[resident.pk]),
                                          {"reason": "本人持身份证到场"})
    data = json.loads(response.content)
    assert data["居民信息"]["身份证号"] == resident.id_number
    assert data["人群标签"][0]["标签"] == "困难户"
    assert SensitiveAccess.objects.get().action == "access_request"


def test_the_import_page_previews_errors_then_imports_the_corrected_file(login, community, committee_user):
    client = login(committee_user)
    bad = rows()
    bad[1]["身份证号"] = FANG[:-1] + ("0" if FANG[-1] != "0" else "1")
    upload = io.BytesIO(csv_bytes(bad).getvalue())
    upload.name = "名单.csv"
    response = client.post(reverse("residents:import"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "第 3 行 身份证号: 校验位错误" in html and "确认导入" not in html
    assert not Resident.objects.exists()

    good = io.BytesIO(csv_bytes(rows()).getvalue())
    good.name = "名单.csv"
    response = client.post(reverse("residents:import"), {"file": good}, follow=True)
    assert "预检通过，将新增 4 人" in response.content.decode()
    assert not Resident.objects.exists()  # a preview writes nothing
    preview = Job.objects.filter(status="done").get()
    response = client.post(reverse("residents:import_confirm", args=[preview.pk]))
    job = Job.objects.exclude(pk=preview.pk).filter(status="done").get()
    assert response.url == reverse("job_detail", args=[job.pk])
    assert Resident.objects.filter(community=community).count() == 4
    # Confirming twice does not import twice: the file is gone after the import.
    again = client.post(reverse("residents:import_confirm", args=[preview.pk]))
    assert again.url == reverse("residents:import")


def test_the_import_preview_is_only_for_its_owner(login, community, committee_user, street_staff):
    upload = io.BytesIO(csv_bytes(rows()).getvalue())
    upload.name = "名单.csv"
    login(committee_user).post(reverse("residents:import"), {"file": upload})
    job = Job.objects.get()
    assert login(street_staff).get(reverse("residents:import_preview", args=[job.pk])).status_code == 404


def test_the_household_register_pdf_has_the_members(login, resident, committee_user):
    import subprocess

    response = login(committee_user).get(reverse("residents:household_pdf", args=[resident.household_id]))
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "居民户口登记簿" in text and "吴逸芸" in text and resident.id_number not in text
