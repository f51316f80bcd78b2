import datetime
import io

import pytest

from residents.models import CareKind, CareRecord, Hukou, Label, Living, Political, Resident, ResidentLabel
from residents.services.exporting import export_residents
from residents.services.importing import import_residents
from residents.statistics import adults_by_community, registry

from .factories import GroupFactory, HouseholdFactory, RepresentativeFactory, ResidentFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)


def test_it_counts_the_registry_of_each_community(community, other_community):
    group = GroupFactory(community=community)
    home = HouseholdFactory(community=community)
    head = ResidentFactory(community=community, household=home, group=group)
    ResidentFactory(community=community, household=home, group=group, living=Living.AWAY)  # 人户分离
    ResidentFactory(community=community, group=group, registration=Hukou.ELSEWHERE,
                    move_in_date=datetime.date(2020, 1, 1))  # 外地
    ResidentFactory(community=community, group=group, living=Living.MOVED)  # not in the registry
    RepresentativeFactory(resident=head)
    ResidentLabel.objects.create(resident=head, label=Label.HARDSHIP)
    ResidentLabel.objects.create(resident=head, label=Label.DISABLED, ends=datetime.date(2023, 1, 1))  # ended
    CareRecord.objects.create(community=community, household=home, kind=CareKind.AID, on=datetime.date(2024, 1, 20),
                              amount=800)
    CareRecord.objects.create(community=community, household=home, on=datetime.date(2024, 2, 1))
    CareRecord.objects.create(community=community, household=home, kind=CareKind.AID, on=datetime.date(2023, 1, 20),
                              amount=500)  # another year
    ResidentFactory(community=other_community)
    found = registry(communities=[community, other_community], year=2024, today=TODAY)
    row = found.rows[0]
    assert (row.registered, row.living, row.households, row.groups) == (3, 2, 2, 1)
    assert (row.representatives, row.separated, row.outsiders) == (1, 1, 1)
    assert row.labels == {Label.HARDSHIP: 1}
    assert (row.visits, row.aid_count, row.aid_amount) == (1, 1, 800)
    hardship = found.by_label[Label.values.index(Label.HARDSHIP)]
    assert (hardship.people, hardship.visits, hardship.aid_count, hardship.aid_amount) == (1, 1, 1, 800)
    assert found.by_label[Label.values.index(Label.DISABLED)].aid_amount == 0
    assert found.total.registered == 4


def test_it_counts_adults_on_each_communitys_own_day(community, other_community):
    ResidentFactory(community=community, birth_date=datetime.date(2006, 3, 16))
    ResidentFactory(community=other_community, birth_date=datetime.date(2006, 3, 16))
    found = adults_by_community(days={community.pk: datetime.date(2024, 3, 16),
                                      other_community.pk: datetime.date(2024, 3, 15)})
    assert found == {community.pk: 1, other_community.pk: 0}


def test_it_imports_and_exports_the_statistics_columns(community):
    resident = ResidentFactory(community=community, political=Political.CPC)
    exported = export_residents(community=community, file_format="csv").decode("utf-8-sig")
    assert exported.splitlines()[0].endswith("民族,政治面貌,文化程度")
    assert exported.splitlines()[1].endswith(",,中共党员,")
    changed = exported.replace(",,中共党员,", ",回族,中共党员,大学本科")
    report = import_residents(path_or_file=io.BytesIO(changed.encode()), community=community)
    assert report.ok, report.errors
    resident.refresh_from_db()
    assert (resident.ethnicity, resident.political, resident.education) == ("hui", "cpc", "bachelor")


def test_it_refuses_an_unknown_value_and_leaves_the_values_alone_without_the_columns(community):
    resident = ResidentFactory(community=community, political=Political.CPC)
    exported = export_residents(community=community, file_format="csv").decode("utf-8-sig")
    bad = import_residents(path_or_file=io.BytesIO(exported.replace(",中共党员,", ",党员,").encode()),
                           community=community)
    assert not bad.ok and "政治面貌" in bad.errors[0]
    lines = [",".join(line.split(",")[:-3]) for line in exported.splitlines()]  # an old file: 15 columns
    assert import_residents(path_or_file=io.BytesIO("\n".join(lines).encode()), community=community).ok
    assert Resident.objects.get(pk=resident.pk).political == Political.CPC
