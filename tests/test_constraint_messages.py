"""No constraint is ever shown to a user by its name: every constraint of every app has a message of its own, in
Chinese, that does not name it."""

import re

import pytest
from django.apps import apps

CHINESE = re.compile(r"[\u4e00-\u9fff]")

PROJECT_APPS = ["org", "residents", "committee", "disclosure", "elections"]


@pytest.mark.parametrize("app", PROJECT_APPS)
def test_it_gives_every_constraint_a_message_of_its_own(app):
    nameless = [f"{model.__name__}.{constraint.name}"
                for model in apps.get_app_config(app).get_models()
                for constraint in model._meta.constraints
                if constraint.violation_error_message == constraint.default_violation_error_message
                or not CHINESE.search(str(constraint.violation_error_message))
                or constraint.name in constraint.get_violation_error_message()]
    assert nameless == []
