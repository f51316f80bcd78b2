"""English election pages (issue 15 item 8): standard posts show translated, punctuation sits inside the
translated strings, rule-set names show translated; the papers stay Chinese (tests/test_papers_in_chinese.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from elections.models import Position, position_label
from elections.services import board, nominations, voting
from tests.elections.factories import CandidateFactory, ElectionFactory

from . import stages

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=6)
    CandidateFactory(position=election.positions.get(code="director"), name="吴逸芸", ballot_order=1)
    CandidateFactory(position=election.positions.get(code="deputy"), name="黄振华", ballot_order=1)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=6)
    return election


def test_it_labels_a_standard_post_in_the_page_language():
    director = Position(code="director", title="主任")
    with translation.override("en"):
        assert director.label == "Director"
        assert position_label(code="deputy", title="副主任") == "Deputy director"
        assert position_label(code="member", title="委员") == "Member"
    with translation.override("zh-hans"):
        assert director.label == "主任"


def test_it_keeps_a_title_staff_typed_as_stored():
    with translation.override("en"):
        assert Position(code="director", title="社区主任").label == "社区主任"
        assert Position(code="secretary", title="委员").label == "委员"


# Where each page names a post; the rule set's notes (通行做法：…) quote the sources and stay as shipped.
@pytest.mark.parametrize(("name", "tag"), [("detail", "<li>"), ("nominations", "<h3>"), ("candidates", "<h2>")])
def test_it_shows_the_standard_posts_in_english_on_the_setup_pages(login, street_staff, election, name, tag):
    page = login(street_staff).get(reverse(f"elections:{name}", args=[election.pk]), **EN).content.decode()
    assert f"{tag}Director" in page and f"{tag}Deputy director" in page
    assert f"{tag}主任" not in page and f"{tag}副主任" not in page


def test_it_shows_the_standard_posts_in_english_on_the_entry_page(login, street_staff, election):
    stages.counting(election)
    box = election.boxes.get(code="C")
    page = login(street_staff).get(reverse("elections:entry", args=[election.pk, box.pk, 1]), **EN).content.decode()
    assert "Director" in page and "主任" not in page


def test_it_keeps_the_chinese_titles_on_the_chinese_pages(login, street_staff, election):
    page = login(street_staff).get(reverse("elections:detail", args=[election.pk])).content.decode()
    assert "<li>主任：1</li>" in page


def test_it_leaves_no_chinese_punctuation_around_the_posts_on_the_english_result(login, street_staff, election):
    stages.counting(election)
    page = login(street_staff).get(reverse("elections:result", args=[election.pk]), **EN).content.decode()
    assert "Director (1 to elect, elected with at least" in page
    assert "（应选" not in page and "主任" not in page


def test_it_leaves_no_chinese_punctuation_around_the_detail_page_posts(login, street_staff, election):
    page = login(street_staff).get(reverse("elections:detail", args=[election.pk]), **EN).content.decode()
    assert "<li>Director: 1</li>" in page and "：1<" not in page


def test_it_keeps_full_width_punctuation_inside_the_translated_strings_of_the_pages():
    pages = [p for p in (Path(settings.BASE_DIR) / "templates" / "elections").glob("*.html")]
    outside = re.compile(r'（\{% translate|\{% translate "[^"]*" %\}[：（]|\{\{ (?:p|position)\.title \}\}')
    found = {p.name: outside.findall(p.read_text()) for p in pages}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_it_shows_the_shipped_rule_set_name_in_english(login, street_staff, election):
    with translation.override("en"):
        english = str(election.rules)
    assert english != election.rules.name  # the default rule set is in the catalogue
    page = login(street_staff).get(reverse("elections:detail", args=[election.pk]), **EN).content.decode()
    assert escape(english) in page and election.rules.name not in page


def test_it_labels_the_posts_on_the_public_board(election):
    with translation.override("en"):
        counts = board.board_counts(election=stages.counting(election))
    assert [(p["title"], p["label"]) for p in counts["positions"]][:2] == [("主任", "Director"),
                                                                            ("副主任", "Deputy director")]


def test_it_names_the_post_and_the_rule_set_in_the_page_language_when_refusing_too_few_candidates(election):
    with translation.override("en"):
        message = nominations.margin_message(election=election, position=election.positions.get(code="director"),
                                             count=0)
        english = str(election.rules)
    assert "Director" in message and english in message
    assert "主任" not in message and election.rules.name not in message
