import pytest

from org import demo as org_demo
from residents import demo
from residents.models import CareRecord, Hukou, Label, Living, Representative, Resident, ResidentLabel

pytestmark = pytest.mark.django_db


def test_it_fills_every_community_realistically_and_only_once():
    street = org_demo.load(size="small")
    demo.load(street=street, size="small")
    count = Resident.objects.count()
    assert 3 * 290 <= count <= 3 * 320
    demo.load(street=street, size="small")
    assert Resident.objects.count() == count
    assert Resident.objects.filter(name="吴逸芸", community__code="HBA").exists()
    assert set(ResidentLabel.objects.values_list("label", flat=True)) == set(Label.values)
    assert Resident.objects.filter(living=Living.AWAY).exists()  # 人户分离
    migrants = Resident.objects.filter(registration=Hukou.ELSEWHERE, living=Living.LIVING)
    assert migrants.exists() and not migrants.filter(move_in_date__isnull=True).exists()
    assert Resident.objects.filter(deprived=True).exists()
    assert Resident.objects.filter(election_wish="decline").exists()
    sizes = {h.members.count() for h in Resident.objects.first().community.households.all()}
    assert {1, 2, 3, 4} <= sizes
    for community in street.communities.all():
        groups = community.groups.count()
        elected = Representative.objects.filter(community=community, kind="elected", ends__isnull=True).count()
        assert groups <= elected <= 2 * groups
    assert Representative.objects.filter(ends__isnull=False).exists()
    assert CareRecord.objects.filter(occasion="春节慰问").exists()
