"""Demo data of this app for `loaddemo`: the election in progress of the first community (后北岸社区).

Set up, roll built from the demo residents and posted, nominations counted (the real 2,684 / 1,772 /
1,768 / 4 forms of the seed report) and the formal candidates chosen; the candidate list is not posted yet.
At street size also a past, certified election of the second community with 100,000 ballot papers (the
tally benchmark's data, issue 9), written set-based: ballots and marks by INSERT … SELECT statements.
Running it again changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from org.models import Community

from .models import (
    Ballot,
    BallotMark,
    Box,
    BoxKind,
    Candidate,
    CandidateStatus,
    Election,
    ElectionStatus,
    ElectionWorker,
    Position,
)
from .rulesets import DEFAULT, install_rule_sets
from .services import certification, dates, nominations, roll, setup

TERM = 5
# Seven, an odd number within the 7 to 11 the rule set asks; none of them nominated.
COMMITTEE = [("江兆", "chair"), ("陈海树", "vice_chair"), ("肖桂焕", "member"), ("朱锦新", "member"),
             ("孙沛暖", "member"), ("曾卫民", "member"), ("杨秀兰", "member")]
WORKERS = [("朱勇辉", "scrutineer", True), ("刘洋", "counter", False), ("陈静", "caller", False),
           ("杨磊", "scribe", False)]
# Names and the seed report's order of magnitude; the totals reconcile with the 1,768 valid forms.
FORMS = {"director": {"吴逸芸": 1102, "方学全": 402, "蒋惠琴": 160, "葛鸿平": 90},
         "deputy": {"方学全": 980, "毛若虹": 510, "张吉生": 150},
         "member": {"印彦邦": 1490, "葛鸿平": 1470, "毛若虹": 1302, "张吉生": 1288, "蒋惠琴": 1201, "王建国": 860,
                    "李秀英": 402}}
FORMAL = {"director": ["吴逸芸", "蒋惠琴"], "deputy": ["方学全", "张吉生"],
          "member": ["印彦邦", "葛鸿平", "毛若虹", "王建国", "李秀英", "周丽华"]}


# The past election of the benchmark: 100,000 ballot papers in 14 boxes, 7 seats.
PAST_TERM = 4
PAST_BALLOTS = 100_000
PAST_BOXES = [("01", BoxKind.VENUE, "中心会场", 40_000)] + [
    (f"{n:02d}", BoxKind.STATION, f"第{n - 1}投票站", 6_000) for n in range(2, 11)] + [
    (f"{n:02d}", BoxKind.MOBILE, f"流动票箱{n - 10}", 1_500) for n in range(11, 15)]
# Per position: (code, title, seats, [(name, gender, share of ballots marking the name, per mille)]).
PAST_POSITIONS = [
    ("director", "主任", 1, [("吴逸芸", "F", 640), ("方学全", "M", 330)]),
    ("deputy", "副主任", 1, [("毛若虹", "F", 580), ("张吉生", "M", 400)]),
    ("member", "委员", 5, [("印彦邦", "M", 930), ("葛鸿平", "M", 880), ("蒋惠琴", "F", 850), ("王建国", "M", 790),
                           ("李秀英", "F", 700), ("周丽华", "F", 330)]),
]
SPOILED_EVERY = 97  # about 1% of the papers are spoiled
PAST_SIGNERS = [("朱勇辉", "scrutineer", True), ("林美玲", "scrutineer", False), ("刘洋", "counter", False)]
# Stands for the scan of the signed result report (a one-page PDF).
SIGNED_SCAN = b"%PDF-1.4\n% demo: the result report as signed by the scrutineers and the counter\n%%EOF\n"


def load(*, street, size: str) -> None:
    templates = {r.name: r for r in install_rule_sets()}
    if size == "street":
        _past_election(street, templates[DEFAULT])
    community = Community.objects.filter(street=street).order_by("id").first()
    if community is None or Election.objects.filter(community=community, term_number=TERM, kind="main").exists():
        return
    today = dates.today()
    election = setup.create_election(community=community, rule_set=templates[DEFAULT], term_number=TERM,
                                     mode="direct", election_day=today + datetime.timedelta(days=25)).value
    setup.update_election(election=election, venue="信托投资广场四楼中心会场", voting_hours="8:00—16:00")
    setup.record_stage(election=election, stage="announcement", on=today - datetime.timedelta(days=5))
    for name, role in COMMITTEE:
        setup.add_committee_member(election=election, name=name, role=role,
                                   resident=setup.resident_named(election=election, name=name))
    for name, role, chief in WORKERS:
        setup.add_worker(election=election, name=name, role=role, is_chief=chief,
                         resident=setup.resident_named(election=election, name=name))
    try:
        roll.build_voter_roll(election=election)
        roll.post_roll(election=election, on=today)
        election.refresh_from_db()
        _nominate(election, today)
    except ValidationError:
        # No residents, or not the demo's (the nominees must be on the roll): the election stops where it can.
        pass


def _nominate(election, today) -> None:
    nominations.record_nomination_forms(election=election, issued=2684, returned=1772, valid=1768, invalid=4,
                                        counts=FORMS)
    member = election.positions.get(code="member")
    nominations.add_nomination(election=election, position=member, name="周丽华", source="joint", count=12)
    nominations.rank_preliminary(election=election, on=today)
    for candidate in election.candidates.all():
        nominations.review_candidate(candidate=candidate, qualified=True, note="符合任职条件", on=today)
    chosen = {code: list(election.candidates.filter(position__code=code, name__in=names)
                         .values_list("id", flat=True)) for code, names in FORMAL.items()}
    nominations.choose_formal(election=election, chosen=chosen)


def _past_election(street, template) -> None:
    """The second community's last election, counted and certified: 100,000 ballot papers, 7 seats."""
    community = Community.objects.filter(street=street).order_by("id")[1:2].first()
    if community is None or Election.objects.filter(community=community, term_number=PAST_TERM).exists():
        return
    election = Election.objects.create(
        community=community, name=f"{community.name}第{PAST_TERM}届居民委员会换届选举", term_number=PAST_TERM,
        mode="direct", election_day=datetime.date(dates.today().year - 3, 5, 20),
        rules=setup.copy_rules(template), registered_voters=PAST_BALLOTS * 6 // 5, status=ElectionStatus.COUNTING,
        ballots_destroyed=PAST_BALLOTS * 6 // 5 - sum(n + n // 50 for *_rest, n in PAST_BOXES),
        venue="社区服务中心", voting_hours="8:00—16:00")
    for order, (code, title, seats, names) in enumerate(PAST_POSITIONS):
        position = Position.objects.create(election=election, code=code, title=title, seats=seats, order=order)
        Candidate.objects.bulk_create([
            Candidate(election=election, position=position, name=name, gender=gender, status=CandidateStatus.FORMAL,
                      ballot_order=n) for n, (name, gender, _share) in enumerate(names)])
    boxes = Box.objects.bulk_create([
        Box(election=election, code=code, kind=kind, name=name, issued=count + count // 50, entered=True)
        for code, kind, name, count in PAST_BOXES])
    ballots, marks = Ballot._meta.db_table, BallotMark._meta.db_table
    with connection.cursor() as cursor:
        for box, (_code, _kind, _name, count) in zip(boxes, PAST_BOXES, strict=True):
            # Serials 1…count generated in the database: one statement per box, nothing built in Python.
            cursor.execute(
                f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s) "
                f"INSERT INTO {ballots} (election_id, box_id, serial, status, source) "
                f"SELECT %s, %s, n, CASE WHEN n %% {SPOILED_EVERY} = 0 THEN 'spoiled' ELSE '' END, 'archive' FROM s",
                [count, election.pk, box.pk])
        offsets, lows, highs = _ranges(election)
        # Each readable paper marks a candidate when a hash of the paper falls in the candidate's range:
        # deterministic; one-seat positions split one hash into disjoint ranges (one name or none), the
        # members' candidates each have a hash of their own, so a few papers over-mark (the tally sets those aside).
        cursor.execute(
            f"INSERT INTO {marks} (ballot_id, position_id, candidate_id, name) "
            f"SELECT b.id, c.position_id, c.id, c.name FROM {ballots} b "
            f"JOIN {Candidate._meta.db_table} c ON c.election_id = b.election_id "
            f"WHERE b.election_id = %s AND b.status = '' "
            f"AND (b.id * 7919 + CASE c.id {offsets} END) %% 1000 >= CASE c.id {lows} END "
            f"AND (b.id * 7919 + CASE c.id {offsets} END) %% 1000 < CASE c.id {highs} END",
            [election.pk])
    _certify(election)


