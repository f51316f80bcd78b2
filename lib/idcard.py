"""Resident ID numbers (居民身份证号码, GB 11643-1999): checksum, birth date and sex digit."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class InvalidIdNumber(ValueError):
    """The number breaks GB 11643; the message says how, in words a clerk understands."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F": the 17th digit is odd for men, even for women


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str) -> IdNumber:
    """Validate an 18-character ID number and read the birth date and sex from it."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber(_("长度应为18位"))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(_("只能是数字，最后一位可为X"))
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(_("出生日期无效")) from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise InvalidIdNumber(_("出生日期无效"))
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber(_("校验位错误"))
    return IdNumber(number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F")


def make_id_number(*, region: str = "320402", birth_date: datetime.date, sequence: int, sex: str) -> str:
    """A valid number for demo data and tests: `sequence` (0–499) picks the order code, `sex` its parity."""
    order = (sequence % 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)
