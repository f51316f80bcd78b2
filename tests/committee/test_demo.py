import pytest
from django.utils import timezone

from committee import demo
from committee.models import CommitteeMember, Decision, DutySlot, MailboxItem, Meeting, Term
from committee.services.due import due_this_week
from org import demo as org_demo


@pytest.mark.django_db
def test_it_loads_a_term_of_seven_with_meetings_duty_and_mail_once():
    street = org_demo.load(size="small")
    demo.load(street=street, size="small")
    demo.load(street=street, size="small")
    assert Term.objects.count() == 3 and CommitteeMember.objects.count() == 21
    assert CommitteeMember.objects.get(term__community__code="HBA", position="director").name == "吴逸芸"
    assert Meeting.objects.count() == 9 and Decision.objects.count() == 6 and MailboxItem.objects.count() == 9
    assert DutySlot.objects.filter(date=timezone.localdate()).count() == 3
    hba = street.communities.get(code="HBA")
    due = due_this_week(community_ids=[hba.pk], today=timezone.localdate())
    assert len(due.meetings_to_notify) == 1 and len(due.decisions) == 1 and len(due.mailbox) == 3 and due.duty
