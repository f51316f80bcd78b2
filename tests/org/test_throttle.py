"""Throttles behind the documented nginx: the real client address, counts shared by every worker, login limits."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.utils import timezone

from org import throttle
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
LOGIN = "/accounts/login/"
HOUR = timedelta(hours=1)


@pytest.fixture
def behind_proxy(settings):
    # nginx on 10.0.0.2, and a load balancer in front of it somewhere in 10.0.1.0/24.
    settings.JUWEI_TRUSTED_PROXIES = [PROXY, "10.0.1.0/24"]


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def username_limit(settings):
    """The documented per-username limit: 10 failures in 5 minutes, from all addresses together."""
    settings.JUWEI_LOGIN_FAILURES_PER_USERNAME = 10
    settings.JUWEI_LOGIN_USERNAME_WINDOW = timedelta(minutes=5)
    return settings.JUWEI_LOGIN_FAILURES_PER_USERNAME, settings.JUWEI_LOGIN_USERNAME_WINDOW


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post(LOGIN, **meta)


def _login(user, password: str, client_ip: str, *, client: Client | None = None):
    """A login through nginx from `client_ip`."""
    client = client or Client()
    response = client.post(LOGIN, {"username": user.username, "password": password},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)
    response.logged_in = "_auth_user_id" in client.session
    return response


def test_it_takes_the_client_address_from_the_trusted_proxys_forwarded_for(behind_proxy):
    assert throttle.client_address(_request(PROXY, "203.0.113.5")) == "203.0.113.5"
    assert throttle.client_address(_request(PROXY, "203.0.113.5")) == throttle.client_address(
        _request(PROXY, "203.0.113.5"))
    assert throttle.client_address(_request(PROXY, "203.0.113.6")) == "203.0.113.6"
    # nginx appends to whatever the client sent: only the right-most hop is nginx's own word.
    assert throttle.client_address(_request(PROXY, "198.51.100.1, 203.0.113.5")) == "203.0.113.5"
    # Hops that are proxies of ours are skipped; the first one that is not is the client.
    assert throttle.client_address(_request(PROXY, "198.51.100.1, 203.0.113.5, 10.0.1.7")) == "203.0.113.5"
    assert throttle.client_address(_request(PROXY, "2001:DB8::1")) == "2001:db8::1"
    # nginx's own requests (a health check) carry no header.
    assert throttle.client_address(_request(PROXY)) == PROXY


def test_it_does_not_believe_forwarded_for_from_an_untrusted_address(behind_proxy, settings):
    assert throttle.client_address(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"
    settings.JUWEI_TRUSTED_PROXIES = []
    assert throttle.client_address(_request(PROXY, "203.0.113.5")) == PROXY


def test_it_does_not_let_an_untrusted_address_escape_the_login_lock_with_forwarded_for(axes_on, behind_proxy,
                                                                                      street_staff):
    client = Client()
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": street_staff.username, "password": "wrong"},
                    REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(LOGIN, {"username": street_staff.username, "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_keeps_counts_in_the_database_where_every_worker_sees_them():
    assert [throttle.hit(scope="test", key="203.0.113.5", window=HOUR) for _ in range(3)] == [1, 2, 3]
    # A second gunicorn worker shares nothing in memory with this one: the count must not live there.
    cache.clear()
    assert throttle.hit(scope="test", key="203.0.113.5", window=HOUR) == 4
    assert throttle.peek(scope="test", key="203.0.113.5") == 4
    assert throttle.hit(scope="test", key="203.0.113.6", window=HOUR) == 1
    assert throttle.hit(scope="other", key="203.0.113.5", window=HOUR) == 1


def test_it_starts_counting_again_once_the_window_has_passed(monkeypatch):
    for _ in range(3):
        throttle.hit(scope="test", key="a", window=HOUR)
    later = timezone.now() + HOUR + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert throttle.peek(scope="test", key="a") == 0
    assert throttle.hit(scope="test", key="a", window=HOUR) == 1


def test_it_accepts_a_one_time_key_once():
    assert throttle.first_use(scope="test-token", key="nonce-1", lifetime=HOUR)
    assert not throttle.first_use(scope="test-token", key="nonce-1", lifetime=HOUR)
    assert throttle.first_use(scope="test-token", key="nonce-2", lifetime=HOUR)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_counts_every_hit_once_when_many_workers_hit_at_the_same_moment():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every writer anyway")
    workers = 12
    start = threading.Barrier(workers)
    counts, errors = [], []

    def worker():
        try:
            start.wait()
            counts.append(throttle.hit(scope="test", key="203.0.113.5", window=HOUR))
        except Exception as error:  # noqa: BLE001 - the failure is reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(counts) == list(range(1, workers + 1))


def test_it_locks_one_client_behind_the_proxy_without_locking_the_same_user_elsewhere(axes_on, behind_proxy,
                                                                                      street_staff):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _login(street_staff, "wrong", "203.0.113.5")
    locked = _login(street_staff, PASSWORD, "203.0.113.5")
    assert locked.status_code == 429 and not locked.logged_in
    elsewhere = _login(street_staff, PASSWORD, "198.51.100.9")
    assert elsewhere.status_code == 302 and elsewhere.logged_in


def test_it_slows_a_username_tried_from_many_addresses_down_for_a_few_minutes_only(axes_on, behind_proxy,
                                                                                    username_limit, street_staff,
                                                                                    monkeypatch):
    limit, window = username_limit
    for n in range(limit):
        assert _login(street_staff, "wrong", f"203.0.113.{n}").status_code == 200
    # The next try is refused without looking at the password, from any new address: at most `limit`
    # guesses per window, however many addresses the attacker has.
    refused = _login(street_staff, PASSWORD, "198.51.100.20")
    assert refused.status_code == 429 and not refused.logged_in
    assert "暂停从新的地点登录" in refused.content.decode()
    # Other users are not slowed down.
    assert _login(UserFactory(), PASSWORD, "198.51.100.20").status_code == 302
    # And the cool-off ends after the window: an attacker cannot keep the user out for longer than that.
    later = timezone.now() + window + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again = _login(street_staff, PASSWORD, "198.51.100.20")
    assert again.status_code == 302 and again.logged_in


def test_it_lets_a_user_in_from_an_address_used_before_while_the_username_cools_off(axes_on, behind_proxy,
                                                                                   username_limit, street_staff):
    limit, _window = username_limit
    assert _login(street_staff, PASSWORD, "192.0.2.10").logged_in  # the office, last week
    for n in range(limit):
        _login(street_staff, "wrong", f"203.0.113.{n}")
    assert _login(street_staff, PASSWORD, "198.51.100.20").status_code == 429
    office = _login(street_staff, PASSWORD, "192.0.2.10")
    assert office.status_code == 302 and office.logged_in
