"""Election night in the browser: issue ballots, enter a box twice, resolve a difference, tally, certify, publish."""

import pytest

from elections.models import Ballot, ElectionStatus, VoterRollEntry
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import PASSWORD, staff_of
from tests.residents.factories import ResidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def enter_paper(page, director, members):
    page.fill("input[name=p-director] >> nth=0", director)
    for i, name in enumerate(members):
        page.fill(f"input[name=p-member] >> nth={i}", name)
    with page.expect_navigation():
        page.press("input[name=p-director] >> nth=0", "Enter")
    assert "已录入" in page.locator(".messages").inner_text()


def test_it_runs_election_night_from_issue_to_the_public_board(page, browser, live_server, log_in, community):
    clerk_a, clerk_b = staff_of(community.street), staff_of(community.street)
    election = ElectionFactory(community=community, positions=True, registered_voters=3)
    for code, name, gender in [("director", "吴逸芸", "F"), ("director", "黄振华", "M"), ("deputy", "方学全", "M"),
                               ("member", "印彦邦", "M"), ("member", "毛若虹", "F")]:
        CandidateFactory(position=election.positions.get(code=code), name=name, gender=gender)
    for serial in (1, 2):
        VoterRollEntry.objects.create(election=election, resident=ResidentFactory(community=community),
                                      group_name="一组", serial=serial)
    base = f"{live_server.url}/elections/{election.pk}"

    log_in(page, clerk_a.username, PASSWORD)
    page.goto(f"{base}/boxes/")
    page.fill("#id_code", "C")
    page.fill("#id_name", "中心会场")
    submit(page, "#box-form button")
    submit(page, "text=开始投票")
    for serial in ("1", "2"):
        page.select_option("#issue-form select[name=box]", label="C 中心会场")
        page.fill("#issue-form input[name=voter]", serial)
        submit(page, "#issue-form button")
        assert "已发放选票" in page.locator(".messages").inner_text()
    page.fill("#issue-form input[name=voter]", "1")
    submit(page, "#issue-form button")
    assert "已经领取过选票" in page.locator(".messages").inner_text()
    assert page.locator("#box-C td").nth(4).inner_text() == "2"
    submit(page, "text=投票结束，开始计票")

    page.click("#box-C >> text=第一遍")
    enter_paper(page, "吴逸芸", ["印彦邦", "毛若虹"])
    enter_paper(page, "吴逸芸", ["毛若虹"])

    other = browser.new_context(locale="zh-CN").new_page()
    log_in(other, clerk_b.username, PASSWORD)
    other.goto(f"{base}/boxes/")
    other.click("#box-C >> text=第二遍")
    enter_paper(other, "吴逸芸", ["印彦邦", "毛若虹"])
    enter_paper(other, "黄振华", ["毛若虹"])  # mistyped: the paper says 吴逸芸
    other.click("text=核对两遍录入")
    assert other.locator("table.differences tbody tr").count() == 1
    assert other.locator("#diff-2").is_visible()
    other.click("#diff-2 td:nth-child(3) >> text=修改")
    other.fill("input[name=p-director] >> nth=0", "吴逸芸")
    submit(other, "text=保存")
    assert "两遍一致" in other.content()
    submit(other, "text=确认入账")
    assert "已入账" in other.content()
    other.context.close()
    assert Ballot.objects.filter(election=election).count() == 2

    page.goto(f"{base}/boxes/")
    page.click("text=结束计票并封存票箱")
    page.wait_for_url(f"{base}/result/")
    assert "吴逸芸" in page.locator("#position-director").inner_text()
    page.select_option("#confirm-form select[name=role]", "scrutineer")
    page.fill("#confirm-form input[name=name]", "周监票")
    submit(page, "#confirm-form button")
    page.select_option("#confirm-form select[name=role]", "counter")
    page.fill("#confirm-form input[name=name]", "钱计票")
    submit(page, "#confirm-form button")
    assert "结果已确认并封存" in page.locator(".status").inner_text()
    election.refresh_from_db()
    assert election.status == ElectionStatus.CERTIFIED
    submit(page, "text=在公开栏公告")
    page.click("text=查看公开栏")
    page.wait_for_url(f"{live_server.url}/board/{community.code}/")
    submit(page, "text=换届选举结果公告")
    notice = page.content()
    assert "吴逸芸（2票）当选" in notice and "收回选票 2 张" in notice
