import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from org.access import COMMITTEE, STREET, community_ids, get_community, get_scoped, scoped
from org.models import Community, Membership, Role
from tests import factories


def test_it_gives_street_staff_every_community_of_their_street_only(street_staff, community, other_community,
                                                                    foreign_community):
    assert community_ids(street_staff) == {community.pk, other_community.pk}


def test_it_gives_a_committee_member_their_own_community_only(committee_user, community, other_community):
    assert community_ids(committee_user) == {community.pk}


def test_it_gives_an_anonymous_user_nothing(community):
    from django.contrib.auth.models import AnonymousUser

    assert scoped(Community.objects.all(), AnonymousUser(), path="").count() == 0


def test_it_ignores_memberships_that_ended(community):
    import datetime

    user = factories.MembershipFactory(role=Role.COMMITTEE, community=community,
                                       starts=datetime.date(2020, 1, 1), ends=datetime.date(2021, 1, 1)).user
    assert community_ids(user) == frozenset()


def test_it_returns_the_community_to_the_right_community(committee_user, community):
    assert get_community(committee_user, community.code) == community


def test_it_hides_another_community_behind_a_404(committee_user, other_community):
    with pytest.raises(Http404):
        get_community(committee_user, other_community.code)


def test_it_refuses_the_wrong_role_with_a_403(supervision_user, community):
    with pytest.raises(PermissionDenied):
        get_community(supervision_user, community.code, roles=COMMITTEE)


def test_it_scopes_objects_by_a_path_to_their_community(street_staff, community, foreign_community):
    mine = factories.MembershipFactory(community=community)
    theirs = factories.MembershipFactory(community=foreign_community)
    qs = Membership.objects.filter(pk__in=[mine.pk, theirs.pk])
    assert get_scoped(qs, street_staff, roles=STREET, pk=mine.pk) == mine
    with pytest.raises(Http404):
        get_scoped(qs, street_staff, pk=theirs.pk)


def test_it_refuses_a_membership_whose_scope_does_not_match_its_role(community):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        factories.MembershipFactory(role=Role.STREET_STAFF, community=community, street=None)
