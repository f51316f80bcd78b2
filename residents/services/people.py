"""One resident: lookups by ID or phone number, the registry's writes (add, change, move, leave), labels, and
the personal data of an access request."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from lib.idcard import InvalidIdNumber, compact_id_number, parse_id_number
from lib.masking import mask_id_number, mask_phone
from org.models import Community

from ..models import (
    Household,
    Hukou,
    Living,
    Relation,
    Representative,
    RepresentativeEnd,
    Resident,
    ResidentLabel,
)
from . import _check_day, normalise_name, pinyin_of

# --- lookups by ID or phone number --------------------------------------------------------------

# The last four characters of an ID number are the ones its masked form shows on every list.
ID_END = re.compile(r"[0-9]{3}[0-9X]")
# A whole phone number: a mobile, a landline with its area code (dash or not), or a local landline.
FULL_PHONE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{7,8}")
NUMBER_LIKE = re.compile(r"[0-9X-]{4,}")


@dataclass(frozen=True)
class NumberQuery:
    """A search for residents by ID or phone number.

    Only whole numbers are matched, exactly: a prefix or suffix search answers "yes" or "no" for each guessed
    digit, so a few searches recover a number the lists mask. The one exception is the last four characters
    of an ID number, which the masked number already shows.
    """

    kind: str  # "id", "id_end" or "phone"
    value: str
    # The spellings of the same phone number that may be stored (with or without the area code's dash).
    spellings: tuple[str, ...] = ()

    def condition(self) -> Q:
        if self.kind == "id":
            return Q(id_number=self.value)
        if self.kind == "id_end":
            return Q(id_number__endswith=self.value)
        return Q(phone__in=self.spellings)

    def masked(self) -> str:
        """The number as the logs keep it: masked like on the lists, never in full."""
        if self.kind == "id":
            return mask_id_number(self.value)
        if self.kind == "id_end":
            return "*" * 14 + self.value
        return mask_phone(self.value)


def number_query(*, text: str) -> NumberQuery | None:
    """The lookup by number a search box's text asks for, or None: a whole valid ID number (spaces, full-width
    digits and the case of its X do not matter; a 15-digit one finds its 18-digit form), the last four characters
    of one, or a whole phone number."""
    value = compact_id_number(text)
    if len(value) == 18 or (len(value) == 15 and value.isdigit()):
        try:
            return NumberQuery(kind="id", value=parse_id_number(value).number)
        except InvalidIdNumber:
            return None
    if ID_END.fullmatch(value):
        return NumberQuery(kind="id_end", value=value)
    if FULL_PHONE.fullmatch(value):
        digits = value.replace("-", "")
        spellings = {value, digits}
        if digits.startswith("0") and len(digits) >= 10:
            spellings |= {f"{digits[:3]}-{digits[3:]}", f"{digits[:4]}-{digits[4:]}"}
        return NumberQuery(kind="phone", value=value, spellings=tuple(sorted(spellings)))
    return None


def looks_like_number(*, text: str) -> bool:
    """Whether a search box's text is (a part of) an ID or phone number rather than a name or an address."""
    value = compact_id_number(text)
    return bool(NUMBER_LIKE.fullmatch(value)) and sum(c.isdigit() for c in value) >= 3


def residents_by_number(*, community: Community, query: NumberQuery) -> QuerySet[Resident]:
    return Resident.objects.filter(community=community).filter(query.condition()).order_by("name_pinyin", "id")


# --- the registry's writes ----------------------------------------------------------------------

STALE = gettext_noop("此记录已被他人修改（或已导入新数据），请刷新页面后重新填写")
RESIDENT_INPUT = ("name", "household", "relation", "group", "address", "registration", "living", "move_in_date",
                  "deprived", "election_wish", "phone", "ethnicity", "political", "education")


def _locked(resident: Resident, version: int | None) -> Resident:
    """The resident's row, locked; refused if someone saved it since the form was opened (optimistic lock)."""
    current = Resident.objects.select_for_update().get(pk=resident.pk)
    if version is not None and current.version != version:
        raise ValidationError(_(STALE))
    return current


def _check_head(*, household: Household, relation: str, resident: Resident | None) -> None:
    if relation != Relation.HEAD:
        return
    other = household.members.filter(relation=Relation.HEAD).exclude(pk=getattr(resident, "pk", None)).first()
    if other:
        raise ValidationError({"relation": _("户 %(household)s 已有户主 %(head)s，一户只能有一名户主") % {
            "household": household.number, "head": other.name}})


def _check_move_in(data: dict, birth_date: datetime.date) -> None:
    if (data["registration"] == Hukou.ELSEWHERE and data["living"] == Living.LIVING
            and not data.get("move_in_date")):
        raise ValidationError({"move_in_date": _("户籍为外地且在住时，入住日期必填")})
    _check_day("move_in_date", _("入住日期"), data.get("move_in_date"), after=((_("出生日期"), birth_date),))


