import datetime

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from disclosure.forms import RequestForm, SupervisionForm
from elections.views.byelection import ByElectionForm
from elections.views.counting import BoxForm
from lib.web import messages_for, on_form, pdf_response


class _Form(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_puts_a_service_error_beside_the_field_it_names_and_the_rest_above_the_form():
    form = _Form({"name": "x"})
    form.is_valid()
    on_form(form, ValidationError({"name": "名字不对", "elsewhere": "别处不对"}))
    assert form.errors == {"name": ["名字不对"], "__all__": ["别处不对"]}


def test_it_puts_an_error_without_a_field_above_the_form():
    form = _Form({"name": "x"})
    form.is_valid()
    on_form(form, ValidationError("不行"))
    assert form.non_field_errors() == ["不行"]


def test_it_turns_every_message_of_a_refusal_into_an_error_message():
    request = _request()
    messages_for(request, ValidationError(["一", "二"]))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "一"), ("error", "二")]


def test_it_serves_a_pdf_inline_unless_asked_to_download():
    shown, saved = pdf_response(b"%PDF-1.7", "a.pdf"), pdf_response(b"%PDF-1.7", "a.pdf", download=True)
    assert shown["Content-Type"] == "application/pdf" and shown.content == b"%PDF-1.7"
    assert shown["Content-Disposition"] == 'inline; filename="a.pdf"'
    assert saved["Content-Disposition"] == 'attachment; filename="a.pdf"'


@pytest.mark.parametrize("form_class, field", [
    (BoxForm, "starts_on"), (BoxForm, "ends_on"), (ByElectionForm, "election_day"),
    (RequestForm, "filed_on"), (SupervisionForm, "elected_on"),
])
def test_it_renders_an_initial_date_as_iso_for_the_date_picker_in_chinese(form_class, field):
    form = form_class(initial={field: datetime.date(2026, 3, 5)})
    with translation.override("zh-hans"):
        html = str(form[field])
    assert 'type="date"' in html and 'value="2026-03-05"' in html
