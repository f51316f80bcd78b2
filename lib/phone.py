"""Phone numbers of the registry: the one normaliser and check for the resident form and the import (docs/formats.md,
Residents file, 联系电话), so that whatever one accepts the other accepts too and an export always re-imports."""

import re
import unicodedata

from django.utils.translation import gettext as _

# A mobile number (11 digits from 1) or a landline with its area code (0 and 2–3 digits, a dash, 7–8 digits).
PHONE = re.compile(r"1\d{10}|0\d{2,3}-\d{7,8}")
SPACES = re.compile(r"\s+")


class InvalidPhone(ValueError):
    """The message says what a phone number must look like."""


def normalise_phone(value: str) -> str:
    """The number as stored: full-width digits and dash made half-width, spaces removed; "" stays "".
    Refused (InvalidPhone) unless it is a mobile or a landline with its area code."""
    phone = SPACES.sub("", unicodedata.normalize("NFKC", value or ""))
    if phone and not PHONE.fullmatch(phone):
        raise InvalidPhone(_("“%(value)s”无效，应为11位手机号或如 0519-86681234 的固定电话") % {"value": value})
    return phone
