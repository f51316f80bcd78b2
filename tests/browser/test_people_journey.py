"""A clerk without the admin: street staff open the account, the clerk logs in with the first password, must
change it before any other page, and enters a box's ballots as the second clerk."""

import datetime

import pytest
import time_machine

from elections.models import Ballot, Box
from org.models import AccountAction, AccountEvent, Membership, Role
from tests.elections import stages
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.factories import PASSWORD, staff_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIRST, OWN = "first-pass-given-at-desk", "only-the-clerk-knows-this"


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def enter_paper(page, director, member):
    page.fill("input[name=p-director] >> nth=0", director)
    page.fill("input[name=p-member] >> nth=0", member)
    with page.expect_navigation():
        page.press("input[name=p-director] >> nth=0", "Enter")
    assert "已录入" in page.locator(".messages").inner_text()


def test_it_opens_a_clerk_account_that_changes_its_password_and_enters_the_second_pass(
        page, browser, live_server, log_in, community, settings):
    settings.SESSION_COOKIE_AGE = 7 * 24 * 3600
    day = datetime.date.today() + datetime.timedelta(days=10)
    chief_clerk = staff_of(community.street)
    election = ElectionFactory(community=community, positions=True, election_day=day, registered_voters=1)
    for code, name in [("director", "吴逸芸"), ("member", "印彦邦")]:
        CandidateFactory(position=election.positions.get(code=code), name=name)
    stages.appoint_counting_staff(election)
    Box.objects.create(election=election, code="C", kind="venue", name="中心会场", issued=1)
    stages.counting(election)
    base = f"{live_server.url}/elections/{election.pk}"
    page.on("dialog", lambda dialog: dialog.accept())

    with time_machine.travel(datetime.datetime.combine(day, datetime.time(19), tzinfo=stages.SHANGHAI), tick=True):
        log_in(page, chief_clerk.username, PASSWORD)
        page.goto(f"{live_server.url}/people/")
        submit(page, "text=开设账户")
        page.fill("#id_username", "luru2")
        page.fill("#id_full_name", "陈录入")
        page.select_option("#id_role", Role.STREET_STAFF.value)
        page.select_option("#id_street", label=community.street.name)
        page.fill("#id_password1", FIRST)
        page.fill("#id_password2", FIRST)
        submit(page, "#account-form button")
        assert "已开设账户 luru2" in page.locator(".messages").inner_text()
        assert "开设账户" in page.locator("table").last.inner_text()

        clerk = browser.new_context(locale="zh-CN").new_page()
        clerk.on("dialog", lambda dialog: dialog.accept())
        clerk.goto(f"{live_server.url}/accounts/login/")
        clerk.fill("#id_username", "luru2")
        clerk.fill("#id_password", FIRST)
        submit(clerk, "button[type=submit]")
        # Any page sends the clerk to change the password the street staff know.
        clerk.goto(f"{base}/boxes/")
        assert clerk.url.endswith("/account/password/")
        assert "请先修改" in clerk.locator(".messages").inner_text()
        clerk.fill("#id_old_password", FIRST)
        clerk.fill("#id_new_password1", OWN)
        clerk.fill("#id_new_password2", OWN)
        submit(clerk, "main form button[type=submit]")
        assert "密码已修改" in clerk.locator(".messages").inner_text()

        page.goto(f"{base}/boxes/")
        page.click("#box-C >> text=第一遍")
        enter_paper(page, "吴逸芸", "印彦邦")

        clerk.goto(f"{base}/boxes/")
        clerk.click("#box-C >> text=第二遍")
        enter_paper(clerk, "吴逸芸", "印彦邦")
        clerk.click("text=核对两遍录入")
        assert "两遍一致" in clerk.content()
        submit(clerk, "text=确认入账")
        assert "已入账" in clerk.content()
        clerk.context.close()

    assert Ballot.objects.filter(election=election).count() == 1
    new = Membership.objects.get(user__username="luru2")
    assert new.role == Role.STREET_STAFF and new.street == community.street
    assert AccountEvent.objects.get(account__username="luru2").action == AccountAction.CREATED
