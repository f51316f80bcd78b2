"""Reads of the public board: the latest items by category, a month's items, unanswered feedback."""

import datetime

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from org.models import Community

from ..models import Feedback, Item, Status
from .calendar import add_months


def current_board(*, community: Community, per_category: int = 3):
    """The latest published items of each category (one query, however long the history).

    The ranking runs over ids and dates only; the bodies are read for the few items that made it.
    """
    ranked = Item.objects.filter(community=community, status=Status.PUBLISHED).annotate(
        rank=Window(RowNumber(), partition_by=[F("category")], order_by=[F("published_at").desc(), F("id").desc()]),
    ).filter(rank__lte=per_category).values("id")
    return Item.objects.filter(pk__in=ranked).select_related("corrects").order_by("category", "-published_at", "-id")


def published_in_month(*, community: Community, year: int, month: int):
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime.combine(add_months(start.date(), 1), datetime.time()))
    return Item.objects.filter(community=community, status=Status.PUBLISHED, published_at__gte=start,
                               published_at__lt=end).order_by("published_at", "id")


def unanswered_feedback(*, communities):
    return Feedback.objects.filter(item__community__in=communities, answered_at__isnull=True)
