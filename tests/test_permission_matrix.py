"""The permission matrix: every URL of the project against seven roles, with the expected outcome of each.

The URLs are found by walking the resolver, so a URL added without an entry in EXPECTED fails
`test_it_has_an_entry_for_every_url`. Each request runs inside a rolled-back savepoint, so a POST that
does something (a stage advanced, an item deleted) cannot change what the next role sees.

Outcomes: "login" = 302 to the login page; 403 / 404 = refused; "ok" = let through (anything but a
redirect to login, 403 or 404: 200, a redirect after a POST with empty data, a 400 form error...);
200 = exactly 200.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from committee.models import (
    Activity,
    Attendee,
    AttendeeKind,
    CommitteeMember,
    Composition,
    Decision,
    DutySlot,
    Handover,
    HandoverItem,
    MailboxItem,
    Petition,
    Recall,
    ReviewSubject,
    VolunteerMember,
    VolunteerTeam,
)
from disclosure.models import Attachment, Item, Status, SupervisionGroup, SupervisionMember
from elections.models import Box, EntryPaper, EntrySession, Objection
from elections.rulesets import install_rule_sets
from org.models import Job
from residents.models import ResidentLabel
from residents.services.importing import IMPORT_JOB
from tests.committee.factories import MeetingFactory, TermFactory
from tests.disclosure.factories import FeedbackFactory, ItemFactory
from tests.elections.factories import CandidateFactory, ElectionFactory
from tests.residents.factories import GroupFactory, HouseholdFactory, RepresentativeFactory, ResidentFactory

ROLES = ["anonymous", "public", "other_committee", "supervision", "committee", "foreign_staff", "street_staff"]

# Abbreviations for the rows below (one column per role, in ROLES order).
L, OK, F, N = "login", "ok", 403, 404
PUBLIC = (200,) * 7
# Pages that only need some role and show the user's own community (no object from the URL).
ANY_STAFF = (L, F, OK, OK, OK, OK, OK)
# Objects of the community, readable by any role of it, writable by staff (committee + street).
READ_OBJ = (L, F, N, OK, OK, N, OK)
STAFF_OBJ = (L, F, N, F, OK, N, OK)
STAFF_PAGE = (L, F, OK, F, OK, OK, OK)
STREET_PAGE = (L, F, F, F, F, OK, OK)

EXPECTED: dict[str, tuple] = {}  # filled from the table at the bottom of the module

SKIPPED_PREFIXES = ("admin/", "static/", "media/")


def all_url_patterns():
    """(route, name, pattern) for every URL pattern outside the admin."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith(SKIPPED_PREFIXES):
                    continue
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                found.append((route, name or route))

    walk(get_resolver(), "", None)
    return found


