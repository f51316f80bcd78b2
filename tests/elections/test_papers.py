"""The papers, checked by their text (pdftotext); PDFs are slow, so these tests are few."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from elections.models import ElectionPaper, Mode, VoterRollEntry
from elections.services import papers
from elections.services.nominations import choose_formal, rank_preliminary, record_nomination_forms, review_candidate
from elections.services.roll import build_voter_roll, post_roll
from org.models import DocumentCounter, Job
from tests.elections.factories import DEFAULT, GANSU, ElectionFactory, rules_copy
from tests.elections.stages import form_committee, on
from tests.residents.factories import GroupFactory, ResidentFactory

DAY = datetime.date(2030, 3, 16)


@pytest.fixture(autouse=True)
def _eve_of_the_vote():
    # The acts of these tests are dated before DAY: the clock stands on the eve of the vote, so none is in the
    # future (an act dated after today is refused).
    with on(DAY - datetime.timedelta(days=1)):
        yield


def text_of(content: bytes) -> str:
    """The PDF's text without any whitespace (pdftotext spaces CJK text unevenly)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return "".join(out.split())


@pytest.fixture
def election(community):
    group = GroupFactory(community=community, name="第一居民小组")
    for _ in range(3):
        ResidentFactory(community=community, group=group)
    # Only a registered voter can be nominated: the nominees live in a group of their own.
    nominees = GroupFactory(community=community, name="第三居民小组")
    for name in ["吴逸芸", "江兆", "方学全", "朱勇辉", "印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]:
        ResidentFactory(community=community, group=nominees, name=name)
    election = ElectionFactory(community=community, election_day=DAY, positions=True, venue="社区中心会场")
    form_committee(election)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=25))
    election.refresh_from_db()
    record_nomination_forms(election=election, issued=100, returned=90, valid=88, invalid=2, counts={
        "director": {"吴逸芸": 60, "江兆": 20}, "deputy": {"方学全": 50, "朱勇辉": 30},
        "member": {n: 40 for n in ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]}})
    rank_preliminary(election=election)
    for c in election.candidates.all():
        review_candidate(candidate=c, qualified=True, note="")
    choose_formal(election=election, chosen={
        code: list(election.candidates.filter(position__code=code).values_list("id", flat=True))
        for code in ("director", "deputy", "member")})
    return election


