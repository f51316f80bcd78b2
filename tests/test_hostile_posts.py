"""Hostile POST bodies against every URL: a view that parses its input by hand answers garbage with a 500.

Every URL of the permission matrix is posted to by a role the matrix lets through, with a body where each field
name any view reads (the fields of every form of the project, and the raw per-position keys) holds garbage. A form
must refuse it (a 400, or error messages and a redirect); nothing may crash.
"""

import importlib
import inspect

import pytest
from django import forms
from django.db import transaction
from django.test import Client

from elections.models import Position
from tests.test_permission_matrix import EXPECTED, ROLES, _url, all_url_patterns, no_pdf, world  # noqa: F401

FORM_MODULES = ("org.forms", "residents.forms", "committee.forms", "disclosure.forms", "elections.forms")
# Keys views read outside any form: the switch's target, the buttons that choose a form, the attendance toggle.
RAW_KEYS = ("community", "next", "leader", "household", "log", "counted_by", "action", "present", "attended_by",
            "q", "step", "serial", "keys", "spoiled", "disputed", "issue")
PER_POSITION = ("p-{}", "limit_{}", "formal_{}")
# The role that may act, in order of preference: the street can do most, the committee the rest, then supervision.
ACTING = ("street_staff", "committee", "supervision")
TEXT_GARBAGE = "abc'; DROP--"
NUMERIC_GARBAGE = ("-1", "99999999999999999999", "2026-13-45")


def _field_names() -> set[str]:
    names = set(RAW_KEYS)
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith(module_name.split(".")[0]):
                names.update(cls.base_fields)
    codes = set(Position.objects.values_list("code", flat=True))
    names.update(pattern.format(code) for pattern in PER_POSITION for code in codes)
    return names


def _acting_role(name: str) -> str | None:
    expected = EXPECTED[name]
    return next((role for role in ACTING if expected[ROLES.index(role)] in ("ok", 200)), None)


# One body a value: a field read with .get() sees only the last of several values. One test a body, so that the
# workers share them.
@pytest.mark.parametrize("value", (TEXT_GARBAGE, *NUMERIC_GARBAGE))
def test_it_answers_hostile_posts_without_a_server_error(world, no_pdf, value):  # noqa: F811
    bodies = {value: dict.fromkeys(_field_names(), value)}
    clients = {}
    for role in ACTING:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world["users"][role])
    crashed = []
    for route, name in all_url_patterns():
        role = _acting_role(name)
        if role is None or name in ("logout", "set_language"):
            continue
        url = _url(route, world)
        for kind, body in bodies.items():
            with transaction.atomic():
                response = clients[role].post(url, body)
                transaction.set_rollback(True)
            if response.status_code == 405:
                break  # a page that only reads: nothing to post
            if response.status_code >= 500:
                crashed.append(f"{name} {url} as {role} ({kind!r}): {response.status_code}")
    assert not crashed, "hostile POSTs that crashed:\n" + "\n".join(crashed)
