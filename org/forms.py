from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin


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
