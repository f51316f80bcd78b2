"""The public feedback form behind nginx: counted per real client, across workers, one post per served form."""

import itertools
import threading
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from disclosure.forms import feedback_token
from disclosure.models import Feedback

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _no_wait(monkeypatch):
    monkeypatch.setattr("disclosure.forms.FEEDBACK_MIN_SECONDS", 0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def behind_proxy(settings):
    settings.JUWEI_TRUSTED_PROXIES = [PROXY]


@pytest.fixture
def url(community, published):
    return f"/board/{community.code}/items/{published.pk}/feedback/"


_numbers = itertools.count(1)


def _post(url, *, client_ip=None, remote=PROXY, token=None, text=None):
    # Each post says something new: the same words twice are refused as a resubmission, not throttled.
    text = text or f"办公经费为何上涨？（第{next(_numbers)}问）"
    extra = {"REMOTE_ADDR": remote}
    if client_ip:
        extra["HTTP_X_FORWARDED_FOR"] = client_ip
    return Client().post(url, {"text": text, "token": token or feedback_token()}, **extra)


def test_it_counts_one_client_behind_the_proxy_together_and_different_clients_apart(behind_proxy, url):
    codes = [_post(url, client_ip="203.0.113.5").status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    # Everybody reaches the app from nginx's address: a neighbour must not be silenced by the first one.
    assert _post(url, client_ip="203.0.113.6").status_code == 302
    assert Feedback.objects.count() == 6


def test_it_does_not_believe_forwarded_for_from_an_untrusted_address(behind_proxy, url):
    codes = [_post(url, remote="198.51.100.7", client_ip=f"203.0.113.{n}").status_code for n in range(6)]
    assert codes == [302] * 5 + [429]


def test_it_keeps_counting_when_another_worker_serves_the_next_post(url):
    assert [_post(url).status_code for _ in range(5)] == [302] * 5
    # The next post reaches another gunicorn worker, which has nothing of this one's memory.
    cache.clear()
    assert _post(url).status_code == 429
    assert Feedback.objects.count() == 5


def test_it_refuses_a_feedback_form_sent_twice(url):
    token = feedback_token()
    assert _post(url, token=token, text="办公经费为何上涨？").status_code == 302
    again = _post(url, token=token, text="再说一遍")
    assert again.status_code == 400
    assert "已经提交过" in again.content.decode()
    assert list(Feedback.objects.values_list("text", flat=True)) == ["办公经费为何上涨？"]


def test_it_refuses_a_feedback_form_served_more_than_two_hours_ago(url):
    with mock.patch("time.time", return_value=time.time() - 2 * 60 * 60 - 5):
        token = feedback_token()
    assert _post(url, token=token).status_code == 400
    assert not Feedback.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_takes_no_more_than_the_limit_when_posts_arrive_at_the_same_moment(url):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every writer anyway")
    posts = 12
    tokens = [feedback_token() for _ in range(posts)]
    start = threading.Barrier(posts)
    codes, errors = [], []

    def resident(token):
        try:
            start.wait()
            codes.append(_post(url, token=token).status_code)
        except Exception as error:  # noqa: BLE001 - the failure is reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resident, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [302] * 5 + [429] * (posts - 5)
    assert Feedback.objects.count() == 5
