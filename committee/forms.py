import datetime

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import ModelMultipleChoiceField
from lib.web import DateInput

from .models import (
    Activity,
    Appraisal,
    Asset,
    AssetMovement,
    CommitteeMember,
    Composition,
    Grade,
    HandoverKind,
    HandoverSide,
    MailboxItem,
    MediationMatter,
    MediationOutcome,
    MeetingKind,
    Petition,
    Registration,
    ResponsibilityZone,
    SealUse,
    SubCommitteeKind,
    VolunteerTeam,
    Weekday,
    ZoneVisit,
)


class ConstraintBesideField:
    """A ModelForm mixin: a model constraint's message is shown beside the field it is about.

    Django reports a failed constraint above the form; `constraint_fields` names, by constraint, the field
    whose value the clerk has to change. The message is the constraint's `violation_error_message`."""

    constraint_fields: dict[str, str] = {}

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict") and NON_FIELD_ERRORS in errors.error_dict:
            fields = {str(c.violation_error_message): self.constraint_fields[c.name]
                      for c in self._meta.model._meta.constraints if c.name in self.constraint_fields}
            moved: dict[str, list] = {}
            kept = []
            for error in errors.error_dict[NON_FIELD_ERRORS]:
                field = fields.get(str(error.message))
                (moved.setdefault(field, []) if field in self.fields else kept).append(error)
            others = {k: v for k, v in errors.error_dict.items() if k != NON_FIELD_ERRORS}
            errors = ValidationError({**others, **moved, **({NON_FIELD_ERRORS: kept} if kept else {})})
        super()._update_errors(errors)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        # The browser's time picker reads HH:MM; with seconds in the value it would ask for seconds too.
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return value


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类别"), choices=MeetingKind.choices)
    composition = forms.ChoiceField(label=_("组成形式（居民会议）"), choices=[("", "—")] + Composition.choices,
                                    required=False)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    agenda = forms.CharField(label=_("议题"), widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("地点"), max_length=200)
    starts = forms.DateTimeField(label=_("会议时间"), widget=DateTimeInput)
    urgent = forms.BooleanField(label=_("紧急（协调会可随时召开）"), required=False)
    matter = forms.ModelChoiceField(label=_("调解事项（协调会）"), queryset=MediationMatter.objects.none(),
                                    required=False)
    requester = forms.CharField(label=_("提出听证要求的部门（听证会）"), max_length=200, required=False)
    requested_on = forms.DateField(label=_("收到书面听证要求日期（听证会）"), widget=DateInput, required=False)
    petition = forms.ModelChoiceField(label=_("回应的提议（居民会议）"), queryset=Petition.objects.none(),
                                      required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = MediationMatter.objects.filter(community=community, status="open")
        self.fields["petition"].queryset = Petition.objects.filter(community=community, status="due")


class NotifyForm(forms.Form):
    on = forms.DateField(label=_("通知日期"), widget=DateInput, initial=timezone.localdate)


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    note = forms.CharField(label=_("身份说明"), max_length=100, required=False)
    counts = forms.BooleanField(label=_("计入应到人数"), required=False, initial=True)


class MotionForm(forms.Form):
    text = forms.CharField(label=_("表决事项"), widget=forms.Textarea(attrs={"rows": 2}))
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0)
    abstentions = forms.IntegerField(label=_("弃权"), min_value=0)
    owner = forms.CharField(label=_("通过后落实负责人"), max_length=100, required=False)
    due = forms.DateField(label=_("完成期限"), widget=DateInput, required=False)


class TaskForm(forms.Form):
    """A task assigned at a meeting that does not vote (weekly staff meeting)."""

    text = forms.CharField(label=_("工作安排"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("负责人"), max_length=100)
    due = forms.DateField(label=_("完成期限"), widget=DateInput, required=False)


class DecisionForm(TaskForm):
    """A task, with the adopted motion it carries out (the meeting page renders that choice itself)."""

    motion = forms.IntegerField(required=False)


class MinutesForm(forms.Form):
    chair = forms.CharField(label=_("主持人"), max_length=50)
    recorder = forms.CharField(label=_("记录人"), max_length=50)
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 10}))
    on = forms.DateField(label=_("记录日期"), widget=DateInput, initial=timezone.localdate)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("协调结果"), choices=MediationOutcome.choices)
    agreement = forms.CharField(label=_("协议内容或未达成协议的记录"), widget=forms.Textarea(attrs={"rows": 5}))


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput, initial=timezone.localdate)


class ReviewSubjectForm(forms.Form):
    organisation = forms.CharField(label=_("被评议单位"), max_length=200)
    report_requested_on = forms.DateField(label=_("通知递交工作总结日期"), widget=DateInput,
                                          initial=timezone.localdate)


