"""The term's life through its pages: the street extends a term, the committee records a resignation, a
year-end grade and a recall; each refused to the wrong role and to anonymous visitors."""

import datetime

import pytest
from django.urls import reverse

from committee.models import Composition, Leaving, Petition, Recall, RecallStatus
from committee.services.petitions import add_signature
from org.models import Membership
from tests.elections import stages
from tests.factories import supervisor_of
from tests.residents.factories import ResidentFactory

from .factories import MemberFactory, TermFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def as_of_old(login, user):
    """A client of `user`, whose memberships began long ago: the tests move the clock back years."""
    Membership.objects.filter(user=user).update(starts=D(2000, 1, 1))
    return login(user)


@pytest.fixture
def seat(community):
    return MemberFactory(term=TermFactory(community=community, starts=D(2021, 1, 1)), name="方学全")


def test_it_lets_street_staff_record_an_extension_and_refuses_the_committee(login, seat, street_staff,
                                                                            committee_user):
    url = reverse("committee:term_extend", args=[seat.term.pk])
    data = {"to": "2024-06-30", "decision": "街道〔2023〕第9号", "decided_on": "2023-12-01"}
    with stages.on(D(2023, 12, 5)):
        assert as_of_old(login, committee_user).post(url, data).status_code == 403
        response = as_of_old(login, street_staff).post(url, data, follow=True)
    assert "已登记街道延期决定" in response.content.decode()
    seat.term.refresh_from_db()
    assert seat.term.extended_to == D(2024, 6, 30)
    with stages.on(D(2023, 12, 5)):
        page = as_of_old(login, street_staff).get(reverse("committee:organisation")).content.decode()
    assert "延期至2024-06-30" in page


def test_it_shows_a_refused_extension_as_a_message(login, seat, street_staff):
    with stages.on(D(2023, 12, 5)):
        response = as_of_old(login, street_staff).post(reverse("committee:term_extend", args=[seat.term.pk]), {
            "to": "2024-09-30", "decision": "街道〔2023〕第9号", "decided_on": "2023-12-01"}, follow=True)
    assert "届满后6个月" in response.content.decode()
    seat.term.refresh_from_db()
    assert seat.term.extended_to is None


def test_it_records_a_resignation_on_the_member_page(login, seat, committee_user):
    with stages.on(D(2022, 3, 10)):
        response = as_of_old(login, committee_user).post(reverse("committee:member_resign", args=[seat.pk]), {
            "letter_on": "2022-03-01", "approved_on": "2022-03-08"}, follow=True)
    assert "已登记辞职" in response.content.decode() and "辞职" in response.content.decode()
    seat.refresh_from_db()
    assert seat.left_how == Leaving.RESIGNED


def test_it_ends_a_member_rated_unfit_twice_through_the_page(login, seat, committee_user):
    client = as_of_old(login, committee_user)
    url = reverse("committee:member_appraisal", args=[seat.pk])
    with stages.on(D(2023, 1, 20)):
        client.post(url, {"year": 2021, "reviewed_on": "2022-01-10", "grade": "unfit"})
        client.post(url, {"year": 2022, "reviewed_on": "2023-01-10", "grade": "unfit"})
        page = client.get(reverse("committee:member", args=[seat.pk])).content.decode()
    assert "连续两次评议不称职" in page
    seat.refresh_from_db()
    assert seat.ends == D(2023, 1, 10)


def test_it_refuses_a_recall_under_the_threshold_and_records_the_vote(login, seat, committee_user, community):
    voters = [ResidentFactory(community=community) for _ in range(10)]
    petition = Petition.objects.create(community=community, composition=Composition.ADULTS, subject="罢免",
                                       filed_on=D(2022, 5, 1))
    client = as_of_old(login, committee_user)
    with stages.on(D(2022, 5, 2)):
        add_signature(petition=petition, resident=voters[0], on=D(2022, 5, 1))
        data = {"petition": petition.pk, "reason": "长期不履职", "received_on": "2022-05-02"}
        response = client.post(reverse("committee:member_recall", args=[seat.pk]), data, follow=True)
        assert "提议人数不足" in response.content.decode() and not Recall.objects.exists()
        add_signature(petition=petition, resident=voters[1], on=D(2022, 5, 1))
        client.post(reverse("committee:member_recall", args=[seat.pk]), data)
    recall = Recall.objects.get()
    with stages.on(D(2022, 5, 25)):
        client = login(committee_user)  # a new session: the clock moved past the last one's age
        client.post(reverse("committee:recall_vote", args=[recall.pk]), {"voted_on": "2022-05-25", "passed": "on"})
    recall.refresh_from_db()
    seat.refresh_from_db()
    assert recall.status == RecallStatus.PASSED and seat.left_how == Leaving.RECALLED


def test_it_refuses_the_acts_to_supervision_members_and_hides_their_forms(login, seat, community):
    client = as_of_old(login, supervisor_of(community))
    page = client.get(reverse("committee:member", args=[seat.pk]))
    assert page.status_code == 200 and "resign-form" not in page.content.decode()
    for name in ("committee:member_resign", "committee:member_appraisal", "committee:member_recall"):
        assert client.post(reverse(name, args=[seat.pk]), {}).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(client, seat):
    for name in ("committee:member", "committee:member_resign", "committee:member_appraisal",
                 "committee:member_recall"):
        assert reverse("login") in client.post(reverse(name, args=[seat.pk]))["Location"]
    assert reverse("login") in client.post(reverse("committee:term_extend", args=[seat.term.pk]))["Location"]


def test_it_hides_another_communitys_member(login, seat, other_committee_user):
    assert as_of_old(login, other_committee_user).get(reverse("committee:member", args=[seat.pk])).status_code == 404
