"""The staff login (password, then the authenticator's code for accounts that have one) and the code form."""

from django import forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.forms import AuthenticationForm
from unfold.widgets import UnfoldAdminTextInputWidget

CODE_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "maxlength": "8"}


def _code_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Code from the authenticator app"),
        required=required,
        max_length=8,
        widget=UnfoldAdminTextInputWidget(attrs=CODE_ATTRS),
    )


class StaffLoginForm(AuthenticationForm):
    """The admin's login; an account with a confirmed authenticator also needs its current code.

    A wrong code counts as a failed login (the lockout covers guessing codes as it covers passwords)."""

    otp_token = _code_field(required=False)
    otp_token.help_text = _("Only if you have set up a second factor.")

    error_messages = {
        **AuthenticationForm.error_messages,
        "otp_required": _("Enter the code from your authenticator app."),
        "otp_invalid": _("The code is wrong or has expired. Enter the current one."),
    }

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not user_has_device(user):
            return cleaned
        token = (cleaned.get("otp_token") or "").strip()
        if not token:
            raise forms.ValidationError(self.error_messages["otp_required"], code="otp_required")
        device = next(
            (d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if d.verify_token(token)),
            None,
        )
        if device is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": cleaned.get("username")}, request=self.request
            )
            raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        user.otp_device = device  # django_otp marks the session verified when the login completes
        return cleaned


class OTPConfirmForm(forms.Form):
    otp_token = _code_field(required=True)
