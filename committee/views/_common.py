"""Helpers shared by the committee's views: the roles that read and write, the community worked in, form
errors as messages, the paper's heading."""

from django.core.exceptions import PermissionDenied

from org.access import ANY_ROLE, STAFF, current_community, visible_communities

from ..services import meetings as meeting_services

# Reach: committee members work on their own community, street staff on every community of their street
# (they read and correct alike); supervision-group members read meetings and decisions only.
READ = ANY_ROLE  # meetings and decisions: supervision members read them too
WRITE = STAFF


def _community(request, roles=WRITE):
    community = current_community(request, roles)
    if community is None:
        raise PermissionDenied
    return community


def _paper(community, **context) -> dict:
    return {"issuer": meeting_services.issuer_name(community), "community": community, **context}


def current_community_choices(request):
    """The communities the user may change (read-only users see pages without forms)."""
    return list(visible_communities(request.user, WRITE))
