"""Disputed ballots (疑难选票): entered as disputed, numbered in the election, decided by the election committee
by vote, counted only as decided, none left undecided at the close, printed on the 疑难选票认定表."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from elections.models import Ballot, BallotStatus, DisputedBallot, DisputedDecision, ElectionStatus, EntryPaper
from elections.services import certification as cert
from elections.services import disputed as service
from elections.services import entry, sheets, voting
from elections.services.archive import export_election, import_election, parse
from elections.services.tally import tally, tally_baseline_sql, votes_by_position
from lib.dates import written_date
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import UserFactory

from . import stages

pytestmark = pytest.mark.django_db

# Box C's six papers as both clerks read them: (keys, issue). Director 1 甲 2 乙; member 1 丙 2 丁.
PAPERS = [
    ("1 0 12", ""),
    ("1 0 1", ""),
    ("2 0 2", ""),
    ("2 0 12", "主任栏符号不清"),
    ("1 0 1", "委员栏有涂改"),
    ("2", "画圈而不是打勾"),
]


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=10)
    for code, name in [("director", "甲"), ("director", "乙"), ("member", "丙"), ("member", "丁")]:
        CandidateFactory(position=election.positions.get(code=code), name=name)
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=6)
    voting.add_box(election=election, code="U", kind="station", name="投票站", issued=2)
    stages.form_committee(election)
    return stages.counting(election)


def enter(box, papers):
    """Both passes of `box` typed by two clerks, then committed."""
    for pass_number in (1, 2):
        clerk = UserFactory()
        for keys, issue in papers:
            entry.record_keys(box=box, pass_number=pass_number, clerk=clerk,
                               keys=f"{keys} ?{issue}" if issue else keys)
    entry.commit_box(box=box)


def decide(election, number, decision, void=(), votes=(5, 1, 1)):
    found = DisputedBallot.objects.get(election=election, number=number)
    return service.decide(disputed=found, decision=decision, void_posts=list(void), votes_for=votes[0],
                          votes_against=votes[1], votes_abstain=votes[2], decided_on=timezone.localdate(),
                          user=UserFactory())


def counts(result, code):
    return {c["name"]: c["votes"] for p in result["positions"] if p["code"] == code for c in p["candidates"]}


def test_it_enters_a_paper_as_disputed_with_its_issue_after_a_question_mark(election):
    box = election.boxes.get(code="C")
    paper = entry.record_keys(box=box, pass_number=1, clerk=UserFactory(), keys="2 0 12 ？主任栏符号不清")
    assert paper.issue == "主任栏符号不清" and not paper.spoiled
    assert paper.marks == {"director": ["乙"], "member": ["丙", "丁"]}
    plain = entry.record_keys(box=box, pass_number=1, clerk=paper.clerk, keys="1")
    assert plain.issue == ""


def test_it_refuses_a_disputed_paper_without_an_issue_or_that_is_also_spoiled(election):
    box, clerk = election.boxes.get(code="C"), UserFactory()
    with pytest.raises(ValidationError, match="写明疑难问题"):
        entry.record_keys(box=box, pass_number=1, clerk=clerk, keys="1 ?")
    with pytest.raises(ValidationError, match="写明疑难问题"):
        entry.record_paper(box=box, pass_number=1, clerk=clerk, marks={}, disputed=True, issue=" ")
    with pytest.raises(ValidationError, match="无效票不能同时是疑难选票"):
        entry.record_keys(box=box, pass_number=1, clerk=clerk, keys="* ?看不清")
    session = entry.record_keys(box=box, pass_number=1, clerk=clerk, keys="1").session
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryPaper.objects.create(session=session, serial=9, clerk=clerk, spoiled=True, issue="看不清")


def test_the_two_passes_must_agree_that_a_paper_is_disputed_not_on_the_words(election):
    box = election.boxes.get(code="C")
    entry.record_keys(box=box, pass_number=1, clerk=UserFactory(), keys="1 ?主任栏不清")
    entry.record_keys(box=box, pass_number=2, clerk=UserFactory(), keys="1")
    assert [d["serial"] for d in entry.compare_box(box=box)["differences"]] == [1]
    second = EntryPaper.objects.get(session__box=box, session__pass_number=2)
    entry.correct_paper(paper=second, clerk=second.clerk, marks={"director": ["甲"]}, disputed=True,
                         issue="符号像叉")
    assert entry.compare_box(box=box)["agree"]
    entry.commit_box(box=box)
    assert DisputedBallot.objects.get().issue == "主任栏不清；符号像叉"


def test_it_numbers_the_disputed_papers_of_an_election_one_two_three_across_boxes(election):
    enter(election.boxes.get(code="C"), PAPERS)
    enter(election.boxes.get(code="U"), [("1", ""), ("2", "姓名写在框外")])
    numbered = [(d.number, d.ballot.box.code, d.ballot.serial, d.ballot.status)
                for d in DisputedBallot.objects.select_related("ballot__box").order_by("number")]
    assert numbered == [(1, "C", 4, "disputed"), (2, "C", 5, "disputed"), (3, "C", 6, "disputed"),
                        (4, "U", 2, "disputed")]
    with pytest.raises(IntegrityError), transaction.atomic():
        DisputedBallot.objects.create(election=election, ballot=Ballot.objects.get(box__code="C", serial=1),
                                      number=1, issue="重号")


def test_a_disputed_paper_counts_for_nobody_until_decided_then_as_decided(election):
    enter(election.boxes.get(code="C"), PAPERS)
    before = tally(election=election)
    # Undecided: papers 4–6 count for nobody and are neither valid nor invalid.
    assert counts(before, "director") == {"甲": 2, "乙": 1}
    assert counts(before, "member") == {"丙": 2, "丁": 2}
    assert (before["ballots_returned"], before["ballots_valid"], before["ballots_invalid"]) == (6, 3, 0)

    decide(election, 1, DisputedDecision.PARTLY, void=["director"])  # 乙 not counted, 丙 丁 counted
    decide(election, 2, DisputedDecision.INVALID)                    # an invalid ballot: nobody
    decide(election, 3, DisputedDecision.VALID)                      # 乙 counted
    after = tally(election=election)
    # By hand: director 甲 papers 1, 2; 乙 papers 3, 6. Member 丙 papers 1, 2, 4; 丁 papers 1, 3, 4.
    assert counts(after, "director") == {"甲": 2, "乙": 2}
    assert counts(after, "member") == {"丙": 3, "丁": 3}
    assert (after["ballots_returned"], after["ballots_valid"], after["ballots_invalid"]) == (6, 5, 1)
    positions = list(election.positions.order_by("order", "id"))
    # The benchmark's hand-written SQL counts the same (it leaves out posts nobody got a vote for).
    assert tally_baseline_sql(election=election) == {
        pk: votes for pk, votes in votes_by_position(election, positions).items() if votes}
    assert list(Ballot.objects.filter(box__code="C").order_by("serial").values_list("status", flat=True)) == [
        "", "", "", "", BallotStatus.SPOILED, ""]


def test_it_refuses_to_close_the_count_while_a_disputed_paper_is_undecided(election):
    enter(election.boxes.get(code="C"), PAPERS)
    enter(election.boxes.get(code="U"), [("1", ""), ("1", "")])
    decide(election, 1, DisputedDecision.VALID)
    with pytest.raises(ValidationError, match="还有 2 张疑难选票（第 2、3 号）未经选举委员会认定，不能结束计票"):
        cert.close_counting(election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTING
    decide(election, 2, DisputedDecision.INVALID)
    decide(election, 3, DisputedDecision.VALID)
    cert.close_counting(election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CLOSED
    with pytest.raises(ValidationError, match="计票已经结束"):
        decide(election, 3, DisputedDecision.INVALID)


def test_a_decision_needs_the_committees_majority_a_lawful_vote_and_the_posts_left_out(election):
    enter(election.boxes.get(code="C"), PAPERS)
    with pytest.raises(ValidationError, match="未过参加表决的 7 人半数"):
        decide(election, 1, DisputedDecision.VALID, votes=(3, 2, 2))
    with pytest.raises(ValidationError, match="多于选举委员会成员 7 人"):
        decide(election, 1, DisputedDecision.VALID, votes=(7, 1, 0))
    with pytest.raises(ValidationError, match="须选出不计票的职位"):
        decide(election, 1, DisputedDecision.PARTLY)
    with pytest.raises(ValidationError, match="应认定为无效票"):
        decide(election, 1, DisputedDecision.PARTLY, void=["director", "deputy", "member"])
    found = DisputedBallot.objects.get(number=1)
    with pytest.raises(ValidationError, match="还没有到"):
        service.decide(disputed=found, decision="valid", void_posts=[], votes_for=5, votes_against=0,
                       votes_abstain=0, decided_on=timezone.localdate() + datetime.timedelta(days=1))
    found.refresh_from_db()
    assert found.decision == DisputedDecision.PENDING
    # The database holds the rule whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        DisputedBallot.objects.filter(pk=found.pk).update(decision="valid", votes_for=2, votes_against=2,
                                                          votes_abstain=0, decided_on=timezone.localdate())


def test_an_archive_carries_disputed_papers_as_decided_and_imports_them_again(election):
    enter(election.boxes.get(code="C"), PAPERS)
    decide(election, 1, DisputedDecision.PARTLY, void=["director"])
    decide(election, 2, DisputedDecision.INVALID)
    decide(election, 3, DisputedDecision.VALID)
    archive = export_election(election=election)
    by_serial = {b["serial"]: b for b in archive["ballots"]}
    # `marks` are what counts, so any reader of the format tallies the papers as decided.
    assert by_serial[4]["marks"] == {"member": ["丙", "丁"]} and by_serial[4]["status"] == ""
    assert by_serial[4]["disputed"]["marks"] == {"director": ["乙"], "member": ["丙", "丁"]}
    assert by_serial[5]["status"] == "spoiled" and by_serial[5]["marks"] == {}
    assert by_serial[6]["disputed"] | {"decided_on": None} == {
        "number": 3, "issue": "画圈而不是打勾", "decision": "valid", "void_posts": [], "marks": {"director": ["乙"]},
        "votes": {"for": 5, "against": 1, "abstain": 1}, "decided_on": None}
    assert "disputed" not in by_serial[1]
    copy = import_election(archive | {"community": archive["community"] | {"code": "COPY"}})
    assert tally(election=copy)["positions"] == tally(election=election)["positions"]
    assert list(copy.disputed_ballots.order_by("number").values_list("number", "decision", "void_posts")) == [
        (1, "partly", ["director"]), (2, "invalid", []), (3, "valid", [])]
    assert export_election(election=copy)["ballots"] == archive["ballots"]


def test_an_archive_refuses_an_undecided_or_inconsistent_disputed_paper(election):
    enter(election.boxes.get(code="C"), PAPERS)
    archive = export_election(election=election)
    with pytest.raises(ValidationError, match=r"ballots\[3\]\.disputed\.decision"):
        parse(archive)
    decide(election, 1, DisputedDecision.INVALID)
    decide(election, 2, DisputedDecision.VALID)
    decide(election, 3, DisputedDecision.VALID)
    archive = export_election(election=election)
    archive["ballots"][3]["status"] = ""
    with pytest.raises(ValidationError, match=r"ballots\[3\]\.status"):
        parse(archive)
    del archive["ballots"][3]["disputed"]
    archive["ballots"][3]["status"] = "disputed"
    with pytest.raises(ValidationError, match=r"ballots\[3\]\.disputed"):
        parse(archive)


def test_machine_read_ballots_cannot_be_disputed(election):
    with pytest.raises(ValidationError, match="status"):
        sheets.import_ballots(election=election, text="box,serial,position,marks,status\nU,1,director,甲,disputed\n")


def test_a_certified_election_seals_its_disputed_papers(election):
    enter(election.boxes.get(code="C"), PAPERS)
    for number in (1, 2, 3):
        decide(election, number, DisputedDecision.VALID)
    enter(election.boxes.get(code="U"), [("1", ""), ("1", "")])
    stages.certify(election)
    found = DisputedBallot.objects.get(number=1)
    found.issue = "改"
    with pytest.raises(ValidationError):
        found.save()


# Views: the decisions page is the counting team's; the 认定表 is theirs during the count, the community's after.

def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_disputed_pages_refuse_anonymous_visitors_and_the_wrong_role(client, login, committee_user,
                                                                       foreign_street_staff, election):
    for url in (f"/elections/{election.pk}/disputed/", f"/elections/{election.pk}/disputed.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        assert login(committee_user).get(url).status_code == 403
        assert login(foreign_street_staff).get(url).status_code == 404
    assert login(committee_user).post(f"/elections/{election.pk}/disputed/", {"number": 1}).status_code == 403


def test_street_staff_mark_a_paper_disputed_and_record_the_decision_through_the_pages(login, street_staff, election):
    client = login(street_staff)
    box = election.boxes.get(code="C")
    page = client.get(f"/elections/{election.pk}/boxes/{box.pk}/entry/1/").content.decode()
    assert 'name="disputed"' in page and 'name="issue"' in page
    client.post(f"/elections/{election.pk}/boxes/{box.pk}/entry/1/",
                {"serial": "", "p-director": ["乙"], "issue": "主任栏符号不清", "disputed": "1"})
    assert EntryPaper.objects.get().issue == "主任栏符号不清"
    clerk = UserFactory()
    entry.record_keys(box=box, pass_number=2, clerk=clerk, keys="2 ?看不清")
    entry.commit_box(box=box)
    assert f"elections/{election.pk}/disputed/" in client.get(f"/elections/{election.pk}/boxes/").content.decode()
    listing = client.get(f"/elections/{election.pk}/disputed/").content.decode()
    assert "主任栏符号不清；看不清" in listing and "1 张未认定：第 1 号" in listing
    refused = client.post(f"/elections/{election.pk}/disputed/", {
        "number": 1, "decision": "valid", "votes_for": 2, "votes_against": 3, "votes_abstain": 0,
        "decided_on": timezone.localdate().isoformat()}, follow=True).content.decode()
    assert "认定未通过" in refused and 'value="2"' in refused  # the refused vote stays in the form
    client.post(f"/elections/{election.pk}/disputed/", {
        "number": 1, "decision": "valid", "votes_for": 6, "votes_against": 1, "votes_abstain": 0,
        "decided_on": timezone.localdate().isoformat()})
    decided = DisputedBallot.objects.get(number=1)
    assert (decided.decision, decided.votes_for, decided.recorded_by) == ("valid", 6, street_staff)
    assert client.post(f"/elections/{election.pk}/disputed/", {
        "number": 99, "decision": "valid", "votes_for": 6, "votes_against": 1, "votes_abstain": 0,
        "decided_on": timezone.localdate().isoformat()}).status_code == 404


def test_the_disputed_ballot_form_prints_as_a_pdf_with_each_papers_number(login, street_staff, committee_user,
                                                                         election, tmp_path):
    enter(election.boxes.get(code="C"), PAPERS)
    decide(election, 1, DisputedDecision.PARTLY, void=["director"])
    url = f"/elections/{election.pk}/disputed.pdf"
    response = login(street_staff).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "疑难选票认定表" in text and "主任栏符号不清" in text and "部分有效" in text
    assert "主任不计票" in text and "同意 5 票" in text and "赵主任" in text
    assert all(f"\n{n}\n" in text for n in (1, 2, 3))
    assert login(committee_user).get(url).status_code == 403  # the count is still open


def test_it_prints_the_disputed_form_on_one_page_with_the_date_unbroken_and_the_chairs_first(login, street_staff,
                                                                                           election, tmp_path):
    enter(election.boxes.get(code="C"), PAPERS)
    decide(election, 1, DisputedDecision.PARTLY, void=["director"])
    vice = election.committee_members.order_by("id")[1]
    vice.role = "vice_chair"
    vice.save()
    response = login(street_staff).get(f"/elections/{election.pk}/disputed.pdf")
    text = pdf_text(response.content, tmp_path)
    assert "选举日：" + written_date(election.election_day) in text  # not broken across lines
    # The seal and the date stay on the page of the signature table, for the usual 7-member committee.
    assert text.count("\f") == 1
    signers = [line for line in text.splitlines() if line.endswith(("（主任）", "（副主任）", "（委员）"))]
    assert [s.split("（")[1] for s in signers[:2]] == ["主任）", "副主任）"] and len(signers) == 7


def test_it_joins_the_undecided_numbers_with_the_chinese_comma_when_the_refusal_is_not_translated(election):
    enter(election.boxes.get(code="C"), PAPERS)
    enter(election.boxes.get(code="U"), [("1", ""), ("1", "")])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        cert.close_counting(election=election)
    message = refused.value.messages[0]
    # The separator follows the language the sentence is shown in, translated or not.
    assert ("第 1、2、3 号" in message) == ("疑难选票" in message) and "第 1, 2" not in message
