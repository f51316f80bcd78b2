"""Access to every Elections I page: anonymous → login, wrong community or role → 404/403, right role → 200."""

import datetime

import pytest
from django.urls import reverse

from elections.models import Election, ElectionStatus
from tests.elections.factories import ElectionFactory, rule_set
from tests.residents.factories import ResidentFactory

from .stages import form_committee, on

PAGES = ["detail", "roll", "proxies", "nominations", "candidates", "papers"]
POSTS = ["seats", "details", "add_member", "add_worker", "stage", "roll_build", "roll_post", "delegate",
         "objection", "add_proxy", "nomination_forms", "add_nomination", "rank", "choose", "candidates_post"]


@pytest.fixture
def election(community):
    return ElectionFactory(community=community, positions=True)


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_the_login(client, election, name):
    response = client.get(reverse(f"elections:{name}", args=[election.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name", PAGES)
def test_it_hides_an_election_from_other_communities_and_streets(login, election, other_committee_user,
                                                                 foreign_street_staff, name):
    url = reverse(f"elections:{name}", args=[election.pk])
    assert login(other_committee_user).get(url).status_code == 404
    assert login(foreign_street_staff).get(url).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_it_refuses_supervision_and_outsiders(login, election, supervision_user, outsider, name):
    url = reverse(f"elections:{name}", args=[election.pk])
    assert login(supervision_user).get(url).status_code == 403
    assert login(outsider).get(url).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_the_pages_to_street_staff_and_the_committee(login, election, street_staff, committee_user, name):
    url = reverse(f"elections:{name}", args=[election.pk])
    for user in (street_staff, committee_user):
        response = login(user).get(url)
        assert response.status_code == 200
        assert election.name in response.content.decode()


@pytest.mark.parametrize("name", POSTS)
def test_it_lets_only_street_staff_act(client, login, election, committee_user, foreign_street_staff, name):
    url = reverse(f"elections:{name}", args=[election.pk])
    assert client.post(url).status_code == 302 and client.post(url).url.startswith("/accounts/login/")
    assert login(committee_user).post(url).status_code == 403
    assert login(foreign_street_staff).post(url).status_code in (403, 404)


def test_it_lists_and_creates_elections_on_the_start_page(login, community, street_staff, committee_user):
    url = reverse("elections:index")
    assert "新建换届选举" not in login(committee_user).get(url).content.decode()
    response = login(street_staff).post(url, {
        "community": community.code, "rule_set": rule_set().pk, "term_number": 4, "mode": "direct",
        "election_day": "2030-03-16"})
    election = Election.objects.get(community=community)
    assert response.status_code == 302 and response.url == reverse("elections:detail", args=[election.pk])
    assert not election.rules.is_template
    assert election.name in login(committee_user).get(url).content.decode()


def test_it_refuses_creating_for_a_community_out_of_reach(login, foreign_community, street_staff):
    response = login(street_staff).post(reverse("elections:index"), {
        "community": foreign_community.code, "rule_set": rule_set().pk, "term_number": 4, "mode": "direct",
        "election_day": "2030-03-16"})
    assert response.status_code == 200
    assert not Election.objects.exists()


def test_it_builds_and_posts_the_roll_through_the_pages_late_with_a_warning(login, community, street_staff,
                                                                              election):
    ResidentFactory(community=community)
    form_committee(election)
    late = election.election_day - datetime.timedelta(days=19)
    tomorrow = (late + datetime.timedelta(days=1)).isoformat()
    with on(late):
        client = login(street_staff)
        client.post(reverse("elections:roll_build", args=[election.pk]))
        page = client.post(reverse("elections:roll_post", args=[election.pk]), {"on": tomorrow},
                           follow=True).content.decode()
        assert "晚于今天" in page and f'value="{tomorrow}"' in page  # refused, and the date typed is still there
        response = client.post(reverse("elections:roll_post", args=[election.pk]), {"on": late.isoformat()},
                               follow=True)
    page = response.content.decode()
    assert "选民名单已公布" in page and "逾期1日" in page
    # The late posting is on the election's record, and the very text is a warning on the page it goes back to.
    record = election.warnings.get(stage="roll").text
    assert "逾期1日" in record
    assert [(m.level_tag, m.message) for m in response.context["messages"]] == [
        ("success", "选民名单已公布，名单自此冻结。"), ("warning", record)]
    election.refresh_from_db()
    assert election.status == ElectionStatus.ROLL_POSTED and election.roll.count() == 1


def test_it_shows_the_refusal_of_unreconciled_nomination_forms(login, street_staff, election):
    response = login(street_staff).post(reverse("elections:nomination_forms", args=[election.pk]), {
        "issued": 2208, "returned": 2208, "valid": 1995, "invalid": 17, "names_director": "吴逸芸 1855"},
        follow=True)
    assert "有效票1995张加无效票17张为2012张，不等于收回的2208张。" in response.content.decode()


@pytest.mark.parametrize("name", ["voters_pdf", "ballot_pdf", "voter_cards_pdf", "nomination_form_pdf",
                                  "proxy_cards_pdf"])
def test_it_guards_the_papers(client, login, election, other_committee_user, foreign_street_staff,
                              supervision_user, name):
    url = reverse(f"elections:{name}", args=[election.pk])
    method = "post" if name == "voter_cards_pdf" else "get"  # starting the cards' job writes: a POST
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert getattr(login(other_committee_user), method)(url).status_code == 404
    assert getattr(login(foreign_street_staff), method)(url).status_code == 404
    assert getattr(login(supervision_user), method)(url).status_code == 403


def test_it_guards_a_notice(client, login, election, other_committee_user):
    url = reverse("elections:notice", args=[election.pk, "announcement"])
    assert client.get(url).status_code == 302
    assert login(other_committee_user).get(url).status_code == 404


def test_it_refuses_a_new_venue_for_a_certified_election_through_the_page(login, community, street_staff):
    election = ElectionFactory(community=community, venue="社区活动中心", status=ElectionStatus.CERTIFIED)
    response = login(street_staff).post(reverse("elections:details", args=[election.pk]), {
        "election_day": election.election_day.isoformat(), "venue": "别处", "voting_hours": ""}, follow=True)
    assert "投票前公告的事项不能再修改" in response.content.decode()
    election.refresh_from_db()
    assert election.venue == "社区活动中心"
