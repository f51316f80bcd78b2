"""The election's handover step opens the handover list (移交清单) of the committee, with the rule set's deadline;
the result page shows the list's state (docs/domain.md, Handover with the street present)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committee.models import Handover, Term
from elections.services import certification as cert
from elections.services.archive import import_election
from tests.committee.factories import TermFactory
from tests.factories import committee_of, staff_of

from .archives import small_archive, votes
from .stages import certify

pytestmark = pytest.mark.django_db

CANDIDATES = [{"position": "director", "name": "甲", "gender": "女"}, {"position": "member", "name": "丙"}]


@pytest.fixture
def election():
    ballots = votes({"director": {"甲": 7}, "member": {"丙": 9}}, 10)
    election = import_election(small_archive(ballots=ballots, registered=12, candidates=CANDIDATES))
    TermFactory(community=election.community, number=election.term_number - 1,
                starts=timezone.localdate() - datetime.timedelta(days=3 * 365))
    certify(election)
    return election


def test_it_opens_the_list_once_the_winners_are_the_new_term(election):
    street_staff = staff_of(election.community.street)
    with pytest.raises(ValidationError, match="当选人移交为新一届居委会后"):
        cert.open_handover_list(election=election, user=street_staff)
    certification = cert.hand_over(election=election).value
    handover = cert.open_handover_list(election=election, user=street_staff)
    assert (handover.incoming, handover.outgoing.number, handover.due) == (
        certification.term, election.term_number - 1, certification.handover_due)
    assert certification.handover_due == timezone.localdate() + datetime.timedelta(days=election.rules.handover_days)


def test_the_result_page_opens_the_list_and_shows_its_state(election, login):
    street_staff = staff_of(election.community.street)
    cert.hand_over(election=election)
    result = reverse("elections:result", args=[election.pk])
    act = reverse("elections:result_act", args=[election.pk, "handover_list"])
    assert act in login(street_staff).get(result).content.decode()
    assert login(committee_of(election.community)).post(act).status_code == 403
    page = login(street_staff).post(act, follow=True).content.decode()
    handover = Handover.objects.get(incoming=Term.objects.get(number=election.term_number))
    assert "已建立移交清单" in page and reverse("committee:handover", args=[handover.pk]) in page
    assert "进行中" in page and act not in page
    again = login(street_staff).post(act, follow=True).content.decode()
    assert "移交清单已经建立" in again
