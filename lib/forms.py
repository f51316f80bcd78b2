"""Form fields shared by every app's forms (no models, no project imports)."""

from django import forms
from django.core.exceptions import ValidationError

# The widest integer key any supported database stores; SQLite raises OverflowError on a wider one in `pk__in`.
LARGEST_KEY = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a posted key too wide for the database as it refuses any key that names nothing."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).lstrip("-").isdigit() and abs(int(pk)) > LARGEST_KEY:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
        return super()._check_values(value)