class GradeForm(forms.Form):
    report_received_on = forms.DateField(label=_("收到工作总结日期"), widget=DateInput, required=False)
    grade = forms.ChoiceField(label=_("评定等级"), choices=[("", "—")] + Grade.choices, required=False)
    opinion = forms.CharField(label=_("书面评定意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    feedback_sent_on = forms.DateField(label=_("反馈日期"), widget=DateInput, required=False)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("进展"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("日期"), widget=DateInput, initial=timezone.localdate)
    done = forms.BooleanField(label=_("已完成"), required=False)


class ReportForm(forms.Form):
    on = forms.DateField(label=_("反馈日期"), widget=DateInput, initial=timezone.localdate)
    to = forms.CharField(label=_("反馈对象或会议"), max_length=200)


class PetitionForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = ["composition", "subject", "filed_on"]
        widgets = {"filed_on": DateInput}


class SignatureForm(forms.Form):
    id_number = forms.CharField(label=_("签名人身份证号"), max_length=18)
    on = forms.DateField(label=_("签名日期"), widget=DateInput, initial=timezone.localdate)


class MatterForm(forms.ModelForm):
    parties = forms.CharField(label=_("当事人（每行一人）"), widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = MediationMatter
        fields = ["subject", "facts", "opened_on"]
        widgets = {"opened_on": DateInput}

    def clean_parties(self):
        names = [line.strip() for line in self.cleaned_data["parties"].splitlines() if line.strip()]
        if len(names) < 2:
            raise forms.ValidationError(_("协调会至少有两方当事人"))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("当事人姓名重复"))
        return names


class TermForm(forms.Form):
    number = forms.IntegerField(label=_("届次"), min_value=1)
    starts = forms.DateField(label=_("开始日期"), widget=DateInput)
    term_years = forms.IntegerField(label=_("任期（年）"), min_value=1, max_value=10, initial=3)
    members = forms.CharField(
        label=_("成员（每行：姓名,职务,性别,分工,党组织职务；职务为主任、副主任或委员，党组织职务为书记、副书记、委员或不填）"),
        widget=forms.Textarea(attrs={"rows": 8}))

    POSITIONS = {"主任": "director", "副主任": "deputy", "委员": "member"}
    # 交叉任职 (docs/domain.md, Street statistics): the post the member also holds in the party organisation.
    PARTY_POSTS = {"": "", "书记": "secretary", "副书记": "deputy_secretary", "委员": "member"}

    def clean_members(self):
        members, errors = [], []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")] + ["", "", "", ""]
            name, position, gender, duties, party_post = parts[:5]
            if not name:
                errors.append(_("第 %(line)s 行 姓名: 不能为空") % {"line": number})
            if position not in self.POSITIONS:
                errors.append(_("第 %(line)s 行 职务: “%(position)s”应为主任、副主任或委员") % {
                    "line": number, "position": position})
            if gender not in ("", "男", "女"):
                errors.append(_("第 %(line)s 行 性别: “%(gender)s”应为男或女") % {"line": number, "gender": gender})
            if party_post not in self.PARTY_POSTS:
                errors.append(_("第 %(line)s 行 党组织职务: “%(post)s”应为书记、副书记、委员或不填") % {
                    "line": number, "post": party_post})
            members.append({"name": name, "position": self.POSITIONS.get(position, ""), "duties": duties,
                            "gender": {"男": "M", "女": "F"}.get(gender, ""),
                            "party_post": self.PARTY_POSTS.get(party_post, "")})
        if errors:
            raise forms.ValidationError(errors)
        if not members:
            raise forms.ValidationError(_("请至少填写一名成员"))
        return members


class SeatForm(forms.Form):
    kind = forms.ChoiceField(label=_("委员会"), choices=SubCommitteeKind.choices)
    name = forms.CharField(label=_("姓名"), max_length=50)
    is_chair = forms.BooleanField(label=_("主任"), required=False)


class VolunteerTeamForm(forms.ModelForm):
    class Meta:
        model = VolunteerTeam
        fields = ["name", "service", "leader"]


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput, required=False)


class ShiftForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("星期"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label=_("开始"), widget=TimeInput)
    ends = forms.TimeField(label=_("结束"), widget=TimeInput)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    task = forms.CharField(label=_("任务"), max_length=200)


class RosterForm(forms.Form):
    members = ModelMultipleChoiceField(label=_("轮流值班人员"), queryset=CommitteeMember.objects.none(),
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class MailboxForm(forms.ModelForm):
    class Meta:
        model = MailboxItem
        fields = ["channel", "received_on", "sender", "contact", "subject", "text"]
        widgets = {"received_on": DateInput}


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))
    by = forms.CharField(label=_("答复人"), max_length=50)
    on = forms.DateField(label=_("答复日期"), widget=DateInput, initial=timezone.localdate)