def _certify(election) -> None:
    """Closed by the first demo clerk, signed by the appointed scrutineers and counter, confirmed by both clerks."""
    users = get_user_model().objects.filter(username__in=["jiedao", "jiedao2"]).in_bulk(field_name="username")
    certification.close_counting(election=election, user=users.get("jiedao"))
    signers = [ElectionWorker.objects.create(election=election, name=name, role=role, is_chief=chief)
               for name, role, chief in PAST_SIGNERS]
    certification.record_signatures(election=election, workers=signers, user=users.get("jiedao"),
                                    scan=ContentFile(SIGNED_SCAN, name="signed.pdf"))
    certification.confirm(election=election, user=users["jiedao"])
    certification.confirm(election=election, user=users["jiedao2"])


def _ranges(election) -> tuple[str, str, str]:
    """SQL CASE branches (by candidate id) of each candidate's hash offset and range [low, high) per mille."""
    offsets, lows, highs = [], [], []
    candidates = {(c.position.code, c.name): c.pk for c in election.candidates.select_related("position")}
    for number, (code, _title, seats, names) in enumerate(PAST_POSITIONS):
        low = 0
        for n, (name, _gender, share) in enumerate(names):
            pk = candidates[(code, name)]
            offsets.append(f"WHEN {pk} THEN {(number + 1) * 104729 if seats == 1 else (n + 7) * 104729}")
            lows.append(f"WHEN {pk} THEN {low}")
            highs.append(f"WHEN {pk} THEN {low + share}")
            low = low + share if seats == 1 else 0
    return " ".join(offsets), " ".join(lows), " ".join(highs)
