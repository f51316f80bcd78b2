"""Election night at the speed of the count: 50 papers typed as candidates' numbers with the keyboard alone,
keystrokes counted, by two clerks entering the two passes of one box at the same time; and the public board
(唱票板) opened by the counting team, following the saves without a reload."""

import pytest
from django.utils import timezone

from elections.models import Ballot, EntryPaper
from elections.services import entry, voting
from tests.elections import stages
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import PASSWORD, staff_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANDIDATES = {"director": ["吴逸芸", "黄振华"], "deputy": ["方学全", "李明"],
              "member": ["印彦邦", "毛若虹", "张伟", "陈静", "王芳", "刘洋"]}
OVER_MARK, BLANK_POST, WRITE_IN, SPOILED, EMPTY = "12 1 135", "1 0 246", "2 1 13+赵六", "*", ""
TRIPLES = ["135", "246", "123", "456", "124", "356", "236", "145", "126", "345"]
# 45 typical papers of five names (主任 1, 副主任 1, 委员 3), then the five the clerks must see before saving.
PAPERS = [f"{1 + n % 2} {1 + n // 2 % 2} {TRIPLES[n % 10]}" for n in range(45)] + [
    OVER_MARK, BLANK_POST, WRITE_IN, SPOILED, EMPTY]


def type_paper(page, keys, n):
    """Type one paper with the keyboard into the focused field and wait for the saved answer."""
    if keys:
        page.keyboard.type(keys)
    page.keyboard.press("Enter")
    page.locator("#entry-result", has_text=f"第 {n} 张已录入").wait_for()
    return len(keys) + 1


def expected_votes():
    votes = {code: dict.fromkeys(names, 0) for code, names in CANDIDATES.items()}
    for keys in PAPERS:
        marks, spoiled = entry.parse_keys(numbers=CANDIDATES, keys=keys, titles=dict.fromkeys(CANDIDATES, ""))
        for code, names in marks.items():
            if len(names) <= (5 if code == "member" else 1):
                for name in names:
                    if name in votes[code]:
                        votes[code][name] += 1
    return votes


