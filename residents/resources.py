"""The residents file (docs/formats.md, Residents file) as a django-import-export resource.

The resource's fields are the one definition of the columns: their Chinese headers and the widget
that turns a cell into a value (`clean`, used by the importer) and a value back into a cell (`render`,
used by the export). Export and import therefore read and write the same text, which is what makes
an export re-import unchanged.
"""

import datetime
import re
from functools import cache

from django.db.models import Case, Prefetch, When
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from lib.idcard import IdNumber, InvalidIdNumber, parse_id_number
from lib.spreadsheet import escape_formula, unescape_formula

from .models import ElectionWish, Label, Living, Registration, Relation, Resident, ResidentLabel, Sex

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-\d{7,8})$")
LABEL_SEPARATORS = re.compile(r"[;；]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown after `第 N 行 <header>:`."""


@cache
def labels_of(choices) -> dict[str, str]:
    """value → Chinese label as the file writes it, whatever language the user reads the site in."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


class ChoiceWidget(widgets.Widget):
    """A cell holding the Chinese label of a TextChoices value (户主, 在住…)."""

    def __init__(self, choices, *, blank: str | None = None):
        super().__init__()
        self.choices = choices
        self.blank = blank  # value of an empty cell, or None when the column needs a value

    def clean(self, value, row=None, **kwargs):
        if value == "" and self.blank is not None:
            return self.blank
        by_label = {label: v for v, label in labels_of(self.choices).items() if label and v}
        try:
            return by_label[value]
        except KeyError:
            allowed = "、".join(by_label)
            raise CellError(_("“%(value)s”无效，应为 %(allowed)s 之一") % {
                "value": value, "allowed": allowed}) from None

    def render(self, value, obj=None, **kwargs):
        return labels_of(self.choices).get(value, "") if value else ""


class DeprivedWidget(widgets.Widget):
    """政治权利: 有 (default, also for an empty cell) or 被剥夺."""

    def clean(self, value, row=None, **kwargs):
        if value in ("", "有"):
            return False
        if value == "被剥夺":
            return True
        # Translators: %(kept)s and %(deprived)s are the values the file must write, kept in Chinese.
        raise CellError(_("“%(value)s”无效，应为 %(kept)s 或 %(deprived)s") % {
            "value": value, "kept": "有", "deprived": "被剥夺"})

    def render(self, value, obj=None, **kwargs):
        return "被剥夺" if value else "有"


class DateWidget(widgets.Widget):
    """YYYY-MM-DD; an empty cell is no date."""

    def clean(self, value, row=None, **kwargs):
        if value == "":
            return None
        try:
            return datetime.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
        except ValueError:
            return _bad_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


def _bad_date(value):
    raise CellError(_("“%(value)s”不是有效日期，应为 YYYY-MM-DD") % {"value": value})


class IdNumberWidget(widgets.Widget):
    """An 18-character GB 11643 number, checked; cleans to an IdNumber (number, birth date, sex)."""

    def clean(self, value, row=None, **kwargs) -> IdNumber:
        try:
            return parse_id_number(unescape_formula(value))
        except InvalidIdNumber as exc:
            raise CellError(str(exc)) from None

    def render(self, value, obj=None, **kwargs):
        # A valid number never starts like a formula; escaped anyway, since the column is text from the database.
        return escape_formula(str(value)) if value else ""


class PhoneWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = unescape_formula(value)
        if value and not PHONE.match(value):
            raise CellError(_("“%(value)s”无效，应为11位手机号或如 0519-86681234 的固定电话") % {"value": value})
        return value

    def render(self, value, obj=None, **kwargs):
        # Only a valid number can be typed in, but the column is free text in the database (a stray "-" or
        # "=1+1" from an old system): escaped like every text cell.
        return escape_formula(str(value)) if value else ""


class LabelsWidget(widgets.Widget):
    """Labels separated by ; (a full-width ； is accepted too); cleans to a set of Label values."""

    def clean(self, value, row=None, **kwargs) -> frozenset[str]:
        by_label = {label: v for v, label in labels_of(Label).items()}
        found, unknown = set(), []
        for part in LABEL_SEPARATORS.split(value):
            part = part.strip()
            if not part:
                continue
            if part in by_label:
                found.add(by_label[part])
            else:
                unknown.append(part)
        if unknown:
            raise CellError(_("未知的人群标签“%(labels)s”，应为 %(allowed)s 之一") % {
                "labels": "、".join(unknown), "allowed": "、".join(by_label)})
        return frozenset(found)

    def render(self, value, obj=None, **kwargs):
        names = labels_of(Label)
        return ";".join(names[v] for v in names if v in (value or ()))


class TextWidget(widgets.Widget):
    """Free text (names, addresses), written so that no spreadsheet runs it as a formula (lib/spreadsheet.py)."""

    def __init__(self, max_length: int):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        value = unescape_formula(value)
        # A NUL or other control character is never typed on purpose (PostgreSQL cannot even store a NUL).
        if CONTROL_CHARACTERS.search(value):
            raise CellError(_("含有不可见的控制字符，请删除后重新导入"))
        if len(value) > self.max_length:
            raise CellError(_("过长（最多 %(max)s 个字）") % {"max": self.max_length})
        return value

    def render(self, value, obj=None, **kwargs):
        return escape_formula(str(value)) if value else ""


class ResidentResource(resources.ModelResource):
    """One row per resident; column order as in docs/formats.md, Residents file."""

    name = fields.Field(attribute="name", column_name="姓名", widget=TextWidget(50))
    id_number = fields.Field(attribute="id_number", column_name="身份证号", widget=IdNumberWidget())
    sex = fields.Field(attribute="sex", column_name="性别", widget=ChoiceWidget(Sex, blank=""))
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=DateWidget())
    household = fields.Field(attribute="household__number", column_name="户号", widget=TextWidget(30))
    relation = fields.Field(attribute="relation", column_name="与户主关系", widget=ChoiceWidget(Relation))
    group = fields.Field(attribute="group__name", column_name="居民小组", widget=TextWidget(50))
    address = fields.Field(attribute="address", column_name="地址", widget=TextWidget(200))
    registration = fields.Field(attribute="registration", column_name="户籍", widget=ChoiceWidget(Registration))
    living = fields.Field(attribute="living", column_name="居住情况", widget=ChoiceWidget(Living))
    move_in_date = fields.Field(attribute="move_in_date", column_name="入住日期", widget=DateWidget())
    deprived = fields.Field(attribute="deprived", column_name="政治权利", widget=DeprivedWidget())
    election_wish = fields.Field(attribute="election_wish", column_name="参选意愿",
                                 widget=ChoiceWidget(ElectionWish, blank=ElectionWish.UNSTATED))
    phone = fields.Field(attribute="phone", column_name="联系电话", widget=PhoneWidget())
    labels = fields.Field(column_name="人群标签", widget=LabelsWidget())

    class Meta:
        model = Resident
        fields = ("name", "id_number", "sex", "birth_date", "household", "relation", "group", "address",
                  "registration", "living", "move_in_date", "deprived", "election_wish", "phone", "labels")
        export_order = fields

    def __init__(self, *, community=None, **kwargs):
        super().__init__(**kwargs)
        self.community = community

    def filter_export(self, queryset, **kwargs):
        # Households together, the head first, then by pinyin: the order a clerk reads a register in.
        open_labels = Prefetch("labels", queryset=ResidentLabel.objects.filter(ends__isnull=True),
                               to_attr="open_labels")
        return (queryset.filter(community=self.community)
                .select_related("household", "group")
                .prefetch_related(open_labels)
                .annotate(head_last=Case(When(relation=Relation.HEAD, then=0), default=1))
                .order_by("household__number", "head_last", "name_pinyin", "id"))

    def dehydrate_labels(self, resident):
        return self.fields["labels"].widget.render({label.label for label in resident.open_labels})


REQUIRED = ("姓名", "身份证号", "户号", "与户主关系", "居民小组", "户籍", "居住情况")


def columns() -> dict[str, fields.Field]:
    """Header → field of the residents file."""
    return {field.column_name: field for field in ResidentResource().get_export_fields()}
