"""The committee's models: its organisation, its meetings and its daily registers."""

from .meetings import (
    Attendee,
    AttendeeKind,
    Composition,
    Decision,
    DecisionProgress,
    DecisionStatus,
    Grade,
    MediationMatter,
    MediationOutcome,
    MediationParty,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Motion,
    Petition,
    PetitionSignature,
    PetitionStatus,
    ReviewSubject,
)
from .organisation import (
    CommitteeMember,
    Position,
    SubCommittee,
    SubCommitteeKind,
    SubCommitteeMember,
    Term,
    VolunteerMember,
    VolunteerShift,
    VolunteerTeam,
    Weekday,
)
from .registers import (
    Activity,
    Asset,
    AssetCount,
    AssetCountLine,
    AssetMovement,
    Channel,
    DutyShift,
    DutySlot,
    MailboxItem,
    Registration,
    ResponsibilityZone,
    SealUse,
    ZoneVisit,
)

__all__ = [
    "Activity", "Asset", "AssetCount", "AssetCountLine", "AssetMovement", "Attendee", "AttendeeKind", "Channel",
    "CommitteeMember", "Composition", "Decision", "DecisionProgress", "DecisionStatus", "DutyShift", "DutySlot",
    "Grade", "MailboxItem", "MediationMatter", "MediationOutcome", "MediationParty", "Meeting", "MeetingKind",
    "MeetingStatus", "Motion", "Petition", "PetitionSignature", "PetitionStatus", "Position", "Registration",
    "ResponsibilityZone", "ReviewSubject", "SealUse", "SubCommittee", "SubCommitteeKind", "SubCommitteeMember",
    "Term", "VolunteerMember", "VolunteerShift", "VolunteerTeam", "Weekday", "ZoneVisit",
]
