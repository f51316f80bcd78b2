"""Representatives by rule: 2–3 per resident group, representatives of units in the community (驻区单位) who are
not residents, and the women's share (docs/domain.md, Representatives)."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from residents.models import Representative, RepresentativeKind
from residents.services import current_representatives
from residents.services.representatives import (
    DEFAULT_REPRESENTATIVE_RULES,
    add_representative,
    add_unit_representative,
    representative_check,
    representative_rules,
)
from tests.factories import supervisor_of

from .factories import GroupFactory, RepresentativeFactory, ResidentFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def check(community, per_group_min=2, per_group_max=3, women_share=Fraction(1, 3)):
    return representative_check(community=community, per_group_min=per_group_min, per_group_max=per_group_max,
                                women_share=women_share, on=D(2025, 1, 1))


def test_the_default_rules_are_the_seeds_two_to_three_per_group_and_a_third_women(community):
    assert DEFAULT_REPRESENTATIVE_RULES == (2, 3, Fraction(1, 3))
    assert representative_rules(community=community) == DEFAULT_REPRESENTATIVE_RULES


def test_it_finds_groups_under_and_over_and_too_few_women(community):
    under, fine, over = (GroupFactory(community=community, name=name) for name in ("一组", "二组", "三组"))
    RepresentativeFactory(resident=ResidentFactory(community=community, group=under, sex="M"))
    for _ in range(2):
        RepresentativeFactory(resident=ResidentFactory(community=community, group=fine, sex="M"))
    for sex in "MMFM":
        RepresentativeFactory(resident=ResidentFactory(community=community, group=over, sex=sex))
    findings = check(community)
    assert any("一组" in f and "少于" in f for f in findings)
    assert any("三组" in f and "多于" in f for f in findings)
    assert not any("二组" in f for f in findings)
    assert any("妇女代表 1 名" in f and "7" in f for f in findings)
    assert check(community, per_group_min=1, per_group_max=4, women_share=Fraction(0)) == []


def test_it_counts_a_unit_representative_in_the_womens_share_but_in_no_group(community):
    group = GroupFactory(community=community, name="一组")
    for sex in "MF":
        RepresentativeFactory(resident=ResidentFactory(community=community, group=group, sex=sex))
    # A name no factory gives a resident: the unit's representative is in no resident record.
    add_unit_representative(community=community, unit_name="市第三中学", person_name="欧阳单位", sex="F",
                            starts=D(2024, 1, 1))
    assert check(community) == []  # 2 women of 3
    assert current_representatives(community=community, on=D(2025, 1, 1)).count() == 2


def test_it_refuses_a_groups_elected_representative_beyond_the_rules_maximum(community):
    group = GroupFactory(community=community, name="一组")
    for _ in range(3):
        add_representative(resident=ResidentFactory(community=community, group=group), kind="elected",
                           starts=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="每组 2 至 3 名"):
        add_representative(resident=ResidentFactory(community=community, group=group), kind="elected",
                           starts=D(2024, 1, 1))


def test_it_refuses_a_unit_representative_without_unit_name_or_sex(community):
    with pytest.raises(ValidationError):
        add_unit_representative(community=community, unit_name=" ", person_name="吴霞", sex="F",
                                starts=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        add_unit_representative(community=community, unit_name="市第三中学", person_name="吴霞", sex="",
                                starts=D(2024, 1, 1))
    assert not Representative.objects.exists()


def test_the_database_holds_a_representative_to_a_resident_or_a_unit_never_both(community):
    resident = ResidentFactory(community=community)
    with pytest.raises(IntegrityError), transaction.atomic():
        Representative.objects.create(community=community, kind=RepresentativeKind.UNIT, starts=D(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Representative.objects.create(community=community, resident=resident, group=resident.group,
                                      kind=RepresentativeKind.UNIT, unit_name="市第三中学", person_name="吴霞",
                                      person_sex="F", starts=D(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Representative.objects.create(community=community, resident=resident, group=resident.group,
                                      kind=RepresentativeKind.ELECTED, unit_name="市第三中学", starts=D(2024, 1, 1))


def test_the_page_registers_a_unit_representative_and_shows_the_check(login, community, committee_user):
    GroupFactory(community=community, name="一组")
    client = login(committee_user)
    response = client.post(reverse("residents:representative_unit_add"), {
        "unit_name": "市第三中学", "person_name": "吴霞", "sex": "F", "starts": "2024-01-01"}, follow=True)
    page = response.content.decode()
    assert "市第三中学" in page and "吴霞" in page
    assert "一组" in page and "少于" in page  # no one elected by the group yet
    term = Representative.objects.get()
    assert (term.kind, term.resident, term.group) == (RepresentativeKind.UNIT, None, None)


def test_it_refuses_the_unit_form_to_supervision_and_anonymous(login, client, community):
    data = {"unit_name": "市第三中学", "person_name": "吴霞", "sex": "F", "starts": "2024-01-01"}
    url = reverse("residents:representative_unit_add")
    assert login(supervisor_of(community)).post(url, data).status_code == 403
    assert reverse("login") in client.post(url, data)["Location"]
    assert not Representative.objects.exists()


def test_it_ends_a_unit_representatives_term(login, community, committee_user):
    term = add_unit_representative(community=community, unit_name="市第三中学", person_name="吴霞", sex="F",
                                   starts=D(2024, 1, 1))
    login(committee_user).post(reverse("residents:representative_end", args=[term.pk]),
                               {"ends": "2024-06-30", "ended_by": "resigned"})
    term.refresh_from_db()
    assert term.ends == D(2024, 6, 30)
