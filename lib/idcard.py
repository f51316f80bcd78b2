"""Resident ID numbers (居民身份证号码, GB 11643-1999): checksum, birth date, sex digit and division code.

`parse_id_number` is the one normaliser and validator of a typed number, for the resident form, the import
and the search box alike (docs/domain.md, ID numbers): what a clerk really types (full-width digits, spaces,
a lower-case x, a 15-digit first-generation number) becomes the 18-character number that is stored.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .divisions import division_known, province_known

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
SPACES = re.compile(r"\s+")


class InvalidIdNumber(ValueError):
    """The number breaks GB 11643; the message says how, in words a clerk understands."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F": the 17th digit is odd for men, even for women
    old_number: str = ""  # the 15-digit first-generation number it was converted from, if it was one


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def compact_id_number(value: str) -> str:
    """The characters of a typed number: full-width digits and letters made half-width (NFKC), spaces of any
    width removed, upper case."""
    return SPACES.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def parse_id_number(value: str) -> IdNumber:
    """Validate a typed ID number and read the birth date and sex from it.

    A 15-digit number (first-generation card: six-digit division, YYMMDD, three-digit order code) is taken
    in its 18-digit form: 19 inserted before the year and the check character added (GB 11643, annex)."""
    number = compact_id_number(value)
    old = ""
    if len(number) == 15 and number.isdigit():
        old = number
        first17 = f"{number[:6]}19{number[6:]}"
        number = first17 + check_char(first17)
    if len(number) != 18:
        raise InvalidIdNumber(_("长度应为18位（或15位旧号码）"))
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
    if not province_known(number):
        raise InvalidIdNumber(_("前两位 %(code)s 不是省级行政区划代码") % {"code": number[:2]})
    if not division_known(number[:6]):
        raise InvalidIdNumber(_("前六位 %(code)s 不是行政区划代码（GB/T 2260，含已撤销的）") % {"code": number[:6]})
    return IdNumber(number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F", old_number=old)


def make_id_number(*, region: str = "320402", birth_date: datetime.date, sequence: int, sex: str) -> str:
    """A valid number for demo data and tests: `sequence` (0–499) picks the order code, `sex` its parity;
    `region` must be a real division code (lib/divisions.py: division_codes)."""
    order = (sequence % 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)
