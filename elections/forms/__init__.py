"""Forms of the elections app; they only parse input, the services judge it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import ModelMultipleChoiceField
from lib.web import DateInput

from ..models import (
    Box,
    CommitteeRole,
    CountingRole,
    ElectionCommitteeMember,
    ElectionWorker,
    Mode,
    NominationSource,
    ObjectionKind,
    RuleSet,
    SheetLayout,
)


class ElectionForm(forms.Form):
    community = forms.ChoiceField(label=_("社区"))
    rule_set = forms.ModelChoiceField(label=_("选举规则"), queryset=RuleSet.objects.filter(is_template=True))
    term_number = forms.IntegerField(label=_("届次"), min_value=1)
    mode = forms.ChoiceField(label=_("选举方式"), choices=Mode.choices)
    election_day = forms.DateField(label=_("选举日"), widget=DateInput)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.code, c.name) for c in communities]


class SeatsForm(forms.Form):
    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        for p in positions:
            self.fields[p.code] = forms.IntegerField(label=p.label, min_value=1, initial=p.seats)


class DetailsForm(forms.Form):
    election_day = forms.DateField(label=_("选举日"), widget=DateInput)
    venue = forms.CharField(label=_("中心会场"), required=False, max_length=200)
    voting_hours = forms.CharField(label=_("投票时间"), required=False, max_length=100)


class PersonForm(forms.Form):
    """A person by name; the resident is looked up by ID-less name within the community when unique."""

    name = forms.CharField(label=_("姓名"), max_length=50)


class CommitteeMemberForm(PersonForm):
    role = forms.ChoiceField(label=_("职务"), choices=CommitteeRole.choices)


class WorkerForm(PersonForm):
    role = forms.ChoiceField(label=_("工作"), choices=CountingRole.choices)
    is_chief = forms.BooleanField(label=_("总监票人"), required=False)
    box = forms.ModelChoiceField(label=_("负责票箱（票箱工作人员）"), queryset=Box.objects.none(), required=False)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = election.boxes.filter(withdrawn_reason="")


class WithdrawForm(forms.Form):
    member = forms.ModelChoiceField(label=_("选举委员会成员"), queryset=ElectionCommitteeMember.objects.none())
    reason = forms.CharField(label=_("退出理由"), max_length=200)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = election.committee_members.all()


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=[("announcement", _("选举公告")), ("cards", _("发放选民证")),
                                       ("polling_notice", _("投票时间地点公告")),
                                       ("mobile_list", _("流动票箱选民名单公布"))])
    on = forms.DateField(label=_("日期"), widget=DateInput)


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput)


class ElectionDayForm(forms.Form):
    """The day of a further round or a tie vote, scheduled from the result page."""

    election_day = forms.DateField(label=_("选举日"), widget=DateInput)


class ObjectionForm(forms.Form):
    serial_or_name = forms.CharField(label=_("涉及居民姓名"), max_length=50)
    kind = forms.ChoiceField(label=_("类别"), choices=ObjectionKind.choices)
    filed_by = forms.CharField(label=_("申诉人"), max_length=50)
    reason = forms.CharField(label=_("理由"), max_length=300)
    on = forms.DateField(label=_("申诉日期"), widget=DateInput)


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(label=_("处理结果"), coerce=lambda v: v == "1",
                                    choices=[("1", _("异议成立")), ("0", _("异议不成立"))])
    note = forms.CharField(label=_("处理意见"), max_length=300)
    on = forms.DateField(label=_("处理日期"), widget=DateInput)


class ProxyForm(forms.Form):
    principal = forms.IntegerField(label=_("委托人选民证号"), min_value=1)
    holder = forms.IntegerField(label=_("受托人选民证号"), min_value=1)
    reason = forms.CharField(label=_("委托原因"), max_length=100, required=False)
    on = forms.DateField(label=_("登记日期"), widget=DateInput)


class NominationFormsForm(forms.Form):
    """The counted nomination forms; per position one line per name: `姓名 票数`."""

    issued = forms.IntegerField(label=_("发出提名票"), min_value=0)
    returned = forms.IntegerField(label=_("收回提名票"), min_value=0)
    valid = forms.IntegerField(label=_("有效票"), min_value=0)
    invalid = forms.IntegerField(label=_("无效票"), min_value=0)

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = list(positions)
        for p in self.positions:
            self.fields[f"names_{p.code}"] = forms.CharField(
                label=_("%(title)s 提名（每行：姓名 票数）") % {"title": p.label}, required=False,
                widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        counts = {}
        for p in self.positions:
            names = {}
            for number, line in enumerate((data.get(f"names_{p.code}") or "").splitlines(), start=1):
                if not line.strip():
                    continue
                parts = line.split()
                if len(parts) != 2 or not parts[1].isdigit():
                    self.add_error(f"names_{p.code}", _("第 %(n)s 行：应为“姓名 票数”，现为“%(line)s”") % {
                        "n": number, "line": line.strip()})
                    continue
                names[parts[0]] = names.get(parts[0], 0) + int(parts[1])
            counts[p.code] = names
        data["counts"] = counts
        return data


class NominationForm(forms.Form):
    position = forms.ChoiceField(label=_("职位"))
    name = forms.CharField(label=_("被提名人"), max_length=50)
    # Every way but the forms; the rule set's own list is judged by the service (nominations.add_nomination).
    source = forms.ChoiceField(label=_("提名方式"), choices=[
        (value, label) for value, label in NominationSource.choices if value != NominationSource.FORMS])
    count = forms.IntegerField(label=_("联名人数"), min_value=0, required=False)
    group_name = forms.CharField(label=_("提名的居民小组"), max_length=50, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(p.code, p.label) for p in positions]


class ReviewForm(forms.Form):
    qualified = forms.TypedChoiceField(label=_("审查结论"), coerce=lambda v: v == "1",
                                       choices=[("1", _("符合条件")), ("0", _("不符合条件"))])
    note = forms.CharField(label=_("审查意见"), max_length=200, required=False)


class SpareForm(forms.Form):
    spare = forms.IntegerField(label=_("备用选票数"), min_value=0)
    note = forms.CharField(label=_("选举委员会决定（日期、会议）"), max_length=200)


class BallotPaperForm(forms.Form):
    serials = forms.BooleanField(label=_("选票印编号"), required=False)
    counterfoil = forms.BooleanField(label=_("选票带存根（须印编号）"), required=False)
    layout = forms.ChoiceField(label=_("选票印制"), choices=SheetLayout.choices)


class DestroyedForm(forms.Form):
    destroyed = forms.IntegerField(label=_("清点销毁的剩余选票"), min_value=0)


class WithdrawBoxForm(forms.Form):
    box = forms.ModelChoiceField(label=_("票箱"), queryset=Box.objects.none())
    reason = forms.CharField(label=_("撤销理由"), max_length=200)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = election.boxes.filter(withdrawn_reason="")


# The scan of the signed result report: a PDF or a photo, recognised by its first bytes, not its name.
SCAN_SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
SCAN_MAX_BYTES = 20 * 1024 * 1024


class SignaturesForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(label=_("在报告单上签字的人"), queryset=ElectionWorker.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    scan = forms.FileField(label=_("签字报告单扫描件（PDF、JPG或PNG）"), required=False)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = election.workers.filter(
            role__in=[CountingRole.SCRUTINEER, CountingRole.COUNTER]).order_by("role", "-is_chief", "id")
        self.fields["workers"].label_from_instance = lambda w: (
            f"{w.get_role_display()}{'（总监票人）' if w.is_chief else ''} {w.name}")

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan is None:
            return None
        if scan.size > SCAN_MAX_BYTES:
            raise forms.ValidationError(_("扫描件不能超过20MB"))
        head = scan.read(8)
        scan.seek(0)
        if not head.startswith(SCAN_SIGNATURES):
            raise forms.ValidationError(_("扫描件须是PDF、JPG或PNG文件"))
        return scan


class RankForm(forms.Form):
    """How many nominees of each position become preliminary candidates (`limit_<code>`, empty for all)."""

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        for p in positions:
            self.fields[f"limit_{p.code}"] = forms.IntegerField(
                label=_("%(position)s初步候选人人数") % {"position": p.label}, min_value=1, max_value=9999,
                required=False)
        self.positions = list(positions)

    def limits(self) -> dict[str, int]:
        return {p.code: limit for p in self.positions if (limit := self.cleaned_data[f"limit_{p.code}"])}


class ChooseForm(forms.Form):
    """The formal candidates ticked for each position (`formal_<code>`: candidate ids)."""

    def __init__(self, *args, election, positions, **kwargs):
        super().__init__(*args, **kwargs)
        for p in positions:
            self.fields[f"formal_{p.code}"] = ModelMultipleChoiceField(
                label=p.label, queryset=election.candidates.filter(position=p), required=False)
        self.positions = list(positions)

    def chosen(self) -> dict[str, list[int]]:
        return {p.code: [c.pk for c in self.cleaned_data[f"formal_{p.code}"]] for p in self.positions}


# The widest count or serial a PositiveIntegerField column holds on every supported database.
LARGEST_COUNT = 2**31 - 1
WHOLE_NUMBER = {"invalid": _("应为非负整数"), "min_value": _("应为非负整数"), "required": _("应为非负整数"),
                "max_value": _("数字过大")}


class NamesField(forms.Field):
    """The names marked for one position, one posted value each (blank boxes of the paper included)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [str(name) for name in value or []]


