"""Every page of polling day, counting and the result: anonymous, wrong community or role, right role."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from elections.models import Ballot, BallotIssue, Certification, ElectionStatus, EntryPaper, VoterRollEntry
from elections.services import certification as cert
from elections.services import entry, sheets, voting
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import UserFactory, staff_of
from tests.residents.factories import ResidentFactory

from . import stages

pytestmark = pytest.mark.django_db

CSV = "box,serial,position,marks,status\n"


@pytest.fixture
def election(community):
    """Election day is today; box C is entered on paper, box U by a machine-read file."""
    election = ElectionFactory(community=community, positions=True, election_day=timezone.localdate(),
                               registered_voters=6)
    CandidateFactory(position=election.positions.get(code="director"), name="甲", gender="F")
    CandidateFactory(position=election.positions.get(code="director"), name="乙")
    voting.add_box(election=election, code="C", kind="venue", name="中心会场", issued=3)
    voting.add_box(election=election, code="U", kind="station", name="投票站", issued=3)
    return election


@pytest.fixture
def counting(election, street_staff):
    stages.counting(election)
    box = election.boxes.get(code="C")
    paper = entry.record_paper(box=box, pass_number=1, clerk=street_staff, marks={"director": ["甲"]})
    return election, box, paper


def enter_box_c(election, box):
    """The second pass of box C agrees with the first: the box is committed."""
    entry.record_paper(box=box, pass_number=2, clerk=UserFactory(), marks={"director": ["甲"]})
    entry.commit_box(box=box)


def run_only_pages(election, box, paper):
    base = f"/elections/{election.pk}"
    return [f"{base}/boxes/", f"{base}/boxes/{box.pk}/entry/1/", f"{base}/boxes/{box.pk}/compare/",
            f"{base}/boxes/{box.pk}/sheet/", f"{base}/entered/{paper.pk}/"]


def test_counting_pages_send_anonymous_visitors_to_login(client, counting):
    for url in run_only_pages(*counting) + [f"/elections/{counting[0].pk}/result/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_counting_pages_are_hidden_from_another_street(login, foreign_street_staff, counting):
    client = login(foreign_street_staff)
    for url in run_only_pages(*counting) + [f"/elections/{counting[0].pk}/result/"]:
        assert client.get(url).status_code == 404, url


def test_counting_pages_refuse_the_committee_and_other_roles(login, committee_user, supervision_user, outsider,
                                                             counting):
    for user in (committee_user, supervision_user, outsider):
        client = login(user)
        for url in run_only_pages(*counting):
            assert client.get(url).status_code == 403, url


def test_counting_pages_open_for_the_counting_team(login, street_staff, counting):
    client = login(street_staff)
    for url in run_only_pages(*counting):
        assert client.get(url).status_code == 200, url


def test_the_result_is_hidden_from_the_committee_until_counting_is_closed(login, committee_user,
                                                                         other_committee_user, street_staff, counting):
    election = counting[0]
    url = f"/elections/{election.pk}/result/"
    assert login(committee_user).get(url).status_code == 403
    assert login(street_staff).get(url).status_code == 200
    enter_box_c(election, election.boxes.get(code="C"))
    sheets.import_ballots(election=election, text=CSV + "U,1,director,甲,\n")
    cert.close_counting(election=election)
    assert login(committee_user).get(url).status_code == 200
    assert login(other_committee_user).get(url).status_code == 404


def test_posts_refuse_anonymous_and_the_wrong_role(client, login, committee_user, counting):
    election = counting[0]
    base = f"/elections/{election.pk}"
    posts = [f"{base}/boxes/", f"{base}/boxes/issue/", f"{base}/boxes/stage/", f"{base}/boxes/upload/",
             f"{base}/result/confirm/", f"{base}/result/publish/", f"{base}/result/handover/"]
    for url in posts:
        assert client.post(url).status_code == 302, url
        assert login(committee_user).post(url).status_code == 403, url
    assert election.boxes.count() == 2


def test_street_staff_add_a_box_issue_a_ballot_and_open_counting(login, street_staff, election):
    client = login(street_staff)
    base = f"/elections/{election.pk}"
    client.post(f"{base}/boxes/", {"code": "S2", "kind": "station", "name": "第二投票站", "issued": 0})
    assert election.boxes.filter(code="S2").exists()
    voter = VoterRollEntry.objects.create(election=election, resident=ResidentFactory(community=election.community),
                                          group_name="一组", serial=7)
    stages.appoint_counting_staff(election)
    stages.at_stage(election, ElectionStatus.CANDIDATES_POSTED, registered_voters=8)
    client.post(f"{base}/boxes/stage/", {"step": "polling"})
    box = election.boxes.get(code="C")
    client.post(f"{base}/boxes/issue/", {"box": box.pk, "voter": 7})
    assert BallotIssue.objects.filter(voter=voter).exists()
    page = client.post(f"{base}/boxes/issue/", {"box": box.pk, "voter": 7}, follow=True)
    assert "已经领取过选票" in page.content.decode()
    page = client.post(f"{base}/boxes/stage/", {"step": "counting"}, follow=True).content.decode()
    assert "须清点并登记作废销毁的剩余选票" in page
    # 8 voters, no spare ballots, 3 + 3 + 0 issued to the boxes and 1 at the check: 1 left to destroy.
    page = client.post(f"{base}/boxes/ballots/destroyed/", {"destroyed": "2"}, follow=True).content.decode()
    assert "销毁 2 张与账面不符" in page and "剩余 1 张" in page
    client.post(f"{base}/boxes/ballots/destroyed/", {"destroyed": "1"})
    client.post(f"{base}/boxes/stage/", {"step": "counting"})
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTING and election.ballots_destroyed == 1


def test_the_entry_page_records_a_paper_and_a_tally_sheet_page_refuses_with_the_reason(login, street_staff, counting):
    election, box, _ = counting
    client = login(street_staff)
    base = f"/elections/{election.pk}/boxes/{box.pk}"
    page = client.get(f"{base}/entry/1/").content.decode()
    assert 'list="names-director"' in page and '<option value="甲">' in page and 'value="2"' in page
    client.post(f"{base}/entry/1/", {"serial": "", "p-director": ["乙", ""], "p-member": ["丙", "", "", "", "", ""]})
    assert EntryPaper.objects.filter(serial=2, marks={"director": ["乙"], "member": ["丙"]}).exists()
    response = client.post(f"{base}/sheet/", {"returned": "3", "valid": "1", "invalid": "1", "p-director": "甲 1"})
    assert response.status_code == 400 and "已按“逐张录入（双人核对）”录入" in response.content.decode()
    other = election.boxes.get(code="U")
    response = client.post(f"/elections/{election.pk}/boxes/{other.pk}/sheet/",
                           {"returned": "3", "valid": "1", "invalid": "1", "p-director": "甲 1"})
    assert response.status_code == 400
    assert "与收回选票 3 张不符" in response.content.decode() and 'value="3"' in response.content.decode()


def test_a_certified_election_refuses_changes_through_the_views(login, street_staff, counting):
    election, box, paper = counting
    enter_box_c(election, box)
    sheets.import_ballots(election=election, text=CSV + "U,1,director,甲,\n")
    certification = stages.certify(election)
    client = login(street_staff)
    base = f"/elections/{election.pk}"
    responses = [
        client.post(f"{base}/boxes/", {"code": "M9", "kind": "mobile", "name": "x", "issued": 0}, follow=True),
        client.post(f"{base}/boxes/{box.pk}/entry/1/", {"p-director": ["乙"]}, follow=True),
        client.post(f"{base}/boxes/{box.pk}/sheet/", {"returned": "1", "valid": "1", "invalid": "0"}),
        client.post(f"{base}/entered/{paper.pk}/", {"p-director": ["乙"]}, follow=True),
        client.post(f"{base}/boxes/stage/", {"step": "counting"}, follow=True),
        client.post(f"{base}/result/confirm/", follow=True),
    ]
    for response in responses:
        assert "选举结果已确认并封存" in response.content.decode()
    assert Ballot.objects.count() == 2
    assert not election.boxes.filter(code="M9").exists()
    assert Certification.objects.get().second_confirmed_by == certification.second_confirmed_by


def pdf_text(content: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_result_report_and_winners_notice_are_pdfs_for_the_communitys_staff(client, login, committee_user,
                                                                             foreign_street_staff, counting,
                                                                             tmp_path):
    election, box, _ = counting
    enter_box_c(election, box)
    sheets.import_ballots(election=election, text=CSV + "U,1,director,甲,\nU,2,director,乙,\nU,3,director,甲,\n")
    url = f"/elections/{election.pk}/result.pdf"
    assert login(committee_user).get(url).status_code == 403  # counting: the result is the counting team's
    cert.close_counting(election=election, user=UserFactory())
    draft = login(committee_user).get(url)  # closed: the report prints for signing, marked uncertified
    text = pdf_text(draft.content, tmp_path)
    assert draft.status_code == 200 and "结果尚未确认" in text and election.certification.doc_number in text
    assert "总监票人（签字）" in text and "监票人（签字）" in text and "计票人（签字）" in text
    assert "参选率" in text and "66.67%" in text  # 4 of 6
    assert login(committee_user).get(f"/elections/{election.pk}/winners.pdf").status_code == 403
    stages.certify(election)
    assert client.get(url).status_code == 302
    assert login(foreign_street_staff).get(url).status_code == 404
    response = login(committee_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "选举结果报告单" in text and "甲" in text and "周监票" in text and "结果尚未确认" not in text
    notice = login(committee_user).get(f"/elections/{election.pk}/winners.pdf")
    assert "甲（3票）当选" in pdf_text(notice.content, tmp_path)


def test_an_invalid_election_elects_nobody_and_cannot_have_a_further_round(login, street_staff, counting):
    election, box, _ = counting
    enter_box_c(election, box)
    sheets.import_ballots(election=election, text=CSV + "U,1,director,甲,\nU,2,director,甲,\n")
    result = stages.certify(election).result  # 3 of 6 voted: not more than half
    assert not result["valid"] and all(p["elected"] == [] for p in result["positions"])
    page = login(street_staff).get(f"/elections/{election.pk}/result/").content.decode()
    assert "选举无效：无人当选，须依法重新组织选举。" in page and "安排另行选举" not in page
    with pytest.raises(ValidationError, match="选举无效，无人当选"):
        cert.create_further_round(election=election, election_day=election.election_day + datetime.timedelta(days=7))
    cert.publish_result(election=election)
    assert "本次选举无人当选，须依法重新组织选举。" in cert.result_text(election, result)


def test_posts_are_404_for_another_street(login, foreign_street_staff, counting):
    election = counting[0]
    client = login(foreign_street_staff)
    base = f"/elections/{election.pk}"
    for url in [f"{base}/boxes/issue/", f"{base}/boxes/stage/", f"{base}/boxes/upload/", f"{base}/result/confirm/",
                f"{base}/result/correct/"]:
        assert client.post(url).status_code == 404, url
    assert client.get(f"{base}/winners.pdf").status_code == 404


def test_street_staff_upload_ballots_and_run_the_result_acts(login, street_staff, counting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    election, box, _ = counting
    enter_box_c(election, box)
    client = login(street_staff)
    base = f"/elections/{election.pk}"
    bad = SimpleUploadedFile("b.csv", (CSV + "X,1,director,甲,\n").encode())
    page = client.post(f"{base}/boxes/upload/", {"file": bad}, follow=True).content.decode()
    assert "第 2 行 box: 票箱“X”不属于本次选举" in page
    good = SimpleUploadedFile("b.csv", (CSV + "U,1,director,甲,\nU,2,director,甲,\nU,3,member,丙,\n").encode())
    client.post(f"{base}/boxes/upload/", {"file": good})
    assert Ballot.objects.filter(election=election).count() == 4
    client.post(f"{base}/boxes/stage/", {"step": "close"})
    staff = stages.appoint_counting_staff(election)
    page = client.post(f"{base}/result/sign/", {"workers": [staff["chief"].pk, staff["counter"].pk]},
                       follow=True).content.decode()
    assert "请上传签字后的报告单扫描件" in page
    fake = SimpleUploadedFile("scan.pdf", b"MZ not a scan")
    page = client.post(f"{base}/result/sign/", {"workers": [staff["chief"].pk, staff["counter"].pk], "scan": fake},
                       follow=True).content.decode()
    assert "扫描件须是PDF、JPG或PNG文件" in page
    client.post(f"{base}/result/sign/", {"workers": [staff["chief"].pk, staff["counter"].pk],
                                         "scan": stages.scan()})
    client.post(f"{base}/result/confirm/")
    page = client.post(f"{base}/result/confirm/", follow=True).content.decode()
    assert "同一账号不能确认两次" in page
    login(staff_of(election.community.street)).post(f"{base}/result/confirm/")
    certification = Certification.objects.get(election=election)
    assert certification.certified_at is not None
    client.post(f"{base}/result/correct/", {"reason": "笔误", "text": "公告中“丙”应为“丙某”"})
    assert election.corrections.get().reason == "笔误"
    client.post(f"{base}/result/publish/")
    client.post(f"{base}/result/further/", {"election_day": str(election.election_day + datetime.timedelta(days=7))})
    assert election.followups.get().kind == "further"
    client.post(f"{base}/result/handover/")
    certification.refresh_from_db()
    assert certification.published_at and certification.term.members.get().name == "甲"
    page = client.get(f"{base}/result/").content.decode()
    assert "笔误" in page and "另行选举" in page and "已于" in page
