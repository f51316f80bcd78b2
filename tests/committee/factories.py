import datetime

import factory
from django.utils import timezone

from committee.models import CommitteeMember, MailboxItem, MediationMatter, MediationParty, Meeting, Term
from tests.factories import CommunityFactory

MEMBER_NAMES = ["吴逸芸", "方学全", "印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴"]


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    community = factory.SubFactory(CommunityFactory)
    number = 4
    starts = datetime.date(2024, 1, 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    term = factory.SubFactory(TermFactory)
    name = factory.Iterator(MEMBER_NAMES)
    position = "member"
    starts = factory.SelfAttribute("term.starts")


def committee_term(community, size=7) -> Term:
    term = TermFactory(community=community)
    for i, name in enumerate(MEMBER_NAMES[:size]):
        MemberFactory(term=term, name=name, position="director" if i == 0 else "deputy" if i == 1 else "member")
    return term


def at(day: datetime.date, hour=9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    community = factory.SubFactory(CommunityFactory)
    kind = "committee"
    title = "居委会例会"
    agenda = "一、通报本月工作"
    place = "社区会议室"
    starts = factory.LazyFunction(lambda: at(timezone.localdate() + datetime.timedelta(days=10)))


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationMatter
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    subject = "楼上漏水纠纷"

    @factory.post_generation
    def parties(obj, create, extracted, **kwargs):
        if create:
            for name in extracted or ["王建国", "李秀英"]:
                MediationParty.objects.create(matter=obj, name=name)


class MailboxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailboxItem

    community = factory.SubFactory(CommunityFactory)
    channel = "mailbox"
    subject = "小区路灯不亮"
    sender = "陈静"
