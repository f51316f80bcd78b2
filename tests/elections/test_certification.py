import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from committee.models import CommitteeMember, Term
from elections.models import (
    Ballot,
    BallotMark,
    Box,
    Certification,
    Correction,
    CountingRole,
    ElectionStatus,
    ElectionWorker,
    Sealed,
    TallySheet,
)
from elections.services import certification as cert
from elections.services import voting
from elections.services.archive import import_election

from .archives import small_archive, votes

pytestmark = pytest.mark.django_db

CANDIDATES = [{"position": "director", "name": "甲", "gender": "女"}, {"position": "director", "name": "乙"},
              {"position": "deputy", "name": "戊", "gender": "男"},
              {"position": "member", "name": "丙"}, {"position": "member", "name": "丁"}]


@pytest.fixture
def election():
    ballots = votes({"director": {"甲": 7, "乙": 2}, "deputy": {"戊": 8}, "member": {"丙": 9, "丁": 6}}, 10)
    return import_election(small_archive(ballots=ballots, registered=12, candidates=CANDIDATES))


def certify(election):
    cert.close_counting(election=election)
    cert.confirm(election=election, role="scrutineer", name="周监票")
    return cert.confirm(election=election, role="counter", name="钱计票")


def test_it_certifies_after_closing_and_both_confirmations(election):
    certification = cert.close_counting(election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CLOSED
    cert.confirm(election=election, role="scrutineer", name="周监票")
    certification.refresh_from_db()
    assert certification.certified_at is None
    certification = cert.confirm(election=election, role="counter", name="钱计票")
    election.refresh_from_db()
    assert election.status == ElectionStatus.CERTIFIED
    assert certification.result["positions"][0]["elected"] == ["甲"]
    assert certification.handover_due == timezone.localdate(certification.certified_at) + datetime.timedelta(days=3)


def test_it_refuses_the_same_person_confirming_twice(election):
    cert.close_counting(election=election)
    cert.confirm(election=election, role="scrutineer", name="周监票")
    with pytest.raises(ValidationError, match="不同的人"):
        cert.confirm(election=election, role="counter", name="周监票")


def test_it_accepts_only_the_appointed_scrutineer_in_chief(election):
    ElectionWorker.objects.create(election=election, name="周监票", role=CountingRole.SCRUTINEER, is_chief=True)
    ElectionWorker.objects.create(election=election, name="吴监票", role=CountingRole.SCRUTINEER)
    cert.close_counting(election=election)
    with pytest.raises(ValidationError, match="吴监票 不是本次选举任命的总监票人"):
        cert.confirm(election=election, role="scrutineer", name="吴监票")
    cert.confirm(election=election, role="scrutineer", name="周监票")


def test_it_refuses_to_close_while_a_box_is_not_entered(election):
    voting.add_box(election=election, code="M1", kind="mobile", name="流动票箱一", issued=5)
    with pytest.raises(ValidationError, match="票箱 M1 的选票尚未录入"):
        cert.close_counting(election=election)


def test_a_certified_election_refuses_every_change_through_the_services(election):
    certify(election)
    election.refresh_from_db()
    box = election.boxes.get()
    with pytest.raises(Sealed):
        voting.add_box(election=election, code="M9", kind="mobile", name="x")
    with pytest.raises(Sealed):
        voting.record_paper(box=box, pass_number=1, clerk=None, marks={})
    with pytest.raises(Sealed):
        voting.import_ballots(election=election, text="box,serial,position,marks,status\nC,99,director,甲,\n")
    with pytest.raises(Sealed):
        voting.enter_tally_sheet(box=box, returned=1, valid=1, invalid=0, counts={})
    with pytest.raises(Sealed):
        voting.open_counting(election=election)
    with pytest.raises(Sealed):
        cert.close_counting(election=election)
    with pytest.raises(Sealed):
        cert.confirm(election=election, role="counter", name="别人")
    assert Ballot.objects.count() == 10


def test_a_certified_election_refuses_every_change_below_the_services(election):
    certify(election)
    ballot = Ballot.objects.first()
    mark = BallotMark.objects.first()
    box = Box.objects.get()
    for attempt in [
        lambda: (setattr(ballot, "status", "spoiled"), ballot.save()),
        lambda: ballot.delete(),
        lambda: (setattr(mark, "name", "乙"), mark.save()),
        lambda: mark.delete(),
        lambda: (setattr(box, "issued", 999), box.save()),
        lambda: Ballot.objects.filter(election=election).update(status="spoiled"),
        lambda: BallotMark.objects.filter(name="甲").update(name="乙"),
        lambda: BallotMark.objects.all().delete(),
        lambda: Box.objects.all().update(issued=0),
        lambda: Ballot.objects.bulk_create([Ballot(election=election, box=box, serial=500)]),
        lambda: BallotMark.objects.bulk_create([BallotMark(ballot=ballot, position=mark.position, name="新")]),
        lambda: TallySheet.objects.create(box=box, returned=0, valid=0, invalid=0),
    ]:
        with pytest.raises(Sealed), transaction.atomic():
            attempt()
    certification = Certification.objects.get()
    certification.result = {"changed": True}
    with pytest.raises(Sealed):
        certification.save()
    with pytest.raises(Sealed):
        certification.delete()
    assert Ballot.objects.filter(status="spoiled").count() == 0
    assert BallotMark.objects.filter(name="甲").count() == 7


def test_a_correction_is_a_new_record_and_cannot_be_edited(election):
    certify(election)
    correction = cert.record_correction(election=election, reason="公告错字", text="委员“丙”应为“丙某”")
    assert Correction.objects.count() == 1
    correction.reason = "改"
    with pytest.raises(Sealed):
        correction.save()
    with pytest.raises(Sealed):
        correction.delete()
    with pytest.raises(ValidationError, match="理由"):
        cert.record_correction(election=election, reason="", text="x")


def test_it_refuses_raw_sql_changes_of_a_certified_election_in_postgresql(election):
    if connection.vendor != "postgresql":
        pytest.skip("the database triggers are PostgreSQL's")
    certify(election)
    cert.record_correction(election=election, reason="公告错字", text="更正")
    statements = [
        ("UPDATE elections_ballot SET status = 'spoiled'", []),
        ("DELETE FROM elections_ballotmark", []),
        ("UPDATE elections_box SET issued = 0", []),
        ("INSERT INTO elections_ballot (election_id, box_id, serial, status, source) "
         "SELECT election_id, box_id, 999, '', 'csv' FROM elections_ballot LIMIT 1", []),
        ("UPDATE elections_election SET status = 'counting'", []),
        ("UPDATE elections_certification SET result = '{}'", []),
        ("DELETE FROM elections_correction", []),
    ]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="sealed|Cannot"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert Ballot.objects.filter(status="spoiled").count() == 0


def test_it_allows_raw_changes_before_certification_in_postgresql(election):
    if connection.vendor != "postgresql":
        pytest.skip("the database triggers are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE elections_ballot SET status = 'spoiled' WHERE serial = 1")
    assert Ballot.objects.filter(status="spoiled").count() == 1


def test_it_hands_the_winners_over_to_the_new_committee_term(election):
    certify(election)
    certification = cert.hand_over(election=election, starts=datetime.date(2024, 3, 20))
    term = Term.objects.get()
    assert certification.term == term and term.number == election.term_number
    members = {(m.name, m.position, m.gender) for m in CommitteeMember.objects.filter(term=term)}
    assert members == {("甲", "director", "F"), ("戊", "deputy", "M"), ("丙", "member", ""), ("丁", "member", "")}
    with pytest.raises(ValidationError, match="已经完成移交"):
        cert.hand_over(election=election)


def test_it_refuses_a_handover_before_certification(election):
    with pytest.raises(ValidationError, match="确认后"):
        cert.hand_over(election=election)


def test_it_publishes_the_certified_result_on_the_public_board(election, client):
    certify(election)
    certification = cert.publish_result(election=election)
    assert certification.published_at and certification.notice_id
    page = client.get(f"/board/{election.community.code}/")
    assert page.status_code == 200
    assert "选举结果公告" in page.content.decode()
    with pytest.raises(ValidationError, match="已经公告"):
        cert.publish_result(election=election)


def test_the_dashboard_tracks_the_handover_deadline(election, login):
    from tests.factories import staff_of

    street_staff = staff_of(election.community.street)
    certify(election)
    certification = Certification.objects.get()
    page = login(street_staff).get("/")
    assert "当选人移交新一届居委会" in page.content.decode()
    assert str(certification.handover_due.day) in page.content.decode()
    cert.hand_over(election=election)
    assert "当选人移交新一届居委会" not in login(street_staff).get("/").content.decode()
