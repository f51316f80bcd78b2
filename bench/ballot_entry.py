"""ballot_entry: saving one ballot paper of numeric entry (docs/domain.md, Elections: numeric entry) once 100,000
papers are entered, side by side in this run with the same row written by a plain `EntryPaper.objects.create`.

A new election made for the run (rolled back afterwards) counts 50 boxes, each entered twice with 1,000 papers a
pass (100,000 papers, bulk-inserted). Then, in the box being entered, the median of many saves:
- `view_ms`: the whole request as the browser sends it (htmx POST of the keys through URL resolution, middleware,
  session and login, the access check, `entry.record_keys` with all its guards and locks, the partial answered);
- `service_ms`: `entry.record_keys` alone;
- `baseline_ms`: `EntryPaper.objects.create` of the same paper (with its audit row, as every save has).
The target is `view_ms` ≤ 50 ms."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from elections.models import Box, Candidate, ElectionStatus, EntryPaper, EntrySession
from elections.services import entry
from org.models import Membership, Role

from ._data import community, new_election

BOXES, PER_PASS = 50, 1_000
KEYS = "1 2 135"
MARKS = {"director": ["甲一"], "deputy": ["乙二"], "member": ["丙一", "丙三", "丙五"]}


def _median_ms(func, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _election(place, clerks):
    election = new_election(place)
    names = {"director": ["甲一", "甲二"], "deputy": ["乙一", "乙二"], "member": [f"丙{c}" for c in "一二三四五六七"]}
    for position in election.positions.all():
        for order, name in enumerate(names[position.code]):
            Candidate.objects.create(election=election, position=position, name=name, ballot_order=order)
    boxes = Box.objects.bulk_create([Box(election=election, code=f"B{n:02}", kind="station", name=f"投票站{n}",
                                         issued=PER_PASS + 1_000) for n in range(BOXES)])
    sessions = EntrySession.objects.bulk_create([EntrySession(box=box, pass_number=p) for box in boxes
                                                 for p in (1, 2)])
    for session in sessions:
        EntryPaper.objects.bulk_create([EntryPaper(session=session, serial=s, clerk=clerks[session.pass_number - 1],
                                                   marks=MARKS) for s in range(1, PER_PASS + 1)], batch_size=5_000)
    Box.objects.filter(election=election).update(route_of_entry="paper")
    election.status = ElectionStatus.COUNTING
    election.ballots_destroyed = 0
    election.save(update_fields=["status", "ballots_destroyed"])
    return election, boxes


def run(*, quick: bool) -> dict:
    repeat = 40 if quick else 200
    place = community(2)
    with transaction.atomic():
        users = get_user_model().objects
        clerks = [users.create_user(f"bench-entry-{n}", password="x") for n in (1, 2)]
        for clerk in clerks:
            Membership.objects.create(user=clerk, role=Role.STREET_STAFF, street=place.street)
        election, boxes = _election(place, clerks)
        papers = EntryPaper.objects.filter(session__box__election=election).count()
        box = boxes[0]
        client = Client()
        client.force_login(clerks[0])
        url = f"/elections/{election.pk}/boxes/{box.pk}/entry/1/"

        def save_by_view():
            response = client.post(url, {"keys": KEYS}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200 and "已录入" in response.content.decode(), response.status_code

        view_ms = _median_ms(save_by_view, repeat)
        service_ms = _median_ms(lambda: entry.record_keys(box=box, pass_number=1, clerk=clerks[0], keys=KEYS),
                                repeat)
        session = EntrySession.objects.get(box=box, pass_number=1)
        serial = [PER_PASS + 2 * repeat]

        def plain_create():
            serial[0] += 1
            EntryPaper.objects.create(session=session, serial=serial[0], clerk=clerks[0], marks=MARKS)

        baseline_ms = _median_ms(plain_create, repeat)
        saved = EntryPaper.objects.filter(session=session).count() - PER_PASS
        transaction.set_rollback(True)
    return {"value": round(view_ms, 1), "unit": "ms", "target": 50.0, "ok": view_ms <= 50.0,
            "service_ms": round(service_ms, 1), "baseline_ms": round(baseline_ms, 1),
            "ratio_view_to_baseline": round(view_ms / baseline_ms, 1), "papers_before": papers,
            "saves_each": repeat, "saved": saved}
