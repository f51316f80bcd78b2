import datetime

import factory

from committee.models import CommitteeMember, CommitteePost, Term
from disclosure.models import Category, Feedback, Item, Status
from tests.factories import CommunityFactory


class ItemFactory(factory.django.DjangoModelFactory):
    """A draft of the monthly accounts for March 2024."""

    class Meta:
        model = Item

    community = factory.SubFactory(CommunityFactory)
    category = Category.FINANCES
    title = factory.Sequence(lambda n: f"2024年3月社区经费收支公开 {n}")
    period_start = datetime.date(2024, 3, 1)
    period_end = datetime.date(2024, 3, 31)
    body = "<table><tr><th>项目</th><th>金额（元）</th></tr><tr><td>办公经费</td><td>1200.00</td></tr></table>"
    status = Status.DRAFT


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts = datetime.date(2024, 1, 15)
    ends = datetime.date(2027, 1, 14)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    term = factory.SubFactory(TermFactory)
    resident = None
    name = factory.LazyAttribute(lambda o: o.resident.name if o.resident else "张主任")
    position = CommitteePost.MEMBER
    starts = datetime.date(2024, 1, 15)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    item = factory.SubFactory(ItemFactory)
    text = "办公经费的明细能否再细一些？"
