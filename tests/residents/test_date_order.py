"""Property test of the registers' dates (docs/domain.md, Dates of the registers): for any register of the residents
app and any pair of its dates out of order (a date before one it must follow, or after today), the service refuses,
naming the field, and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residents.models import CareKind, CareRecord, Label, Representative, ResidentLabel
from residents.services import households, people, representatives

from .factories import RepresentativeFactory, ResidentFactory

pytestmark = pytest.mark.django_db

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TODAY = timezone.localdate()


def _resident_data(resident, **changes) -> dict:
    data = {"name": resident.name, "id_number": resident.id_number, "household": resident.household,
            "relation": resident.relation, "group": resident.group, "address": "",
            "registration": resident.registration, "living": resident.living, "move_in_date": None,
            "deprived": False, "election_wish": "", "phone": ""}
    return data | changes


def move_in(resident, day, earlier=None):
    people.save_resident(community=resident.community, data=_resident_data(resident, move_in_date=day),
                           resident=resident, version=resident.version)


def leave(resident, day, earlier=None):
    if earlier:  # moved in on that day
        resident.move_in_date = earlier
        resident.save()
    people.mark_left(resident=resident, living="moved", on=day, version=resident.version)


def label_starts(resident, day, earlier=None):
    people.add_label(resident=resident, label=Label.MINIMUM_INCOME, starts=day)


def label_ends(resident, day, earlier=None):
    label = ResidentLabel.objects.create(resident=resident, label=Label.HARDSHIP, starts=earlier)
    people.end_label(label=label, ends=day)


def care_on(resident, day, earlier=None):
    households.record_care(household=resident.household, data={"kind": CareKind.VISIT, "on": day, "resident": resident})


def term_starts(resident, day, earlier=None):
    replaces = RepresentativeFactory(resident=ResidentFactory(community=resident.community, group=resident.group),
                                     starts=earlier) if earlier else None
    representatives.add_representative(resident=resident, kind="elected", starts=day, replaces=replaces)


def term_ends(resident, day, earlier=None):
    term = RepresentativeFactory(resident=resident, starts=earlier or resident.birth_date)
    representatives.end_representative(term=term, ends=day, ended_by="resigned")


# (field, the service call, the date the out-of-order one comes before: "birth"; "earlier", a date of the register
# itself between birth and today (moved in, label or term started, replaced term started); or "today", which it
# then comes after)
CASES = [
    ("move_in_date", move_in, "birth"), ("move_in_date", move_in, "today"),
    ("on", leave, "birth"), ("on", leave, "today"), ("on", leave, "earlier"),
    ("starts", label_starts, "birth"), ("starts", label_starts, "today"),
    ("ends", label_ends, "earlier"), ("ends", label_ends, "birth"), ("ends", label_ends, "today"),
    ("on", care_on, "birth"), ("on", care_on, "today"),
    ("starts", term_starts, "birth"), ("starts", term_starts, "today"), ("starts", term_starts, "earlier"),
    ("ends", term_ends, "earlier"), ("ends", term_ends, "today"),
]


def _counts() -> tuple:
    return (ResidentLabel.objects.count(), CareRecord.objects.count(), Representative.objects.count())


@SETTINGS
@given(case=st.sampled_from(CASES), dates=st.lists(st.dates(datetime.date(1920, 1, 1), TODAY), min_size=2,
                                                     max_size=2).map(sorted), gap=st.integers(1, 30_000))
def test_it_refuses_any_pair_of_dates_out_of_order_in_any_register(community, case, dates, gap):
    field, call, against = case
    birth, earlier = dates
    if against == "today":
        day = TODAY + datetime.timedelta(days=gap)
    else:
        anchor = birth if against == "birth" else earlier
        day = anchor - datetime.timedelta(days=min(gap, (anchor - datetime.date(1900, 1, 1)).days))
        if day == anchor:
            return  # no day before 1900 is a date of the registry
    with transaction.atomic():
        resident = ResidentFactory(community=community, birth_date=birth)
        before = _counts(), resident.version
        with pytest.raises(ValidationError) as refused:
            with transaction.atomic():
                call(resident, day, earlier if against == "earlier" else None)
        assert field in refused.value.message_dict, refused.value
        resident.refresh_from_db()
        assert (_counts(), resident.version) == before  # nothing written
        transaction.set_rollback(True)


def _written(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.parametrize(("call", "label"), [(label_starts, "开始日期"), (care_on, "日期"), (move_in, "入住日期")])
def test_it_names_the_field_in_the_message(community, call, label):
    resident = ResidentFactory(community=community)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        call(resident, tomorrow)
    assert refused.value.messages == [
        f"{label} {_written(tomorrow)} 晚于今天（{_written(TODAY)}）：不能登记尚未发生的日期"]


def test_it_names_the_date_a_register_must_not_precede(community):
    resident = ResidentFactory(community=community, birth_date=datetime.date(1980, 5, 1))
    with pytest.raises(ValidationError) as refused:
        move_in(resident, datetime.date(1979, 1, 2))
    assert refused.value.message_dict == {"move_in_date": ["入住日期 1979年1月2日 早于出生日期 1980年5月1日"]}


def test_a_label_starting_in_2030_is_refused_not_listed_as_current(community):
    resident = ResidentFactory(community=community)
    with pytest.raises(ValidationError) as refused:
        people.add_label(resident=resident, label=Label.MINIMUM_INCOME, starts=datetime.date(2030, 1, 1))
    assert refused.value.messages == [f"开始日期 2030年1月1日 晚于今天（{_written(TODAY)}）：不能登记尚未发生的日期"]
    assert not ResidentLabel.objects.exists()


def test_it_still_takes_dates_in_order(community):
    resident = ResidentFactory(community=community, birth_date=datetime.date(1950, 1, 1))
    label = people.add_label(resident=resident, label=Label.MINIMUM_INCOME, starts=datetime.date(2020, 1, 1))
    people.end_label(label=label, ends=TODAY)
    households.record_care(household=resident.household, data={"kind": CareKind.VISIT, "on": TODAY,
                                                             "resident": resident})
    move_in(resident, datetime.date(1950, 1, 1))
