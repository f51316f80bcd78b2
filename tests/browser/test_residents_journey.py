import pytest

from residents.models import Resident
from tests.factories import PASSWORD, CommunityFactory, committee_of
from tests.residents.test_import import FANG, csv_bytes, rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_imports_a_file_sees_the_error_fixes_it_and_confirms(page, live_server, log_in):
    community = CommunityFactory(name="后北岸社区")
    user = committee_of(community)
    log_in(page, user.username, PASSWORD)

    bad = rows()
    bad[1]["身份证号"] = FANG[:-1] + ("0" if FANG[-1] != "0" else "1")
    page.goto(f"{live_server.url}/residents/import/")
    page.set_input_files("input[type=file]", files=[
        {"name": "名单.csv", "mimeType": "text/csv", "buffer": csv_bytes(bad).getvalue()}])
    page.click("text=上传并预检")
    assert "第 3 行 身份证号: 校验位错误" in page.locator("#import-errors").inner_text()
    assert page.locator("text=确认导入").count() == 0

    page.click("text=重新上传")
    page.set_input_files("input[type=file]", files=[
        {"name": "名单.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows()).getvalue()}])
    page.click("text=上传并预检")
    assert "预检通过，将新增 4 人" in page.locator("#import-verdict").inner_text()
    page.click("text=确认导入")
    page.wait_for_selector("[data-status=done]")
    page.click("text=继续")
    page.wait_for_url(f"{live_server.url}/residents/")
    assert "吴逸芸" in page.content()
    assert Resident.objects.filter(community=community).count() == 4