@pytest.fixture
def world(street, community, other_community, foreign_community, street_staff, foreign_street_staff,
          committee_user, other_committee_user, supervision_user, outsider):
    """One community with a real object of every kind a URL of the project names."""
    install_rule_sets()
    now = timezone.now()
    household = HouseholdFactory(community=community)
    group = GroupFactory(community=community)
    resident = ResidentFactory(community=community, household=household, group=group)
    label = ResidentLabel.objects.create(resident=resident, label=ResidentLabel._meta.get_field("label").choices[0][0])
    representative = RepresentativeFactory(resident=resident)
    import_job = Job.objects.create(user=committee_user, community=community, title="导入", params={"dry_run": True},
                                    func=IMPORT_JOB)
    own_job = Job.objects.create(user=committee_user, community=community, title="导出", func="x.y")

    term = TermFactory(community=community)
    seat = CommitteeMember.objects.create(term=term, name="吴逸芸", position="director", starts=term.starts)
    supervision_seat = SupervisionMember.objects.create(
        group=SupervisionGroup.objects.create(community=community, term=term, elected_on=term.starts),
        resident=resident, name=resident.name, is_leader=True)
    recall = Recall.objects.create(member=seat, reason="理由", received_on=term.starts,
                                   petition=Petition.objects.create(community=community, composition=Composition.ADULTS,
                                                                    subject="罢免", filed_on=term.starts))
    meeting = MeetingFactory(community=community)
    attendee = Attendee.objects.create(meeting=meeting, kind=AttendeeKind.ADULT, name="张伟")
    review = ReviewSubject.objects.create(meeting=meeting, organisation="物业公司")
    decision = Decision.objects.create(meeting=meeting, text="修路灯", owner="张伟")
    petition = Petition.objects.create(community=community, composition=Composition.ADULTS, subject="加装电梯")
    slot = DutySlot.objects.create(community=community, date=datetime.date.today(), name="张伟")
    mail = MailboxItem.objects.create(community=community, channel="mailbox", subject="路灯不亮", sender="陈静")
    activity = Activity.objects.create(community=community, title="义诊", body="义诊", starts=now, place="广场",
                                       registration_closes=datetime.date.today())
    team = VolunteerTeam.objects.create(community=community, name="助老服务队")
    volunteer = VolunteerMember.objects.create(team=team, name="张伟")
    # An open handover list (its paper prints only once complete) with an audit report attached.
    handover = Handover.objects.create(community=community, outgoing=term, incoming=TermFactory(
        community=community, number=term.number + 1, starts=term.starts + datetime.timedelta(days=1100)),
        audit_file=ContentFile(b"%PDF-1.4", name="audit.pdf"))
    handover_item = HandoverItem.objects.create(handover=handover, kind="seal", description="公章", quantity=1)

    draft = ItemFactory(community=community, created_by=committee_user)
    published = ItemFactory(community=community, official_notice=True)
    attachment = Attachment.objects.create(item=published, file=ContentFile(b"%PDF-1.4", name="a.pdf"), name="a.pdf",
                                           content_type="application/pdf", size=8)
    # Attachments are added before publication; publishing is then a plain status change.
    Item.objects.filter(pk=published.pk).update(
        status=Status.PUBLISHED, published_at=timezone.make_aware(datetime.datetime(2024, 4, 10, 9)), archive_year=2024)
    feedback = FeedbackFactory(item=published)

    election = ElectionFactory(community=community, positions=True)
    candidate = CandidateFactory(election=election, position=election.positions.first())
    objection = Objection.objects.create(election=election, resident=resident, kind="omitted", filed_by="王芳",
                                         filed_on=datetime.date.today(), reason="漏登")
    box = Box.objects.create(election=election, code="A", kind="venue", name="中心会场")
    session = EntrySession.objects.create(box=box, pass_number=1)
    paper = EntryPaper.objects.create(session=session, serial=1, clerk=street_staff)

    kwargs = {
        "pk": None, "code": community.code, "street_pk": street.pk, "year": 2024, "month": 4,
        "box_pk": box.pk, "pass_number": 1, "paper_pk": paper.pk, "objection_pk": objection.pk,
        "candidate_pk": candidate.pk, "attachment_pk": attachment.pk, "kind": "announcement", "step": "close",
        # A board token that was never signed: the board answers 404 to everyone (tests/elections/test_entry_views.py
        # opens it with a real one).
        "token": "unsigned",
    }
    # The object the <pk> of each URL names, by the URL's prefix (longest match wins).
    pks = {
        "residents/<int:pk>/": resident.pk, "residents/labels/": label.pk, "residents/households/": household.pk,
        "residents/groups/": group.pk, "residents/representatives/": representative.pk,
        "residents/import/": import_job.pk, "jobs/": own_job.pk,
        "committee/meetings/": meeting.pk, "committee/attendees/": attendee.pk, "committee/review/": review.pk,
        "committee/decisions/": decision.pk, "committee/petitions/": petition.pk,
        "committee/organisation/terms/": term.pk, "committee/duty/": slot.pk, "committee/mailbox/": mail.pk,
        "committee/activities/": activity.pk, "committee/organisation/teams/": team.pk,
        "committee/organisation/volunteers/": volunteer.pk,
        "committee/organisation/members/": seat.pk, "committee/organisation/recalls/": recall.pk,
        "committee/handovers/": handover.pk, "committee/handover-items/": handover_item.pk,
        "disclosure/feedback/": feedback.pk, "disclosure/items/": draft.pk, "disclosure/attachments/": attachment.pk,
        "board/": published.pk, "elections/": election.pk, "people/": committee_user.pk,
        "people/memberships/": committee_user.memberships.get().pk,
        "disclosure/supervision/members/": supervision_seat.pk,
    }
    users = {
        "anonymous": None, "public": outsider, "other_committee": other_committee_user,
        "supervision": supervision_user, "committee": committee_user, "foreign_staff": foreign_street_staff,
        "street_staff": street_staff,
    }
    return {"kwargs": kwargs, "pks": pks, "users": users}


