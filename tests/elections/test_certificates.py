"""当选证书: one numbered page per elected member, issued by the street office from the certified result only."""

import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from elections.models import Certificate
from elections.services import certificates
from elections.services.archive import import_election
from org.models import DocumentCounter
from tests.factories import committee_of, staff_of, supervisor_of

from .archives import small_archive, votes
from .stages import certify

pytestmark = pytest.mark.django_db

CANDIDATES = [{"position": "director", "name": "吴逸芸", "gender": "女"}, {"position": "director", "name": "黄振华"},
              {"position": "deputy", "name": "方学全", "gender": "男"},
              {"position": "member", "name": "印彦邦"}, {"position": "member", "name": "毛若虹"}]


@pytest.fixture
def election():
    ballots = votes({"director": {"吴逸芸": 7, "黄振华": 2}, "deputy": {"方学全": 8},
                     "member": {"印彦邦": 9, "毛若虹": 6}}, 10)
    return import_election(small_archive(ballots=ballots, registered=12, candidates=CANDIDATES))


def text_of(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return "".join(out.split())


def test_it_refuses_certificates_before_the_result_is_certified(election, login):
    with pytest.raises(ValidationError, match="选举结果确认后才能颁发当选证书"):
        certificates.issue_certificates(election=election)
    street_staff = staff_of(election.community.street)
    response = login(street_staff).get(reverse("elections:certificates_pdf", args=[election.pk]))
    assert response.status_code == 403
    response = login(street_staff).post(reverse("elections:issue_certificates", args=[election.pk]), follow=True)
    assert "选举结果确认后才能颁发当选证书" in response.content.decode()
    assert not Certificate.objects.exists()


def test_it_numbers_one_certificate_per_winner_in_the_street_series_and_keeps_the_numbers(election):
    certify(election)
    issued = certificates.issue_certificates(election=election)
    assert [(c.title, c.name) for c in issued] == [("主任", "吴逸芸"), ("副主任", "方学全"), ("委员", "印彦邦"),
                                                   ("委员", "毛若虹")]
    year = issued[0].issued_on.year
    assert [c.doc_number for c in issued] == [f"〔{year}〕第{n}号" for n in range(1, 5)]
    counter = DocumentCounter.objects.get(issuer=f"street:{election.community.street.code}")
    assert counter.last == 4
    # Issuing again (a reprint) gives nobody a second number.
    again = certificates.issue_certificates(election=election)
    assert [c.doc_number for c in again] == [c.doc_number for c in issued]
    assert DocumentCounter.objects.get(pk=counter.pk).last == 4


def test_it_prints_one_a4_page_per_winner_with_post_community_term_and_seal(election, login):
    certify(election)
    issued = certificates.issue_certificates(election=election)
    response = login(staff_of(election.community.street)).get(
        reverse("elections:certificates_pdf", args=[election.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 4
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in pdf.pages)
    first = "".join(pdf.pages[0].extract_text().split())
    assert "当选证书" in first and "吴逸芸同志" in first and issued[0].doc_number in first
    assert "测试社区第1届居民委员会换届选举中，当选为测试社区居民委员会主任" in first
    assert "测试街道" in first and "街道办事处印章" in first
    # Reprinting shows the same numbers.
    again = text_of(login(staff_of(election.community.street)).get(
        reverse("elections:certificates_pdf", args=[election.pk])).content)
    assert all(c.doc_number in again for c in issued)


def test_it_prints_unissued_certificates_as_unnumbered_drafts(election):
    certify(election)
    text = text_of(certificates.render_certificates(election))
    assert "草稿（未编号，不得颁发）" in text and "〔" not in text


def test_only_street_staff_issue_certificates_committee_may_print(election, login):
    certify(election)
    committee = committee_of(election.community)
    response = login(committee).post(reverse("elections:issue_certificates", args=[election.pk]))
    assert response.status_code == 403 and not Certificate.objects.exists()
    response = login(staff_of(election.community.street)).post(
        reverse("elections:issue_certificates", args=[election.pk]))
    assert response.status_code == 302 and Certificate.objects.count() == 4
    page = login(staff_of(election.community.street)).get(reverse("elections:result", args=[election.pk]))
    assert reverse("elections:certificates_pdf", args=[election.pk]) in page.content.decode()
    assert "当选证书已编号（" in page.content.decode()


def test_anonymous_visitors_and_supervision_members_get_no_certificates(election):
    certify(election)
    pdf = reverse("elections:certificates_pdf", args=[election.pk])
    issue = reverse("elections:issue_certificates", args=[election.pk])
    assert Client().get(pdf).url.startswith(reverse("login"))
    assert Client().post(issue).url.startswith(reverse("login"))
    client = Client()
    client.force_login(supervisor_of(election.community))
    assert client.get(pdf).status_code == 403 and client.post(issue).status_code == 403
    assert not Certificate.objects.exists()


def test_once_numbered_the_result_page_shows_the_numbers_and_the_print_link_not_the_button(election, login):
    certify(election)
    street_staff = login(staff_of(election.community.street))
    issue = reverse("elections:issue_certificates", args=[election.pk])
    assert issue in street_staff.get(reverse("elections:result", args=[election.pk])).content.decode()
    year = certificates.issue_certificates(election=election)[0].issued_on.year
    page = street_staff.get(reverse("elections:result", args=[election.pk])).content.decode()
    assert f"当选证书已编号（〔{year}〕第1–4号）" in page
    assert reverse("elections:certificates_pdf", args=[election.pk]) in page and issue not in page
