import datetime

import pytest
from django.core.exceptions import ValidationError

from elections.services.proxies import register_proxy
from elections.services.roll import build_voter_roll, post_roll
from tests.elections.factories import DEFAULT, GANSU, CandidateFactory, ElectionFactory, PositionFactory, rules_copy
from tests.elections.stages import form_committee, on
from tests.residents.factories import ResidentFactory

DAY = datetime.date(2030, 3, 16)


@pytest.fixture(autouse=True)
def _eve_of_the_vote():
    # The acts of these tests are dated before DAY: the clock stands on the eve of the vote, so none is in the
    # future (an act dated after today is refused).
    with on(DAY - datetime.timedelta(days=1)):
        yield
EARLY = DAY - datetime.timedelta(days=10)


def posted(community, rules_name=DEFAULT, voters=6):
    people = [ResidentFactory(community=community) for _ in range(voters)]
    election = ElectionFactory(community=community, election_day=DAY, rules=rules_copy(rules_name))
    form_committee(election)
    build_voter_roll(election=election)
    post_roll(election=election, on=DAY - datetime.timedelta(days=25))
    election.refresh_from_db()
    entries = {e.resident_id: e for e in election.roll.select_related("resident")}
    return election, [entries[p.pk] for p in people]


@pytest.mark.parametrize("rules_name", [DEFAULT, GANSU])
def test_it_refuses_a_fourth_proxy_for_one_holder(community, rules_name):
    election, voters = posted(community, rules_name)
    holder = voters[0]
    for principal in voters[1:4]:
        register_proxy(election=election, principal=principal, holder=holder, on=EARLY)
    with pytest.raises(ValidationError) as err:
        register_proxy(election=election, principal=voters[4], holder=holder, on=EARLY)
    assert err.value.messages == [f"{holder.resident.name} 已接受3人委托，每名选民接受委托不得超过3人。"]
    assert election.proxies.count() == 3


@pytest.mark.parametrize(("rules_name", "last_day", "message"), [
    (DEFAULT, DAY - datetime.timedelta(days=1), "办理委托投票登记须在2030年3月15日之前完成"),
    (GANSU, DAY - datetime.timedelta(days=3), "办理委托投票登记须在2030年3月13日之前完成"),
])
def test_it_refuses_a_proxy_registered_after_the_deadline(community, rules_name, last_day, message):
    election, voters = posted(community, rules_name)
    with pytest.raises(ValidationError) as err:
        register_proxy(election=election, principal=voters[1], holder=voters[0],
                       on=last_day + datetime.timedelta(days=1))
    assert err.value.messages[0].startswith(message)
    register_proxy(election=election, principal=voters[1], holder=voters[0], on=last_day)


def test_it_refuses_a_candidate_as_holder(community):
    election, voters = posted(community)
    position = PositionFactory(election=election)
    CandidateFactory(position=position, resident=voters[0].resident, name=voters[0].resident.name)
    with pytest.raises(ValidationError, match="是候选人，不得接受委托投票"):
        register_proxy(election=election, principal=voters[1], holder=voters[0], on=EARLY)


def test_it_refuses_a_holder_or_principal_who_is_not_a_voter_here(community, other_community):
    election, voters = posted(community)
    _other, strangers = posted(other_community)
    with pytest.raises(ValidationError, match="都必须是本次选举的登记选民"):
        register_proxy(election=election, principal=voters[1], holder=strangers[0], on=EARLY)


def test_it_refuses_a_second_proxy_from_one_principal_and_chains(community):
    election, voters = posted(community)
    register_proxy(election=election, principal=voters[1], holder=voters[0], on=EARLY)
    with pytest.raises(ValidationError, match="已办理过委托"):
        register_proxy(election=election, principal=voters[1], holder=voters[2], on=EARLY)
    with pytest.raises(ValidationError, match="不能再接受委托"):
        register_proxy(election=election, principal=voters[3], holder=voters[1], on=EARLY)
