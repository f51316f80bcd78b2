"""The admin: its history pages are read-only for everyone, and it is reached only with the one-time code.

Staff pages likewise: a session that did not give the code of the user's authenticator is no staff session.
"""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.models import Item, Status
from elections.models import Election, ElectionStatus
from org.models import Membership, Role
from residents.models import Resident
from tests.disclosure.factories import ItemFactory
from tests.elections.factories import ElectionFactory
from tests.factories import PASSWORD, StreetFactory, UserFactory
from tests.org.test_security import production_env
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(community):
    """A staff account that may only look: the view permission on every model, nothing else."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def _revert_url(obj) -> str:
    record = obj.history.order_by("history_id").first()
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/history/{record.history_id}/"


def _revert(client, obj, **changes) -> int:
    """POST the history form of the object's first history row, as its revert button would, with changes."""
    url = _revert_url(obj)
    assert client.get(url).status_code == 200  # reading the history stays allowed
    fields = {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name != "id"}
    fields = {k: ("" if v is None else v) for k, v in dict(fields, **changes).items()}
    return client.post(url, fields).status_code


def _login_with_code(client, user, device, next_url=""):
    return client.post(f"/accounts/login/{'?next=' + next_url if next_url else ''}", {
        "username": user.username, "password": PASSWORD, "otp_token": f"{totp(device.bin_key):06d}"})


# Hole 1: the history revert of django-simple-history saved the form without the change permission.

def test_it_refuses_a_history_revert_of_a_membership_to_a_view_only_account(login, viewer, community):
    membership = Membership.objects.create(user=viewer, role=Role.COMMITTEE, community=community)
    status = _revert(login(viewer), membership, role=Role.STREET_STAFF, street=community.street_id, community="")
    assert status == 403
    membership.refresh_from_db()
    assert (membership.role, membership.community_id, membership.street_id) == (Role.COMMITTEE, community.pk, None)
    assert not Membership.objects.filter(user=viewer, role=Role.STREET_STAFF).exists()


def test_it_refuses_a_history_revert_of_an_election_a_resident_and_a_signed_item(login, viewer, community):
    election = ElectionFactory(community=community)
    Election.objects.filter(pk=election.pk).update(status=ElectionStatus.CERTIFIED)
    election.refresh_from_db()
    resident = ResidentFactory(community=community)
    item = ItemFactory(community=community, status=Status.REVIEWED, signed_by=UserFactory(),
                       signature_name="李组长", signed_at=timezone.now())
    client = login(viewer)
    assert _revert(client, election, status=ElectionStatus.COUNTING) == 403
    assert _revert(client, resident, deprived="on") == 403
    assert _revert(client, item, body="<p>请点击 http://phish.example 领取补贴</p>") == 403
    assert Election.objects.get(pk=election.pk).status == ElectionStatus.CERTIFIED
    assert Resident.objects.get(pk=resident.pk).deprived is False
    assert Item.objects.get(pk=item.pk).body == item.body


def test_it_refuses_a_history_revert_even_to_a_superuser(login):
    root = UserFactory(is_staff=True, is_superuser=True)
    membership = Membership.objects.create(user=UserFactory(), role=Role.STREET_STAFF, street=StreetFactory())
    assert _revert(login(root), membership, is_leader="on") == 403
    membership.refresh_from_db()
    assert membership.is_leader is False


# Hole 3: /admin/login/ logged in without the one-time code, and that session worked on every staff page.

def test_it_sends_the_admin_login_to_the_applications_login_with_its_code():
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_gives_no_session_to_an_admin_login_without_the_code(street_staff):
    street_staff.is_staff = True
    street_staff.save()
    TOTPDevice.objects.create(user=street_staff, name="phone", confirmed=True)
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": street_staff.username, "password": PASSWORD,
                                               "next": "/admin/"})
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_it_refuses_the_admin_to_a_staff_session_that_skipped_the_code(login):
    root = UserFactory(is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    response = login(root).get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_opens_the_admin_after_the_login_with_the_code():
    root = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client = Client()
    _login_with_code(client, root, device, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_it_refuses_staff_pages_to_a_session_that_skipped_the_code(login, street_staff):
    TOTPDevice.objects.create(user=street_staff, name="phone", confirmed=True)
    client = login(street_staff)
    for url in ("/", "/residents/", "/elections/", "/account/otp/", "/account/password/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_it_opens_staff_pages_once_the_same_session_gives_the_code(login, street_staff, community):
    device = TOTPDevice.objects.create(user=street_staff, name="phone", confirmed=True)
    client = login(street_staff)
    assert client.get("/residents/").status_code == 302
    _login_with_code(client, street_staff, device)
    assert client.get("/residents/").status_code == 200
    assert client.get("/account/password/").status_code == 200


def test_it_sends_street_staff_without_an_authenticator_to_bind_one_where_required(settings, login, street_staff,
                                                                                   committee_user):
    settings.JUWEI_OTP_FOR_STREET_STAFF = True
    client = login(street_staff)
    response = client.get("/residents/")
    assert response.status_code == 302 and response["Location"] == "/account/otp/"
    assert client.get("/account/otp/").status_code == 200
    # Binding one verifies the session that bound it: the staff pages open at once.
    device = TOTPDevice(key=client.session["juwei_otp_key"])
    assert client.post("/account/otp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert client.get("/residents/").status_code == 200
    # Committee members are not street staff: the requirement is not theirs.
    assert login(committee_user).get("/residents/").status_code == 200


def test_it_requires_an_authenticator_of_street_staff_in_production_settings():
    env = production_env(DJANGO_ALLOWED_HOSTS="juwei.example.org", DJANGO_SECRET_KEY="k" * 60,
                         DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("JUWEI_OTP_FOR_STREET_STAFF", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.JUWEI_OTP_FOR_STREET_STAFF)"
    result = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr
