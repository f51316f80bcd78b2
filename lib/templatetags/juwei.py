import datetime

from django import template

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


register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
