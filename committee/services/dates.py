"""Dates checked against today and against the dates they follow (docs/domain.md, Committee: dates).

Every register refuses a date that lies in the future where it records something done, or that comes before
the record it follows (minutes before their meeting, an answer before its letter). The message names the field
and both dates, and is keyed by the field so that a form shows it beside that field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class DateChecks:
    """Collects every refused date of one call, then raises them together (`check`)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.errors: dict[str, list[str]] = {}

    def _refuse(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def not_future(self, field: str, label: str, day: datetime.date | None) -> "DateChecks":
        if day is not None and day > self.today:
            self._refuse(field, _("%(label)s %(day)s 晚于今天（%(today)s）：不能登记尚未发生的日期") % {
                "label": label, "day": day.isoformat(), "today": self.today.isoformat()})
        return self

    def not_before(self, field: str, label: str, day: datetime.date | None, other_label: str,
                   other: datetime.date | None) -> "DateChecks":
        if day is not None and other is not None and day < other:
            self._refuse(field, _("%(label)s %(day)s 早于%(other_label)s %(other)s") % {
                "label": label, "day": day.isoformat(), "other_label": other_label, "other": other.isoformat()})
        return self

    def not_after(self, field: str, label: str, day: datetime.date | None, other_label: str,
                  other: datetime.date | None) -> "DateChecks":
        if day is not None and other is not None and day > other:
            self._refuse(field, _("%(label)s %(day)s 晚于%(other_label)s %(other)s") % {
                "label": label, "day": day.isoformat(), "other_label": other_label, "other": other.isoformat()})
        return self

    def not_negative(self, field: str, label: str, amount) -> "DateChecks":
        # Amounts sit beside the dates of the same entry and are refused the same way.
        if amount is not None and amount < 0:
            self._refuse(field, _("%(label)s不能为负数（%(amount)s）") % {"label": label, "amount": amount})
        return self

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
