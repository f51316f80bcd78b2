"""Factories for the organisation floor; each app's tests keep theirs in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

from org.models import Community, Membership, Role, StreetOffice

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetOffice

    code = factory.Sequence(lambda n: f"street{n}")
    name = factory.Sequence(lambda n: f"第{n}街道办事处")
    supervision_hotline = "0519-86680000"


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"第{n}社区")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COMMITTEE
    community = factory.SubFactory(CommunityFactory)


def staff_of(street) -> object:
    return MembershipFactory(role=Role.STREET_STAFF, street=street, community=None).user


def committee_of(community) -> object:
    return MembershipFactory(role=Role.COMMITTEE, community=community).user


def supervisor_of(community, *, leader=False) -> object:
    return MembershipFactory(role=Role.SUPERVISION, community=community, is_leader=leader).user
