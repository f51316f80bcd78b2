import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from elections.models import Election
from elections.services.archive import export_election, import_election
from elections.services.tally import tally
from org.models import Community

from .archives import hba_archive, small_archive, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def hba(tmp_path):
    path = tmp_path / "hba.json"
    path.write_text(json.dumps(hba_archive(), ensure_ascii=False), encoding="utf-8")
    return path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_tallies_the_real_houbeian_archive_to_the_published_winners(hba):
    election_id = json.loads(run("import_election", str(hba), "--json"))["election"]
    result = json.loads(run("tally", "--election", str(election_id), "--json"))
    assert result["registered_voters"] == 2722
    assert result["ballots_issued"] == 2268
    assert result["ballots_returned"] == 2208
    assert result["ballots_invalid"] == 17
    assert result["ballots_valid"] == 2191
    assert result["turnout"] == 0.8112
    assert result["valid"] is True and result["problems"] == []
    by_code = {p["code"]: p for p in result["positions"]}
    assert {p["threshold"] for p in result["positions"]} == {1105}
    assert by_code["director"]["elected"] == ["吴逸芸"]
    assert by_code["deputy"]["elected"] == ["方学全"]
    assert by_code["member"]["elected"] == ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴"]
    members = {c["name"]: c["votes"] for c in by_code["member"]["candidates"]}
    assert members["印彦邦"] == 1938 and members["葛鸿平"] == 1936 and members["毛若虹"] == 1921
    assert members["张吉生"] == 1913 and members["蒋惠琴"] == 1754
    assert by_code["director"]["candidates"][0] == {"name": "吴逸芸", "votes": 1855, "write_in": False,
                                                    "elected": True}
    assert by_code["deputy"]["candidates"][0]["votes"] == 1752
    write_in = next(c for c in by_code["member"]["candidates"] if c["name"] == "李明")
    assert write_in == {"name": "李明", "votes": 21, "write_in": True, "elected": False}
    assert all(p["unfilled"] == 0 and p["tied"] == [] for p in result["positions"])
    assert result["warnings"] == []


def test_it_prints_a_summary_and_the_id_without_json(hba):
    out = run("import_election", str(hba))
    election = Election.objects.get()
    assert str(election.pk) in out
    assert Community.objects.get(code="HBA").street.name == "天宁区街道"
    assert election.rules.is_template is False
    assert "吴逸芸" in run("tally", "--election", str(election.pk))


def test_it_exports_with_ballots_and_the_reimport_elsewhere_tallies_the_same(hba, tmp_path):
    election_id = json.loads(run("import_election", str(hba), "--json"))["election"]
    out = tmp_path / "out.json"
    call_command("export_election", "--election", str(election_id), "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["ballots"]) == 2208
    original = tally(election=Election.objects.get(pk=election_id))
    # "Elsewhere": another installation has neither the community nor the street nor the election (here: a
    # community and street of other names, so nothing of the first import is found and reused).
    data["community"] = data["community"] | {"code": "ELSEWHERE", "street": "别处街道"}
    again = import_election(data)
    assert again.community.code == "ELSEWHERE" and again.community.street.name == "别处街道"
    copy = tally(election=again)
    assert {k: v for k, v in copy.items() if k != "election"} == {k: v for k, v in original.items() if k != "election"}
    assert export_election(election=again)["ballots"] == data["ballots"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(mode="by-lot"), "mode: 应为"),
    (lambda d: d.update(format="other/1"), "format:"),
    (lambda d: d["positions"].append({"code": "member", "title": "委员", "seats": 2}),
     "positions[3].code: 职位“member”重复"),
    (lambda d: d["positions"][0].update(seats=0), "positions[0].seats: 不能小于1"),
    (lambda d: d["candidates"][0].update(position="mayor"), "candidates[0].position:"),
    (lambda d: d["ballots"][5].update(box="X9"), "ballots[5].box: 票箱“X9”不在 boxes 中"),
    (lambda d: d["ballots"][6].update(serial=d["ballots"][5]["serial"], box=d["ballots"][5]["box"]),
     "ballots[6].serial:"),
    (lambda d: d["ballots"][7].update(status="torn"), "ballots[7].status:"),
    (lambda d: d["ballots"][8].update(marks={"member": ["甲", "甲"]}), "ballots[8].marks.member: 同一职位的姓名重复"),
    (lambda d: d.update(election_day="16/03/2024"), "election_day: 日期格式"),
    (lambda d: d.update(rule_set="火星规则"), "rule_set: 规则“火星规则”不存在"),
])
def test_it_refuses_a_bad_archive_naming_the_field_and_writes_nothing(tmp_path, change, message):
    data = hba_archive()
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call_command("import_election", str(path))
    assert not Election.objects.exists() and not Community.objects.filter(code="HBA").exists()


def test_it_imports_an_archive_without_ballots_and_tallies_zero(tmp_path):
    data = small_archive(ballots=[])
    election = import_election(data)
    result = tally(election=election)
    assert result["ballots_returned"] == 0 and result["valid"] is False
    assert all(p["candidates"] == [] for p in result["positions"])


def test_it_imports_a_further_round_archive_as_round_two():
    election = import_election(small_archive(ballots=votes({"member": {"甲": 4}}, 8), round_=2))
    assert (election.kind, election.round) == ("further", 2)
    assert tally(election=election)["positions"][2]["threshold"] == 3


def test_the_commands_exit_with_a_message_for_an_unknown_election():
    for command in ("tally", "export_election"):
        with pytest.raises(CommandError, match="--election: 选举 999 不存在"):
            call_command(command, "--election", "999")


def test_it_exports_to_stdout_when_no_file_is_given():
    election = import_election(small_archive(ballots=votes({"director": {"甲": 2}}, 2)))
    data = json.loads(run("export_election", "--election", str(election.pk)))
    assert data["format"] == "juwei-election/1" and len(data["ballots"]) == 2
