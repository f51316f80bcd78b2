"""Representatives: the rules they are checked against (registered by the elections floor), the check, and the
terms of residents and of units in the community."""

import datetime
from collections.abc import Callable
from fractions import Fraction
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Community

from ..models import (
    Living,
    Representative,
    RepresentativeEnd,
    RepresentativeKind,
    Resident,
    ResidentGroup,
    Sex,
)
from . import _check_day, normalise_name, representative_terms_on


class RepresentativeRules(NamedTuple):
    """How many representatives each resident group elects, and the least share of women among all of them."""

    per_group_min: int
    per_group_max: int
    women_share: Fraction


# 每个社区居民小组推选2—3名 (seed 004), 由每个居民小组选举代表二至三人 (seed 000);
# 妇女代表应不少于居民代表总数的三分之一 (seed 000, 第十八条). docs/domain.md, Representatives.
DEFAULT_REPRESENTATIVE_RULES = RepresentativeRules(2, 3, Fraction(1, 3))

RulesProvider = Callable[..., RepresentativeRules | None]
_rules_providers: list[RulesProvider] = []


def register_representative_rules(provider: RulesProvider) -> RulesProvider:
    """Add `provider(*, community) -> RepresentativeRules | None`: the elections floor answers with the numbers
    of the community's latest election's rule set (residents cannot import elections)."""
    if provider not in _rules_providers:
        _rules_providers.append(provider)
    return provider


def representative_rules(*, community: Community) -> RepresentativeRules:
    """The numbers the registry checks its representatives against: a registered provider's, else the seeds'."""
    for provider in _rules_providers:
        found = provider(community=community)
        if found is not None:
            return found
    return DEFAULT_REPRESENTATIVE_RULES


def representative_check(*, community: Community, per_group_min: int, per_group_max: int, women_share,
                         on: datetime.date | None = None) -> list[str]:
    """Findings (warnings, not refusals) about the representatives running on `on`: each resident group's
    elected representatives against `per_group_min`–`per_group_max`, and the women among all representatives
    (resident, ex officio and units') against `women_share` (0: no share is required)."""
    on = on or timezone.localdate()
    terms = list(representative_terms_on(community=community, on=on).select_related("resident"))
    elected: dict[int, int] = {}
    for term in terms:
        if term.kind == RepresentativeKind.ELECTED:
            elected[term.group_id] = elected.get(term.group_id, 0) + 1
    findings = []
    for group in ResidentGroup.objects.filter(community=community).order_by("name"):
        n = elected.get(group.pk, 0)
        if n < per_group_min:
            findings.append(_("%(group)s 有居民代表 %(n)s 名，少于每组 %(min)s 名") % {
                "group": group.name, "n": n, "min": per_group_min})
        elif n > per_group_max:
            findings.append(_("%(group)s 有居民代表 %(n)s 名，多于每组 %(max)s 名") % {
                "group": group.name, "n": n, "max": per_group_max})
    share = Fraction(women_share)
    women = sum(1 for term in terms if term.sex == "F")
    if share and terms and Fraction(women, len(terms)) < share:
        findings.append(_("妇女代表 %(women)s 名，占代表总数 %(total)s 名的比例低于 %(share)s") % {
            "women": women, "total": len(terms), "share": f"{share.numerator}/{share.denominator}"
            if share.denominator <= 10 else f"{float(share):.0%}"})
    return findings


@transaction.atomic
def add_representative(*, resident: Resident, kind: str, starts: datetime.date, note: str = "",
                       replaces: Representative | None = None, ended_by: str = "") -> Representative:
    """Start a representative's term; with `replaces`, end that term the same day (replacement or by-election)."""
    if kind not in (RepresentativeKind.ELECTED, RepresentativeKind.EX_OFFICIO):
        raise ValidationError({"kind": _("驻区单位代表请在驻区单位代表一栏登记")})
    if resident.living not in (Living.LIVING, Living.AWAY):
        raise ValidationError({"resident": _("已迁出或去世的居民不能任居民代表")})
    if Representative.objects.filter(resident=resident, ends__isnull=True).exists():
        raise ValidationError({"resident": _("此居民已是居民代表")})
    # An open term is a current one: a term registered ahead of its start would be listed as running.
    _check_day("starts", _("任期开始"), starts, after=((_("出生日期"), resident.birth_date),
                                                   (_("原代表任期开始"), replaces.starts if replaces else None)))
    if kind == RepresentativeKind.ELECTED and not replaces:
        rules = representative_rules(community=resident.community)
        seats = representative_terms_on(community=resident.community, on=starts).filter(
            group=resident.group, kind=RepresentativeKind.ELECTED).count()
        if seats >= rules.per_group_max:
            raise ValidationError({"resident": _(
                "%(group)s 已有 %(seats)s 名居民代表（每组 %(min)s 至 %(max)s 名）") % {
                "group": resident.group, "seats": seats, "min": rules.per_group_min, "max": rules.per_group_max}})
    term = Representative.objects.create(community=resident.community, resident=resident, group=resident.group,
                                         kind=kind, starts=starts, note=note)
    if replaces:
        end_representative(term=replaces, ends=starts, ended_by=ended_by or RepresentativeEnd.REPLACED,
                           successor=term)
    return term


@transaction.atomic
def add_unit_representative(*, community: Community, unit_name: str, person_name: str, sex: str,
                            starts: datetime.date, note: str = "", replaces: Representative | None = None,
                            ended_by: str = "") -> Representative:
    """Start the term of a unit's representative (驻区单位代表): the unit and the person's name and sex, since
    the person need not live in the community; with `replaces`, end that unit's earlier term the same day."""
    unit_name, person_name = unit_name.strip(), normalise_name(person_name)
    errors = {}
    if not unit_name:
        errors["unit_name"] = _("请填写驻区单位名称")
    if not person_name:
        errors["person_name"] = _("请填写代表姓名")
    if sex not in Sex.values:
        errors["sex"] = _("请选择代表性别")
    if replaces is not None and (replaces.community_id != community.pk or replaces.kind != RepresentativeKind.UNIT):
        errors["replaces"] = _("只能接替本社区的驻区单位代表")
    if errors:
        raise ValidationError(errors)
    _check_day("starts", _("任期开始"), starts, after=((_("原代表任期开始"), replaces.starts if replaces else None),))
    term = Representative.objects.create(community=community, kind=RepresentativeKind.UNIT, unit_name=unit_name,
                                         person_name=person_name, person_sex=sex, starts=starts, note=note)
    if replaces:
        end_representative(term=replaces, ends=starts, ended_by=ended_by or RepresentativeEnd.REPLACED,
                           successor=term)
    return term


@transaction.atomic
def end_representative(*, term: Representative, ends: datetime.date, ended_by: str,
                       successor: Representative | None = None) -> Representative:
    term = Representative.objects.select_for_update().get(pk=term.pk)
    if term.ends:
        raise ValidationError(_("该代表任期已结束"))
    _check_day("ends", _("结束日期"), ends, after=((_("任期开始"), term.starts),))
    term.ends, term.ended_by, term.successor = ends, ended_by, successor
    term.save()
    return term
