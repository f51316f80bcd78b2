from .access import current_community, roles_of, visible_communities


def scope(request):
    """The user's communities and the current one, for the navigation and the community switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_roles": roles_of(user),
        "my_communities": visible_communities(user),
        "current_community": current_community(request),
    }