def _url(route: str, world) -> str:
    def pk_for(prefix):
        best = max((p for p in world["pks"] if prefix.startswith(p)), key=len)
        return str(world["pks"][best])

    def replace(match):
        name = match.group(2)
        if name == "pk":
            return pk_for(route)
        return str(world["kwargs"][name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def _outcome(response) -> object:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


def _matches(expected, outcome) -> bool:
    # A crash is never an acceptable answer, whatever the role: "ok" means let through, not a 500.
    if isinstance(outcome, int) and outcome >= 500:
        return False
    if expected == "ok":
        return outcome not in ("login", 403, 404)
    return expected == outcome


@pytest.fixture
def no_pdf(monkeypatch):
    # WeasyPrint takes seconds a page; access is decided before rendering, so a stand-in PDF is enough here.
    def fake(template_name, context, *args, **kwargs):
        return b"%PDF-1.4 matrix"

    def fake_chunks(*args, **kwargs):
        return b"%PDF-1.4 matrix"

    for module in ("residents.views.households", "committee.views.meetings", "committee.views.organisation",
                   "committee.views.registers", "disclosure.board", "elections.views.counting",
                   "elections.services.papers", "elections.services.certificates", "elections.views.street",
                   "org.views"):
        monkeypatch.setattr(f"{module}.render_pdf", fake, raising=False)
    monkeypatch.setattr("elections.services.papers.render_pdf_chunks", fake_chunks, raising=False)


def test_it_has_an_entry_for_every_url():
    missing = [name for _, name in all_url_patterns() if name not in EXPECTED]
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"
    stale = set(EXPECTED) - {name for _, name in all_url_patterns()}
    assert not stale, f"entries for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("expected", ["ok", "login", 200, 403, 404, 500])
def test_it_counts_a_server_error_as_wrong_for_any_expectation(expected):
    assert not _matches(expected, 500)
    assert not _matches(expected, 503)


def test_it_covers_every_app():
    names = {name.split(":")[0] for _, name in all_url_patterns() if ":" in name}
    assert {"residents", "committee", "disclosure", "elections", "board"} <= names


class GetWrites:
    """Tables a GET wrote to, but for the bookkeeping every request may do (the session, throttles, the
    log of who saw whose personal data)."""

    BOOKKEEPING = ("django_session", "juwei_cache", "org_throttlecount", "org_sensitiveaccess", "axes_")
    WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

    def __init__(self):
        self.tables: set[str] = set()

    def record(self, execute, sql, params, many, context):
        found = self.WRITE.match(sql)
        if found and not found.group(1).startswith(self.BOOKKEEPING):
            self.tables.add(found.group(1))
        return execute(sql, params, many, context)


@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_the_expected_outcome_on_every_url(role, world, no_pdf):
    user = world["users"][role]
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    wrong, observed = [], {}
    writes = GetWrites()
    for route, name in all_url_patterns():
        url = _url(route, world)
        cookies = {key: morsel.value for key, morsel in client.cookies.items()}
        with transaction.atomic():
            with connection.execute_wrapper(writes.record):
                response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {})
            transaction.set_rollback(True)
        if writes.tables:
            wrong.append(f"{name} {url}: a GET wrote to {sorted(writes.tables)}")
            writes.tables.clear()
        for key, value in cookies.items():  # the logout URL must not log the next request out
            client.cookies[key] = value
        outcome = _outcome(response)
        observed[name] = outcome
        expected = EXPECTED.get(name, (None,) * 7)[ROLES.index(role)]
        if not _matches(expected, outcome):
            wrong.append(f"{name} {url}: expected {expected}, got {outcome}")
    if os.environ.get("MATRIX_DUMP"):
        with Path(os.environ["MATRIX_DUMP"]).open("a") as out:
            for name, outcome in observed.items():
                out.write(f"{role}\t{name}\t{outcome}\n")
    assert not wrong, "\n".join(wrong)


EXPECTED.update({
    # org
    "healthz": PUBLIC,
    "login": PUBLIC,
    "logout": (L, L, L, L, L, L, L),  # logging out sends everyone to the login page
    "set_language": (OK, OK, OK, OK, OK, OK, OK),
    # residents
    "residents:index": ANY_STAFF,
    "residents:add": STAFF_PAGE,
    "residents:resident": READ_OBJ,
    "residents:edit": STAFF_OBJ,
    "residents:move": STAFF_OBJ,
    "residents:leave": STAFF_OBJ,
    "residents:reveal": STAFF_OBJ,
    "residents:label_add": STAFF_OBJ,
    "residents:access_request": STAFF_OBJ,
    "residents:label_end": STAFF_OBJ,
    "residents:household": READ_OBJ,
    "residents:household_add": STAFF_PAGE,
    "residents:household_pdf": STAFF_OBJ,
    "residents:care_add": STAFF_OBJ,
    "residents:groups": ANY_STAFF,
    "residents:group": READ_OBJ,
    "residents:group_pdf": STAFF_OBJ,
    "residents:representatives": ANY_STAFF,
    "residents:representative_end": STAFF_OBJ,
    "residents:representative_unit_add": STAFF_PAGE,
    "residents:special": STAFF_PAGE,
    "residents:special_pdf": STAFF_PAGE,
    "residents:import": STAFF_PAGE,
    "residents:import_template": STAFF_PAGE,
    "residents:import_preview": (L, F, N, F, OK, N, N),  # the uploader's own
    "residents:import_confirm": (L, F, N, F, OK, N, N),  # idem
    "residents:export": STAFF_PAGE,
    # committee
    "committee:index": ANY_STAFF,
    "committee:meetings": ANY_STAFF,
    "committee:meeting_new": STAFF_PAGE,
    "committee:meeting": READ_OBJ,
    "committee:meeting_notify": STAFF_OBJ,
    "committee:meeting_notice_pdf": (L, F, N, F, F, N, F),  # not notified yet (state)
    "committee:meeting_minutes": STAFF_OBJ,
    "committee:meeting_minutes_pdf": (L, F, N, F, F, N, F),  # no minutes yet
    "committee:meeting_agreement_pdf": (L, F, N, F, F, N, F),  # no agreement yet
    "committee:attendance": READ_OBJ,
    "committee:attendance_open": STAFF_OBJ,
    "committee:attendee_add": STAFF_OBJ,
    "committee:motion_vote": STAFF_OBJ,
    "committee:decision_add": STAFF_OBJ,
    "committee:meeting_outcome": STAFF_OBJ,
    "committee:hearing_result": STAFF_OBJ,
    "committee:review_subject_add": STAFF_OBJ,
    "committee:attendee_toggle": STAFF_OBJ,
    "committee:review_subject": STAFF_OBJ,
    "committee:decisions": ANY_STAFF,
    "committee:decision": READ_OBJ,
    "committee:petitions": STAFF_PAGE,
    "committee:petition": STAFF_OBJ,
    "committee:matters": STAFF_PAGE,
    "committee:organisation": STAFF_PAGE,
    "committee:term_extend": (L, F, F, F, F, N, OK),
    "committee:member": READ_OBJ,
    "committee:member_resign": STAFF_OBJ,
    "committee:member_account": (L, F, F, F, F, N, OK),
    "committee:member_appraisal": STAFF_OBJ,
    "committee:member_absence": STAFF_OBJ,
    "committee:member_recall": STAFF_OBJ,
    "committee:recall_vote": STAFF_OBJ,
    "committee:subcommittee_seat": STAFF_OBJ,
    "committee:volunteer_team_add": STAFF_PAGE,
    "committee:volunteer_team": STAFF_OBJ,
    "committee:volunteer_schedule_pdf": STAFF_OBJ,
    "committee:volunteer_remove": STAFF_OBJ,
    "committee:duty": STAFF_PAGE,
    "committee:duty_slot": STAFF_OBJ,
    "committee:duty_pdf": STAFF_PAGE,
    "committee:mailbox": STAFF_PAGE,
    "committee:mailbox_item": STAFF_OBJ,
    "committee:zones": STAFF_PAGE,
    "committee:seal": STAFF_PAGE,
    "committee:assets": STAFF_PAGE,
    "committee:asset_handover_pdf": STAFF_PAGE,
    "committee:activities": STAFF_PAGE,
    "committee:activity": STAFF_OBJ,
    "committee:activity_notice_pdf": STAFF_OBJ,
    "committee:handover": STAFF_OBJ,
    "committee:handover_item_add": (L, F, F, F, F, N, OK),
    "committee:handover_item_remove": (L, F, F, F, F, N, OK),
    "committee:handover_confirm": STAFF_OBJ,
    "committee:handover_audit": (L, F, F, F, F, N, OK),
    "committee:handover_audit_file": STAFF_OBJ,
    "committee:handover_pdf": (L, F, N, F, F, N, F),  # not complete yet (state)
    # disclosure
    "disclosure:index": ANY_STAFF,
    "disclosure:my_street_calendar": STREET_PAGE,
    "disclosure:street_calendar": (L, F, F, F, F, N, OK),
    "disclosure:feedback": ANY_STAFF,
    "disclosure:feedback_answer": (L, F, N, F, OK, F, F),
    "disclosure:feedback_seen": (L, F, F, OK, F, F, F),
    "disclosure:item": READ_OBJ,
    "disclosure:item_edit": (L, F, N, F, OK, F, F),
    "disclosure:item_submit": (L, F, N, F, OK, F, F),
    "disclosure:item_sign": (L, F, F, OK, F, F, F),
    "disclosure:item_return": (L, F, F, OK, F, F, F),
    "disclosure:item_schedule": (L, F, N, F, OK, F, F),
    "disclosure:item_withdraw": STAFF_OBJ,
    "disclosure:item_delete": (L, F, N, F, OK, F, F),
    "disclosure:item_correct": (L, F, N, F, OK, F, F),
    "disclosure:attachment_add": (L, F, N, F, OK, F, F),
    "disclosure:attachment": READ_OBJ,
    "disclosure:item_create": (L, F, N, F, OK, F, F),
    "disclosure:request_create": (L, F, N, F, OK, F, F),
    "disclosure:supervision": READ_OBJ,
    "disclosure:supervision_elect": (L, F, N, F, OK, F, F),
    "disclosure:supervision_account": (L, F, F, F, F, N, OK),
    # elections
    "elections:index": STAFF_PAGE,
    "elections:by_elections": STREET_PAGE,
    "elections:by_election_new": STREET_PAGE,
    "elections:by_election_seat": (L, F, F, F, F, N, OK),
    "elections:detail": STAFF_OBJ,
    "elections:seats": (L, F, F, F, F, N, OK),
    "elections:details": (L, F, F, F, F, N, OK),
    "elections:add_member": (L, F, F, F, F, N, OK),
    "elections:withdraw_member": (L, F, F, F, F, N, OK),
    "elections:add_worker": (L, F, F, F, F, N, OK),
    "elections:stage": (L, F, F, F, F, N, OK),
    "elections:roll": STAFF_OBJ,
    "elections:roll_build": (L, F, F, F, F, N, OK),
    "elections:roll_post": (L, F, F, F, F, N, OK),
    "elections:delegate": (L, F, F, F, F, N, OK),
    "elections:objection": (L, F, F, F, F, N, OK),
    "elections:decide": (L, F, F, F, F, N, OK),
    "elections:proxies": STAFF_OBJ,
    "elections:add_proxy": (L, F, F, F, F, N, OK),
    "elections:nominations": STAFF_OBJ,
    "elections:nomination_forms": (L, F, F, F, F, N, OK),
    "elections:add_nomination": (L, F, F, F, F, N, OK),
    "elections:rank": (L, F, F, F, F, N, OK),
    "elections:candidates": STAFF_OBJ,
    "elections:review": (L, F, F, F, F, N, OK),
    "elections:choose": (L, F, F, F, F, N, OK),
    "elections:candidates_post": (L, F, F, F, F, N, OK),
    "elections:papers": STAFF_OBJ,
    "elections:notice": STAFF_OBJ,
    "elections:issue_paper": (L, F, F, F, F, N, OK),
    "elections:voters_pdf": STAFF_OBJ,
    "elections:voter_cards_pdf": STAFF_OBJ,
    "elections:ballot_pdf": STAFF_OBJ,
    "elections:nomination_form_pdf": STAFF_OBJ,
    "elections:proxy_cards_pdf": STAFF_OBJ,
    "elections:ballot_paper": (L, F, F, F, F, N, OK),
    "elections:numbered_ballots": STAFF_OBJ,  # refused with a message: the ballots carry no serials
    "elections:nomination_report_pdf": STAFF_OBJ,
    "elections:boxes": (L, F, F, F, F, N, OK),
    "elections:issue": (L, F, F, F, F, N, OK),
    "elections:counting_stage": (L, F, F, F, F, N, OK),
    "elections:upload_ballots": (L, F, F, F, F, N, OK),
    "elections:ballots_act": (L, F, F, F, F, N, F),  # step "close" is not a ballot-accounting act
    "elections:sheet_act": (L, F, F, F, F, N, F),  # step "close" is not a tally-sheet act
    "elections:entry": (L, F, F, F, F, N, OK),
    "elections:compare": (L, F, F, F, F, N, OK),
    "elections:board_open": (L, F, F, F, F, N, OK),
    "elections:board": (N,) * 7,
    "elections:board_counts": (N,) * 7,
    "elections:sheet": (L, F, F, F, F, N, OK),
    "elections:paper": (L, F, F, F, F, N, OK),
    "elections:result": (L, F, N, F, F, N, OK),
    "elections:result_act": (L, F, F, F, F, N, F),  # the count has not started: refused for everyone
    "elections:result_pdf": (L, F, N, F, F, N, F),  # not certified yet
    "elections:winners_pdf": (L, F, N, F, F, N, F),  # not certified yet
    "elections:disputed": (L, F, F, F, F, N, OK),
    "elections:disputed_pdf": (L, F, N, F, F, N, OK),  # the counting team's until the count closes
    "elections:certificates_pdf": (L, F, N, F, F, N, F),  # not certified yet
    "elections:issue_certificates": (L, F, F, F, F, N, OK),  # refused by the service, back to the result page
    # the street's election report: street staff, each their own street
    "street_elections:report": STREET_PAGE,
    "street_elections:xlsx": STREET_PAGE,
    "street_elections:pdf": STREET_PAGE,
    # board
    "board:index": PUBLIC,
    "board:board": PUBLIC,
    "board:feed": PUBLIC,
    "board:archive": PUBLIC,
    "board:poster": PUBLIC,
    "board:item": PUBLIC,
    "board:feedback": (OK, OK, OK, OK, OK, OK, OK),  # an empty feedback form is a 400 for everyone
    "board:attachment": PUBLIC,
    # org
    "dashboard": ANY_STAFF,
    "switch_community": (L, F, N, N, N, N, N),  # an empty POST names no community
    "street_pdf": STREET_PAGE,
    "otp_setup": STREET_PAGE,
    "audit_log": STREET_PAGE,
    "password_change": (L, OK, OK, OK, OK, OK, OK),
    "accounts": STREET_PAGE,
    "account_password": (L, F, F, F, F, N, OK),
    "account_new": STREET_PAGE,
    "account_detail": (L, F, F, F, F, N, OK),
    "membership_end": (L, F, F, F, F, N, OK),
    "sensitive_log": STREET_PAGE,
    "job_detail": (L, F, N, N, OK, N, N),  # jobs are seen only by their owner (the committee member)
    "job_download": (L, F, N, N, F, N, N),  # 403 for the owner: the job has not finished
})