class PaperForm(forms.Form):
    """One ballot paper as entered: the names marked per position (`p-<code>`), or the numeric keys typed on the
    fast entry page; the service judges the marks against the candidates."""

    serial = forms.IntegerField(label=_("选票序号"), min_value=1, max_value=LARGEST_COUNT, required=False)
    keys = forms.CharField(label=_("录入"), required=False, strip=False, max_length=1000)
    spoiled = forms.BooleanField(required=False)
    disputed = forms.BooleanField(required=False)
    issue = forms.CharField(label=_("疑难问题"), max_length=100, required=False)

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        for p in positions:
            self.fields[f"p-{p.code}"] = NamesField(label=p.label, required=False)
        self.positions = positions

    def clean_keys(self):
        # No keys at all is the names form below the fast entry: None, not an empty entry.
        return self.cleaned_data["keys"] if "keys" in self.data else None

    def marks(self) -> dict[str, list[str]]:
        return {p.code: self.cleaned_data[f"p-{p.code}"] for p in self.positions}


def parse_counts(text: str) -> dict[str, int]:
    """A tally sheet's column for one position: a line “姓名 票数” per candidate."""
    counts = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, votes = line.replace("，", " ").replace(",", " ").rpartition(" ")
        if not name.strip() or not votes.strip().isdigit() or int(votes) > LARGEST_COUNT:
            raise forms.ValidationError(_("第 %(n)s 行：应为“姓名 票数”") % {"n": number})
        counts[name.strip()] = int(votes)
    return counts


class TallySheetForm(forms.Form):
    """A hand-counted tally sheet: the box's ballots, and per position (`p-<code>`) each name with its votes."""

    returned = forms.IntegerField(label=_("收回选票"), min_value=0, max_value=LARGEST_COUNT,
                                  error_messages=WHOLE_NUMBER)
    valid = forms.IntegerField(label=_("有效票"), min_value=0, max_value=LARGEST_COUNT, error_messages=WHOLE_NUMBER)
    invalid = forms.IntegerField(label=_("无效票"), min_value=0, max_value=LARGEST_COUNT,
                                 error_messages=WHOLE_NUMBER)

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        for p in positions:
            self.fields[f"p-{p.code}"] = forms.CharField(label=p.label, required=False, widget=forms.Textarea)
        self.positions = positions

    def clean(self):
        data = super().clean()
        counts = {}
        for p in self.positions:
            key = f"p-{p.code}"
            if key in data:
                try:
                    counts[p.code] = parse_counts(data[key])
                except forms.ValidationError as error:
                    self.add_error(key, error)
        data["counts"] = counts
        return data
