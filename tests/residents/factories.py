import datetime

import factory

from lib.divisions import division_codes
from lib.idcard import make_id_number
from residents.models import (
    Household,
    Hukou,
    Relation,
    Representative,
    RepresentativeKind,
    Resident,
    ResidentGroup,
)
from residents.services import pinyin_of
from tests.factories import CommunityFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentGroup

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"第{n}居民小组")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: f"H{n:05d}")
    address = factory.Sequence(lambda n: f"{n % 60 + 1}幢{n % 3 + 1}单元{n % 30 + 101}室")


class ResidentFactory(factory.django.DjangoModelFactory):
    """A living adult registered here; pass household=… to add members (relation defaults to 其他)."""

    class Meta:
        model = Resident

    community = factory.SubFactory(CommunityFactory)
    household = factory.LazyAttribute(lambda o: HouseholdFactory(community=o.community))
    relation = factory.LazyAttribute(
        lambda o: Relation.OTHER if o.household.members.filter(relation=Relation.HEAD).exists() else Relation.HEAD)
    group = factory.LazyAttribute(lambda o: GroupFactory(community=o.community))
    name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞"])
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_of(o.name))
    sex = factory.Iterator(["M", "F"])
    birth_date = datetime.date(1980, 5, 17)
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(birth_date=o.birth_date, sequence=n, sex=o.sex,
                                    region=division_codes()[n // 500 % len(division_codes())]))
    registration = Hukou.LOCAL


class RepresentativeFactory(factory.django.DjangoModelFactory):
    """An elected representative of the resident's own group, term running since 2024."""

    class Meta:
        model = Representative

    resident = factory.SubFactory(ResidentFactory)
    community = factory.SelfAttribute("resident.community")
    group = factory.SelfAttribute("resident.group")
    kind = RepresentativeKind.ELECTED
    starts = datetime.date(2024, 1, 1)
