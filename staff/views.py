"""The staff member's own second factor: set up an authenticator app from a QR code, or remove it."""

import base64
from typing import cast

import segno
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.forms import OTPConfirmForm
from staff.services import otp_device_confirm, otp_device_remove, otp_device_start


def _secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def otp_setup_view(request: HttpRequest, site: AdminSite) -> HttpResponse:
    """GET shows the state (or a QR code to scan); POST confirms a new device or removes the current one."""
    user = cast(User, request.user)  # the admin lets only signed-in staff in
    here = reverse("admin:staff_otp_setup")
    has_device = user_has_device(user)
    form = OTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].strip()
        if has_device and request.POST.get("action") == "remove":
            if any(d.verify_token(token) for d in TOTPDevice.objects.filter(user=user, confirmed=True)):
                otp_device_remove(user=user, by=user)
                messages.success(request, _("The second factor is removed; you sign in with the password alone."))
                return HttpResponseRedirect(here)
            form.add_error("otp_token", _("The code is wrong or has expired. Enter the current one."))
        elif not has_device:
            device = otp_device_confirm(user=user, token=token)
            if device is not None:
                otp_login(request, device)
                messages.success(request, _("Done: from now on the login asks for a code from the app."))
                return HttpResponseRedirect(here)
            form.add_error("otp_token", _("The code is wrong or has expired. Enter the current one."))
    context = {**site.each_context(request), "title": _("Second factor"), "form": form, "has_device": has_device}
    if not has_device:
        device = otp_device_start(user=user)
        # segno draws the data as path geometry, no text from the URL reaches the markup.
        svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000")
        context["qr_svg"] = mark_safe(svg)  # noqa: S308
        context["secret"] = _secret(device)
    return TemplateResponse(request, "admin/staff/otp_setup.html", context)
