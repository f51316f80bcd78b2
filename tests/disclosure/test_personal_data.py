"""Personal data never reaches the board: found in every disguise, refused at drafting, signature and
publication, shown marked to the reviewer, masked where residents' own words are shown; public numbers pass."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosure import privacy, services
from disclosure.models import Category, Item, Status
from disclosure.services.items import _content_digest
from tests.residents.factories import ResidentFactory

from .conftest import a_published_item
from .factories import FeedbackFactory, ItemFactory

pytestmark = pytest.mark.django_db

# What the clerk saw signed and published, and the disguises the brief names.
DISGUISES = {
    "mobile with dashes": ("低保户王建国，电话 139-1234-5678。", privacy.MOBILE, "13912345678"),
    "mobile with +86": ("联系人李秀英 +86 139 1234 5678", privacy.MOBILE, "13912345678"),
    "mobile with 0086": ("联系人李秀英 0086-13912345678", privacy.MOBILE, "13912345678"),
    "full-width mobile": ("联系人李秀英 １３９１２３４５６７８", privacy.MOBILE, "13912345678"),
    "ID in groups of four": ("王建国 身份证 3204 1119 8001 2837 57", privacy.ID_NUMBER, "320411198001283757"),
    "ID split by a tag": ("王建国 3204<b>11</b>19800128<span>3757</span>", privacy.ID_NUMBER, "320411198001283757"),
    "ID with dots": ("王建国 320411.19800128.3757", privacy.ID_NUMBER, "320411198001283757"),
    "15-digit ID": ("王建国 320411800128375", privacy.ID_NUMBER, "320411800128375"),
    "landline with area code": ("王建国家 0519-86681234", privacy.LANDLINE, "051986681234"),
    "landline in brackets": ("王建国家（0519）86681234", privacy.LANDLINE, "051986681234"),
    "local number after 电话": ("王建国家电话86681234", privacy.LANDLINE, "86681234"),
    "birth date 出生于": ("王建国，出生于1962年3月14日，", privacy.BIRTH_DATE, "1962314"),
    "birth date …生": ("李秀英1962.3.14生，", privacy.BIRTH_DATE, "1962314"),
    "birth date 出生日期": ("李秀英 出生日期：1962-03-14", privacy.BIRTH_DATE, "19620314"),
    "home address": ("低保对象：王建国（3幢2单元301室）", privacy.ADDRESS, "32301"),
}
# How the numbers of DISGUISES would read on a page if any got through (tags stripped).
LEAKED = ["139-1234-5678", "139 1234 5678", "13912345678", "１３９１２３４５６７８", "3204 1119 8001 2837 57",
          "320411198001283757", "19800128", "320411.19800128", "320411800128375", "86681234", "1962年3月14日",
          "1962.3.14", "1962-03-14", "3幢2单元301室"]
PUBLIC_TEXT = [
    "居委会办公电话 0519-88889999，街道监督电话 0519-86680000。",  # the office's own numbers, as configured
    "办公经费 1200.00 元，环境整治 1350.00 2600.00 元，合计 13500026000 元。",  # amounts
    "会议于2024-03-10 14:00在社区会议室召开，2024年3月14日生效。",  # meeting dates, 生效
    "事故发生于2024年3月1日，常社发〔2024〕15号文件，第3幢2单元楼道灯已维修。",  # 发生于, document number
    "活动地点：社区服务中心3楼301室；报名截止2024.03.08。",  # a room of the office, not a home
    "市民热线 12345，报警 110。",
]


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


@pytest.mark.parametrize("name", DISGUISES)
def test_it_finds_personal_data_in_each_disguise(name):
    text, kind, digits = DISGUISES[name]
    found = privacy.scan(text)
    assert [f.kind for f in found] == [kind]
    assert digits_of(found[0].match).endswith(digits[-4:]) or kind == privacy.BIRTH_DATE
    masked = privacy.mask(text, found)
    assert digits not in digits_of(masked)


@pytest.mark.parametrize("text", PUBLIC_TEXT)
def test_it_leaves_public_numbers_dates_and_amounts_alone(text):
    assert privacy.scan(text, allowed_numbers=["0519-88889999", "0519-86680000"]) == []


def test_it_flags_a_room_number_next_to_a_registered_resident(community):
    ResidentFactory(community=community, name="钮祜禄")  # not a common surname: found by the registry
    found = services.personal_data(community=community, title="公示", body="<p>钮祜禄 住 5栋1201</p>")
    assert [f.kind for f in found["body"]] == [privacy.ADDRESS]


def test_it_accepts_the_communitys_own_phone(community):
    community.phone = "0519-88889999"
    community.save()
    item = services.create_item(community=community, category=Category.ON_REQUEST, title="停车收费标准",
                                period_start=datetime.date(2024, 3, 1), period_end=datetime.date(2024, 3, 1),
                                body="咨询电话：0519-88889999")
    assert "0519-88889999" in item.body


@pytest.mark.parametrize("name", DISGUISES)
def test_it_refuses_a_draft_with_personal_data_naming_the_place(community, name):
    text = DISGUISES[name][0]
    with pytest.raises(ValidationError) as refused:
        services.create_item(community=community, category=Category.ASSISTANCE, title="2024年3月低保对象公示",
                             period_start=datetime.date(2024, 3, 1), period_end=datetime.date(2024, 3, 31),
                             body=text)
    assert "body" in refused.value.message_dict and "【" in refused.value.message_dict["body"][0]
    assert not Item.objects.exists()


def _submitted(community, body: str) -> Item:
    """An item that reached the supervision group with personal data (drafted before the check, or by hand)."""
    return ItemFactory(community=community, body=body, status=Status.SUBMITTED, submitted_at=timezone.now())


def test_it_refuses_to_sign_an_item_with_personal_data(community, supervision_user):
    item = _submitted(community, "<p>低保户王建国，电话 139-1234-5678。</p>")
    with pytest.raises(ValidationError, match="手机号.*【139-1234-5678】"):
        services.sign_item(item=item, user=supervision_user)
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED and item.signed_at is None


def test_it_signs_the_item_once_the_number_is_gone(community, supervision_user):
    item = _submitted(community, "<p>低保户王建国，联系方式已存档。</p>")
    assert services.sign_item(item=item, user=supervision_user).status == Status.REVIEWED


def test_it_marks_the_finding_on_the_review_page_and_refuses_the_signature(login, community, supervision_user):
    item = _submitted(community, "<p>低保户王建国，身份证 3204 1119 8001 2837 57。</p>")
    client = login(supervision_user)
    page = client.get(reverse("disclosure:item", args=[item.pk])).content.decode()
    assert "<mark>3204 1119 8001 2837 57</mark>" in page and "不能签字或公开" in page
    assert "含有个人信息，不能签字" in page  # the signing button is disabled, saying why
    response = client.post(reverse("disclosure:item_sign", args=[item.pk]), follow=True)
    assert "身份证号" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_it_refuses_to_publish_a_signed_item_with_personal_data(community, supervision_user):
    item = _submitted(community, "<p>低保户王建国</p>")
    services.sign_item(item=item, user=supervision_user)
    services.schedule_item(item=item, today=datetime.date(2024, 4, 2))
    # Signed before the check knew this disguise: the signature is intact, the content is not publishable.
    Item.objects.filter(pk=item.pk).update(body="<p>低保户王建国，出生于1962年3月14日</p>")
    item.refresh_from_db()
    Item.objects.filter(pk=item.pk).update(signature_digest=_content_digest(item))
    with pytest.raises(ValidationError, match="出生日期"):
        services.publish_item(item=item, today=datetime.date(2024, 4, 10))
    assert services.publish_due(today=datetime.date(2024, 4, 10)) == []
    item.refresh_from_db()
    assert item.status == Status.SCHEDULED


def test_it_keeps_the_draft_as_typed_when_the_page_refuses_it(login, community, committee_user):
    response = login(committee_user).post(reverse("disclosure:item_create", args=[community.code]), {
        "category": Category.ASSISTANCE, "title": "2024年3月低保对象公示", "period_start": "2024-03-01",
        "period_end": "2024-03-31", "body": "王建国 电话 0519-86681234"})
    page = response.content.decode()
    assert response.status_code == 200 and "固定电话" in page and "王建国 电话 0519-86681234</textarea>" in page
    assert not Item.objects.exists()


def test_it_publishes_nothing_personal_on_the_board_the_feed_or_the_poster(community, supervision_user,
                                                                            tmp_path):
    """Every disguise tried through the whole workflow; feedback and an official notice carry them too."""
    clean = a_published_item(community, category=Category.ASSISTANCE, title="2024年4月低保对象公示",
                             body="<p>低保对象：王建国</p>")
    leaks = [text for text, _kind, _digits in DISGUISES.values()]
    for text in leaks:
        item = _submitted(community, f"<p>{text}</p>")
        with pytest.raises(ValidationError):
            services.sign_item(item=item, user=supervision_user)
    FeedbackFactory(item=clean, text="；".join(leaks), answer="已联系：" + "；".join(leaks),
                    answered_at=timezone.now())
    services.post_official_notice(community=community, title="选举结果公告",
                                  body="<p>当选：" + "；".join(leaks) + "</p>")
    services.publish_due(today=datetime.date(2024, 4, 10))
    client = Client()
    pages = [f"/board/{community.code}/", f"/board/{community.code}/feed.xml",
             f"/board/{community.code}/archive/2024/", f"/board/{community.code}/items/{clean.pk}/"]
    pages += [f"/board/{community.code}/items/{pk}/" for pk in Item.objects.filter(
        community=community, status=Status.PUBLISHED).values_list("pk", flat=True)]
    texts = [client.get(url).content.decode() for url in pages]
    poster = client.get(f"/board/{community.code}/2024/4.pdf")
    path = tmp_path / "poster.pdf"
    path.write_bytes(poster.content)
    texts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    notice = Item.objects.get(official_notice=True, category=Category.ELECTION)
    texts.append(client.get(f"/board/{community.code}/items/{notice.pk}/").content.decode())
    for text in texts:
        plain = re.sub(r"<[^>]*>", "", text)
        public = [community.phone, community.street.supervision_hotline]
        assert [f for f in privacy.scan(plain, is_html=False, allowed_numbers=public)
                if f.kind != privacy.ADDRESS] == []
        for leak in LEAKED:
            assert leak not in plain
    assert "王建国" in texts[3]  # the scan read real pages