def test_it_enters_fifty_papers_by_numbers_in_two_parallel_passes(
        page, browser, live_server, log_in, community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=60)
    for code, names in CANDIDATES.items():
        for order, name in enumerate(names):
            CandidateFactory(position=election.positions.get(code=code), name=name, ballot_order=order)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=50)
    stages.counting(election)
    box = election.boxes.get(code="C")
    clerk_a, clerk_b = staff_of(community.street), staff_of(community.street)
    base = f"{live_server.url}/elections/{election.pk}"
    asked = {"a": [], "b": []}

    def answer(who):
        def accept(dialog):
            asked[who].append(dialog.message)
            dialog.accept()
        return accept

    page.on("dialog", answer("a"))
    log_in(page, clerk_a.username, PASSWORD)
    other = browser.new_context(locale="zh-CN").new_page()
    other.on("dialog", answer("b"))
    log_in(other, clerk_b.username, PASSWORD)

    page.goto(f"{base}/boxes/{box.pk}/entry/1/")
    other.goto(f"{base}/boxes/{box.pk}/entry/2/")
    keystrokes = []
    for n, keys in enumerate(PAPERS, start=1):
        if keys == OVER_MARK:
            page.keyboard.type(keys)
            assert "多选，该职位作废" in page.locator("#entry-preview .over").inner_text()
            page.keyboard.press("Enter")
            page.locator("#entry-result", has_text=f"第 {n} 张已录入").wait_for()
            keystrokes.append(len(keys) + 1)
        elif keys == BLANK_POST:
            page.keyboard.type(keys)
            assert page.locator("#entry-preview .blank").inner_text() == "副主任：弃权"
            page.keyboard.press("Enter")
            page.locator("#entry-result", has_text=f"第 {n} 张已录入").wait_for()
            keystrokes.append(len(keys) + 1)
        elif keys == WRITE_IN:
            page.keyboard.type(keys)
            assert "赵六" in page.locator("#entry-preview .write-in").inner_text()
            # The keys, Enter, and Enter again to confirm the write-in (its name counted as typed characters here;
            # through a pinyin input method 赵六 is about eight keys more).
            keystrokes.append(len(keys) + type_paper(page, "", n) + 1)
            assert "另选他人" in asked["a"][-1]
        else:
            keystrokes.append(type_paper(page, keys, n) + (1 if keys == EMPTY else 0))
            if keys == EMPTY:
                assert "空白票" in asked["a"][-1]
        type_paper(other, keys, n)  # the second clerk, at the same time, from the same pile

    # Five names in eight keys (digits, two spaces, Enter); the five special papers as the keys above show.
    assert keystrokes[:45] == [8] * 45
    assert keystrokes[45:] == [9, 8, 11, 2, 2] and sum(keystrokes) == 392
    assert len(asked["a"]) == 2 and len(asked["b"]) == 2  # the write-in and the empty paper, nothing else
    first = EntryPaper.objects.filter(session__box=box, session__pass_number=1).order_by("serial")
    assert first.count() == 50 and first.get(serial=49).spoiled
    assert first.get(serial=46).marks["director"] == ["吴逸芸", "黄振华"]
    assert first.get(serial=47).marks.get("deputy") is None
    assert first.get(serial=48).marks["member"] == ["印彦邦", "张伟", "赵六"]
    assert first.get(serial=50).marks == {}

    # The counting team opens the board on the projector: a token link, no login behind it.
    page.goto(f"{base}/board/")
    board = browser.new_context(locale="zh-CN").new_page()
    board.goto(page.url)
    assert "/elections/board/" in board.url and "唱票板" in board.title()
    assert board.locator("#board-papers").inner_text() == "50"
    expected = expected_votes()
    for code, names in CANDIDATES.items():
        for number, name in enumerate(names, start=1):
            row = board.locator(f"#board-{code} tr", has_text=name)
            assert row.locator(".number").inner_text() == str(number)
            assert row.locator(".votes").inner_text() == str(expected[code][name])
    assert board.locator("#board-member tr.write-in", has_text="赵六").locator(".votes").inner_text() == "1"

    other.goto(f"{base}/boxes/{box.pk}/compare/")
    assert "两遍一致" in other.content()
    other.click("text=确认入账")
    other.wait_for_load_state()
    assert Ballot.objects.filter(election=election).count() == 50
    other.context.close()
    board.context.close()


@pytest.mark.postgres_only  # the board polls while a clerk saves: SQLite's shared in-memory test database
# locks whole tables across the live server's threads, which PostgreSQL (and a real deployment) does not.
def test_the_board_follows_the_saves_without_a_reload(page, browser, live_server, log_in, community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=10)
    for order, name in enumerate(CANDIDATES["director"]):
        CandidateFactory(position=election.positions.get(code="director"), name=name, ballot_order=order)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=10)
    stages.counting(election)
    box = election.boxes.get(code="C")
    clerk = staff_of(community.street)
    log_in(page, clerk.username, PASSWORD)
    base = f"{live_server.url}/elections/{election.pk}"
    page.goto(f"{base}/board/")
    board = browser.new_context(locale="zh-CN").new_page()
    board.goto(page.url)
    board.evaluate("window.notReloaded = true")
    assert board.locator("#board-papers").inner_text() == "0"
    page.goto(f"{base}/boxes/{box.pk}/entry/1/")
    for n, keys in enumerate(["2", "2", "1"], start=1):
        type_paper(page, keys, n)
        board.locator("#board-papers", has_text=str(n)).wait_for(timeout=2500)
    assert board.locator("#board-director tr", has_text="黄振华").locator(".votes").inner_text() == "2"
    assert board.locator("#board-director tr", has_text="黄振华").locator(".marks").inner_text() == "丅"
    assert board.evaluate("window.notReloaded") is True
    board.context.close()
