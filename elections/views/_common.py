"""Loading an election through the access layer: committee members view, street staff run the election."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from org.access import STAFF, STREET, get_scoped

from ..models import Election

VIEW = STAFF
RUN = STREET


def election_for(request, pk: int, *, run: bool = False) -> Election:
    """The election if the user reaches its community: 404 outside, 403 without the role."""
    return get_scoped(Election.objects.select_related("community", "community__street", "rules"), request.user,
                      roles=RUN if run else VIEW, pk=pk)


def act(request, to: str, action, success: str):
    """Run a service call, turning a refusal into an error message; then back to `to`."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
        # A service may return warnings (strings) that do not stop the act, e.g. an even committee size.
        for warning in result if isinstance(result, list) else []:
            if isinstance(warning, str):
                messages.warning(request, warning)
    return redirect(to)
