import datetime

from django import template
from django.utils import formats, timezone

from lib.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2024年3月16日, the way a Chinese office dates a notice (Django's DATE_FORMAT of zh-hans; in English "March
    16, 2024"); a moment is dated where the office is (TIME_ZONE, Asia/Shanghai), not in UTC: 04:29 in Beijing is
    already the next day."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def age(born) -> int | str:
    """Full years of age today (周岁): shown instead of a birth date to whom the date is not for."""
    if not born:
        return ""
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@register.filter
def percent(value) -> str:
    """A fraction as a percentage with two decimals, as reports print it: 0.8112 → 81.12%."""
    if value is None or value == "":
        return ""
    return f"{float(value):.2%}"


register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
