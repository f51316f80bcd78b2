import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_as_street_staff_sees_the_dashboard_and_opens_the_public_board(page, live_server, log_in):
    call_command("loaddemo", force=True)
    log_in(page, "jiedao", "juwei-demo")
    assert page.locator("h1").first.inner_text().startswith("天宁区德感街道办事处")  # street staff start at the street
    assert "后北岸社区" in page.content()
    page.click("text=公开栏")
    page.wait_for_url(f"{live_server.url}/board/")
    assert "居务公开栏" in page.locator("h1").inner_text()
    assert "月湖社区" in page.content()
