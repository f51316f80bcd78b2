"""Bringing a test election to a stage: the clock moved to the day an act is lawful, the counting staff
appointed, and the two-account certification of a closed count."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from elections.models import (
    CommitteeRole,
    CountingRole,
    Election,
    ElectionCommitteeMember,
    ElectionStatus,
    ElectionWorker,
)
from elections.services import certification as cert
from tests.factories import UserFactory, staff_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCAN = b"%PDF-1.4\n% a signed result report\n"


def on(day: datetime.date, hour: int = 10):
    """The clock at `day`, Beijing time, for a `with` block (every act checks the day it is done on)."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI), tick=False)


COMMITTEE = ["赵主任", "钱委员", "孙委员", "李委员", "周委员", "吴委员", "郑委员"]


def form_committee(election: Election, names=COMMITTEE) -> list[ElectionCommitteeMember]:
    """An election committee of lawful size (7, odd), the first name its chair."""
    return [ElectionCommitteeMember.objects.create(election=election, name=name,
                                                   role=CommitteeRole.CHAIR if n == 0 else CommitteeRole.MEMBER)
            for n, name in enumerate(names)]


def appoint_counting_staff(election: Election) -> dict[str, ElectionWorker]:
    """A scrutineer-in-chief, a scrutineer and a counter, appointed as the election committee does before voting."""
    return {
        "chief": ElectionWorker.objects.create(election=election, name="周监票", role=CountingRole.SCRUTINEER,
                                               is_chief=True),
        "scrutineer": ElectionWorker.objects.create(election=election, name="吴监票", role=CountingRole.SCRUTINEER),
        "counter": ElectionWorker.objects.create(election=election, name="钱计票", role=CountingRole.COUNTER),
    }


def at_stage(election: Election, status: str, **fields) -> Election:
    """Put the election at `status` directly (a test of a later stage does not replay the earlier ones)."""
    Election.objects.filter(pk=election.pk).update(status=status, **fields)
    election.refresh_from_db()
    return election


def counting(election: Election) -> Election:
    """The boxes opened: the unused ballots were destroyed, counting has begun."""
    return at_stage(election, ElectionStatus.COUNTING, ballots_destroyed=0)


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("signed.pdf", SCAN, content_type="application/pdf")


def sign(election: Election, workers=None, *, user=None):
    """The result report signed by the scrutineer-in-chief and a counter (appointed now if nobody was)."""
    if workers is None:
        staff = {w.name: w for w in election.workers.filter(role__in=[CountingRole.SCRUTINEER,
                                                                      CountingRole.COUNTER])}
        if not staff:
            staff = {w.name: w for w in appoint_counting_staff(election).values()}
        workers = list(staff.values())
    return cert.record_signatures(election=election, workers=workers, scan=scan(), user=user)


def certify(election: Election, *, closer=None, second=None):
    """Close the count (unless closed), sign the report, confirm by the closing clerk and by a second account."""
    closer = closer or UserFactory()
    second = second or UserFactory()
    election.refresh_from_db()
    if election.status == ElectionStatus.COUNTING:
        cert.close_counting(election=election, user=closer)
    certification = election.certification
    first = certification.closed_by or closer
    sign(election)
    cert.confirm(election=election, user=first)
    return cert.confirm(election=election, user=second)


def staff_of_street(election: Election):
    """Another street-office clerk of the election's street (a second account)."""
    return staff_of(election.community.street)
