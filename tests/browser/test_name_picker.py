"""Entry by name with the keyboard alone: the name picker's list is opened with the arrow keys, a candidate is
chosen with Enter (which then does not save the paper), a name on no list is typed as a write-in, and Enter with
the list closed saves the paper."""

import pytest
from django.utils import timezone

from elections.models import EntryPaper
from elections.services import voting
from tests.elections import stages
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import PASSWORD, staff_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANDIDATES = {"director": ["吴逸芸", "黄振华"], "deputy": ["方学全", "李明"], "member": ["印彦邦", "毛若虹", "张伟"]}


def test_it_chooses_candidates_by_name_with_the_keyboard_alone(page, live_server, log_in, community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=10)
    for code, names in CANDIDATES.items():
        for order, name in enumerate(names):
            CandidateFactory(position=election.positions.get(code=code), name=name, ballot_order=order)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=10)
    stages.counting(election)
    box = election.boxes.get(code="C")
    log_in(page, staff_of(community.street).username, PASSWORD)
    page.goto(f"{live_server.url}/elections/{election.pk}/boxes/{box.pk}/entry/1/")

    # From the numbers field (focused on arrival) to the first name field: the save button, the serial, the name.
    for _ in range(3):
        page.keyboard.press("Tab")
    director = page.locator("#entry-form input[aria-label='主任 1']")
    assert director.evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert director.get_attribute("aria-expanded") == "true"
    assert page.locator("#name-picker [role=option]").all_inner_texts() == ["吴逸芸", "黄振华"]
    page.keyboard.press("ArrowDown")
    assert page.locator("#name-picker [aria-selected=true]").inner_text() == "黄振华"
    page.keyboard.press("Enter")
    assert director.input_value() == "黄振华" and director.get_attribute("aria-expanded") == "false"
    assert not EntryPaper.objects.exists()  # Enter chose the name; it did not save the paper

    # Typing narrows the list; Escape closes it and keeps what was typed.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("李")
    assert page.locator("#name-picker [role=option]").all_inner_texts() == ["李明"]
    page.keyboard.press("Escape")
    assert page.locator("#name-picker").is_hidden()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert page.locator("#entry-form input[aria-label='副主任 1']").input_value() == "李明"

    # A write-in matches no candidate, so no list stands in the way: Enter saves the paper.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("赵六")
    assert page.locator("#name-picker").is_hidden()
    page.keyboard.press("Enter")
    page.locator("#recent-papers td", has_text="赵六").wait_for()
    paper = EntryPaper.objects.get(session__box=box, session__pass_number=1)
    assert paper.marks == {"director": ["黄振华"], "deputy": ["李明"], "member": ["赵六"]}
