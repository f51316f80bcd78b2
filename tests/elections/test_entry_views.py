"""The numeric entry page saved through htmx, and the public board (唱票板) opened by the counting team."""

import pytest
from django.core import signing
from django.utils import timezone

from elections.models import ElectionStatus, EntryPaper, VoterRollEntry
from elections.services import board, entry, voting
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import UserFactory, committee_of, staff_of
from tests.residents.factories import ResidentFactory

from . import stages

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=6)
    for order, name in enumerate(["吴逸芸", "黄振华"]):
        CandidateFactory(position=election.positions.get(code="director"), name=name, ballot_order=order)
    for order, name in enumerate(["印彦邦", "毛若虹", "张伟"]):
        CandidateFactory(position=election.positions.get(code="member"), name=name, ballot_order=order)
    VoterRollEntry.objects.create(election=election, resident=ResidentFactory(community=community, name="选民甲"),
                                  group_name="一组", serial=1)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=6)
    return stages.counting(election)


def entry_url(election, pass_number=1):
    return f"/elections/{election.pk}/boxes/{election.boxes.get(code='C').pk}/entry/{pass_number}/"


def test_it_shows_the_numbers_card_beside_the_entry(client, election, street_staff):
    client.force_login(street_staff)
    page = client.get(entry_url(election)).content.decode()
    assert 'id="keys"' in page and 'id="entry-numbers"' in page
    assert '<span class="number">2</span> 黄振华' in page


