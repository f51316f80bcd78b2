import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def production_env(**overrides) -> dict:
    # The browser tests relax Django's async check in this process; production never does.
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY")}
    return dict(env, DJANGO_DEBUG="false", JUWEI_SIGNATURE_KEY="a-production-signature-key", **overrides)


def test_it_passes_check_deploy_in_production_settings():
    env = production_env(DJANGO_ALLOWED_HOSTS="juwei.example.org",
                         DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-0123456789-abcdef")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = production_env()
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_it_refuses_to_start_in_production_without_a_signature_key():
    env = production_env(DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-0123456789-abcdef")
    del env["JUWEI_SIGNATURE_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "JUWEI_SIGNATURE_KEY" in result.stderr


def test_it_sends_a_content_security_policy_without_inline_scripts(login, committee_user):
    response = login(committee_user).get("/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in policy


def test_it_locks_a_username_out_after_five_failed_logins(settings, street_staff):
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": street_staff.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": street_staff.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_refuses_weak_passwords():
    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password("黄浦江畔-居委会-2024!")


def test_it_ends_a_staff_session_after_two_idle_hours(street_staff):
    client = Client()
    client.post("/accounts/login/", {"username": street_staff.username, "password": PASSWORD})
    assert client.session.get_expiry_age() <= 2 * 60 * 60
    assert client.session.get_expire_at_browser_close()


class TestTotp:
    def _device(self, user):
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    def test_it_asks_for_the_code_when_street_staff_have_bound_an_authenticator(self, street_staff):
        self._device(street_staff)
        response = Client().post("/accounts/login/", {"username": street_staff.username, "password": PASSWORD})
        assert response.status_code == 200
        assert "动态口令" in response.content.decode()

    def test_it_logs_in_with_the_right_code(self, street_staff):
        device = self._device(street_staff)
        client = Client()
        response = client.post("/accounts/login/", {"username": street_staff.username, "password": PASSWORD,
                                                    "otp_token": f"{totp(device.bin_key):06d}"})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(street_staff.pk)

    def test_it_logs_in_without_a_code_when_none_is_bound(self, street_staff):
        response = Client().post("/accounts/login/", {"username": street_staff.username, "password": PASSWORD})
        assert response.status_code == 302

    def test_it_binds_an_authenticator_after_a_correct_code(self, login, street_staff):
        client = login(street_staff)
        assert client.get("/account/otp/").status_code == 200
        assert not TOTPDevice.objects.filter(user=street_staff).exists()  # showing the key writes nothing
        device = TOTPDevice(key=client.session["juwei_otp_key"])
        response = client.post("/account/otp/", {"token": f"{totp(device.bin_key):06d}"})
        assert response.status_code == 302
        assert TOTPDevice.objects.filter(user=street_staff, confirmed=True).count() == 1

    def test_it_offers_totp_to_street_staff_only(self, login, committee_user):
        assert login(committee_user).get("/account/otp/").status_code == 403
        assert Client().get("/account/otp/").status_code == 302
