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


def text_boxes(box):
    return [b for b in boxes_of(box) if type(b).__name__ == "TextBox" and b.text.strip()]


def test_it_keeps_every_line_of_a_voter_card_inside_its_border_clear_of_the_seal(long_names):
    # The cards are two layers drawn on each other (lib.pdf underlay): the frame every card shares, and the text
    # of each card; both are laid out here on the same page geometry and checked against the frame's border.
    texts = layout(papers.VOTER_CARDS_TEMPLATE, papers.voter_cards_contexts(long_names)[0])
    frames = layout(papers.VOTER_CARD_FRAMES_TEMPLATE, papers.voter_card_frames_context(long_names, 10))
    assert len(texts.pages) == 2 and len(frames.pages) == 2  # eight to a page, the last page's frames its own
    for text_page, frame_page in zip(texts.pages, frames.pages, strict=True):
        cards = [b for b in boxes_of(frame_page._page_box) if classed(b, "vcard")]
        assert len(cards) in (8, 2)
        inner = {id(c): (c.position_x + c.border_left_width + c.padding_left,
                         c.position_x + c.border_width() - c.padding_right - c.border_right_width,
                         c.position_y + c.border_height() - c.padding_bottom - c.border_bottom_width) for c in cards}

        def card_at(x, y, cards=cards):
            return next(c for c in cards if c.position_x <= x < c.position_x + c.border_width()
                        and c.position_y <= y < c.position_y + c.border_height())

        lines = {id(c): 0 for c in cards}
        for text in text_boxes(text_page._page_box):
            first = card_at(text.position_x, text.position_y)
            # A row of two cards is one line per field, the tab taking the right card's part to its place: then
            # the line ends inside the right card (were the left part too long, the tab would carry it past).
            last = next(c for c in cards if c.position_y == first.position_y and c.position_x > first.position_x
                        ) if "\t" in text.text else first
            lines[id(first)] += 1
            lines[id(last)] += last is not first
            small = next(b for b in boxes_of(last) if classed(b, "small"))
            seal = next(b for b in boxes_of(last) if classed(b, "card-seal"))
            assert inner[id(first)][0] - 0.01 <= text.position_x, text.text
            assert text.position_x + text.width <= inner[id(last)][1] + 0.01, text.text
            if last is not first:
                # The right part starts inside the right card: its full-width characters alone are 1 em each.
                right_part = text.text.split("\t")[1]
                least = sum(not ch.isascii() for ch in right_part) * text.style["font_size"]
                assert text.position_x + text.width - least >= inner[id(last)][0] - 0.01, text.text
            # The card's own lines stand below its title and above the shared small lines and the seal.
            assert text.position_y + text.height <= min(small.position_y, seal.position_y) + 0.01, text.text
        assert set(lines.values()) == {3}, "serial, name and group on every card"
        for card in cards:
            seal = next(b for b in boxes_of(card) if classed(b, "card-seal"))
            for text in (t for t in text_boxes(card) if not any(t is s for s in boxes_of(seal))):
                assert inner[id(card)][0] - 0.01 <= text.position_x, text.text
                assert text.position_x + text.width <= inner[id(card)][1] + 0.01, text.text
                assert text.position_y + text.height <= inner[id(card)][2] + 0.01, text.text
                # No text runs into the seal area.
                overlaps_y = text.position_y + text.height > seal.position_y
                assert not (overlaps_y and text.position_x + text.width > seal.position_x + 0.01), text.text


def test_it_prints_no_blank_card_frame_on_the_last_page(long_names):
    pdf = PdfReader(io.BytesIO(papers.render_voter_cards(long_names)))
    assert len(pdf.pages) == 2
    assert pdf.pages[0].extract_text().count("盖章处") == 8
    assert pdf.pages[1].extract_text().count("盖章处") == 2
    assert pdf.pages[1].extract_text().count("编号：") == 2 and "9999" in pdf.pages[1].extract_text()


def test_it_gives_a_card_with_a_long_line_a_block_of_its_own_that_wraps_inside_it():
    cards = [(1, "第一组", "张伟"), (2, "第一组", "阿卜杜热合曼·买买提依明·阿卜杜热合曼"), (3, "第二组", "李明")]
    blocks = papers._card_blocks(cards)
    assert [(b["slot"], b["wide"]) for b in blocks] == [(0, False), (1, False), (2, False)]
    assert blocks[1]["text"].splitlines() == [
        "编号：2", "姓名：阿卜杜热合曼·买买提依明·阿卜杜热合曼", "居民小组：第一组"]
    two = papers._card_blocks(cards[:1] + cards[2:])
    assert two == [{"slot": 0, "wide": True,
                    "text": "编号：1\t编号：3\n姓名：张伟\t姓名：李明\n居民小组：第一组\t居民小组：第二组"}]


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
