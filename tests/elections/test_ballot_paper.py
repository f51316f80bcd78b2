"""The ballot paper: optional serial numbers 1..N with a counterfoil (存根) of the same number, one page for up to 15
candidates across the posts, and one coloured sheet per post when the posts are printed separately."""

import io
import pickle

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from elections.models import Election, ElectionStatus, SheetLayout, VoterRollEntry
from elections.services import papers
from org.models import Job
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.residents.factories import ResidentFactory

from .stages import at_stage

pytestmark = pytest.mark.django_db

FIFTEEN = {"director": ["吴逸芸", "黄振华"], "deputy": ["方学全", "李明"],
           "member": ["印彦邦", "毛若虹", "张伟", "陈静", "王芳", "刘洋", "葛鸿平", "张吉生", "蒋惠琴", "肖桂焕",
                      "朱勇辉"]}


@pytest.fixture
def election(community):
    election = ElectionFactory(community=community, positions=True)
    for code, names in FIFTEEN.items():
        for order, name in enumerate(names, start=1):
            CandidateFactory(position=election.positions.get(code=code), name=name, ballot_order=order)
    return election


def pages(content: bytes) -> list[str]:
    return ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]


def choose(election, **settings):
    return papers.set_ballot_paper(election=election, **({"serials": False, "counterfoil": False,
                                                          "layout": SheetLayout.ONE_SHEET} | settings))


@pytest.mark.parametrize("serials,counterfoil", [(False, False), (True, False), (True, True)])
def test_it_fits_15_candidates_across_the_posts_on_one_a4_page(election, serials, counterfoil):
    election = choose(election, serials=serials, counterfoil=counterfoil)
    printed = pages(papers.render_ballot(election, serials=[7] if serials else None))
    assert len(printed) == 1
    assert all(name in printed[0] for names in FIFTEEN.values() for name in names)
    assert ("编号：000007" in printed[0]) == serials
    assert ("存根" in printed[0]) == counterfoil and ("沿此线剪开" in printed[0]) == counterfoil


def test_the_counterfoil_carries_the_ballots_serial(election):
    election = choose(election, serials=True, counterfoil=True)
    printed = pages(papers.render_ballot(election, serials=[41, 42]))
    assert len(printed) == 2
    assert printed[0].count("000041") == 2 and "000042" not in printed[0]
    assert printed[1].count("000042") == 2


def test_a_specimen_has_no_serial(election):
    election = choose(election, serials=True, counterfoil=True)
    printed = pages(papers.render_ballot(election))
    assert len(printed) == 1 and "样张" in printed[0] and "000001" not in printed[0]


def test_it_prints_one_sheet_per_post_each_named_with_its_colour(election):
    election = choose(election, serials=True, counterfoil=True, layout=SheetLayout.PER_POST)
    printed = pages(papers.render_ballot(election, serials=[3]))
    assert len(printed) == 3
    assert "主任选票（红色）" in printed[0] and "副主任选票（黄色）" in printed[1] and "委员选票（蓝色）" in printed[2]
    assert "印彦邦" in printed[2] and "印彦邦" not in printed[0]
    assert all(p.count("000003") == 2 for p in printed)  # each sheet and its counterfoil
    tints = [s["tint"] for s in papers.ballot_sheets(election)]
    assert len(set(tints)) == 3


def test_numbered_ballots_run_from_1_to_the_voters_and_spare_ballots(election, community):
    for serial in range(1, 4):
        VoterRollEntry.objects.create(election=election, serial=serial, group_name="第一居民小组",
                                      resident=ResidentFactory(community=community))
    Election.objects.filter(pk=election.pk).update(spare_ballots=2)
    election = choose(Election.objects.get(pk=election.pk), serials=True, counterfoil=True)
    contexts = papers.numbered_ballot_contexts(election)
    assert [b["serial"] for c in contexts for b in c["ballots"]] == ["000001", "000002", "000003", "000004", "000005"]
    # The chunks go to render_pdf_chunks' worker processes: plain, picklable data.
    assert pickle.loads(pickle.dumps(contexts)) == contexts


def test_numbered_ballots_are_refused_without_serials_or_voters(election):
    with pytest.raises(ValidationError, match="不印编号"):
        papers.numbered_ballot_contexts(election)
    election = choose(election, serials=True)
    with pytest.raises(ValidationError, match="还没有登记选民"):
        papers.numbered_ballot_contexts(election)


def test_it_refuses_a_counterfoil_without_serials_and_any_change_once_voting(election):
    with pytest.raises(ValidationError, match="带存根的选票须印编号"):
        choose(election, counterfoil=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election.pk).update(ballot_counterfoil=True, ballot_serials=False)
    at_stage(election, ElectionStatus.VOTING)
    with pytest.raises(ValidationError, match="投票开始后不能再更改选票印制方式"):
        choose(election, serials=True)


def test_street_staff_choose_the_ballot_paper_on_the_papers_page(election, login, street_staff, committee_user):
    url = reverse("elections:ballot_paper", args=[election.pk])
    data = {"serials": "on", "counterfoil": "on", "layout": SheetLayout.PER_POST}
    assert login(committee_user).post(url, data).status_code == 403
    assert Client().post(url, data).url.startswith(reverse("login"))
    client = login(street_staff)
    assert client.post(url, data).status_code == 302
    election.refresh_from_db()
    assert election.ballot_serials and election.ballot_counterfoil and election.ballot_layout == SheetLayout.PER_POST
    # A refused choice keeps what was typed.
    page = client.post(url, {"counterfoil": "on", "layout": SheetLayout.ONE_SHEET}, follow=True).content.decode()
    assert "带存根的选票须印编号" in page
    assert 'name="counterfoil" id="id_counterfoil" checked' in page
    assert 'name="serials" id="id_serials" checked' not in page
    page = client.get(reverse("elections:papers", args=[election.pk])).content.decode()
    assert reverse("elections:numbered_ballots", args=[election.pk]) in page


def test_numbered_ballots_are_made_in_a_background_job(election, community, login, committee_user):
    VoterRollEntry.objects.create(election=election, serial=1, group_name="第一居民小组",
                                  resident=ResidentFactory(community=community))
    choose(election, serials=True, counterfoil=True)
    response = login(committee_user).post(reverse("elections:numbered_ballots", args=[election.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    printed = pages(job.result.read())
    assert len(printed) == 1 and printed[0].count("000001") == 2


def test_anonymous_visitors_and_supervision_members_start_no_ballot_job(election, login, supervision_user):
    url = reverse("elections:numbered_ballots", args=[election.pk])
    assert Client().post(url).url.startswith(reverse("login"))
    assert login(supervision_user).post(url).status_code == 403
    assert not Job.objects.exists()
