"""The residents file (docs/formats.md, Residents file) as a django-import-export resource.

The resource's fields are the one definition of the columns: their Chinese headers and the widget
that turns a cell into a value (`clean`, used by the importer) and a value back into a cell (`render`,
used by the export). Export and import therefore read and write the same text, which is what makes
an export re-import unchanged.
"""

import datetime
import re
import unicodedata
from functools import cache

from django.db.models import Case, Prefetch, When
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from lib.idcard import IdNumber, InvalidIdNumber, check_char, compact_id_number, parse_id_number
from lib.phone import InvalidPhone, normalise_phone
from lib.spreadsheet import escape_formula, unescape_formula

from .models import (
    Education,
    ElectionWish,
    Ethnicity,
    Hukou,
    Label,
    Living,
    Political,
    Relation,
    Resident,
    ResidentLabel,
    Sex,
)
from .services import normalise_name

LABEL_SEPARATORS = re.compile(r"[;；]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown after `第 N 行 <header>:`."""


class NumberCell(str):
    """The text of an XLSX cell that held a number, not text: the importer's reader marks it so (an ID number
    stored as a number has lost its last digits, whatever they read now)."""

    __slots__ = ()


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

    def describe(self) -> str:
        return "、".join(label for value, label in labels_of(self.choices).items() if label and value)


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

    def describe(self) -> str:
        return _("有（空白即为有）、被剥夺")


# The ways a date is written in an office's spreadsheet (docs/formats.md, Residents file): 1962-03-14, 1962-3-14,
# 1962/3/14, 1962.3.14 and 1962年3月14日; a date cell of an XLSX arrives as 1962-03-14 (importing.py: _cell).
DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日")


class DateWidget(widgets.Widget):
    """A date in any of the forms of DATE, full-width digits too; an empty cell is no date."""

    def clean(self, value, row=None, **kwargs):
        if value == "":
            return None
        found = DATE.fullmatch(unicodedata.normalize("NFKC", value).replace(" ", ""))
        if found:
            year, month, day = (int(part) for part in found.groups() if part and part not in "-/.")
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        raise CellError(_("“%(value)s”不是有效日期，应为 YYYY-MM-DD（也可写作 1962/3/14、1962.3.14 或 1962年3月14日）")
                        % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""

    def describe(self) -> str:
        return _("日期，如 1962-03-14、1962/3/14、1962.3.14、1962年3月14日，或日期格式的单元格")


# A number as a spreadsheet program writes one to CSV: 3.20411E+17 (Excel's General format), 3.2041119980128e+17,
# 320411199801283757.0. An ID number is never written so; such a cell was a number, its last digits lost.
WRITTEN_AS_NUMBER = re.compile(r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)|\d+\.\d*")


def stored_as_number() -> str:
    # Translators: 文本 is the name of the cell format in Excel and WPS.
    return _("单元格是数字而不是文本，表格软件已改动了号码的末几位（无论现在显示什么都不可信）："
             "请把该列的单元格格式设为“文本”，再重新输入这些身份证号")


class IdNumberWidget(widgets.Widget):
    """A GB 11643 number as typed (lib/idcard.py: parse_id_number), checked; cleans to an IdNumber (number, birth
    date, sex, and the 15-digit number it was converted from). A cell that was a number is refused outright."""

    def clean(self, value, row=None, **kwargs) -> IdNumber:
        if isinstance(value, NumberCell) or WRITTEN_AS_NUMBER.fullmatch(value):
            raise CellError(stored_as_number())
        try:
            return parse_id_number(unescape_formula(value))
        except InvalidIdNumber as exc:
            if _excel_digits(value):
                raise CellError(stored_as_number()) from None
            raise CellError(str(exc)) from None

    def describe(self) -> str:
        return _("18位身份证号，末位可为X（15位旧号码按18位保存）；该列须设为文本格式")

    def render(self, value, obj=None, **kwargs):
        # A valid number never starts like a formula; escaped anyway, since the column is text from the database.
        return escape_formula(str(value)) if value else ""


def _excel_digits(value: str) -> bool:
    """Whether a wrong number reads as Excel writes an 18-digit number in a number format without exponent: 15
    significant digits, then 000 (a real number ending so is possible, so only a failing one is called that)."""
    number = compact_id_number(value)
    return len(number) == 18 and number.isdigit() and number.endswith("000") and check_char(number[:17]) != "0"


class PhoneWidget(widgets.Widget):
    """The resident form's check too (lib/phone.py: normalise_phone)."""

    def clean(self, value, row=None, **kwargs):
        try:
            return normalise_phone(unescape_formula(value))
        except InvalidPhone as exc:
            raise CellError(str(exc)) from None

    def describe(self) -> str:
        return _("11位手机号，或带区号的固定电话如 0519-86681234")

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

    def describe(self) -> str:
        return _("用分号;隔开，可选：%(labels)s") % {"labels": "、".join(labels_of(Label).values())}


class TextWidget(widgets.Widget):
    """Free text (names, addresses), written so that no spreadsheet runs it as a formula (lib/spreadsheet.py)."""

    def __init__(self, max_length: int):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        value = str(unescape_formula(value))  # a plain str, also from a number cell (户号 101)
        # A NUL or other control character is never typed on purpose (PostgreSQL cannot even store a NUL).
        if CONTROL_CHARACTERS.search(value):
            raise CellError(_("含有不可见的控制字符，请删除后重新导入"))
        if len(value) > self.max_length:
            raise CellError(_("过长（最多 %(max)s 个字）") % {"max": self.max_length})
        return value

    def render(self, value, obj=None, **kwargs):
        return escape_formula(str(value)) if value else ""

    def describe(self) -> str:
        return _("文字，最多 %(max)s 个字") % {"max": self.max_length}


class NameWidget(TextWidget):
    """A name, as the resident form takes it (services.py: normalise_name): no spaces inside."""

    def clean(self, value, row=None, **kwargs):
        return normalise_name(super().clean(value))

    def describe(self) -> str:
        return _("文字，最多 %(max)s 个字；字间空格（含全角）自动去掉，少数民族姓名的间隔号·保留") % {
            "max": self.max_length}


class ResidentResource(resources.ModelResource):
    """One row per resident; column order as in docs/formats.md, Residents file."""

    name = fields.Field(attribute="name", column_name="姓名", widget=NameWidget(50))
    id_number = fields.Field(attribute="id_number", column_name="身份证号", widget=IdNumberWidget())
    sex = fields.Field(attribute="sex", column_name="性别", widget=ChoiceWidget(Sex, blank=""))
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=DateWidget())
    household = fields.Field(attribute="household__number", column_name="户号", widget=TextWidget(30))
    relation = fields.Field(attribute="relation", column_name="与户主关系", widget=ChoiceWidget(Relation))
    group = fields.Field(attribute="group__name", column_name="居民小组", widget=TextWidget(50))
    address = fields.Field(attribute="address", column_name="地址", widget=TextWidget(200))
    registration = fields.Field(attribute="registration", column_name="户籍", widget=ChoiceWidget(Hukou))
    living = fields.Field(attribute="living", column_name="居住情况", widget=ChoiceWidget(Living))
    move_in_date = fields.Field(attribute="move_in_date", column_name="入住日期", widget=DateWidget())
    deprived = fields.Field(attribute="deprived", column_name="政治权利", widget=DeprivedWidget())
    election_wish = fields.Field(attribute="election_wish", column_name="参选意愿",
                                 widget=ChoiceWidget(ElectionWish, blank=ElectionWish.UNSTATED))
    phone = fields.Field(attribute="phone", column_name="联系电话", widget=PhoneWidget())
    labels = fields.Field(column_name="人群标签", widget=LabelsWidget())
    ethnicity = fields.Field(attribute="ethnicity", column_name="民族", widget=ChoiceWidget(Ethnicity, blank=""))
    political = fields.Field(attribute="political", column_name="政治面貌", widget=ChoiceWidget(Political, blank=""))
    education = fields.Field(attribute="education", column_name="文化程度", widget=ChoiceWidget(Education, blank=""))

    class Meta:
        model = Resident
        fields = ("name", "id_number", "sex", "birth_date", "household", "relation", "group", "address",
                  "registration", "living", "move_in_date", "deprived", "election_wish", "phone", "labels",
                  "ethnicity", "political", "education")
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


# What the widget alone cannot say about a column (docs/formats.md, Residents file).
COLUMN_NOTES = {
    "性别": gettext_lazy("可不填；填写时须与身份证号一致"),
    "出生日期": gettext_lazy("可不填；填写时须与身份证号一致"),
    "户号": gettext_lazy("本社区的户号，新户号自动建户；每户须有且只有一名户主"),
    "居民小组": gettext_lazy("新名称自动建组"),
    "入住日期": gettext_lazy("户籍为外地且在住时必填；不能晚于今天，不能早于出生日期"),
}


def column_guide() -> list[tuple[str, bool, str]]:
    """(header, required, what the cell holds) of every column in the file's order, for the import page."""
    guide = []
    for name, field in columns().items():
        note = str(COLUMN_NOTES.get(name, ""))
        guide.append((name, name in REQUIRED, "；".join(filter(None, [field.widget.describe(), note]))))
    return guide