def test_it_prints_the_ballot_with_candidates_in_stroke_order(login, street_staff, election):
    response = login(street_staff).get(reverse("elections:ballot_pdf", args=[election.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "居民委员会成员选举选票" in text and "主任（应选1名）" in text and "另选他人" in text
    assert text.index("毛若虹") < text.index("印彦邦") < text.index("张吉生") < text.index("葛鸿平")
    assert "多于应选人数的，该职务的选票无效" in text


def test_it_prints_a_small_voter_list_inline_with_group_counts_and_page_numbers(login, committee_user, election):
    response = login(committee_user).get(reverse("elections:voters_pdf", args=[election.pk]))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "选民名单公告" in text and "登记选民共13名" in text
    assert "第一居民小组" in text and "第3页共3页" in text and text.count("页共3页") == 3
    names = VoterRollEntry.objects.filter(election=election).values_list("resident__name", flat=True)
    assert all(name in text for name in names)


def test_it_renders_a_large_voter_list_in_a_background_job(login, street_staff, election, settings, monkeypatch):
    monkeypatch.setattr("elections.views.papers.INLINE_VOTERS", 1)
    monkeypatch.setattr(papers, "ROWS_PER_PAGE", 1)
    monkeypatch.setattr(papers, "PAGES_PER_CHUNK", 2)
    client = login(street_staff)
    assert client.get(reverse("elections:voters_pdf", args=[election.pk])).url == reverse("elections:papers",
                                                                                          args=[election.pk])
    assert not Job.objects.exists()  # a GET starts nothing
    response = client.post(reverse("elections:voters_pdf", args=[election.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    text = text_of(job.result.read())
    assert "第14页共14页" in text and "登记选民共13名" in text


@pytest.mark.parametrize("kind", list(papers.NOTICES))
def test_it_builds_every_notice_with_a_document_number_kept(election, kind):
    papers.issue_paper(election=election, kind=kind)
    context = papers.notice_context(election, kind)
    papers.issue_paper(election=election, kind=kind)
    again = papers.notice_context(election, kind)
    assert context["doc_number"] == again["doc_number"] and context["doc_number"].startswith("〔")
    assert context["issuer"] == f"{election.community.name}居民委员会换届选举委员会"
    assert context["paragraphs"] or context["tables"]


@pytest.mark.parametrize(("rules", "mode", "sentence"), [
    (DEFAULT, Mode.DIRECT, "此外可以10名以上选民联名提名、组织提名。"),
    (GANSU, Mode.DIRECT, "此外可以10名以上选民联名提名、5名以上户代表联名提名、居民小组提名（每组不多于应选人数）。"),
    (DEFAULT, Mode.REPRESENTATIVE, "此外可以10名以上居民代表联名提名、组织提名。"),
])
def test_the_nomination_notice_names_the_ways_the_rule_set_allows(community, rules, mode, sentence):
    election = ElectionFactory(community=community, election_day=DAY, positions=True, rules=rules_copy(rules),
                               mode=mode)
    paragraphs = papers.notice_context(election, "nomination")["paragraphs"]
    assert sentence in paragraphs
    assert not any("组织提名" in p for p in paragraphs) or rules != GANSU


def test_it_numbers_papers_in_one_series_whatever_the_interface_language(election):
    with translation.override("en"):
        first = papers.issue_paper(election=election, kind="announcement").doc_number
    second = papers.issue_paper(election=election, kind="seats").doc_number
    year = first[1:5]
    assert (first, second) == (f"〔{year}〕第1号", f"〔{year}〕第2号")


def test_it_prints_the_candidate_notice(election):
    text = text_of(papers.render_notice(election, "candidates"))
    assert "正式候选人名单公告" in text and "吴逸芸" in text and "委员（应选5名）" in text


def test_it_prints_a_proxy_card_per_principal(login, committee_user, election):
    from elections.services.proxies import register_proxy

    voters = list(election.roll.select_related("resident").order_by("serial"))
    register_proxy(election=election, principal=voters[1], holder=voters[0], on=DAY - datetime.timedelta(days=5))
    response = login(committee_user).get(reverse("elections:proxy_cards_pdf", args=[election.pk]))
    text = text_of(response.content)
    assert "委托投票证第1号" in text
    assert f"委托人：{voters[1].resident.name}（选民证号2）" in text and f"受托人：{voters[0].resident.name}" in text


def test_it_reports_a_posted_roll_without_rebuilding_it(election, capsys):
    import json

    from django.core.management import call_command

    call_command("voter_roll", "--election", str(election.pk), "--json")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["registered"] == 13
    assert "不能重新生成" in captured.err


def test_it_prints_voter_cards_in_a_job_and_the_nomination_form(login, street_staff, election):
    client = login(street_staff)
    assert client.get(reverse("elections:voter_cards_pdf", args=[election.pk])).status_code == 405
    response = client.post(reverse("elections:voter_cards_pdf", args=[election.pk]))
    job = Job.objects.get()
    assert response.url == reverse("job_detail", args=[job.pk]) and job.status == Job.Status.DONE, job.message
    cards = text_of(job.result.read())
    assert cards.count("选民证") >= 3 and "编号：3" in cards
    form = text_of(client.get(reverse("elections:nomination_form_pdf", args=[election.pk])).content)
    assert "候选人提名票" in form and "委员（应选5名）" in form


def test_it_prints_the_list_of_one_group_for_its_wall(login, committee_user, election, community):
    other = GroupFactory(community=community, name="第二居民小组")
    ResidentFactory(community=community, group=other, name="蒋惠琴")
    url = reverse("elections:voters_pdf", args=[election.pk]) + "?group=第一居民小组"
    text = text_of(login(committee_user).get(url).content)
    assert "第一居民小组登记选民共3名" in text and "蒋惠琴" not in text


def test_it_prints_a_notice_not_yet_issued_as_an_unnumbered_draft_and_writes_nothing(login, street_staff,
                                                                                      election):
    response = login(street_staff).get(reverse("elections:notice", args=[election.pk, "announcement"]))
    assert "草稿（未编号，不得张贴）" in text_of(response.content)
    assert not ElectionPaper.objects.exists() and not DocumentCounter.objects.exists()


def test_it_numbers_a_notice_when_street_staff_issue_it(login, street_staff, committee_user, election):
    url = reverse("elections:issue_paper", args=[election.pk, "announcement"])
    assert login(committee_user).post(url).status_code == 403
    login(street_staff).post(url)
    paper = ElectionPaper.objects.get(election=election, kind="announcement")
    text = text_of(login(street_staff).get(reverse("elections:notice", args=[election.pk, "announcement"])).content)
    assert paper.doc_number in text and "草稿" not in text


def test_it_lists_the_election_committee_chair_first_then_deputies_then_members(election):
    deputy = election.committee_members.order_by("id").last()
    deputy.role = "vice_chair"
    deputy.save()
    rows = papers.notice_context(election, "committee")["tables"][0]["rows"]
    assert [title for title, _name in rows] == ["主任", "副主任"] + ["委员"] * (len(rows) - 2)
