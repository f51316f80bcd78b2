import datetime

import pytest

from lib.idcard import InvalidIdNumber, make_id_number, parse_id_number


def test_it_reads_birth_date_and_sex_from_a_valid_number():
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "F"


@pytest.mark.parametrize(("value", "reason"), [
    ("110105194912310021", "校验位错误"),
    ("11010519491331002X", "出生日期无效"),
    ("1101051949123100", "长度应为18位"),
    ("11010519491231A02X", "只能是数字，最后一位可为X"),
])
def test_it_refuses_a_broken_number_with_the_reason(value, reason):
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_id_number(value)


def test_it_makes_numbers_that_pass_its_own_validation():
    number = make_id_number(birth_date=datetime.date(2006, 3, 16), sequence=7, sex="M")
    assert parse_id_number(number).sex == "M"
