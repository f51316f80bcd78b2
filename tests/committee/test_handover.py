"""The handover list with the street present (docs/domain.md, Handover with the street present)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from committee.models import (
    Handover,
    HandoverConfirmation,
    HandoverFrozen,
    HandoverItem,
    HandoverKind,
    HandoverSide,
)
from committee.services import handover as services
from org.models import Membership, Role
from tests import factories
from tests.committee.factories import MemberFactory, TermFactory
from tests.committee.test_papers import text_of

pytestmark = pytest.mark.django_db

OUT, IN, STREET = HandoverSide.OUTGOING, HandoverSide.INCOMING, HandoverSide.STREET


@pytest.fixture
def terms(community):
    outgoing = TermFactory(community=community, number=4, starts=datetime.date(2021, 12, 1),
                           ends=datetime.date(2024, 12, 1))
    incoming = TermFactory(community=community, number=5, starts=datetime.date(2024, 12, 1))
    return outgoing, incoming


@pytest.fixture
def people(community, terms):
    """The outgoing director and the incoming director, each confirming through the login of their own seat."""
    outgoing, incoming = terms
    old = MemberFactory(term=outgoing, name="吴逸芸", position="director", ends=incoming.starts,
                        user=factories.committee_of(community))
    new = MemberFactory(term=incoming, name="方学全", position="director", user=factories.committee_of(community))
    return old, new


@pytest.fixture
def handover(terms, street_staff):
    return services.open_handover(incoming=terms[1], due=datetime.date(2024, 12, 11), by=street_staff)


def seal(handover):
    return services.add_item(handover=handover, kind=HandoverKind.SEAL, description="居委会公章", quantity=1, unit="枚")


def confirm_all(item, people, street_staff):
    old, new = people
    services.confirm(item=item, side=OUT, user=old.user)
    services.confirm(item=item, side=IN, user=new.user)
    services.confirm(item=item, side=STREET, user=street_staff)


def completed(handover, people, street_staff):
    item = seal(handover)
    confirm_all(item, people, street_staff)
    return services.attach_audit(handover=handover, note="2022—2024年度财务经街道审计，账实相符。", user=street_staff)


def test_it_opens_the_list_from_the_term_before_with_the_deadline(handover, terms):
    assert (handover.outgoing, handover.incoming, handover.due) == (terms[0], terms[1], datetime.date(2024, 12, 11))


def test_it_refuses_a_second_list_for_the_same_term(handover, terms, street_staff):
    with pytest.raises(ValidationError, match="已经建立"):
        services.open_handover(incoming=terms[1], due=None, by=street_staff)


def test_it_refuses_a_list_without_a_term_before(community, street_staff):
    first = TermFactory(community=community, number=1)
    with pytest.raises(ValidationError, match="没有上一届"):
        services.open_handover(incoming=first, due=None, by=street_staff)


def test_it_requires_an_amount_for_claims_and_debts(handover):
    with pytest.raises(ValidationError, match="金额"):
        services.add_item(handover=handover, kind=HandoverKind.DEBT, description="欠物业公司维修费")
    debt = services.add_item(handover=handover, kind=HandoverKind.DEBT, description="欠物业公司维修费",
                             amount=Decimal("3200.00"))
    assert (debt.amount, debt.quantity) == (Decimal("3200.00"), None)


def test_it_refuses_an_amount_on_a_thing(handover):
    with pytest.raises(ValidationError, match="移交物品按数量登记，金额只用于债权、债务"):
        services.add_item(handover=handover, kind=HandoverKind.SEAL, description="居委会公章", quantity=1,
                          amount=Decimal("100.00"))
    assert not handover.items.exists()


def test_it_refuses_a_quantity_on_a_claim_or_debt(handover):
    with pytest.raises(ValidationError, match="债权、债务按金额登记，不填数量"):
        services.add_item(handover=handover, kind=HandoverKind.CLAIM, description="应收租金", quantity=5,
                          amount=Decimal("3200.00"))
    assert not handover.items.exists()


def test_it_refuses_the_same_item_twice_ignoring_spaces(handover):
    seal(handover)
    with pytest.raises(ValidationError, match="清单中已有 印章“居委会公章”，如有两枚请改数量"):
        services.add_item(handover=handover, kind=HandoverKind.SEAL, description=" 居委会 公章", quantity=1,
                          unit="枚")
    services.add_item(handover=handover, kind=HandoverKind.ARCHIVES, description="居委会公章", quantity=1)
    assert handover.items.count() == 2


def test_it_requires_a_quantity_for_things(handover):
    with pytest.raises(ValidationError, match="数量"):
        services.add_item(handover=handover, kind=HandoverKind.ARCHIVES, description="第四届工作档案")


def test_it_keeps_the_rules_in_the_database_too(handover):
    with transaction.atomic(), pytest.raises(IntegrityError):
        HandoverItem.objects.create(handover=handover, kind=HandoverKind.CLAIM, description="应收租金")
    with transaction.atomic(), pytest.raises(IntegrityError):
        HandoverItem.objects.create(handover=handover, kind=HandoverKind.OFFICE, description="办公用房")
    with transaction.atomic(), pytest.raises(IntegrityError):
        HandoverItem.objects.create(handover=handover, kind=HandoverKind.SEAL, description="公章", quantity=1,
                                    amount=Decimal("1.00"))
    with transaction.atomic(), pytest.raises(IntegrityError):
        HandoverItem.objects.create(handover=handover, kind=HandoverKind.DEBT, description="欠款", quantity=1,
                                    amount=Decimal("1.00"))


def test_it_takes_each_side_from_its_own_seat(handover, people, street_staff):
    item = seal(handover)
    old, new = people
    confirmation = services.confirm(item=item, side=OUT, user=old.user)
    assert (confirmation.seat, confirmation.confirmed_by) == (old, old.user)
    assert services.confirm(item=item, side=IN, user=new.user).seat == new
    supervised = services.confirm(item=item, side=STREET, user=street_staff)
    assert (supervised.seat, supervised.confirmed_by, supervised.confirmed_at is not None) == (
        None, street_staff, True)


def test_it_refuses_a_side_confirmed_twice(handover, people):
    item = seal(handover)
    old, _new = people
    other = MemberFactory(term=handover.outgoing, name="印彦邦", user=factories.committee_of(handover.community))
    services.confirm(item=item, side=OUT, user=old.user)
    with pytest.raises(ValidationError, match="已经确认过"):
        services.confirm(item=item, side=OUT, user=other.user)
    assert item.confirmations.count() == 1


def test_it_refuses_one_account_for_two_sides(handover, terms, community):
    # Re-elected: the same login sits in both terms, but speaks for one side of an item only.
    user = factories.committee_of(community)
    MemberFactory(term=terms[0], name="葛鸿平", user=user)
    MemberFactory(term=terms[1], name="葛鸿平", user=user)
    item = seal(handover)
    services.confirm(item=item, side=OUT, user=user)
    with pytest.raises(ValidationError, match="同一账号不能为两方确认"):
        services.confirm(item=item, side=IN, user=user)


def test_it_refuses_the_same_account_twice_in_the_database(handover, people):
    item = seal(handover)
    old, _new = people
    HandoverConfirmation.objects.create(item=item, side=OUT, seat=old, confirmed_by=old.user)
    with transaction.atomic(), pytest.raises(IntegrityError):
        HandoverConfirmation.objects.create(item=item, side=IN, seat=people[1], confirmed_by=old.user)
    with transaction.atomic(), pytest.raises(IntegrityError):
        HandoverConfirmation.objects.create(item=item, side=OUT, seat=people[1], confirmed_by=people[1].user)


def test_it_refuses_a_member_for_the_other_term(handover, people):
    item = seal(handover)
    old, new = people
    with pytest.raises(ValidationError, match="不能代表接收方确认"):
        services.confirm(item=item, side=IN, user=old.user)
    with pytest.raises(ValidationError, match="不能代表移交方确认"):
        services.confirm(item=item, side=OUT, user=new.user)


def test_it_refuses_a_committee_account_as_supervisor(handover, people, foreign_street_staff):
    item = seal(handover)
    with pytest.raises(ValidationError, match="街道工作人员"):
        services.confirm(item=item, side=STREET, user=people[0].user)
    with pytest.raises(ValidationError, match="街道工作人员"):
        services.confirm(item=item, side=STREET, user=foreign_street_staff)


def test_it_is_not_complete_without_the_audit_note(handover, people, street_staff):
    confirm_all(seal(handover), people, street_staff)
    handover.refresh_from_db()
    assert handover.completed_at is None
    assert services.progress(handover).missing == ["尚未附上离任审计说明"]


def test_it_is_not_complete_until_every_item_has_three_confirmations(handover, people, street_staff):
    confirm_all(seal(handover), people, street_staff)
    archives = services.add_item(handover=handover, kind=HandoverKind.ARCHIVES, description="工作档案", quantity=12,
                                 unit="盒")
    services.confirm(item=archives, side=OUT, user=people[0].user)
    services.attach_audit(handover=handover, note="审计无问题", user=street_staff)
    handover.refresh_from_db()
    assert handover.completed_at is None
    assert services.progress(handover).missing == ["接收方还有1项未确认", "监交方还有1项未确认"]
    services.confirm(item=archives, side=IN, user=people[1].user)
    services.confirm(item=archives, side=STREET, user=street_staff)
    handover.refresh_from_db()
    assert handover.completed_at is not None


def test_it_refuses_an_empty_audit_note(handover, street_staff):
    with pytest.raises(ValidationError, match="离任审计"):
        services.attach_audit(handover=handover, note="  ", user=street_staff)


def test_it_accepts_an_audit_report_file_and_refuses_other_files(handover, street_staff):
    with pytest.raises(ValidationError, match="只接受"):
        services.attach_audit(handover=handover, upload=SimpleUploadedFile("audit.pdf", b"MZ\x90\x00"),
                              user=street_staff)
    services.attach_audit(handover=handover, upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit"),
                          user=street_staff)
    handover.refresh_from_db()
    assert handover.audit_file.name.endswith(".pdf") and handover.has_audit


def test_it_completes_and_freezes_the_list(handover, people, street_staff):
    done = completed(handover, people, street_staff)
    assert done.completed_at is not None
    item = done.items.get()
    with pytest.raises(HandoverFrozen):
        services.add_item(handover=done, kind=HandoverKind.OTHER, description="钥匙", quantity=3)
    with pytest.raises(HandoverFrozen):
        services.attach_audit(handover=done, note="改写", user=street_staff)
    with pytest.raises(HandoverFrozen):
        services.remove_item(item=item)
    item.description = "改名"
    with pytest.raises(HandoverFrozen):
        item.save()
    with pytest.raises(HandoverFrozen):
        HandoverItem.objects.filter(pk=item.pk).update(description="改名")
    with pytest.raises(HandoverFrozen):
        HandoverConfirmation.objects.filter(item=item).delete()
    with pytest.raises(HandoverFrozen):
        item.confirmations.first().delete()
    done.audit_note = "改写"
    with pytest.raises(HandoverFrozen):
        done.save()
    with pytest.raises(HandoverFrozen):
        done.delete()
    assert HandoverItem.objects.get(pk=item.pk).description == "居委会公章"


def test_the_completed_list_ends_the_committee_login_of_an_outgoing_member_not_reelected(
        community, terms, handover, people, street_staff):
    old, new = people
    reelected = MemberFactory(term=terms[1], name="印彦邦", position="member",
                              user=factories.committee_of(community))
    MemberFactory(term=terms[0], name="印彦邦", position="member", ends=terms[1].starts, user=reelected.user)
    active = Membership.objects.active(timezone.localdate())
    assert active.filter(user=old.user).exists()  # still there to confirm the outgoing side
    completed(handover, people, street_staff)
    # Their last day is the day the list is complete.
    tomorrow = Membership.objects.active(timezone.localdate() + datetime.timedelta(days=1))
    assert not tomorrow.filter(user=old.user, role=Role.COMMITTEE).exists()
    assert tomorrow.filter(user=new.user).exists() and tomorrow.filter(user=reelected.user).exists()


@pytest.mark.postgres_only
def test_it_freezes_the_list_below_the_application(handover, people, street_staff):
    done = completed(handover, people, street_staff)
    item = done.items.get()
    for sql, params in [
        ("UPDATE committee_handover SET audit_note = 'x' WHERE id = %s", [done.pk]),
        ("UPDATE committee_handoveritem SET description = 'x' WHERE id = %s", [item.pk]),
        ("INSERT INTO committee_handoveritem (handover_id, kind, description, quantity, unit, note) "
         "VALUES (%s, 'other', 'x', 1, '', '')", [done.pk]),
        ("DELETE FROM committee_handoverconfirmation WHERE item_id = %s", [item.pk]),
    ]:
        with pytest.raises(DatabaseError, match="committee_handover"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)


def test_it_removes_an_unconfirmed_item_only(handover, people):
    first, second = seal(handover), services.add_item(handover=handover, kind=HandoverKind.OTHER, description="钥匙",
                                                      quantity=3)
    services.confirm(item=first, side=OUT, user=people[0].user)
    with pytest.raises(ValidationError, match="已有确认"):
        services.remove_item(item=first)
    services.remove_item(item=second)
    assert list(handover.items.all()) == [first]


def test_it_is_late_after_the_deadline(handover):
    assert not services.is_late(handover, handover.due)
    assert services.is_late(handover, handover.due + datetime.timedelta(days=1))


def test_the_dashboard_lists_an_open_list_for_staff(handover, street_staff, login):
    page = login(street_staff).get("/").content.decode()
    assert "工作移交清单" in page
    Handover.objects.filter(pk=handover.pk).update(completed_at=timezone.now(), audit_note="审计无问题")
    assert "工作移交清单" not in login(street_staff).get("/").content.decode()


# The pages ------------------------------------------------------------------------------------------------

def url(name, pk):
    return reverse(f"committee:{name}", args=[pk])


def test_it_shows_the_list_to_staff_only(handover, login, street_staff, committee_user, other_committee_user,
                                         supervision_user, client):
    assert client.get(url("handover", handover.pk)).status_code == 302
    assert login(supervision_user).get(url("handover", handover.pk)).status_code == 403
    assert login(other_committee_user).get(url("handover", handover.pk)).status_code == 404
    assert login(committee_user).get(url("handover", handover.pk)).status_code == 200
    page = login(street_staff).get(url("handover", handover.pk)).content.decode()
    assert "尚未附上离任审计说明" in page and 'id="item-form"' in page and 'id="late"' in page


def test_it_lets_street_staff_add_and_remove_items_and_refuses_the_committee(handover, login, street_staff,
                                                                            committee_user):
    data = {"kind": "claim", "description": "应收场地租金", "amount": "1800.50"}
    assert login(committee_user).post(url("handover_item_add", handover.pk), data).status_code == 403
    response = login(street_staff).post(url("handover_item_add", handover.pk), data, follow=True)
    assert "已加入移交清单" in response.content.decode()
    item = handover.items.get()
    assert (item.kind, item.amount) == (HandoverKind.CLAIM, Decimal("1800.50"))
    refused = login(street_staff).post(url("handover_item_add", handover.pk), {"kind": "debt", "description": "欠款"},
                                       follow=True)
    assert "债权、债务须填写大于零的金额" in refused.content.decode()
    assert login(committee_user).post(url("handover_item_remove", item.pk)).status_code == 403
    login(street_staff).post(url("handover_item_remove", item.pk))
    assert not handover.items.exists()


def test_it_keeps_what_was_typed_when_an_item_is_refused(handover, login, street_staff):
    typed = {"kind": "debt", "description": "欠物业公司维修费", "unit": "笔", "note": "见合同"}
    refused = login(street_staff).post(url("handover_item_add", handover.pk), typed)
    page = refused.content.decode()
    assert refused.status_code == 400 and "债权、债务须填写大于零的金额" in page
    for value in ("欠物业公司维修费", 'value="笔"', 'value="见合同"', '<option value="debt" selected>'):
        assert value in page
    stamp = {"kind": "seal", "description": "社区居委会公章", "unit": "枚", "note": "钢印"}
    page = login(street_staff).post(url("handover_item_add", handover.pk), stamp).content.decode()
    assert "移交物品须填写数量" in page and 'value="社区居委会公章"' in page and 'value="钢印"' in page
    assert not handover.items.exists()
    login(street_staff).post(url("handover_item_add", handover.pk), {**stamp, "quantity": "1"})
    again = login(street_staff).post(url("handover_item_add", handover.pk), {**stamp, "quantity": "1"})
    assert again.status_code == 400 and "清单中已有 印章“社区居委会公章”，如有两枚请改数量" in again.content.decode()
    assert handover.items.count() == 1


def test_it_keeps_the_audit_note_when_it_is_refused(handover, login, street_staff):
    audit = {"note": "财务已审计", "upload": SimpleUploadedFile("audit.txt", b"plain text")}
    refused = login(street_staff).post(url("handover_audit", handover.pk), audit)
    page = refused.content.decode()
    assert refused.status_code == 400 and "审计报告只接受 PDF、PNG 或 JPEG 文件" in page and "财务已审计" in page


def test_every_label_points_at_its_own_field(handover, login, street_staff):
    page = login(street_staff).get(url("handover", handover.pk)).content.decode()
    ids = re.findall(r'id="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert f'id="{target}"' in page
    assert 'name="note"' in page and 'name="description"' in page and 'name="upload"' in page


def test_it_lets_each_side_confirm_through_the_page(handover, people, login, street_staff):
    item = seal(handover)
    old, new = people
    page = login(old.user).get(url("handover", handover.pk)).content.decode()
    assert "以移交方确认" in page and "以接收方确认" not in page
    login(old.user).post(url("handover_confirm", item.pk), {"side": "outgoing"})
    again = login(old.user).post(url("handover_confirm", item.pk), {"side": "outgoing"}, follow=True)
    assert "移交方已经确认过" in again.content.decode()
    wrong = login(new.user).post(url("handover_confirm", item.pk), {"side": "street"}, follow=True)
    assert "只有本街道工作人员可以作为监交人确认" in wrong.content.decode()
    login(new.user).post(url("handover_confirm", item.pk), {"side": "incoming"})
    login(street_staff).post(url("handover_confirm", item.pk), {"side": "street"})
    assert set(item.confirmations.values_list("side", flat=True)) == {"outgoing", "incoming", "street"}


def test_it_completes_with_the_audit_note_and_prints_one_paper(handover, people, login, street_staff,
                                                             committee_user):
    confirm_all(seal(handover), people, street_staff)
    assert login(street_staff).get(url("handover_pdf", handover.pk)).status_code == 403  # not complete yet
    audit = {"note": "", "upload": SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit")}
    assert login(committee_user).post(url("handover_audit", handover.pk), audit).status_code == 403
    audit["upload"].seek(0)
    response = login(street_staff).post(url("handover_audit", handover.pk), audit, follow=True)
    page = response.content.decode()
    assert "移交已完成" in page and 'id="item-form"' not in page and "以监交方确认" not in page
    file = login(committee_user).get(url("handover_audit_file", handover.pk))
    assert file["Content-Type"] == "application/pdf" and b"".join(file.streaming_content) == b"%PDF-1.4 audit"
    paper = login(committee_user).get(url("handover_pdf", handover.pk))
    assert paper.status_code == 200 and paper["Content-Type"] == "application/pdf"
    text = text_of(paper)
    for words in ("移交清单", "居委会公章", "吴逸芸", "方学全", "移交人", "接收人", "监交人", "审计报告另附"):
        assert words in text


def test_it_refuses_the_audit_file_outside_the_community(handover, street_staff, login, foreign_street_staff):
    services.attach_audit(handover=handover, upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n...."),
                          user=street_staff)
    assert login(foreign_street_staff).get(url("handover_audit_file", handover.pk)).status_code == 404
    assert login(street_staff).get(url("handover_audit_file", handover.pk))["Content-Type"] == "image/png"
