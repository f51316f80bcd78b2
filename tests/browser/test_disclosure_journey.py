import re

import pytest
from django.core.management import call_command

from disclosure import services
from disclosure.models import Item, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = ("<table><thead><tr><th>摘要</th><th>收入（元）</th><th>支出（元）</th></tr></thead>"
        "<tbody><tr><td>办公经费</td><td>10000</td><td></td></tr><tr><td>环境整治</td><td></td><td>3200</td></tr>"
        "</tbody></table>")


def _log_out(page):
    page.click("button:has-text('退出')")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_it_takes_the_monthly_accounts_from_draft_to_the_board_and_an_answered_feedback(page, live_server, log_in):
    call_command("loaddemo", force=True)
    # The committee member drafts the monthly accounts.
    log_in(page, "juwei", "juwei-demo")
    page.goto(f"{live_server.url}/disclosure/")
    page.click("text=起草公开事项")
    page.select_option("#id_category", "finances")
    page.fill("#id_title", "经费收支公开（浏览器演示）")
    page.fill("#id_period_start", "2024-03-01")
    page.fill("#id_period_end", "2024-03-31")
    page.fill("#id_body", BODY)
    page.click("button:has-text('保存草稿')")
    page.wait_for_url(re.compile(r"/disclosure/items/\d+/$"))
    item_url = page.url
    assert "草稿" in page.locator(".status").inner_text()
    page.click("button:has-text('提交监督小组审核')")
    page.wait_for_selector("text=已提交居务监督小组审核")
    _log_out(page)

    # The supervision group's leader signs it.
    log_in(page, "jiandu", "juwei-demo")
    page.goto(item_url)
    page.click("button:has-text('审核通过，签字')")
    page.wait_for_selector(".signature")
    assert "已签字" in page.locator(".status").inner_text()
    _log_out(page)

    # The committee puts it on the next board; the 10th comes (time controlled: the service runs on that day).
    log_in(page, "juwei", "juwei-demo")
    page.goto(item_url)
    page.click("button:has-text('排入下一期公开栏')")
    page.wait_for_selector("text=待公开")
    item = Item.objects.get(title="经费收支公开（浏览器演示）")
    assert item.status == Status.SCHEDULED and item.scheduled_for.day == 10
    published = services.publish_due(today=item.scheduled_for)
    assert item.pk in [i.pk for i in published]
    _log_out(page)

    # Anyone sees it on the public board and leaves feedback.
    page.goto(f"{live_server.url}/board/HBA/")
    page.click("text=经费收支公开（浏览器演示）")
    assert "环境整治" in page.locator(".item-body").inner_text()
    page.fill("#id_text", "环境整治3200元用在了哪里？")
    page.wait_for_timeout(3200)  # the form refuses posts sooner than a person could write them
    page.click("button:has-text('提交意见')")
    page.wait_for_selector("text=意见已收到")

    # The committee answers; the answer shows under the item.
    log_in(page, "juwei", "juwei-demo")
    page.goto(f"{live_server.url}/disclosure/feedback/")
    row = page.locator("tr", has_text="环境整治3200元用在了哪里")
    row.locator("textarea").fill("用于3幢楼道粉刷，票据可到居委会查阅。")
    row.locator("button:has-text('答复')").click()
    page.wait_for_selector("text=已答复")
    page.goto(f"{live_server.url}/board/HBA/items/{item.pk}/")
    feedback = page.locator("#feedback").inner_text()
    assert "环境整治3200元用在了哪里" in feedback and "用于3幢楼道粉刷" in feedback
