"""Papers for the real run: voter cards whose every line stays inside the card with a seal area, and the ballot on
one page with the candidates' numbers of numeric entry."""

import io

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import CSS, HTML

from elections.models import VoterRollEntry
from elections.services import papers
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def layout(template: str, context: dict):
    html = render_to_string(template, context)
    stylesheet = CSS(filename=str(settings.BASE_DIR / "static" / "pdf" / "notice.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).render(stylesheets=[stylesheet])


def boxes_of(box):
    yield box
    for child in getattr(box, "children", []):
        yield from boxes_of(child)


def classed(box, name):
    return box.element is not None and name in (box.element.get("class") or "").split()


@pytest.fixture
def long_names(community):
    """The longest names a real roll prints: a long election name, venue, group, voter and issuer."""
    community.name = "城关区东岗街道后北岸社区"
    community.save()
    election = ElectionFactory(community=community, term_number=12, venue="社区党群服务中心三楼多功能会议室",
                               election_day=timezone.localdate())
    for serial in range(1, 11):
        VoterRollEntry.objects.create(election=election, serial=9990 + serial, group_name="第十二居民小组（东区）",
                                      resident=ResidentFactory(community=community, name="欧阳慕容司马"))
    return election


def test_it_keeps_every_line_of_a_voter_card_inside_its_border_clear_of_the_seal(long_names):
    document = layout("elections/pdf/voter_cards.html", papers.voter_cards_contexts(long_names)[0])
    cards = [b for page in document.pages for b in boxes_of(page._page_box) if classed(b, "vcard")]
    assert len(cards) == 10 and len(document.pages) == 2  # eight to a page
    for card in cards:
        bottom = card.position_y + card.border_height() - card.padding_bottom - card.border_bottom_width
        right = card.position_x + card.border_width() - card.padding_right - card.border_right_width
        seal = next(b for b in boxes_of(card) if classed(b, "card-seal"))
        lines = [b for b in boxes_of(card) if type(b).__name__ == "LineBox" and not any(
            b is s for s in boxes_of(seal))]
        assert lines and all(line.position_y + line.height <= bottom + 0.01 for line in lines)
        for line in lines:
            for text in (b for b in boxes_of(line) if type(b).__name__ == "TextBox"):
                assert text.position_x + text.width <= right + 0.01
                # No text runs into the seal area.
                overlaps_y = text.position_y + text.height > seal.position_y
                assert not (overlaps_y and text.position_x + text.width > seal.position_x + 0.01), text.text


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, positions=True)
    for code, names in {"director": ["吴逸芸", "黄振华"], "deputy": ["方学全", "李明"],
                        "member": ["印彦邦", "毛若虹", "张伟", "陈静", "王芳", "刘洋"]}.items():
        for order, name in enumerate(names):
            CandidateFactory(position=election.positions.get(code=code), name=name, ballot_order=order)
    return election


def test_it_prints_the_ballot_on_one_page_with_the_candidates_numbers(election):
    pdf = PdfReader(io.BytesIO(papers.render_ballot(election)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "编号" in text and "吴逸芸" in text and "刘洋" in text
    document = layout("elections/pdf/ballot.html", papers.ballot_context(election))
    numbers = [b.element.text for b in boxes_of(document.pages[0]._page_box)
               if b.element_tag == "td" and classed(b, "number") and type(b).__name__ == "TableCellBox"]
    assert numbers == ["1", "2", "1", "2", "1", "2", "3", "4", "5", "6"]
