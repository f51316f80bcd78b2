"""Elections III, sections 4, 5 and 8–10: double entry, certification by different people, irreversible steps
asking first, errors in words, the result report."""


import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import (
    CountingRole,
    ElectionStatus,
)
from elections.services import certification as cert
from elections.services import entry, roll, setup, sheets
from tests.elections.factories import ElectionFactory
from tests.factories import UserFactory
from tests.residents.factories import ResidentFactory

from .. import stages
from ..archives import small_archive, votes
from .common import DAY, TODAY

pytestmark = pytest.mark.django_db


# 4. Double entry cannot be bypassed ----------------------------------------------------------------------------


def test_a_box_with_a_paper_pass_refuses_a_machine_file_and_a_sheet(counting_two_boxes):
    election, paper, _ = counting_two_boxes
    entry.record_paper(box=paper, pass_number=1, clerk=UserFactory(), marks={"director": ["甲"]})
    with pytest.raises(ValidationError, match="第 2 行 box: 票箱 P 已经录入、已撤销或正在以其他方式录入"):
        sheets.import_ballots(election=election, text="box,serial,position,marks,status\nP,1,director,甲,\n")
    with pytest.raises(ValidationError, match="已按“逐张录入（双人核对）”录入，不能再改用“手工计票单”"):
        sheets.enter_tally_sheet(box=paper, returned=1, valid=1, invalid=0, counts={}, user=UserFactory())
    paper.refresh_from_db()
    assert not paper.entered


def test_a_tally_sheet_counts_only_once_a_second_clerk_confirms_it(counting_two_boxes, login, street_staff):
    election, _, sheet = counting_two_boxes
    sheets.enter_tally_sheet(box=sheet, returned=3, valid=3, invalid=0, counts={"director": {"甲": 3}},
                             user=street_staff)
    sheet.refresh_from_db()
    assert not sheet.entered
    with pytest.raises(ValidationError, match="另一名录入员核对"):
        sheets.confirm_tally_sheet(box=sheet, user=street_staff)
    url = reverse("elections:sheet_act", args=[election.pk, sheet.pk, "confirm"])
    page = login(street_staff).post(url, follow=True).content.decode()
    assert "另一名录入员核对" in page
    second = stages.staff_of_street(election)
    login(second).post(url)
    sheet.refresh_from_db()
    assert sheet.entered and sheet.tally_sheet.confirmed_by == second
    with pytest.raises(ValidationError, match="票箱 S 已经录入"):
        sheets.import_ballots(election=election, text="box,serial,position,marks,status\nS,9,director,甲,\n")


# 5. Certification needs different people (signatures and confirmations: test_certification.py) ----------------


def test_one_person_cannot_both_scrutinise_and_count(election):
    setup.add_worker(election=election, name="周某", role=CountingRole.SCRUTINEER)
    with pytest.raises(ValidationError, match="同一人不能既监票又计票"):
        setup.add_worker(election=election, name="周某", role=CountingRole.COUNTER)
    assert setup.add_worker(election=election, name="周某", role=CountingRole.CALLER)


# 8. Irreversible steps ask first -------------------------------------------------------------------------------


def test_every_irreversible_step_asks_for_confirmation_saying_what_is_frozen(community, login, street_staff):
    client = login(street_staff)
    ResidentFactory(community=community)
    election = ElectionFactory(community=community, election_day=DAY, positions=True)
    roll.build_voter_roll(election=election)
    assert "公布后选民名单冻结" in client.get(reverse("elections:roll", args=[election.pk])).content.decode()
    stages.at_stage(election, ElectionStatus.ROLL_POSTED)
    assert "公布后提名和正式候选人不能再更改" in client.get(
        reverse("elections:candidates", args=[election.pk])).content.decode()
    for status, words in [(ElectionStatus.CANDIDATES_POSTED, "开始投票后，票箱、工作人员"),
                          (ElectionStatus.VOTING, "开始计票后不能再发放选票"),
                          (ElectionStatus.COUNTING, "结束计票后所有票箱的选票不能再录入")]:
        stages.at_stage(election, status)
        page = client.get(reverse("elections:boxes", args=[election.pk])).content.decode()
        assert f'data-confirm="{words}' in page


def test_the_confirm_and_handover_buttons_ask_first(login, community):
    election = stages.at_stage(ElectionFactory(community=community, election_day=TODAY, positions=True),
                               ElectionStatus.COUNTING)
    cert.close_counting(election=election)
    client = login(stages.staff_of_street(election))
    assert "确认后选举结果即封存" in client.get(reverse("elections:result", args=[election.pk])).content.decode()
    stages.certify(election)
    assert "现任一届随即结束，不能撤回" in client.get(reverse("elections:result", args=[election.pk])).content.decode()


# 9. Errors keep the input; no constraint is shown by its name (every app: tests/test_constraint_messages.py) -----


def test_a_box_with_its_dates_out_of_order_is_refused_in_words_not_by_the_constraints_name(election, login,
                                                                                          street_staff):
    page = login(street_staff).post(reverse("elections:boxes", args=[election.pk]), {
        "code": "M1", "kind": "mobile", "name": "流动票箱一", "issued": 0, "starts_on": "2030-02-19",
        "ends_on": "2030-02-18"}, follow=True).content.decode()
    assert "流动票箱的结束日期不能早于开始日期" in page and "box_route_dates_in_order" not in page
    assert 'value="流动票箱一"' in page  # kept


# 10. The result report prints when the count closes (and test_voting_views.py) ---------------------------------


def test_an_imported_archive_with_ballots_prints_its_report_marked_uncertified(tmp_path, login, capsys):
    import json
    import subprocess

    from django.core.management import call_command

    path = tmp_path / "archive.json"
    path.write_text(json.dumps(small_archive(ballots=votes({"director": {"甲": 7}}, 10), registered=12)),
                    encoding="utf-8")
    call_command("import_election", str(path), "--json")
    election_id = json.loads(capsys.readouterr().out)["election"]
    from elections.models import Election

    election = Election.objects.get(pk=election_id)
    assert election.status == ElectionStatus.CLOSED
    response = login(stages.staff_of_street(election)).get(reverse("elections:result_pdf", args=[election_id]))
    assert response.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    text = "".join(text.split())
    assert "结果尚未确认" in text and "83.33%" in text and election.certification.doc_number in text


def test_the_entry_page_tells_a_clerk_of_the_other_pass_before_anything_is_typed(counting_two_boxes, login,
                                                                                 street_staff):
    election, paper, _ = counting_two_boxes
    entry.record_paper(box=paper, pass_number=1, clerk=street_staff, marks={"director": ["甲"]})
    client = login(street_staff)
    page = client.get(reverse("elections:entry", args=[election.pk, paper.pk, 2])).content.decode()
    assert "两遍录入须由不同的录入员完成" in page and 'id="entry-form"' not in page
    page = client.get(reverse("elections:entry", args=[election.pk, paper.pk, 1])).content.decode()
    assert 'id="entry-form"' in page and "主任：甲" in page  # titles, not codes
