"""Plain request/response helpers shared by every app's views (no models, no project imports)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect


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


def form_messages(request, form) -> None:
    """A posted form that did not validate, for a page that shows messages rather than the form itself: each
    error with its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def act(request, to: str, action, success: str, *, refused=None, done=None):
    """Run one service call `action()` and go back to `to`: a refusal as error messages (then `refused()`, e.g.
    to keep what was typed), else the `success` message (then `done(result)`, e.g. to show its warnings)."""
    try:
        result = action()
    except ValidationError as error:
        messages_for(request, error)
        if refused:
            refused()
    else:
        messages.success(request, success)
        if done:
            done(result)
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
