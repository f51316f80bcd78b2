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
    ResultSignature,
    RuleSet,
    Sealed,
    TallySheet,
)
from elections.services import certification as cert
from elections.services import entry, sheets, voting
from elections.services.archive import import_election
from elections.services.tally import tally
from tests.elections.factories import ElectionFactory
from tests.factories import UserFactory

from .archives import hba_archive, small_archive, votes
from .stages import appoint_counting_staff, certify, counting, on, sign

pytestmark = pytest.mark.django_db

CANDIDATES = [{"position": "director", "name": "甲", "gender": "女"}, {"position": "director", "name": "乙"},
              {"position": "deputy", "name": "戊", "gender": "男"},
              {"position": "member", "name": "丙"}, {"position": "member", "name": "丁"}]


@pytest.fixture
def election():
    ballots = votes({"director": {"甲": 7, "乙": 2}, "deputy": {"戊": 8}, "member": {"丙": 9, "丁": 6}}, 10)
    return import_election(small_archive(ballots=ballots, registered=12, candidates=CANDIDATES))


def test_an_archive_with_ballots_is_a_closed_count_with_a_numbered_report(election):
    assert election.status == ElectionStatus.CLOSED
    certification = election.certification
    assert certification.doc_number.startswith("〔") and certification.certified_at is None


def test_it_certifies_after_the_signed_report_and_two_accounts(election):
    closer, second = UserFactory(), UserFactory()
    staff = appoint_counting_staff(election)
    sign(election, [staff["chief"], staff["scrutineer"], staff["counter"]])
    certification = cert.confirm(election=election, user=closer)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CLOSED and certification.certified_at is None
    certification = cert.confirm(election=election, user=second)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CERTIFIED
    assert (certification.confirmed_by, certification.second_confirmed_by) == (closer, second)
    assert certification.result["positions"][0]["elected"] == ["甲"]
    assert certification.handover_due == timezone.localdate(certification.certified_at) + datetime.timedelta(days=3)
    assert {s.worker.name for s in ResultSignature.objects.filter(election=election)} == {"周监票", "吴监票", "钱计票"}


def test_it_refuses_one_account_confirming_twice(election):
    clerk = UserFactory()
    sign(election)
    cert.confirm(election=election, user=clerk)
    with pytest.raises(ValidationError, match="同一账号不能确认两次"):
        cert.confirm(election=election, user=clerk)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CLOSED


def test_the_first_confirmation_is_the_closing_clerks(community):
    closer, other, third = UserFactory(), UserFactory(), UserFactory()
    election = counting(ElectionFactory(community=community, election_day=timezone.localdate(), positions=True))
    cert.close_counting(election=election, user=closer)
    sign(election)
    with pytest.raises(ValidationError, match="由结束计票的"):
        cert.confirm(election=election, user=other)
    cert.confirm(election=election, user=closer)
    with pytest.raises(ValidationError, match="另一个账号"):
        cert.confirm(election=election, user=closer)
    cert.confirm(election=election, user=third)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CERTIFIED


def test_it_refuses_to_confirm_before_the_report_is_signed(election):
    with pytest.raises(ValidationError, match="签字"):
        cert.confirm(election=election, user=UserFactory())


def test_the_report_is_signed_only_by_appointed_scrutineers_and_counters_each_once(election):
    staff = appoint_counting_staff(election)
    caller = ElectionWorker.objects.create(election=election, name="郑唱票", role=CountingRole.CALLER)
    with pytest.raises(ValidationError, match="只有本次选举任命的监票人和计票人"):
        sign(election, [staff["chief"], staff["counter"], caller])
    with pytest.raises(ValidationError, match="总监票人签字"):
        sign(election, [staff["scrutineer"], staff["counter"]])
    with pytest.raises(ValidationError, match="计票人签字"):
        sign(election, [staff["chief"], staff["scrutineer"]])
    twin = ElectionWorker.objects.create(election=election, name="钱计票", role=CountingRole.SCRUTINEER)
    with pytest.raises(ValidationError, match="钱计票 只能签字一次"):
        sign(election, [staff["chief"], staff["counter"], twin])
    with pytest.raises(ValidationError, match="扫描件"):
        cert.record_signatures(election=election, workers=[staff["chief"], staff["counter"]], scan=None)
    assert sign(election, [staff["chief"], staff["counter"]])


def test_it_refuses_to_close_before_election_day_or_while_a_box_is_not_entered(community):
    day = timezone.localdate() + datetime.timedelta(days=1)
    election = counting(ElectionFactory(community=community, election_day=day, positions=True))
    Box.objects.create(election=election, code="M1", kind="mobile", name="流动票箱一", issued=5)
    with pytest.raises(ValidationError, match="选举日（.*）之前不能结束计票"):
        cert.close_counting(election=election)
    with on(day):
        with pytest.raises(ValidationError, match="票箱 M1 的选票尚未录入"):
            cert.close_counting(election=election)


def test_a_certified_election_refuses_every_change_through_the_services(election):
    certify(election)
    election.refresh_from_db()
    box = election.boxes.get()
    with pytest.raises(Sealed):
        voting.add_box(election=election, code="M9", kind="mobile", name="x")
    with pytest.raises(Sealed):
        entry.record_paper(box=box, pass_number=1, clerk=None, marks={})
    with pytest.raises(Sealed):
        sheets.import_ballots(election=election, text="box,serial,position,marks,status\nC,99,director,甲,\n")
    with pytest.raises(Sealed):
        sheets.enter_tally_sheet(box=box, returned=1, valid=1, invalid=0, counts={})
    with pytest.raises(Sealed):
        voting.open_counting(election=election)
    with pytest.raises(Sealed):
        cert.close_counting(election=election)
    with pytest.raises(Sealed):
        cert.confirm(election=election, user=UserFactory())
    with pytest.raises(Sealed):
        sign(election)
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
    RuleSet.objects.filter(pk=election.rules_id).update(term_years=5, extension_months_max=4)
    certify(election)
    certification = cert.hand_over(election=election).value
    term = Term.objects.get()
    assert certification.term == term and term.number == election.term_number
    # The term keeps its rule set's length and longest extension.
    assert (term.term_years, term.extension_months_max) == (5, 4)
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


def test_the_announcement_lists_every_candidates_and_write_ins_votes():
    # 后北岸 (docs/domain.md, reference case): the published figures, the losing candidates, the write-in 李明 and
    # a formal candidate 朱锦新 whom nobody marked (0 votes) are all on the announcement.
    data = hba_archive()
    data["candidates"].append({"position": "member", "name": "朱锦新", "gender": "男"})
    election = import_election(data)
    text = cert.result_text(election, tally(election=election))
    assert "主任得票情况：吴逸芸 1855票、黄振华 296票。" in text
    assert "副主任得票情况：方学全 1752票、王丽娟 388票。" in text
    assert ("委员得票情况：印彦邦 1938票、葛鸿平 1936票、毛若虹 1921票、张吉生 1913票、蒋惠琴 1754票、陈国平 517票、"
            "李明（另选他人）21票、朱锦新 0票。") in text