class ZoneForm(forms.ModelForm):
    class Meta:
        model = ResponsibilityZone
        fields = ["name", "area", "member"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class VisitForm(forms.ModelForm):
    class Meta:
        model = ZoneVisit
        fields = ["zone", "visited_on", "visited", "notes", "follow_up"]
        widgets = {"visited_on": DateInput}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = ResponsibilityZone.objects.filter(community=community)


class SealForm(ConstraintBesideField, forms.ModelForm):
    constraint_fields = {"seal_use_copies_positive": "copies"}

    class Meta:
        model = SealUse
        fields = ["used_on", "reason", "user_name", "user_address", "stamped_by", "copies"]
        widgets = {"used_on": DateInput}


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["name", "unit", "location"]


class MovementForm(forms.Form):
    asset = forms.ModelChoiceField(label=_("财物"), queryset=Asset.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=AssetMovement.Kind.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    value = forms.DecimalField(label=_("金额（元）"), max_digits=10, decimal_places=2, initial=0)
    on = forms.DateField(label=_("日期"), widget=DateInput, initial=timezone.localdate)
    source = forms.CharField(label=_("来源或原因"), max_length=200, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = Asset.objects.filter(community=community)


class ActivityForm(forms.ModelForm):
    registration_closes = forms.DateField(label=_("报名截止日期（默认活动前两天）"), widget=DateInput,
                                          required=False)

    class Meta:
        model = Activity
        fields = ["title", "body", "starts", "place", "phone", "capacity", "registration_closes"]
        widgets = {"starts": DateTimeInput}


class RegistrationForm(ConstraintBesideField, forms.ModelForm):
    constraint_fields = {"registration_people_positive": "people"}
    on = forms.DateField(label=_("报名日期"), widget=DateInput, initial=timezone.localdate)

    class Meta:
        model = Registration
        fields = ["name", "phone", "how", "people"]


class ExtendTermForm(forms.Form):
    to = forms.DateField(label=_("延期至"), widget=DateInput)
    decision = forms.CharField(label=_("街道延期决定（文号、内容）"), max_length=200)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput, initial=timezone.localdate)


class ResignForm(forms.Form):
    letter_on = forms.DateField(label=_("书面辞职申请日期"), widget=DateInput)
    approved_on = forms.DateField(label=_("居民代表会议通过日期"), widget=DateInput)


class AppraisalForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    reviewed_on = forms.DateField(label=_("评议日期"), widget=DateInput)
    grade = forms.ChoiceField(label=_("评议结果"), choices=Appraisal.choices)


class AbsenceForm(forms.Form):
    starts = forms.DateField(label=_("缺勤开始日期"), widget=DateInput)
    ends = forms.DateField(label=_("缺勤结束日期"), widget=DateInput)
    with_leave = forms.BooleanField(label=_("已请假（有正当理由）"), required=False)
    reason = forms.CharField(label=_("情况说明"), max_length=200, required=False)


class RecallForm(forms.Form):
    petition = forms.ModelChoiceField(label=_("提议（五分之一以上选民或三分之一以上居民代表签名）"),
                                      queryset=Petition.objects.none())
    reason = forms.CharField(label=_("罢免理由"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("收到书面罢免请求日期"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["petition"].queryset = Petition.objects.filter(
            community=community, composition__in=[Composition.ADULTS, Composition.REPRESENTATIVES],
            recall__isnull=True)


class RecallVoteForm(forms.Form):
    voted_on = forms.DateField(label=_("居民会议表决日期"), widget=DateInput)
    called_by_street = forms.BooleanField(label=_("由街道召集（居委会逾期未召集）"), required=False)
    passed = forms.BooleanField(label=_("罢免通过"), required=False)


class MemberAccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password1 = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=_("本人首次登录时须改为自己的密码。"))

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password)
        return password


# The handover list (docs/domain.md, Handover with the street present): the forms parse, the services judge.

class HandoverItemForm(forms.Form):
    """On the page beside the audit form: its own ids (id_item-…), so that 备注's label is not the audit note's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_item-%s")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(label=_("类别"), choices=HandoverKind.choices)
    description = forms.CharField(label=_("名称及说明"), max_length=200)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=1_000_000, required=False)
    unit = forms.CharField(label=_("单位"), max_length=10, required=False)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=0, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class HandoverConfirmForm(forms.Form):
    side = forms.ChoiceField(label=_("确认方"), choices=HandoverSide.choices)


class HandoverAuditForm(forms.Form):
    """On the page beside the item form: its own ids (id_audit-…), the posted names stay the fields' names."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_audit-%s")
        super().__init__(*args, **kwargs)

    note = forms.CharField(label=_("离任审计说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                           required=False)
    upload = forms.FileField(label=_("离任审计报告（PDF、PNG、JPEG，不超过 10 MB）"), required=False)


class DutyLogForm(forms.Form):
    log = forms.CharField(label=_("值班记录"), required=False, strip=False)


class CountForm(forms.Form):
    """The year-end count's signer; the findings per asset are read by the view (`found_<asset id>`)."""

    counted_by = forms.CharField(label=_("清点人"), max_length=100, required=False)


class AttendanceForm(forms.Form):
    present = forms.TypedChoiceField(label=_("签到"), choices=[("1", _("签到")), ("0", _("撤销"))],
                                     coerce=lambda value: value == "1")
    attended_by = forms.CharField(label=_("实际出席人（户代表）"), max_length=50, required=False)
    # The attendance list's search, kept across the toggle.
    q = forms.CharField(required=False, max_length=100)
