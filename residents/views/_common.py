"""Helpers of the registry's views: the community the user works in, who may reveal numbers, open labels."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from org.access import ANY_ROLE, STAFF, community_ids, current_community

from ..models import ResidentLabel


def _community(request, roles=ANY_ROLE):
    """The community the user works in now, if they hold one of `roles` there."""
    community = current_community(request)
    if community is None:
        raise PermissionDenied
    if community.pk not in community_ids(request.user, roles):
        raise PermissionDenied
    return community


def _open_labels():
    return Prefetch("labels", queryset=ResidentLabel.objects.filter(ends__isnull=True), to_attr="open_labels")


def _can_reveal(user, community) -> bool:
    """Staff may reveal full numbers, look residents up by number and see labels, visits and aid; supervision
    members read the registry without any of these."""
    return community.pk in community_ids(user, STAFF)