@transaction.atomic
def save_resident(*, community: Community, data: dict, resident: Resident | None = None,
                  version: int | None = None) -> Resident:
    """Add a resident (resident=None) or change one; sex and birth date come from the ID number."""
    try:
        identity = parse_id_number(data["id_number"])
    except InvalidIdNumber as exc:
        raise ValidationError({"id_number": _("身份证号%(problem)s") % {"problem": exc}}) from None
    data = {**data, "name": normalise_name(data["name"])}
    if not data["name"]:
        raise ValidationError({"name": _("姓名不能为空")})
    taken = Resident.objects.filter(id_number=identity.number).exclude(pk=getattr(resident, "pk", None)).first()
    if taken:
        if taken.community_id == community.pk:
            message = _("身份证号已在本社区登记（%(name)s），一人只能登记一处") % {"name": taken.name}
        else:
            message = _("身份证号已在%(where)s登记（%(name)s），一人只能登记一处") % {
                "where": taken.community.name, "name": taken.name}
        raise ValidationError({"id_number": message})
    if data["household"].community_id != community.pk or data["group"].community_id != community.pk:
        raise ValidationError(_("户或居民小组不属于本社区"))
    _check_head(household=data["household"], relation=data["relation"], resident=resident)
    _check_move_in(data, identity.birth_date)
    if resident is None:
        resident = Resident(community=community)
    else:
        resident = _locked(resident, version)
        resident.version += 1
    for name in RESIDENT_INPUT:
        if name in data:
            setattr(resident, name, data[name])
    resident.id_number, resident.sex, resident.birth_date = identity.number, identity.sex, identity.birth_date
    resident.name_pinyin = pinyin_of(resident.name)
    resident.save()
    return resident


@transaction.atomic
def move_resident(*, resident: Resident, household_number: str, relation: str, version: int,
                  address: str = "") -> Resident:
    """Move a resident into another household of the community (created if the number is new)."""
    resident = _locked(resident, version)
    household, _created = Household.objects.get_or_create(community_id=resident.community_id, number=household_number,
                                                          defaults={"address": address})
    if household.pk == resident.household_id:
        raise ValidationError({"household_number": _("已在此户中")})
    if resident.relation == Relation.HEAD and resident.household.members.exclude(pk=resident.pk).filter(
            living__in=[Living.LIVING, Living.AWAY]).exists():
        raise ValidationError(
            {"household_number": _("此人是户 %(household)s 的户主，请先为该户指定新户主") % {
                "household": resident.household.number}})
    _check_head(household=household, relation=relation, resident=resident)
    resident.household, resident.relation = household, relation
    if address:
        resident.address = address
    resident.version += 1
    resident.save()
    return resident


@transaction.atomic
def mark_left(*, resident: Resident, living: str, on: datetime.date, version: int, reason: str = "") -> Resident:
    """Record that a resident moved away or died: the person stays in the registry with their history."""
    if living not in (Living.MOVED, Living.DECEASED):
        raise ValidationError({"living": _("只能标记为迁出或死亡")})
    resident = _locked(resident, version)
    _check_day("on", _("日期"), on, after=((_("出生日期"), resident.birth_date),
                                         (_("入住日期"), resident.move_in_date)))
    if resident.living == living:
        raise ValidationError({"living": _("已标记为%(living)s") % {"living": resident.get_living_display()}})
    resident.living = living
    resident.version += 1
    resident._change_reason = f"{resident.get_living_display()}（{on:%Y-%m-%d}）{reason}".strip()
    resident.save()
    for term in Representative.objects.filter(resident=resident, ends__isnull=True):
        term.ends, term.ended_by = max(on, term.starts), RepresentativeEnd.MOVED
        term.save()
    return resident


@transaction.atomic
def add_label(*, resident: Resident, label: str, starts: datetime.date | None, note: str = "") -> ResidentLabel:
    # A label that starts later would be listed as held now (open labels are the current ones).
    _check_day("starts", _("开始日期"), starts, after=((_("出生日期"), resident.birth_date),))
    if resident.labels.filter(label=label, ends__isnull=True).exists():
        raise ValidationError({"label": _("此居民已有该标签")})
    return ResidentLabel.objects.create(resident=resident, label=label, starts=starts, note=note)


@transaction.atomic
def end_label(*, label: ResidentLabel, ends: datetime.date) -> ResidentLabel:
    if label.ends:
        raise ValidationError(_("该标签已结束"))
    # An end set ahead would take the label off the lists while it still runs.
    _check_day("ends", _("结束日期"), ends, after=((_("开始日期"), label.starts),
                                                 (_("出生日期"), label.resident.birth_date)))
    label.ends = ends
    label.save()
    return label


def personal_data(*, resident: Resident) -> dict:
    """Everything the registry holds about one person, for their access request (个人信息查阅, PIPL art. 45)."""
    fields = ("name", "id_number", "sex", "birth_date", "address", "registration", "living", "move_in_date",
              "deprived", "election_wish", "phone")
    data = {str(Resident._meta.get_field(f).verbose_name): _display(resident, f) for f in fields}
    data |= {_("社区"): resident.community.name, _("户号"): resident.household.number,
             _("与户主关系"): resident.get_relation_display(), _("居民小组"): resident.group.name}
    return {
        _("居民信息"): data,
        _("人群标签"): [{_("标签"): label.get_label_display(), _("开始"): label.starts, _("结束"): label.ends,
                      _("备注"): label.note} for label in resident.labels.order_by("starts")],
        _("居民代表任期"): [{_("类别"): t.get_kind_display(), _("开始"): t.starts, _("结束"): t.ends,
                         _("结束方式"): t.get_ended_by_display()} for t in resident.representative_terms.all()],
        _("走访救助记录"): [{_("日期"): c.on, _("类别"): c.get_kind_display(), _("事由"): c.occasion,
                         _("金额"): c.amount, _("情况"): c.note} for c in resident.care_records.all()],
        _("修改记录"): [{_("时间"): h.history_date, _("类别"): h.get_history_type_display(),
                      _("说明"): h.history_change_reason} for h in resident.history.order_by("history_date")],
        _("导出时间"): timezone.now(),
    }


def _display(resident: Resident, field: str):
    getter = getattr(resident, f"get_{field}_display", None)
    if field == "deprived":
        return pgettext("political rights", "被剥夺") if resident.deprived else pgettext("political rights", "有")
    return getter() if getter else getattr(resident, field)
