"""Property-based tests of the election archive and ballots imports: malformed input is refused with a clear
error and writes nothing; a generated valid archive exports and imports back to the same tally."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from elections.models import Ballot, Box, Candidate, Election
from elections.services.archive import export_election, import_election
from elections.services.sheets import import_ballots
from elections.services.tally import tally

from .archives import small_archive

pytestmark = pytest.mark.django_db

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = ["甲", "乙", "丙", "丁", "戊", "己", "庚"]


def snapshot() -> tuple:
    return Election.objects.count(), Ballot.objects.count(), Box.objects.count(), Candidate.objects.count()


def candidates():
    return ([{"position": "director", "name": n, "gender": "男", "order": i} for i, n in enumerate(NAMES[:2])]
            + [{"position": "member", "name": n, "gender": "女", "order": i} for i, n in enumerate(NAMES[2:])])


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children,
                                                                                max_size=4)),
    max_leaves=12,
)


def mutate(data, path: list, value):
    """`data` with the value at `path` (a list of keys/indices, wrapping around) replaced by `value`."""
    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[step % len(node)]]
        elif isinstance(node, list) and node:
            node = node[step % len(node)]
        else:
            break
    if isinstance(node, dict) and node:
        node[sorted(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value
    return data


def ballots(draw_marks):
    return [{"marks": marks} for marks in draw_marks]


marks = st.fixed_dictionaries({
    "director": st.lists(st.sampled_from(NAMES[:2]), max_size=1, unique=True),
    "member": st.lists(st.sampled_from(NAMES[2:]), max_size=5, unique=True),
})


@SETTINGS
@given(papers=st.lists(marks, min_size=0, max_size=12))
def test_it_round_trips_generated_archives_to_the_same_tally(papers):
    archive = small_archive(ballots=ballots(papers), seats=(1, 0, 5), registered=20, candidates=candidates())
    archive["positions"] = [p for p in archive["positions"] if p["seats"]]
    with transaction.atomic():
        first = import_election(json.loads(json.dumps(archive)))
        exported = json.loads(json.dumps(export_election(election=first), ensure_ascii=False))
        Election.objects.filter(pk=first.pk).update(name=first.name + "（原）")
        exported["community"]["code"] = "T2"
        second = import_election(exported)
        one, two = tally(election=first), tally(election=second)
        for key in ("ballots_returned", "ballots_valid", "ballots_invalid", "registered_voters"):
            assert one.get(key) == two.get(key), key
        assert json.dumps(one.get("positions"), sort_keys=True, default=str) == \
            json.dumps(two.get("positions"), sort_keys=True, default=str)
        transaction.set_rollback(True)


@SETTINGS
@given(path=st.lists(st.integers(0, 50), min_size=1, max_size=4), value=json_values)
@example(path=[2, 0, 0], value=[None])  # a candidate's gender given as a list once crashed the import
def test_it_refuses_a_malformed_archive_clearly_and_writes_nothing(path, value):
    valid = small_archive(ballots=[{"marks": {"director": ["甲"]}}], seats=(1, 0, 5), candidates=candidates())
    valid["positions"] = [p for p in valid["positions"] if p["seats"]]
    archive = mutate(valid, path, value)
    before = snapshot()
    try:
        with transaction.atomic():
            import_election(archive)
            transaction.set_rollback(True)  # the mutation happened to be valid: fine, but leave no trace
    except ValidationError as error:
        message = " ".join(error.messages)
        assert ": " in message and len(message) > 4, message  # names the place in the file, then the reason
    assert snapshot() == before


@SETTINGS
@given(data=st.one_of(json_values, st.text(max_size=50)))
def test_it_refuses_random_json_documents(data):
    before = snapshot()
    with pytest.raises(ValidationError):
        import_election(data)
    assert snapshot() == before


ballot_lines = st.lists(st.tuples(st.sampled_from(["C", "Z", "", "c"]), st.one_of(st.integers(-2, 30).map(str),
                                                                                  st.text(max_size=3)),
                                  st.sampled_from(["director", "member", "nobody", ""]),
                                  st.text(alphabet="甲乙丙丁戊己庚辛;", max_size=8),
                                  st.sampled_from(["", "invalid", "blank", "x"])), max_size=6)


@SETTINGS
@given(lines=ballot_lines)
def test_it_imports_ballot_files_all_or_nothing(lines):
    with transaction.atomic():
        archive = small_archive(ballots=[], seats=(1, 0, 5), candidates=candidates())
        archive["positions"] = [p for p in archive["positions"] if p["seats"]]
        election = import_election(archive)
        Election.objects.filter(pk=election.pk).update(status="counting")
        election.refresh_from_db()
        text = "box,serial,position,marks,status\n" + "".join(",".join(line) + "\n" for line in lines)
        before = Ballot.objects.filter(election=election).count()
        try:
            written = import_ballots(election=election, text=text)
        except ValidationError as error:
            assert all(error.messages), error
            assert Ballot.objects.filter(election=election).count() == before
        else:
            assert Ballot.objects.filter(election=election).count() == before + written
        transaction.set_rollback(True)
