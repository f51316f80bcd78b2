from django import template
from django.utils import timezone

from lib.dates import written_date
from lib.masking import mask_id_number, mask_phone

register = template.Library()


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


register.filter("cn_date", written_date)
register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
