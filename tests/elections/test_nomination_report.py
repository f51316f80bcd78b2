"""候选人推选报告单: the counted nomination forms and every nominee's forms per post, from the nominations page."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from elections.models import NominationSource
from elections.services.nominations import add_nomination, rank_preliminary, record_nomination_forms, review_candidate
from elections.services.roll import build_voter_roll, post_roll
from tests.elections.factories import ElectionFactory
from tests.elections.stages import form_committee, on
from tests.residents.factories import GroupFactory, ResidentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2030, 3, 16)


@pytest.fixture
def election(community):
    with on(DAY - datetime.timedelta(days=1)):
        group = GroupFactory(community=community, name="第三居民小组")
        for name in ["吴逸芸", "江兆", "方学全", "朱勇辉", "印彦邦", "葛鸿平", "毛若虹"]:
            ResidentFactory(community=community, group=group, name=name)
        election = ElectionFactory(community=community, election_day=DAY, positions=True)
        form_committee(election)
        build_voter_roll(election=election)
        post_roll(election=election, on=DAY - datetime.timedelta(days=25))
        election.refresh_from_db()
        record_nomination_forms(election=election, issued=100, returned=90, valid=88, invalid=2, counts={
            "director": {"吴逸芸": 60, "江兆": 20}, "deputy": {"方学全": 50, "朱勇辉": 30},
            "member": {"印彦邦": 40, "葛鸿平": 35}})
        add_nomination(election=election, position=election.positions.get(code="member"), name="毛若虹",
                       source=NominationSource.JOINT, count=12)
        rank_preliminary(election=election, limits={"member": 2})
        review_candidate(candidate=election.candidates.get(name="江兆"), qualified=False, note="不是本社区居民")
    return election


def test_it_reports_the_forms_and_each_nominees_votes_per_post(election, login, committee_user):
    response = login(committee_user).get(reverse("elections:nomination_report_pdf", args=[election.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "候选人推选报告单" in text
    assert "共发出提名票100张，收回90张，其中有效票88张，无效票2张" in text
    assert "主任（应选1名）" in text and "委员（应选5名）" in text
    assert "1吴逸芸60选民直接提名初步候选人" in text
    assert "2江兆20选民直接提名资格审查未通过" in text
    assert "1方学全50" in text and "2朱勇辉30" in text
    # The joint nominee has no forms and, beyond the two taken, is not a candidate.
    assert text.index("1印彦邦40") < text.index("2葛鸿平35") < text.index("3毛若虹0")
    assert "联名提名未列入候选人" in text
    assert "监票人（签字）" in text and "计票人（签字）" in text


def test_the_nominations_page_links_the_report_and_strangers_are_refused(election, login, committee_user,
                                                                          other_committee_user):
    url = reverse("elections:nomination_report_pdf", args=[election.pk])
    page = login(committee_user).get(reverse("elections:nominations", args=[election.pk]))
    assert url in page.content.decode()
    assert Client().get(url).status_code == 302
    assert login(other_committee_user).get(url).status_code == 404


def test_supervision_members_do_not_print_the_report(election, login, supervision_user):
    assert login(supervision_user).get(
        reverse("elections:nomination_report_pdf", args=[election.pk])).status_code == 403
