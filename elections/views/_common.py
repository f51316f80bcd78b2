"""Loading an election through the access layer, and running an act: committee members view, street staff run
the election."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect

from lib import web
from org.access import STAFF, STREET, get_scoped

from ..models import Election

VIEW = STAFF
RUN = STREET

# What a clerk typed into a form that was refused, kept for the page the refusal sends them back to.
KEPT = "juwei_kept_input"


def election_for(request, pk: int, *, run: bool = False) -> Election:
    """The election if the user reaches its community: 404 outside, 403 without the role."""
    return get_scoped(Election.objects.select_related("community", "community__street", "rules"), request.user,
                      roles=RUN if run else VIEW, pk=pk)


def keep_input(request, form: str) -> None:
    """Remember the refused POST of `form` so the page shows it again instead of an empty form."""
    request.session[KEPT] = {"form": form, "data": {
        key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}}


def kept(request, form: str) -> QueryDict | None:
    """The kept input of `form` (once), as data to bind the form to, or None."""
    stash = request.session.get(KEPT)
    if not stash or stash.get("form") != form:
        return None
    del request.session[KEPT]
    data = QueryDict(mutable=True)
    for key, values in stash["data"].items():
        data.setlist(key, values)
    return data


def refuse(request, to: str, message: str, *, keep: str | None = None):
    """A form that did not validate: say why, keep what was typed, back to `to`."""
    messages.error(request, message)
    if keep:
        keep_input(request, keep)
    return redirect(to)


def act(request, to: str, action, success: str, *, keep: str | None = None):
    """`web.act`, keeping the input of form `keep` when the service refuses it."""
    return web.act(request, to, action, success, refused=(lambda: keep_input(request, keep)) if keep else None)
