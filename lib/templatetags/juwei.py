import datetime

from django import template
from django.utils import timezone

from lib.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2024年3月16日, the way a Chinese office dates a notice."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def age(born) -> int | str:
    """Full years of age today (周岁): shown instead of a birth date to whom the date is not for."""
    if not born:
        return ""
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
