"""Street staff set an election up in the browser: create it, build and post the roll, enter nominations,
choose the formal candidates and download the ballot paper."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from elections.rulesets import install_rule_sets
from tests.factories import PASSWORD, CommunityFactory, staff_of
from tests.residents.factories import GroupFactory, ResidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_sets_up_an_election_up_to_the_ballot_paper(page, live_server, log_in, tmp_path):
    install_rule_sets()
    community = CommunityFactory(name="后北岸社区")
    group = GroupFactory(community=community, name="第一居民小组")
    # Only registered voters can be nominated: the nominees below live here.
    for name in ["吴逸芸", "江兆", "方学全", "朱勇辉", "印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕"]:
        ResidentFactory(community=community, group=group, name=name)
    user = staff_of(community.street)
    log_in(page, user.username, PASSWORD)
    page.on("dialog", lambda dialog: dialog.accept())  # posting the roll asks first
    day = timezone.localdate() + datetime.timedelta(days=30)

    page.goto(f"{live_server.url}/elections/")
    page.select_option("#id_community", community.code)
    page.select_option("#id_rule_set", label="默认规则（城市居民委员会组织法）")
    page.fill("#id_term_number", "5")
    page.select_option("#id_mode", "direct")
    page.fill("#id_election_day", day.isoformat())
    page.click("#create-election button[type=submit]")
    page.wait_for_selector("text=时间表")
    assert "后北岸社区第5届居民委员会换届选举" in page.locator("h1").inner_text()

    page.click("text=选民名单")
    page.click("#build-roll")
    page.wait_for_selector("#roll-summary")
    assert "登记选民 10 名" in page.locator("#roll-summary").inner_text()
    page.click("#post-roll")
    page.wait_for_selector("text=名单已冻结")

    page.click("nav >> text=提名")
    page.fill("#id_issued", "2684")
    page.fill("#id_returned", "1772")
    page.fill("#id_valid", "1768")
    page.fill("#id_invalid", "4")
    page.fill("#id_names_director", "吴逸芸 1100\n江兆 300")
    page.fill("#id_names_deputy", "方学全 900\n朱勇辉 400")
    page.fill("#id_names_member", "印彦邦 1400\n葛鸿平 1300\n毛若虹 1200\n张吉生 1100\n蒋惠琴 1000\n肖桂焕 700")
    page.click("#nomination-forms button[type=submit]")
    page.wait_for_selector("text=已保存提名票统计")
    page.click("#rank button[type=submit]")
    page.wait_for_selector("text=已按得票多少产生初步候选人")

    # Choosing before the qualification review is refused with the reason.
    for box in page.locator("input[type=checkbox][form=choose-formal]").all():
        box.check()
    page.click("#choose")
    page.wait_for_selector("text=吴逸芸 尚未通过资格审查，不能确定为正式候选人。")
    while page.locator("form.review").count():
        with page.expect_navigation():
            page.locator("form.review button").first.click()
    for box in page.locator("input[type=checkbox][form=choose-formal]").all():
        box.check()
    page.click("#choose")
    page.wait_for_selector("text=已确定正式候选人")

    with page.expect_download() as download_info:
        page.evaluate("document.getElementById('ballot-link').setAttribute('download', 'ballot.pdf')")
        page.click("#ballot-link")
    path = tmp_path / "ballot.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "后北岸社区第5届居民委员会成员选举选票" in text
    # Surname strokes: 江 (6) before 吴 (7); 毛 (4) first among the members.
    assert text.index("江兆") < text.index("吴逸芸")
    assert text.index("毛若虹") < text.index("印彦邦") < text.index("葛鸿平")
