"""Every date shown or printed is the Asia/Shanghai date: 2026-03-10 20:29 UTC is 11 March in Beijing."""

import datetime
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tests.committee.factories import MeetingFactory

from .conftest import a_published_item
from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 10, 20, 29, tzinfo=datetime.UTC)  # 2026-03-11 04:29 in Beijing
ATOM = "{http://www.w3.org/2005/Atom}"


def test_it_dates_a_moment_in_beijing_time():
    rendered = Template("{% load juwei %}{{ at|cn_date }}|{{ day|cn_date }}").render(
        Context({"at": AT, "day": datetime.date(2026, 3, 10)}))
    assert rendered == "2026年3月11日|2026年3月10日"


@pytest.fixture
def late_night(community):
    item = a_published_item(community, title="2026年2月社区经费收支公开", period_start=datetime.date(2026, 2, 1),
                            period_end=datetime.date(2026, 2, 28), published_at=AT, signature_name="李监督",
                            signed_at=AT)
    FeedbackFactory(item=item, text="明细能否再细一些？", received_at=AT, answer="已补充。", answered_at=AT)
    return item


def test_it_shows_the_beijing_date_on_the_board_and_the_item_page(community, late_night):
    client = Client()
    board = client.get(reverse("board:board", args=[community.code])).content.decode()
    page = client.get(reverse("board:item", args=[community.code, late_night.pk])).content.decode()
    for text in (board, page):
        assert "2026年3月11日" in text and "2026年3月10日" not in text
    assert page.count("2026年3月11日") >= 4  # published, signed, feedback received and answered


def test_it_dates_the_feed_in_beijing_time(community, late_night):
    feed = ET.fromstring(Client().get(reverse("board:feed", args=[community.code])).content)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text == "2026-03-11T04:29:00+08:00"
    assert entry.find(f"{ATOM}updated").text == "2026-03-11T04:29:00+08:00"


def test_it_prints_the_beijing_date_on_the_poster(community, late_night):
    response = Client().get(reverse("board:poster", args=[community.code, 2026, 3]))
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert "2026年3月11日" in "".join(text.decode().split())


def test_it_shows_the_beijing_time_to_staff(login, committee_user, late_night):
    page = login(committee_user).get(reverse("disclosure:item", args=[late_night.pk])).content.decode()
    assert "2026-03-11 04:29" in page and "2026-03-10 20:29" not in page


def test_it_names_a_meeting_by_its_beijing_day(community):
    assert str(MeetingFactory(community=community, title="居民会议", starts=AT)) == "居民会议（2026-03-11）"
