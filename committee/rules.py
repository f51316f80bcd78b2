"""The rules of each kind of meeting, from docs/domain.md (Committee: meetings) and the community's meeting
rules (docs/domain.md, Committee).

A kind's notice period is a warning when short, never a refusal: the committee may have good reason,
and the notice records the date it actually went out.
"""

from dataclasses import dataclass

from .models import MeetingKind


@dataclass(frozen=True)
class KindRule:
    notice_days: int  # notice with the agenda at least this many days before the day
    quorum: bool  # more than half of those entitled must attend before the meeting can decide
    votes: bool  # its decisions are motions adopted by more than half of those present


RULES = {
    MeetingKind.RESIDENTS: KindRule(notice_days=3, quorum=True, votes=True),
    # Committee and joint meetings decide spending, hiring and contracts by majority.
    MeetingKind.COMMITTEE: KindRule(notice_days=0, quorum=True, votes=True),
    MeetingKind.JOINT: KindRule(notice_days=0, quorum=True, votes=True),
    # The Monday staff meeting reports and assigns the week's work: tasks, not votes.
    MeetingKind.STAFF: KindRule(notice_days=0, quorum=False, votes=False),
    MeetingKind.HEARING: KindRule(notice_days=0, quorum=True, votes=True),
    # Mediation: written notice 7 days before (any time when urgent); the parties agree, nobody votes.
    MeetingKind.MEDIATION: KindRule(notice_days=7, quorum=False, votes=False),
    # Review: the reviewed are told 15 days before to hand in their report; the group grades them.
    MeetingKind.REVIEW: KindRule(notice_days=15, quorum=False, votes=False),
}

HEARING_SCHEDULE_DAYS = 7  # time, date and participants fixed within 7 days of the written request
HEARING_RESULT_DAYS = 7  # result posted within 7 days of the hearing
MEDIATION_MAX_SESSIONS = 3  # 对召开同一内容的协调会，以三次为限
REVIEW_REPORT_DAYS = 15  # the reviewed submit their report 15 days before the review
REVIEW_FEEDBACK_DAYS = 7  # feedback to the reviewed within 7 days of the review
# A petition that reaches its threshold obliges the committee to call the meeting 及时 (promptly); we hold
# it to the 15 days the rules give for the supervision group's demand for a residents' meeting.
PETITION_MEETING_DAYS = 15
ZONE_VISIT_DAYS = 7  # every responsibility zone is visited weekly
ACTIVITY_REGISTRATION_DAYS = 2  # registration closes two days before an activity


def rule_of(kind: str) -> KindRule:
    return RULES[MeetingKind(kind)]


# The community's rules ask for answers 尽快 (as soon as possible) and name no number of days; we hold the
# mailbox and visits to 15 days, the time the Regulations on Letters and Visits (信访工作条例) give an office to
# tell a petitioner whether it takes the matter up (docs/domain.md, Street statistics).
MAILBOX_ANSWER_DAYS = 15
