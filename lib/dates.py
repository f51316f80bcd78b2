"""Dates as people read them, and the one check of a recorded date against today and its neighbours
(docs/domain.md, Dates of the registers)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def written_date(value) -> str:
    """2024年3月16日, the way a Chinese office dates a notice (Django's DATE_FORMAT of zh-hans; in English "March
    16, 2024"); a moment is dated where the office is (TIME_ZONE, Asia/Shanghai), not in UTC: 04:29 in Beijing is
    already the next day."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return formats.date_format(value, "DATE_FORMAT")


class DateChecks:
    """Collects every refused date of one call, keyed by the field so that a form shows each beside its field,
    then raises them together (`check`). A date that records something done may not lie after today, nor before
    the record it follows (minutes before their meeting, moving out before moving in)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.errors: dict[str, list[str]] = {}

    def _refuse(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def not_future(self, field: str, label: str, day: datetime.date | None) -> "DateChecks":
        if day is not None and day > self.today:
            self._refuse(field, _("%(label)s %(day)s 晚于今天（%(today)s）：不能登记尚未发生的日期") % {
                "label": label, "day": written_date(day), "today": written_date(self.today)})
        return self

    def not_before(self, field: str, label: str, day: datetime.date | None, other_label: str,
                   other: datetime.date | None) -> "DateChecks":
        if day is not None and other is not None and day < other:
            self._refuse(field, _("%(label)s %(day)s 早于%(other_label)s %(other)s") % {
                "label": label, "day": written_date(day), "other_label": other_label, "other": written_date(other)})
        return self

    def not_after(self, field: str, label: str, day: datetime.date | None, other_label: str,
                  other: datetime.date | None) -> "DateChecks":
        if day is not None and other is not None and day > other:
            self._refuse(field, _("%(label)s %(day)s 晚于%(other_label)s %(other)s") % {
                "label": label, "day": written_date(day), "other_label": other_label, "other": written_date(other)})
        return self

    def not_negative(self, field: str, label: str, amount) -> "DateChecks":
        # Amounts sit beside the dates of the same entry and are refused the same way.
        if amount is not None and amount < 0:
            self._refuse(field, _("%(label)s不能为负数（%(amount)s）") % {"label": label, "amount": amount})
        return self

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