def test_it_saves_keys_through_htmx_and_answers_with_the_next_paper(client, election, street_staff):
    client.force_login(street_staff)
    response = client.post(entry_url(election), {"keys": "2 0 13", "serial": "1"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<div id="entry-area">')
    assert "第 1 张已录入" in page and 'name="serial" value="2"' in page and 'value=""' in page
    assert EntryPaper.objects.get().marks == {"director": ["黄振华"], "member": ["印彦邦", "张伟"]}


def test_it_keeps_refused_keys_in_the_field(client, election, street_staff):
    client.force_login(street_staff)
    page = client.post(entry_url(election), {"keys": "7", "serial": "1"}, **HTMX).content.decode()
    assert "主任没有 7 号候选人" in page and 'value="7"' in page
    assert not EntryPaper.objects.exists()


def test_it_refuses_the_second_pass_to_the_first_clerk_through_htmx(client, election, street_staff):
    client.force_login(street_staff)
    client.post(entry_url(election), {"keys": "1"}, **HTMX)
    page = client.post(entry_url(election, 2), {"keys": "1"}, **HTMX).content.decode()
    assert "不同的录入员" in page and EntryPaper.objects.count() == 1


def test_it_still_takes_names_without_htmx(client, election, street_staff):
    client.force_login(street_staff)
    response = client.post(entry_url(election), {"p-director": ["吴逸芸"], "serial": ""})
    assert response.status_code == 302
    assert EntryPaper.objects.get().marks == {"director": ["吴逸芸"]}


def board_url(election):
    return f"/elections/board/{board.board_token(election)}/"


def test_it_opens_the_board_for_the_counting_team_only(client, election, street_staff, community):
    url = f"/elections/{election.pk}/board/"
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(committee_of(community))
    assert client.get(url).status_code == 403
    client.force_login(staff_of(ElectionFactory().community.street))
    assert client.get(url).status_code == 404
    client.force_login(street_staff)
    response = client.get(url)
    assert response.status_code == 302 and response.url == board_url(election)


def test_it_counts_the_first_pass_as_it_is_called_out(client, election):
    box, clerk = election.boxes.get(code="C"), UserFactory()
    for keys in ("1 0 12", "2 0 1", "12 0 3", "*", "1 0 +赵六"):
        entry.record_keys(box=box, pass_number=1, clerk=clerk, keys=keys)
    entry.record_keys(box=box, pass_number=2, clerk=UserFactory(), keys="2")  # the second pass is not called out
    count = board.board_counts(election=election)
    director = {c["name"]: c["votes"] for c in count["positions"][0]["candidates"]}
    assert count["papers"] == 5 and count["spoiled"] == 1
    assert director == {"吴逸芸": 2, "黄振华": 1}  # the over-marked "12" counts for nobody
    member = count["positions"][2]
    assert [(c["number"], c["votes"]) for c in member["candidates"]] == [(1, 2), (2, 1), (3, 1)]
    assert member["write_ins"] == [("赵六", 1)]


def test_it_counts_committed_boxes_from_their_ballots(election):
    box = election.boxes.get(code="C")
    for clerk, pass_number in ((UserFactory(), 1), (UserFactory(), 2)):
        for keys in ("1", "1", "2"):
            entry.record_keys(box=box, pass_number=pass_number, clerk=clerk, keys=keys)
    entry.commit_box(box=box)
    count = board.board_counts(election=election)
    assert count["papers"] == 3
    assert [c["votes"] for c in count["positions"][0]["candidates"]] == [2, 1]


def test_it_writes_votes_as_zheng_marks():
    assert [board.tally_marks(n) for n in (0, 3, 5, 12)] == ["", "下", "正", "正正丅"]


def test_the_board_is_public_to_the_link_and_shows_no_voter_data(client, election):
    box = election.boxes.get(code="C")
    entry.record_keys(box=box, pass_number=1, clerk=UserFactory(username="clerk-a"), keys="2 0 13")
    page = client.get(board_url(election)).content.decode()
    assert "唱票板" in page and "黄振华" in page and 'hx-trigger="every 1s"' in page
    assert "选民甲" not in page and "clerk-a" not in page
    counts = client.get(f"{board_url(election)}counts/").content.decode()
    assert counts.startswith('<main id="board-counts"') and '<td class="votes">1</td>' in counts


def test_the_board_refuses_a_forged_token_and_an_election_not_counting(client, election):
    forged = signing.dumps(election.pk, salt="another")
    assert client.get(f"/elections/board/{forged}/").status_code == 404
    stages.at_stage(election, ElectionStatus.VOTING)
    assert client.get(board_url(election)).status_code == 404


def test_the_board_stops_polling_once_the_count_is_closed(client, election):
    stages.at_stage(election, ElectionStatus.CLOSED)
    page = client.get(board_url(election)).content.decode()
    assert "计票结束" in page and "hx-trigger" not in page


def test_it_links_the_board_from_the_counting_page_and_the_election_page(client, election, street_staff, community):
    link = f'href="/elections/{election.pk}/board/"'
    client.force_login(street_staff)
    for page in (f"/elections/{election.pk}/", f"/elections/{election.pk}/boxes/",
                 entry_url(election)):
        assert link in client.get(page).content.decode(), page
    client.force_login(committee_of(community))  # views the election, cannot open the board (403 above)
    assert link not in client.get(f"/elections/{election.pk}/").content.decode()
    client.force_login(street_staff)
    stages.at_stage(election, ElectionStatus.VOTING)
    for page in (f"/elections/{election.pk}/", f"/elections/{election.pk}/boxes/"):
        assert link not in client.get(page).content.decode(), page


def test_it_shows_each_box_progress_per_pass_and_per_clerk(client, election, street_staff):
    box = election.boxes.get(code="C")
    first_a, first_b, second = UserFactory(username="clerk-a"), UserFactory(username="clerk-b"), street_staff
    for clerk, pass_number in ((first_a, 1), (first_a, 1), (second, 2), (first_b, 1)):
        entry.record_keys(box=box, pass_number=pass_number, clerk=clerk, keys="1")
    row = voting.box_summary(election=election)[0]
    assert (row["first"], row["second"]) == (3, 1)
    assert row["first_clerks"] == [("clerk-a", 2), ("clerk-b", 1)]
    assert row["second_clerks"] == [(street_staff.username, 1)]
    client.force_login(street_staff)
    page = client.get(f"/elections/{election.pk}/boxes/").content.decode()
    assert '<span class="muted clerk">clerk-a 2</span> <span class="muted clerk">clerk-b 1</span>' in page
    assert f'<span class="muted clerk">{street_staff.username} 1</span>' in page
