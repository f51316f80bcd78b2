"""The staff views doing what they are for (who may reach each URL is tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure import services
from disclosure.models import Attachment, Category, DisclosureRequest, Feedback, Item, Status, SupervisionGroup
from tests.factories import supervisor_of
from tests.residents.factories import ResidentFactory

from .factories import FeedbackFactory, TermFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def attachment(draft):
    return services.add_attachment(item=draft, upload=SimpleUploadedFile("账目.pdf", PDF))


def test_it_shows_the_current_communitys_items_and_calendar(login, committee_user, community, draft, other_community):
    response = login(committee_user).get("/disclosure/?month=2024-04")
    text = response.content.decode()
    assert response.status_code == 200 and draft.title in text
    assert "2024年4月应公开事项" in text and "社区经费收支" in text


def test_it_walks_an_item_through_the_views(login, committee_user, supervision_user, community):
    committee = login(committee_user)
    response = committee.post(f"/disclosure/{community.code}/new/", {
        "category": Category.FINANCES, "title": "2024年3月经费收支", "period_start": "2024-03-01",
        "period_end": "2024-03-31", "body": "<table><tr><td>办公</td><td>100</td></tr></table><script>x</script>"})
    item = Item.objects.get(title="2024年3月经费收支")
    assert response.status_code == 302 and "<script>" not in item.body
    upload = committee.post(f"/disclosure/items/{item.pk}/attachments/",
                            {"file": SimpleUploadedFile("明细.pdf", PDF, content_type="application/pdf")})
    assert upload.status_code == 302 and item.attachments.count() == 1
    committee.post(f"/disclosure/items/{item.pk}/submit/")
    login(supervision_user).post(f"/disclosure/items/{item.pk}/sign/")
    committee.post(f"/disclosure/items/{item.pk}/schedule/")
    item.refresh_from_db()
    assert item.status == Status.SCHEDULED and item.signed_by == supervision_user


def test_it_refuses_an_attachment_that_is_not_a_pdf_or_image(login, committee_user, draft):
    response = login(committee_user).post(
        f"/disclosure/items/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")},
        follow=True)
    assert "只接受 PDF、PNG 或 JPEG" in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_serves_attachments_of_published_items_only_through_the_board(client, community, draft, attachment,
                                                                        supervision_user):
    url = f"/board/{community.code}/items/{draft.pk}/files/{attachment.pk}/"
    assert client.get(url).status_code == 404
    services.submit_item(item=draft)
    services.sign_item(item=draft, user=supervision_user)
    services.schedule_item(item=draft, today=datetime.date(2024, 4, 1))
    services.publish_due(today=datetime.date(2024, 4, 10))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_it_answers_feedback_from_the_list(login, committee_user, published):
    feedback = FeedbackFactory(item=published)
    response = login(committee_user).post(f"/disclosure/feedback/{feedback.pk}/answer/", {"answer": "已整改"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answer == "已整改" and feedback.answered_by == committee_user


def test_it_records_a_request_with_enough_signatures(login, committee_user, community):
    for _ in range(20):
        ResidentFactory(community=community)
    client = login(committee_user)
    refused = client.post(f"/disclosure/{community.code}/requests/", {
        "subject": "公开小区停车费收支", "basis": "residents", "signatures": 1, "filed_on": "2024-03-12"})
    assert "不足十分之一以上居民（20 人中至少 2 人）" in refused.content.decode()
    client.post(f"/disclosure/{community.code}/requests/", {
        "subject": "公开小区停车费收支", "basis": "residents", "signatures": 2, "filed_on": "2024-03-12"})
    request = DisclosureRequest.objects.get()
    assert request.due_on == datetime.date(2024, 4, 10) and request.required == 2


def test_it_elects_the_group_through_the_form(login, committee_user, community):
    TermFactory(community=community)
    residents = [ResidentFactory(community=community) for _ in range(5)]
    response = login(committee_user).post(f"/disclosure/{community.code}/supervision/elect/", {
        "elected_on": "2024-02-01", "leader": residents[0].id_number,
        "members": "\n".join(r.id_number for r in residents[1:])})
    assert response.status_code == 302
    group = SupervisionGroup.objects.get()
    assert group.members.get(is_leader=True).resident == residents[0]


def test_it_lists_signatures_waiting_on_the_dashboard(login, draft, community):
    leader = supervisor_of(community, leader=True)
    services.submit_item(item=draft)
    text = login(leader).get("/").content.decode()
    assert "待监督小组组长签字" in text and draft.title in text


def test_it_keeps_feedback_contacts_masked_for_staff(login, committee_user, published):
    Feedback.objects.create(item=published, text="x", contact="13812345678")
    text = login(committee_user).get("/disclosure/feedback/").content.decode()
    assert "13812345678" not in text and "138****5678" in text


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2024-13", "x"])
def test_it_shows_this_month_for_a_month_off_the_calendar(login, committee_user, street_staff, community, month):
    this_month = timezone.localdate().strftime("%Y-%m")
    for user, url in ((committee_user, "/disclosure/"), (street_staff, f"/disclosure/street/{community.street_id}/")):
        response = login(user).get(url, {"month": month})
        assert response.status_code == 200
        assert response.context["month"].strftime("%Y-%m") == this_month


def test_it_shows_the_month_asked_for(login, committee_user):
    response = login(committee_user).get("/disclosure/", {"month": "2024-03"})
    assert response.context["month"] == datetime.date(2024, 3, 1)
