import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from lib.dates import DateChecks, written_date

TODAY = datetime.date(2026, 3, 16)


@pytest.mark.parametrize("language, written", [("zh-hans", "2026年3月16日"), ("en", "March 16, 2026")])
def test_it_writes_a_date_in_the_active_language(language, written):
    with translation.override(language):
        assert written_date(TODAY) == written


def test_it_dates_a_moment_where_the_office_is_not_in_utc():
    late_in_utc = datetime.datetime(2026, 3, 15, 20, 29, tzinfo=datetime.UTC)  # 04:29 on the 16th in Beijing
    with translation.override("zh-hans"):
        assert written_date(late_in_utc) == "2026年3月16日"


def test_it_collects_every_refused_date_of_one_call_beside_its_field():
    checks = DateChecks(TODAY).not_future("on", "日期", TODAY + datetime.timedelta(days=1))
    checks.not_before("ends", "结束日期", datetime.date(2026, 1, 1), "开始日期", datetime.date(2026, 2, 1))
    checks.not_after("starts", "开始日期", TODAY, "结束日期", datetime.date(2026, 3, 1))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        checks.check()
    assert refused.value.message_dict == {
        "on": ["日期 2026年3月17日 晚于今天（2026年3月16日）：不能登记尚未发生的日期"],
        "ends": ["结束日期 2026年1月1日 早于开始日期 2026年2月1日"],
        "starts": ["开始日期 2026年3月16日 晚于结束日期 2026年3月1日"],
    }


def test_it_passes_dates_in_order_and_missing_dates():
    DateChecks(TODAY).not_future("on", "日期", TODAY).not_before("on", "日期", None, "开始日期", TODAY).check()


def test_a_refusal_in_english_carries_no_chinese_date():
    with translation.override("en"):
        checks = DateChecks(TODAY).not_before(NON_FIELD_ERRORS, "x", datetime.date(2026, 1, 2), "y", TODAY)
        with pytest.raises(ValidationError) as refused:
            checks.check()
    assert refused.value.messages == ["x Jan. 2, 2026 is earlier than y March 16, 2026"]
