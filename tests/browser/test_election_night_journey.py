"""Election night in the browser: voting refused the day before, ballots issued, the unused ones destroyed, a
box entered twice by two clerks, a difference resolved, the report signed by three appointed people, the result
confirmed by two accounts and published."""

import datetime

import pytest
import time_machine

from elections.models import Ballot, ElectionStatus, VoterRollEntry
from tests.elections import stages
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


def test_it_runs_election_night_from_issue_to_the_public_board(page, browser, live_server, log_in, community,
                                                              settings, tmp_path):
    # The clock moves from the eve of the vote to election night: the sessions must outlive the two days.
    settings.SESSION_COOKIE_AGE = 7 * 24 * 3600
    day = datetime.date.today() + datetime.timedelta(days=10)
    eve = datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time(10), tzinfo=stages.SHANGHAI)
    clerk_a, clerk_b = staff_of(community.street), staff_of(community.street)
    election = ElectionFactory(community=community, positions=True, election_day=day, registered_voters=3)
    for code, name, gender in [("director", "吴逸芸", "F"), ("director", "黄振华", "M"), ("deputy", "方学全", "M"),
                               ("member", "印彦邦", "M"), ("member", "毛若虹", "F")]:
        CandidateFactory(position=election.positions.get(code=code), name=name, gender=gender)
    for serial in (1, 2, 3):
        VoterRollEntry.objects.create(election=election, resident=ResidentFactory(community=community),
                                      group_name="一组", serial=serial)
    stages.appoint_counting_staff(election)
    stages.at_stage(election, ElectionStatus.CANDIDATES_POSTED)
    base = f"{live_server.url}/elections/{election.pk}"
    page.on("dialog", lambda dialog: dialog.accept())  # the irreversible steps ask first

    with time_machine.travel(eve, tick=True) as clock:
        log_in(page, clerk_a.username, PASSWORD)
        page.goto(f"{base}/boxes/")
        page.fill("#id_code", "C")
        page.fill("#id_name", "中心会场")
        submit(page, "#box-form button")
        submit(page, "text=开始投票")
        assert "不是投票日" in page.locator(".messages").inner_text()

        clock.move_to(datetime.datetime.combine(day, datetime.time(8), tzinfo=stages.SHANGHAI), tick=True)
        submit(page, "text=开始投票")
        assert "投票开始" in page.locator(".messages").inner_text()
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
        assert "须清点并登记作废销毁的剩余选票" in page.locator(".messages").inner_text()
        page.fill("#destroyed-form input[name=destroyed]", "1")
        submit(page, "#destroyed-form button")
        submit(page, "text=投票结束，开始计票")
        assert "开始计票" in page.locator(".messages").inner_text()

        page.click("#box-C >> text=第一遍")
        enter_paper(page, "吴逸芸", ["印彦邦", "毛若虹"])
        enter_paper(page, "吴逸芸", ["毛若虹"])

        other = browser.new_context(locale="zh-CN").new_page()
        other.on("dialog", lambda dialog: dialog.accept())
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
        assert Ballot.objects.filter(election=election).count() == 2

        page.goto(f"{base}/boxes/")
        page.click("text=结束计票并封存票箱")
        page.wait_for_url(f"{base}/result/")
        assert "吴逸芸" in page.locator("#position-director").inner_text()
        assert "（尚未确认，供签字用）" in page.content()
        # The scrutineer-in-chief, a scrutineer and the counter signed the printed report: recorded with its scan.
        for name in ("周监票", "吴监票", "钱计票"):
            page.check(f"#sign-form label:has-text('{name}') input")
        scan = tmp_path / "signed.pdf"
        scan.write_bytes(stages.SCAN)
        page.set_input_files("#sign-form input[type=file]", str(scan))
        submit(page, "#sign-form button")
        assert "已登记报告单签字" in page.locator(".messages").inner_text()
        submit(page, "#confirm-form button")
        assert "已确认" in page.locator(".messages").inner_text()
        submit(page, "#confirm-form button")
        assert "同一账号不能确认两次" in page.locator(".messages").inner_text()
        other.goto(f"{base}/result/")
        submit(other, "#confirm-form button")
        assert "结果已确认并封存" in other.locator(".status").inner_text()
        other.context.close()
        election.refresh_from_db()
        assert election.status == ElectionStatus.CERTIFIED
        assert {s.worker.name for s in election.signatures.select_related("worker")} == {"周监票", "吴监票", "钱计票"}
        page.goto(f"{base}/result/")
        submit(page, "text=在公开栏公告")
        page.click("text=查看公开栏")
        page.wait_for_url(f"{live_server.url}/board/{community.code}/")
        submit(page, "text=换届选举结果公告")
        notice = page.content()
        assert "吴逸芸（2票）当选" in notice and "收回选票 2 张" in notice and "参选率 66.67%" in notice
