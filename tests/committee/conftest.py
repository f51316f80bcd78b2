import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The view tests create many users; the production hasher would dominate their run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
