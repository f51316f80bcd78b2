import secrets
from datetime import timedelta

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from committee.forms import ConstraintBesideField
from lib.web import DateInput
from org import throttle

from .models import Category, Item, RequestBasis

# Feedback sent sooner than this after the form was served is a robot's; a form is good for two hours, once.
FEEDBACK_MIN_SECONDS = 3
FEEDBACK_MAX_SECONDS = 2 * 60 * 60
_SALT = "disclosure.feedback"


class ItemForm(ConstraintBesideField, forms.ModelForm):
    category = forms.ChoiceField(label=_("类别"),
                                 choices=[c for c in Category.choices if c[0] != Category.ELECTION])
    # What the clerk types (Markdown); the service renders it into the item's body.
    body = forms.CharField(label=_("正文"), required=False, help_text=Item._meta.get_field("body_source").help_text,
                           widget=forms.Textarea(attrs={"rows": 14, "class": "markdown"}))
    constraint_fields = {"disclosure_item_period_ordered": "period_end"}

    class Meta:
        model = Item
        fields = ["category", "title", "period_start", "period_end"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Items written before Markdown have only their HTML: it is edited as it is, and renders the same.
            self.initial["body"] = self.instance.body_source or self.instance.body


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、PNG、JPEG，不超过 10 MB）"))


class ReturnForm(forms.Form):
    comments = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RequestForm(forms.Form):
    subject = forms.CharField(label=_("要求公开的事项"), max_length=200)
    basis = forms.ChoiceField(label=_("提出方式"), choices=RequestBasis.choices)
    signatures = forms.IntegerField(label=_("签名人数"), min_value=1)
    filed_on = forms.DateField(label=_("提出日期"), widget=DateInput())


class SupervisionForm(forms.Form):
    elected_on = forms.DateField(label=_("居民会议选举日期"), widget=DateInput())
    leader = forms.CharField(label=_("组长身份证号"), max_length=18)
    members = forms.CharField(label=_("其他成员身份证号（每行一个）"), widget=forms.Textarea(attrs={"rows": 6}))

    def id_numbers(self) -> list[str]:
        rows = [self.cleaned_data["leader"].strip().upper()]
        rows += [line.strip().upper() for line in self.cleaned_data["members"].splitlines() if line.strip()]
        return rows


def feedback_token() -> str:
    """The hidden token of one served feedback form: a random nonce, signed with the time it was served."""
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(16))


def spend_feedback_token(token: str) -> bool:
    """True the first time a valid token comes back, False for a replay (or a forged or expired token)."""
    try:
        nonce = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=FEEDBACK_MAX_SECONDS)
    except signing.BadSignature:
        return False
    # Remembered as long as the token is good; after that its signature has expired and refuses it.
    return throttle.first_use(scope="feedback-token", key=nonce, lifetime=timedelta(seconds=FEEDBACK_MAX_SECONDS))


def token_age_ok(token: str) -> bool:
    """True when the form was served by us between a few seconds and two hours ago."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        signer.unsign(token, max_age=FEEDBACK_MAX_SECONDS)
    except signing.BadSignature:
        return False
    try:
        signer.unsign(token, max_age=FEEDBACK_MIN_SECONDS)
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        return False
    return False


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("意见或建议"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("姓名（可不填）"), max_length=50, required=False)
    contact = forms.CharField(label=_("联系方式（可不填，不公开）"), max_length=100, required=False)
    # A field people never see (hidden by CSS): robots fill it in.
    website = forms.CharField(required=False, label=_("网站"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("website") or not token_age_ok(data.get("token", "")):
            raise forms.ValidationError(_("提交未被接受，请稍候片刻后重新提交。"))
        return data
