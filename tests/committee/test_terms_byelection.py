"""补选: a seat left vacant by a resignation is filled by a by-election run through the election machinery with
only that seat; the winner joins the sitting term until it ends."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee.services import start_term
from committee.services.terms import resign
from elections.models import Election, ElectionKind
from elections.services import certification as cert
from elections.services.archive import import_election
from elections.services.byelection import create_by_election, seat_by_election_winners, vacant_seats
from elections.services.sheets import import_ballots
from org.models import Membership
from tests.elections.archives import small_archive, votes
from tests.elections.factories import CandidateFactory
from tests.elections.stages import certify, counting, on
from tests.factories import staff_of

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 16)
CANDIDATES = [{"position": "member", "name": n, "gender": "男"} for n in "丙丁戊己庚"]


def sitting_term():
    """The term formed by a certified election of 7 (主任 甲, 副主任 乙, 委员 丙丁戊己庚), handed over on DAY+2."""
    with on(DAY, hour=20):
        election = import_election(small_archive(ballots=votes(
            {"director": {"甲": 8}, "deputy": {"乙": 8}, "member": {n: 8 for n in "丙丁戊己庚"}}, 10),
            registered=12, candidates=CANDIDATES))
        certify(election)
    with on(DAY + datetime.timedelta(days=2)):
        return cert.hand_over(election=election, starts=DAY + datetime.timedelta(days=2)).value.term


def test_it_refuses_a_by_election_without_a_vacancy():
    term = sitting_term()
    with on(datetime.date(2025, 1, 5)), pytest.raises(ValidationError, match="没有空缺"):
        create_by_election(term=term, election_day=datetime.date(2025, 2, 1))


def test_a_by_election_fills_the_one_vacant_seat_for_the_rest_of_the_term():
    term = sitting_term()
    leaving = term.members.get(name="丁")
    with on(datetime.date(2025, 1, 5)):
        resign(member=leaving, letter_on=datetime.date(2025, 1, 2), approved_on=datetime.date(2025, 1, 4))
        assert vacant_seats(term=term, on=datetime.date(2025, 1, 5)) == {"member": 1}
        with pytest.raises(ValidationError, match="届满"):
            create_by_election(term=term, election_day=term.ends_by)
        by = create_by_election(term=term, election_day=datetime.date(2025, 2, 1))
        with pytest.raises(ValidationError, match="尚未结束的补选"):
            create_by_election(term=term, election_day=datetime.date(2025, 2, 2))
    assert (by.kind, by.parent.certification.term, by.term_number) == (ElectionKind.BY_ELECTION, term, term.number)
    assert [(p.code, p.title, p.seats) for p in by.positions.all()] == [("member", "委员", 1)]
    assert by.rules.pk != by.parent.rules.pk and by.rules.term_years == by.parent.rules.term_years
    position = by.positions.get()
    for name in ("辛", "壬"):
        CandidateFactory(position=position, name=name, gender="女")
    counting(by)
    by.boxes.create(code="C", kind="venue", name="中心会场", issued=9)
    by.registered_voters = 12
    by.save(update_fields=["registered_voters"])
    with on(datetime.date(2025, 2, 1), hour=20):
        import_ballots(election=by, text="box,serial,position,marks,status\n" + "".join(
            f"C,{n},member,{'辛' if n <= 6 else '壬'},\n" for n in range(1, 10)))
        certify(by)
    with on(datetime.date(2025, 2, 3)):
        seated = seat_by_election_winners(election=by)
        with pytest.raises(ValidationError, match="已经就任"):
            seat_by_election_winners(election=by)
    assert [(m.name, m.position, m.starts) for m in seated] == [("辛", "member", datetime.date(2025, 2, 3))]
    assert vacant_seats(term=term, on=datetime.date(2025, 2, 3)) == {}
    # The main election's winners (its certificates, its handover) are not the by-election's.
    assert "辛" not in {w["name"] for w in cert.winners(by.parent)}


def test_it_opens_a_by_election_from_its_page_for_street_staff_only(login, community, street_staff, committee_user):

    Membership.objects.filter(user__in=[street_staff, committee_user]).update(starts=datetime.date(2000, 1, 1))
    term = start_term(community=community, number=3, starts=datetime.date(2024, 1, 1), members=[
        {"name": "甲", "position": "director"}, {"name": "乙", "position": "member"}])
    with on(datetime.date(2025, 1, 5)):
        resign(member=term.members.get(name="乙"), letter_on=datetime.date(2025, 1, 2),
               approved_on=datetime.date(2025, 1, 4))
        client = login(street_staff)
        page = client.get(reverse("elections:by_elections")).content.decode()
        assert "委员 1" in page and "by-election-form" in page
        response = client.post(reverse("elections:by_election_new"), {"election_day": "2025-02-01"}, follow=True)
        # Entered by hand, this term has no certified election to take the rule set and mode from.
        assert "无法据以补选" in response.content.decode()
        assert login(committee_user).get(reverse("elections:by_elections")).status_code == 403


def test_it_opens_a_by_election_and_seats_its_winner_from_the_page(login):

    term = sitting_term()
    clerk = staff_of(term.community.street)
    Membership.objects.filter(user=clerk).update(starts=datetime.date(2000, 1, 1))
    with on(datetime.date(2025, 1, 5)):
        resign(member=term.members.get(name="丁"), letter_on=datetime.date(2025, 1, 2),
               approved_on=datetime.date(2025, 1, 4))
        response = login(clerk).post(reverse("elections:by_election_new"), {"election_day": "2025-02-01"},
                                     follow=True)
    assert "已建立补选" in response.content.decode()
    by = Election.objects.get(kind=ElectionKind.BY_ELECTION)
    CandidateFactory(position=by.positions.get(), name="辛")
    counting(by)
    by.boxes.create(code="C", kind="venue", name="中心会场", issued=7)
    with on(datetime.date(2025, 2, 1), hour=20):
        import_ballots(election=by, text="box,serial,position,marks,status\n" + "".join(
            f"C,{n},member,辛,\n" for n in range(1, 8)))
        certify(by)
    with on(datetime.date(2025, 2, 3)):
        response = login(clerk).post(reverse("elections:by_election_seat", args=[by.pk]), follow=True)
    assert "补选当选人已就任" in response.content.decode() and "当选人已就任" in response.content.decode()
    assert term.members.filter(name="辛", starts=datetime.date(2025, 2, 3)).exists()
