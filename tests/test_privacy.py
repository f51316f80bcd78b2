"""Privacy: exports of personal data need a role and are logged; the public board, its Atom feed and the
monthly poster PDF carry no ID number, mobile number or birth date of a named resident."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from disclosure import services
from disclosure.models import Category
from org.models import SensitiveAccess
from tests.disclosure.conftest import a_published_item
from tests.disclosure.factories import FeedbackFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def birth_date_forms(day: datetime.date) -> list[str]:
    return [day.strftime("%Y%m%d"), day.isoformat(), f"{day.year}年{day.month}月{day.day}日"]


def assert_no_identifiers(text: str, resident, where: str):
    assert not ID_NUMBER.search(text), f"ID number on {where}"
    assert not MOBILE.search(text), f"mobile number on {where}"
    for form in birth_date_forms(resident.birth_date):
        assert form not in text, f"birth date {form} of {resident.name} on {where}"


@pytest.fixture
def exposed(community):
    """A resident whose ID and mobile numbers were typed into everything the public can see."""
    resident = ResidentFactory(community=community, name="赵敏", phone="13812345678",
                               birth_date=datetime.date(1980, 5, 17))
    leak = f"{resident.name}（身份证 {resident.id_number}，电话 {resident.phone}）"
    # An item body cannot hold identifiers (create_item/update_item refuse them: tested below), so the
    # published list names the person only; feedback and official notices get the numbers and are redacted.
    item = a_published_item(community, category=Category.ASSISTANCE, title="2024年4月低保对象公示",
                            body=f"<table><tr><td>{resident.name}</td></tr></table>")
    FeedbackFactory(item=item, text=f"我是{leak}", contact=resident.phone, answer=f"已联系{leak}",
                    answered_at=timezone.now())
    services.post_official_notice(community=community, title="选举结果公告", body=f"<p>当选：{leak}</p>")
    return resident, item


def test_it_keeps_identifiers_off_every_public_page_and_the_feed(community, exposed):
    resident, item = exposed
    client = Client()
    urls = ["/board/", f"/board/{community.code}/", f"/board/{community.code}/archive/2024/",
            f"/board/{community.code}/feed.xml", f"/board/{community.code}/items/{item.pk}/"]
    urls += [f"/board/{community.code}/items/{pk}/" for pk in
             community.disclosure_items.filter(status="published").values_list("pk", flat=True)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_identifiers(response.content.decode(), resident, url)
    assert resident.name in client.get(f"/board/{community.code}/items/{item.pk}/").content.decode()


def test_it_keeps_identifiers_off_the_monthly_poster_pdf(community, exposed, tmp_path):
    resident, item = exposed
    response = Client().get(f"/board/{community.code}/2024/4.pdf")
    assert response.status_code == 200
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert item.title in text  # the scan reads the real poster, not an empty page
    assert_no_identifiers(text, resident, "the poster PDF")


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("outsider", 403), ("supervision_user", 403),
                                               ("other_committee_user", 200), ("committee_user", 200),
                                               ("street_staff", 200)])
def test_it_needs_a_staff_role_to_export_residents_and_logs_each_export(request, community, who, expected):
    ResidentFactory(community=community)
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = SensitiveAccess.objects.count()
    response = client.post("/residents/export/", {"format": "csv", "reason": "民政核对"})
    assert response.status_code == expected
    if expected == 200:
        logged = SensitiveAccess.objects.latest("pk")
        assert SensitiveAccess.objects.count() == before + 1
        assert logged.action == SensitiveAccess.Action.EXPORT and logged.reason == "民政核对"
        assert logged.user == request.getfixturevalue(who)
    else:
        assert SensitiveAccess.objects.count() == before
        assert response.status_code != 200 or not response.content


def test_it_exports_a_residents_own_data_only_for_staff_and_logs_who_and_why(community, committee_user,
                                                                            supervision_user, other_committee_user):
    resident = ResidentFactory(community=community)
    url = f"/residents/{resident.pk}/access-request/"
    for user, status in ((supervision_user, 403), (other_committee_user, 404)):
        client = Client()
        client.force_login(user)
        assert client.post(url, {"reason": "本人申请"}).status_code == status
    assert not SensitiveAccess.objects.exists()
    client = Client()
    client.force_login(committee_user)
    assert client.get(url).status_code == 200
    assert not SensitiveAccess.objects.exists()  # opening the form reveals nothing
    response = client.post(url, {"reason": "本人申请（PIPL 第45条）"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert resident.id_number in response.content.decode()
    logged = SensitiveAccess.objects.get()
    assert (logged.user, logged.action) == (committee_user, SensitiveAccess.Action.ACCESS_REQUEST)
    assert logged.reason == "本人申请（PIPL 第45条）" and resident.id_number not in logged.subject


def test_it_refuses_identifiers_in_the_body_of_an_item_for_the_board(community, committee_user):
    resident = ResidentFactory(community=community)
    for leak in (resident.id_number, "13812345678"):
        with pytest.raises(ValidationError):
            services.create_item(community=community, category=Category.ASSISTANCE, title="低保对象公示",
                                 period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2024, 4, 30),
                                 body=f"<p>{resident.name} {leak}</p>", user=committee_user)
    assert not community.disclosure_items.exists()
