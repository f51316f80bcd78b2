"""A printed paper is in Chinese whatever language the clerk reads the pages in (docs/architecture.md, Papers):
it is posted on the wall, handed to a winner or kept in the archive."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from elections.models import SheetLayout, VoterRollEntry
from elections.services import papers
from lib.pdf import render_pdf
from org.models import Job
from tests.committee.test_papers import text_of
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.residents.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_it_prints_the_household_register_in_chinese_for_an_english_clerk(login, street_staff, community):
    household = HouseholdFactory(community=community)
    ResidentFactory(community=community, household=household)
    client = login(street_staff)
    page = client.get(reverse("residents:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Residents" in page  # the clerk reads the pages in English
    text = text_of(client.get(reverse("residents:household_pdf", args=[household.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "居民户口登记簿" in text and "Householdregister" not in text


def test_it_renders_a_papers_template_in_chinese_under_an_english_request():
    with translation.override("en"):
        pdf = render_pdf("pdf/notice.html", {"title": "通知", "paragraphs": [], "issuer": "测试社区", "draft": True,
                                             "date": datetime.date(2026, 12, 2)})
    text = "".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
                   .stdout.decode().split())
    assert "草稿（未编号，不得张贴）" in text and "2026年12月2日" in text and "Dec" not in text


def test_it_prints_the_ballot_specimen_and_the_numbered_ballots_in_chinese_for_an_english_clerk(
        community, login, street_staff):
    election = ElectionFactory(community=community, positions=True)
    CandidateFactory(position=election.positions.get(code="director"), name="吴逸芸", ballot_order=1)
    VoterRollEntry.objects.create(election=election, serial=1, group_name="第一居民小组",
                                  resident=ResidentFactory(community=community))
    papers.set_ballot_paper(election=election, serials=True, counterfoil=False, layout=SheetLayout.ONE_SHEET)
    client = login(street_staff)
    specimen = text_of(client.get(reverse("elections:ballot_pdf", args=[election.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "（应选1名）" in specimen and "seats" not in specimen
    client.post(reverse("elections:numbered_ballots", args=[election.pk]), HTTP_ACCEPT_LANGUAGE="en")
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    numbered = "".join(subprocess.run(["pdftotext", "-", "-"], input=job.result.read(), capture_output=True,
                                      check=True).stdout.decode().split())
    assert "（应选1名）" in numbered and "000001" in numbered and "seats" not in numbered
