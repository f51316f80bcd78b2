import pytest

from elections.rulesets import install_rule_sets


@pytest.fixture(autouse=True)
def _rule_sets(db):
    install_rule_sets()

