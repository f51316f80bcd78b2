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


def test_it_adds_a_household_in_place_and_registers_a_resident_in_it(page, live_server, log_in):
    import datetime

    from lib.idcard import make_id_number
    from tests.residents.factories import GroupFactory, HouseholdFactory

    community = CommunityFactory(name="后北岸社区")
    HouseholdFactory(community=community, number="A001")
    GroupFactory(community=community, name="第一居民小组")
    log_in(page, committee_of(community).username, PASSWORD)
    page.goto(f"{live_server.url}/residents/new/")
    page.fill("#id_name", "王　建国")
    page.click("text=列表中没有？新建户")
    page.fill("#id_new_household-number", "B002")
    page.click("text=新建并选中")
    page.wait_for_selector("text=已新建户 B002 并选中")
    assert page.locator("#id_name").input_value() == "王　建国"  # what was typed stays: only the field came back
    page.fill("#id_id_number", make_id_number(birth_date=datetime.date(1962, 3, 14), sequence=5, sex="M"))
    page.select_option("#id_relation", label="户主")
    page.select_option("#id_group", label="第一居民小组")
    page.select_option("#id_registration", label="本社区")
    page.click("button:text('保存')")
    page.wait_for_selector("text=已登记 王建国")
    resident = Resident.objects.get(community=community)
    assert (resident.name, resident.household.number) == ("王建国", "B002")
