"""Plain request/response helpers shared by every app's views (no models, no project imports)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .outcome import Outcome


def on_form(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: beside the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def messages_for(request, error: ValidationError) -> None:
    """A service's refusal as error messages, for acts whose page has no form to show it on."""
    for message in error.messages:
        messages.error(request, message)


def form_errors(form) -> list[str]:
    """A posted form's errors as sentences for a page that does not show the form itself: each with its field's
    label."""
    found = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        found += [_("%(label)s：%(error)s") % {"label": label, "error": error} if label else error
                  for error in errors]
    return found


def form_messages(request, form) -> None:
    """A posted form that did not validate, as error messages (see form_errors)."""
    for error in form_errors(form):
        messages.error(request, error)


def warnings_shown(request, result):
    """The warnings of a service's `Outcome` as warning messages; returns what the service made."""
    if not isinstance(result, Outcome):
        return result
    for warning in result.warnings:
        messages.warning(request, warning)
    return result.value


def act(request, to: str, action, success: str, *, refused=None):
    """Run one service call `action()` and go back to `to`: a refusal as error messages (then `refused()`, e.g.
    to keep what was typed), else the `success` message and the warnings of its `Outcome`."""
    try:
        result = action()
    except ValidationError as error:
        messages_for(request, error)
        if refused:
            refused()
    else:
        messages.success(request, success)
        warnings_shown(request, result)
    return redirect(to)


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """A rendered PDF, opened in the browser (to print) unless `download`."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    return response


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes only ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
