import pytest
from django.contrib.auth import get_user_model

from elections.models import RuleSet
from elections.rulesets import DEFAULT, install_rule_sets
from tests.elections.factories import ElectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x-admin-password-1"))
    return client


def test_it_lists_only_the_named_rule_sets_not_the_copies_held_by_elections(admin_client):
    install_rule_sets()
    election = ElectionFactory()
    body = admin_client.get("/admin/elections/ruleset/").content.decode()
    assert DEFAULT in body
    assert admin_client.get(f"/admin/elections/ruleset/{election.rules.pk}/change/").status_code == 302
    assert RuleSet.objects.filter(is_template=False).count() >= 1


def test_it_never_changes_an_election_from_the_admin(admin_client):
    election = ElectionFactory()
    response = admin_client.post(f"/admin/elections/election/{election.pk}/change/", {"name": "改"})
    assert response.status_code == 403
    election.refresh_from_db()
    assert election.name != "改"
