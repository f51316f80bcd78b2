from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from lib.outcome import Outcome
from lib.web import act, warnings_shown


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _shown(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_it_keeps_the_warnings_that_were_raised_in_order_and_drops_the_checks_that_found_nothing():
    outcome = Outcome.of("选举", None, "逾期1日", None, "人数为双数")
    assert (outcome.value, outcome.warnings) == ("选举", ("逾期1日", "人数为双数"))
    assert Outcome.of(3).warnings == () and Outcome.of(3, None).warnings == ()


def test_it_shows_the_warnings_of_an_outcome_after_the_success_message():
    request = _request()
    response = act(request, "/back/", lambda: Outcome.of("done", "逾期1日", "人数为双数"), "已公布。")
    assert response.status_code == 302 and response.url == "/back/"
    assert _shown(request) == [("success", "已公布。"), ("warning", "逾期1日"), ("warning", "人数为双数")]


def test_it_shows_only_the_success_message_for_a_plain_value():
    request = _request()
    act(request, "/back/", lambda: ["not", "warnings"], "已保存。")
    assert _shown(request) == [("success", "已保存。")]


def test_it_shows_a_refusal_and_runs_refused_but_no_success_or_warnings():
    request, kept = _request(), []

    def refuse():
        raise ValidationError(["不行"])

    act(request, "/back/", refuse, "已保存。", refused=lambda: kept.append(True))
    assert _shown(request) == [("error", "不行")] and kept == [True]


def test_warnings_shown_returns_what_the_service_made():
    request = _request()
    assert warnings_shown(request, Outcome.of(7, "签名已达法定人数")) == 7
    assert warnings_shown(request, 8) == 8
    assert _shown(request) == [("warning", "签名已达法定人数")]
