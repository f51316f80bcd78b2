"""The registry's reads used by other apps (names, ages, adults, representatives on a day) and the date check of
its writes; the writes are in people, households and representatives, the residents file in the import modules."""

import datetime
import re
from functools import lru_cache

from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

from lib.dates import DateChecks
from org.models import Community

from ..models import Living, Representative, Resident

# Spaces of any width inside a name are typing, not part of it (王　建国 must be found as 王建国); the middle dot
# between the parts of a minority name (阿依古丽·买买提) is part of it, and its look-alikes become that one dot so
# that a search finds the name however it was typed (docs/domain.md, People, households, groups).
NAME_SPACES = re.compile(r"\s+")
MIDDLE_DOTS = str.maketrans(dict.fromkeys("・•‧･﹒．", "·"))


def normalise_name(name: str) -> str:
    """A name as the registry stores it, from the resident form and the import alike."""
    return NAME_SPACES.sub("", name).translate(MIDDLE_DOTS)


@lru_cache(maxsize=20000)
def _syllable(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL, errors="default")[0]


def pinyin_of(name: str) -> str:
    """The sort key of a Chinese name: toneless pinyin syllables, e.g. 吴逸芸 → "wu yi yun".

    Read character by character from a cache: a name has no phrase context to lose, and a bulk
    import of 20,000 names must not spend a second in the phrase segmenter.
    """
    parts, latin = [], ""
    for char in name:
        if "\u3400" <= char <= "\u9fff":
            if latin.strip():
                parts.append(latin.strip())
            latin = ""
            parts.append(_syllable(char))
        else:
            latin += char
    if latin.strip():
        parts.append(latin.strip())
    return " ".join(parts).lower()


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def born_on_or_before_age(on: datetime.date, age: int) -> Q:
    """Residents who are at least `age` years old on `on` (a birthday on `on` counts)."""
    return Q(birth_date__lte=years_before(on, age))


def representative_terms_on(*, community: Community, on: datetime.date) -> QuerySet[Representative]:
    """Terms running on `on`: started on or before it and not ended yet (a term ends the day its end is set)."""
    return Representative.objects.filter(community=community, starts__lte=on).filter(
        Q(ends__isnull=True) | Q(ends__gt=on))


def current_representatives(*, community: Community, on: datetime.date) -> QuerySet[Resident]:
    """The residents who are representatives (elected or ex officio) of `community` on `on`; a unit's
    representative (驻区单位代表) is in no resident record and so not among them."""
    terms = representative_terms_on(community=community, on=on).filter(resident__isnull=False)
    return Resident.objects.filter(id__in=terms.values("resident_id")).order_by("name_pinyin", "id")


def adults(*, community: Community, on: datetime.date) -> QuerySet[Resident]:
    """Residents living here (在住) who are 18 or older on `on`: the people a residents' meeting counts."""
    return Resident.objects.filter(community=community, living=Living.LIVING).filter(
        born_on_or_before_age(on, 18)).order_by("name_pinyin", "id")


def _check_day(field: str, label: str, day: datetime.date | None, *, after: tuple = (),
               today: bool = True) -> None:
    """A register's date against today and the dates it must not precede, each (name, date or None), with a
    message naming the field (docs/domain.md, Dates of the registers)."""
    checks = DateChecks()
    if today:
        checks.not_future(field, label, day)
    for name, earlier in after:
        checks.not_before(field, label, day, name, earlier)
    checks.check()
