from django import forms
from django.utils.translation import gettext_lazy as _

from lib.idcard import InvalidIdNumber, parse_id_number
from lib.masking import mask_id_number, mask_phone
from lib.phone import InvalidPhone, normalise_phone
from lib.web import DateInput

from . import services
from .models import (
    CareRecord,
    Household,
    Label,
    Living,
    Relation,
    Representative,
    RepresentativeEnd,
    RepresentativeKind,
    Resident,
    ResidentGroup,
    Sex,
)
from .services.import_files import MAX_UPLOAD_BYTES, upload_too_large

AGE_BANDS = {
    "0-17": (0, 17), "18-34": (18, 34), "35-59": (35, 59), "60-79": (60, 79), "80+": (80, 200),
}
SORTS = {
    "name": ("name_pinyin", "id"), "-name": ("-name_pinyin", "-id"),
    "age": ("-birth_date", "id"), "-age": ("birth_date", "id"),
    "household": ("household__number", "id"), "group": ("group__name", "name_pinyin", "id"),
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、身份证号、电话、户号或地址")}))
    group = forms.ModelChoiceField(label=_("居民小组"), queryset=ResidentGroup.objects.none(), required=False)
    label = forms.ChoiceField(label=_("人群标签"), choices=[("", _("全部"))] + Label.choices, required=False)
    living = forms.ChoiceField(label=_("居住情况"), choices=[("", _("全部"))] + Living.choices, required=False)
    age = forms.ChoiceField(label=_("年龄段"), choices=[("", _("全部"))] + [(k, k) for k in AGE_BANDS],
                            required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=[
        ("name", _("姓名拼音")), ("-name", _("姓名拼音（倒序）")), ("age", _("年龄从小到大")),
        ("-age", _("年龄从大到小")), ("household", _("户号")), ("group", _("居民小组"))])

    def __init__(self, *args, community, numbers: bool, labels: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ResidentGroup.objects.filter(community=community)
        if not numbers:
            self.fields["q"].widget.attrs["placeholder"] = _("姓名、户号或地址")
        if not labels:
            # Without the field a ?label= in the address is ignored: the list never narrows to a label.
            del self.fields["label"]


class ResidentForm(forms.ModelForm):
    """Add or edit a resident; sex and birth date are read from the ID number, not typed. The name, ID and phone
    number are normalised and checked by the same functions as the import's (docs/formats.md, Residents file),
    so that what one takes the other takes too."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Longer than what is stored: spaces and a 15-digit number are typed, the stored form is shorter.
    id_number = forms.CharField(label=_("身份证号"), max_length=40,
                                help_text=_("18位；15位旧号码自动转为18位"))
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False,
                            help_text=_("11位手机号，或带区号的固定电话如 0519-86681234"))

    class Meta:
        model = Resident
        fields = ["name", "id_number", "household", "relation", "group", "address", "registration", "living",
                  "move_in_date", "deprived", "election_wish", "phone", "ethnicity", "political", "education"]
        widgets = {"move_in_date": DateInput()}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(community=community)
        self.fields["group"].queryset = ResidentGroup.objects.filter(community=community)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # An edit must say which version it started from, or it could overwrite a newer one unseen.
            self.fields["version"].required = True
            # Leaving is recorded through its own form, with a date and a reason.
            self.fields["living"].choices = [(Living.LIVING, Living.LIVING.label), (Living.AWAY, Living.AWAY.label)]
            # The page would carry both numbers in full, unlogged: it shows them masked, a blank field keeps
            # the number, and a number typed in is a change the view logs.
            for name, mask in (("id_number", mask_id_number), ("phone", mask_phone)):
                field = self.fields[name]
                field.required = False
                field.help_text = _("留空则不变")
                field.widget.attrs["placeholder"] = mask(getattr(self.instance, name))
                self.initial[name] = ""
            self.fields["clear_phone"] = forms.BooleanField(label=_("删除联系电话"), required=False)

    def clean_name(self):
        name = services.normalise_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("姓名不能为空"))
        return name

    def clean_id_number(self):
        typed = self.cleaned_data["id_number"]
        if not typed:
            return self.instance.id_number if self.instance.pk else ""
        try:
            return parse_id_number(typed).number
        except InvalidIdNumber as exc:
            raise forms.ValidationError(_("身份证号%(problem)s") % {"problem": exc}) from None

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "phone" in cleaned and not cleaned["phone"]:
            cleaned["phone"] = "" if cleaned.get("clear_phone") else self.instance.phone
        return cleaned

    def validate_unique(self):
        """The service checks uniqueness with a message that says where the number is registered."""


class HouseholdForm(forms.ModelForm):
    """A new household, added from the resident form (inline) or on its own page."""

    # Inline, its inputs sit inside the resident form: a required one would stop the browser saving the resident.
    use_required_attribute = False

    class Meta:
        model = Household
        fields = ["number", "address"]

    def validate_unique(self):
        """The service says the number is taken and what to do."""


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    household_number = forms.CharField(label=_("迁入户号"), max_length=30)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    address = forms.CharField(label=_("新地址（可不填）"), max_length=200, required=False)


class LeaveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    living = forms.ChoiceField(label=_("情况"), choices=[(Living.MOVED, Living.MOVED.label),
                                                        (Living.DECEASED, Living.DECEASED.label)])
    on = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("说明"), max_length=100, required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看事由"), max_length=200, min_length=2)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("居民名单文件（CSV 或 XLSX）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("请上传 .csv 或 .xlsx 文件"))
        if upload.size > MAX_UPLOAD_BYTES:  # refused before it is stored; the import would refuse it too
            raise forms.ValidationError(upload_too_large())
        return upload


class ExportForm(forms.Form):
    """Exporting the registry puts everyone's personal data in a file: the reason goes on the record."""

    format = forms.ChoiceField(label=_("格式"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], initial="xlsx")
    reason = forms.CharField(label=_("导出事由"), min_length=4, max_length=200,
                             help_text=_("例如：报送街道人口统计、换届选民登记核对"))


class GroupForm(forms.ModelForm):
    class Meta:
        model = ResidentGroup
        fields = ["name"]

    def validate_unique(self):
        """The service says which name is taken."""


class LabelForm(forms.Form):
    label = forms.ChoiceField(label=_("人群标签"), choices=Label.choices)
    starts = forms.DateField(label=_("开始日期"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class EndForm(forms.Form):
    ends = forms.DateField(label=_("结束日期"), widget=DateInput())


class RepresentativeForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("居民"), queryset=Resident.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=[c for c in RepresentativeKind.choices
                                                      if c[0] != RepresentativeKind.UNIT])
    starts = forms.DateField(label=_("任期开始"), widget=DateInput())
    replaces = forms.ModelChoiceField(label=_("接替（改选或补选时选择原代表）"), required=False,
                                      queryset=Representative.objects.none())
    ended_by = forms.ChoiceField(label=_("原代表结束方式"), required=False,
                                 choices=[("", "—")] + [c for c in RepresentativeEnd.choices])
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Resident.objects.filter(
            community=community, living__in=[Living.LIVING, Living.AWAY]).only("id", "name", "id_number")
        self.fields["resident"].label_from_instance = lambda r: f"{r.name}（{r.id_number[-4:]}）"
        self.fields["replaces"].queryset = Representative.objects.filter(
            community=community, ends__isnull=True).exclude(kind=RepresentativeKind.UNIT).select_related("resident")


class UnitRepresentativeForm(forms.Form):
    unit_name = forms.CharField(label=_("驻区单位"), max_length=100)
    person_name = forms.CharField(label=_("代表姓名"), max_length=50)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    starts = forms.DateField(label=_("任期开始"), widget=DateInput())
    replaces = forms.ModelChoiceField(label=_("接替（改派时选择原代表）"), required=False,
                                      queryset=Representative.objects.none())
    ended_by = forms.ChoiceField(label=_("原代表结束方式"), required=False,
                                 choices=[("", "—")] + [c for c in RepresentativeEnd.choices])
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = Representative.objects.filter(
            community=community, kind=RepresentativeKind.UNIT, ends__isnull=True)


class EndRepresentativeForm(forms.Form):
    ends = forms.DateField(label=_("结束日期"), widget=DateInput())
    ended_by = forms.ChoiceField(label=_("结束方式"), choices=RepresentativeEnd.choices)


class CareForm(forms.ModelForm):
    class Meta:
        model = CareRecord
        fields = ["kind", "on", "occasion", "amount", "resident", "by", "note"]
        widgets = {"on": DateInput()}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = household.members.all()


class GroupLeaderForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("组长"), queryset=Resident.objects.none(), required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = group.residents.all()
