import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation

from tests import factories


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every factory user gets a password; PBKDF2 at its production cost would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    # A request in English leaves English active in this thread: the next test must start in the default language.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_login_lockout(settings):
    # Throttling has its own test; elsewhere repeated logins must not lock the test users out.
    settings.AXES_ENABLED = False


@pytest.fixture
def street(db):
    return factories.StreetFactory()


@pytest.fixture
def community(street):
    return factories.CommunityFactory(street=street)


@pytest.fixture
def other_community(street):
    """Another community of the same street."""
    return factories.CommunityFactory(street=street)


@pytest.fixture
def foreign_community(db):
    """A community of another street."""
    return factories.CommunityFactory()


@pytest.fixture
def street_staff(street):
    return factories.staff_of(street)


@pytest.fixture
def foreign_street_staff(foreign_community):
    return factories.staff_of(foreign_community.street)


@pytest.fixture
def committee_user(community):
    return factories.committee_of(community)


@pytest.fixture
def other_committee_user(other_community):
    return factories.committee_of(other_community)


@pytest.fixture
def supervision_user(community):
    return factories.supervisor_of(community, leader=True)


@pytest.fixture
def outsider(db):
    """A logged-in user with no membership at all."""
    return factories.UserFactory()


@pytest.fixture
def login():
    """login(user) -> a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
