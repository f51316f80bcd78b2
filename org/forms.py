from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin

from lib.web import DateInput

from .models import Community, Role, StreetOffice


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Password login; a user who has set up a TOTP device must also give its current code."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(label=_("动态口令（已绑定时必填）"), required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    otp_error_messages = dict(OTPAuthenticationFormMixin.otp_error_messages,
                              token_required=_("该账户已启用动态口令，请输入验证器上的6位动态口令。"),
                              invalid_token=_("动态口令不正确或已过期，请重新输入。"))

    def _chosen_device(self, user):
        # A user has at most one authenticator (binding a new one replaces it), so no device to pick.
        return next(devices_for_user(user, confirmed=True), None)

    def clean(self):
        self.cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and any(devices_for_user(user, confirmed=True)):
            self.clean_otp(user)
        return self.cleaned_data


class TotpConfirmForm(forms.Form):
    token = forms.CharField(label=_("验证器上的6位动态口令"), max_length=6, min_length=6)


class _PlaceFields(forms.Form):
    """The role and where it is held: street staff over a street, the others over one of its communities."""

    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    street = forms.ModelChoiceField(label=_("街道（街道工作人员）"), queryset=StreetOffice.objects.none(),
                                    required=False)
    community = forms.ModelChoiceField(label=_("社区（居委会、监督小组成员）"), queryset=Community.objects.none(),
                                       required=False)
    is_leader = forms.BooleanField(label=_("负责人"), required=False)
    starts = forms.DateField(label=_("开始日期"), widget=DateInput)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        self.fields["community"].queryset = Community.objects.filter(street__in=streets).select_related("street")
        self.fields["starts"].initial = timezone.localdate()


class AccountForm(_PlaceFields):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               validators=[UnicodeUsernameValidator()])
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    password1 = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=_("本人首次登录时须改为自己的密码。"))
    password2 = forms.CharField(label=_("再次输入初始密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    field_order = ["username", "full_name", "role", "street", "community", "is_leader", "starts", "password1",
                   "password2"]

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致"))
        elif first:
            try:
                password_validation.validate_password(first)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MembershipForm(_PlaceFields):
    ends = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)


class EndMembershipForm(forms.Form):
    ends = forms.DateField(label=_("最后任职日"), widget=DateInput)


class SwitchCommunityForm(forms.Form):
    """The community switcher: a community's code (or the whole street) and the page to go back to."""

    community = forms.CharField(required=False, max_length=50)
    next = forms.CharField(required=False, max_length=2000)
