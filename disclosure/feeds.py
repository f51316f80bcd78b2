"""The Atom feed of a community's published items."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from org.models import Community

from .models import Item, Status


class BoardFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code: str):
        return get_object_or_404(Community.objects.select_related("street"), code=code)

    def title(self, community):
        return _("%(community)s居务公开") % {"community": community.name}

    def subtitle(self, community):
        return _("%(street)s · %(community)s居民委员会公开事项") % {
            "street": community.street.name, "community": community.name}

    def link(self, community):
        return reverse("board:board", args=[community.code])

    def feed_url(self, community):
        return reverse("board:feed", args=[community.code])

    def author_name(self, community):
        return _("%(community)s居民委员会") % {"community": community.name}

    def items(self, community):
        return Item.objects.filter(community=community, status=Status.PUBLISHED).select_related(
            "community").order_by("-published_at", "-id")[:50]

    def item_title(self, item):
        return f"{item.get_category_display()}：{item.title}"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return reverse("board:item", args=[item.community.code, item.pk])

    # Dated in the office's time zone (TIME_ZONE): a reader's feed shows the board's day, not the UTC one.
    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.published_at)

    def item_guid(self, item):
        # An identifier, never shown: it keeps the UTC day it was first served with, so that readers that
        # already hold an entry do not see it again as new.
        return f"tag:juwei,{item.published_at:%Y-%m-%d}:disclosure/{item.pk}"

    item_guid_is_permalink = False
