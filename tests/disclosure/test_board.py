"""The public board: no login, nothing personal, valid Atom, the archive's January rule, constant queries."""

import datetime
import io
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from disclosure import services
from disclosure.forms import feedback_token
from disclosure.models import Category, Feedback, Item, Status
from tests.residents.factories import ResidentFactory

from .conftest import a_published_item
from .factories import FeedbackFactory, ItemFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _at(year, month, day=10):
    return timezone.make_aware(datetime.datetime(year, month, day, 9))


def test_it_shows_the_board_without_login_with_the_hotline(community, published):
    response = Client().get(f"/board/{community.code}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert published.title in text and community.street.supervision_hotline in text
    assert Client().get(f"/board/{community.code}/items/{published.pk}/").status_code == 200


def test_it_lists_all_communities_on_the_index(community, other_community):
    text = Client().get("/board/").content.decode()
    assert f"/board/{community.code}/" in text and f"/board/{other_community.code}/" in text


def test_it_hides_unpublished_items(community, draft, signed):
    assert Client().get(f"/board/{community.code}/items/{draft.pk}/").status_code == 404
    assert draft.title not in Client().get(f"/board/{community.code}/").content.decode()


def test_it_hides_another_communitys_item_under_this_code(community, other_community, published):
    assert Client().get(f"/board/{other_community.code}/items/{published.pk}/").status_code == 404


def test_it_files_a_january_item_about_december_in_the_previous_years_archive(community):
    december = a_published_item(community, title="2023年12月经费收支", period_start=datetime.date(2023, 12, 1),
                                period_end=datetime.date(2023, 12, 31), published_at=_at(2024, 1),
                                archive_year=services.archive_year(published_on=datetime.date(2024, 1, 10),
                                                                   period_end=datetime.date(2023, 12, 31)))
    assert december.archive_year == 2023
    previous = Client().get(f"/board/{community.code}/archive/2023/").content.decode()
    current = Client().get(f"/board/{community.code}/archive/2024/").content.decode()
    assert december.title in previous and december.title not in current


def test_it_shows_no_id_or_phone_numbers_on_public_pages(community, published):
    resident = ResidentFactory(community=community, name="赵敏", phone="13812345678")
    assistance = a_published_item(community, category=Category.ASSISTANCE, title="2024年3月低保对象公示",
                                  body=f"<table><tr><th>姓名</th></tr><tr><td>{resident.name}</td></tr></table>")
    FeedbackFactory(item=published, text=f"我的电话 13912345678，身份证 {resident.id_number}",
                    contact="13700000000", answer="已核实，电话 13612345678 已联系", answered_at=timezone.now())
    services.post_official_notice(community=community, title="选举结果公告",
                                  body=f"<p>当选：{resident.name}（{resident.id_number}，{resident.phone}）</p>")
    client = Client()
    urls = ["/board/", f"/board/{community.code}/", f"/board/{community.code}/archive/2024/",
            f"/board/{community.code}/feed.xml", f"/board/{community.code}/items/{published.pk}/",
            f"/board/{community.code}/items/{assistance.pk}/"]
    urls += [f"/board/{community.code}/items/{pk}/" for pk in Item.objects.filter(
        category=Category.ELECTION).values_list("pk", flat=True)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not ID_NUMBER.search(text), url
        assert not MOBILE.search(text), url
        assert "13700000000" not in text
    assert "赵敏" in client.get(f"/board/{community.code}/items/{assistance.pk}/").content.decode()


def test_it_serves_a_valid_atom_feed(community, published):
    response = Client().get(f"/board/{community.code}/feed.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None and feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for required in ("id", "title", "updated"):
        assert entry.find(f"{ATOM}{required}").text
    assert published.title in entry.find(f"{ATOM}title").text
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/board/{community.code}/items/{published.pk}/")
    datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)


def test_it_answers_404_for_unknown_boards():
    assert Client().get("/board/nowhere/").status_code == 404
    assert Client().get("/board/nowhere/feed.xml").status_code == 404


def _six_years(community, factor=1):
    """Six years of monthly items (×factor), bulk-inserted."""
    rows = []
    for n in range(factor):
        for year in range(2019, 2025):
            for month in range(1, 13):
                start = datetime.date(year, month, 1)
                for category in (Category.FINANCES, Category.ASSISTANCE):
                    rows.append(Item(community=community, category=category, title=f"{year}年{month}月 {n}",
                                     period_start=start, period_end=services.month_end(start),
                                     body="<p>x</p>", status=Status.PUBLISHED, official_notice=True,
                                     published_at=_at(year, month), archive_year=year))
                if month % 3 == 0:
                    rows.append(Item(community=community, category=Category.MEETING_DECISIONS,
                                     title=f"{year}年第{month // 3}季度 {n}", period_start=start,
                                     period_end=services.month_end(start), status=Status.PUBLISHED,
                                     official_notice=True, published_at=_at(year, month), archive_year=year))
    Item.objects.bulk_create(rows)


def test_it_renders_the_board_with_the_same_queries_for_ten_times_the_history(community, other_community,
                                                                              django_assert_num_queries):
    _six_years(community)
    _six_years(other_community, factor=10)
    Client().get(f"/board/{community.code}/")  # warm the content-type and session caches
    with django_assert_num_queries(3):
        small = Client().get(f"/board/{community.code}/")
    with django_assert_num_queries(3):
        large = Client().get(f"/board/{other_community.code}/")
    # The current board carries the latest items only, not six years of them.
    assert small.content.decode().count("<li>") == large.content.decode().count("<li>") == 9


def test_it_takes_feedback_and_shows_the_committees_answer(community, published, committee_user, monkeypatch):
    monkeypatch.setattr("disclosure.forms.FEEDBACK_MIN_SECONDS", 0)
    client = Client()
    url = f"/board/{community.code}/items/{published.pk}/feedback/"
    response = client.post(url, {"text": "办公经费为何上涨？", "name": "", "contact": "", "website": "",
                                 "token": feedback_token()})
    assert response.status_code == 302 and response["Location"].endswith("?sent=1#feedback")
    feedback = Feedback.objects.get(item=published)
    assert feedback.name == "" and feedback.answered_at is None
    page = client.get(f"/board/{community.code}/items/{published.pk}/").content.decode()
    assert "办公经费为何上涨" not in page  # shown once answered
    services.answer_feedback(feedback=feedback, user=committee_user, answer="因购置打印机，明细见附表。")
    page = client.get(f"/board/{community.code}/items/{published.pk}/").content.decode()
    assert "办公经费为何上涨" in page and "因购置打印机" in page


def test_it_refuses_feedback_from_robots(community, published, monkeypatch):
    client = Client()
    url = f"/board/{community.code}/items/{published.pk}/feedback/"
    too_fast = client.post(url, {"text": "广告", "token": feedback_token()})
    assert too_fast.status_code == 400
    monkeypatch.setattr("disclosure.forms.FEEDBACK_MIN_SECONDS", 0)
    honeypot = client.post(url, {"text": "广告", "website": "http://spam", "token": feedback_token()})
    forged = client.post(url, {"text": "广告", "token": "feedback:forged:token"})
    assert honeypot.status_code == forged.status_code == 400
    assert not Feedback.objects.exists()


def test_it_rate_limits_feedback_per_address(community, published, monkeypatch):
    monkeypatch.setattr("disclosure.forms.FEEDBACK_MIN_SECONDS", 0)
    client = Client()
    url = f"/board/{community.code}/items/{published.pk}/feedback/"
    codes = [client.post(url, {"text": f"意见{n}", "token": feedback_token()}).status_code for n in range(7)]
    assert codes == [302] * 5 + [429] * 2
    assert Feedback.objects.count() == 5


def test_it_refuses_feedback_on_unpublished_items(community, draft, monkeypatch):
    monkeypatch.setattr("disclosure.forms.FEEDBACK_MIN_SECONDS", 0)
    response = Client().post(f"/board/{community.code}/items/{draft.pk}/feedback/",
                             {"text": "x", "token": feedback_token()})
    assert response.status_code == 404


def test_it_prints_the_monthly_poster(community, published, tmp_path):
    response = Client().get(f"/board/{community.code}/2024/4.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "居务公开栏" in text and published.title.split()[0] in text
    assert community.street.supervision_hotline in text
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    assert Client().get(f"/board/{community.code}/2024/5.pdf").status_code == 404
    assert Client().get(f"/board/{community.code}/2024/13.pdf").status_code == 404


def test_it_keeps_item_factory_drafts_off_the_feed(community):
    ItemFactory(community=community)
    feed = ET.fromstring(Client().get(f"/board/{community.code}/feed.xml").content)
    assert feed.findall(f"{ATOM}entry") == []


def test_it_takes_the_same_feedback_once_when_the_form_is_sent_again_after_going_back(community, published,
                                                                                     monkeypatch):
    monkeypatch.setattr("disclosure.forms.FEEDBACK_MIN_SECONDS", 0)
    client = Client()
    url = f"/board/{community.code}/items/{published.pk}/feedback/"
    first = client.post(url, {"text": "办公经费为何上涨？", "token": feedback_token()})
    # Back reloads the page: a new token, the same words still in the box.
    again = client.post(url, {"text": "办公经费为何上涨？", "token": feedback_token()})
    assert first.status_code == 302
    assert "这条意见已经收到" in again.content.decode()
    assert Feedback.objects.filter(item=published).count() == 1
    other = client.post(url, {"text": "另一条意见", "token": feedback_token()})
    assert other.status_code == 302 and Feedback.objects.filter(item=published).count() == 2
