"""The staff member's own second factor: set up an authenticator app from a QR code, or remove it.

The dashboard's endpoints under the admin: CSV of a series and the "Recompute" button.
"""

import base64
from typing import cast

import segno
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.dashboard import (
    REFRESH_PERMISSION,
    RETENTION_HEADERS,
    SOURCE_HEADERS,
    VIEW_PERMISSION,
    _plan_names,
    date_range_parse,
    retention_table,
    series_build,
    series_csv,
    sources_table,
    table_csv,
    today_table,
)
from staff.forms import OTPConfirmForm
from staff.selectors import metric_rows
from staff.services import (
    dashboard_refresh_request,
    local_today,
    otp_device_confirm,
    otp_device_remove,
    otp_device_start,
)


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


def dashboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One series of the dashboard's range as CSV for Excel."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    today = local_today()
    chosen = date_range_parse(request.GET, today)
    if chosen.error:
        return HttpResponse(chosen.error, status=400, content_type="text/plain; charset=utf-8")
    rows = metric_rows(start=chosen.start, end=chosen.end)
    if slug == "sources":
        body = table_csv([str(h) for h in SOURCE_HEADERS], sources_table(rows))
    elif slug == "retention":
        body = table_csv([str(h) for h in RETENTION_HEADERS], retention_table(rows, today))
    elif slug == "today":
        body = table_csv([_("metric"), _("value")], today_table(rows, today))
    else:
        found = [series for series in series_build(rows, _plan_names()) if series.slug == slug]
        if not found:
            return HttpResponse(_("No such series."), status=404, content_type="text/plain; charset=utf-8")
        body = series_csv(found[0], chosen.days)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"{slug}_{chosen.start:%Y-%m-%d}_{chosen.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    """Queue the rollup of the range on the page; a second click within a minute queues nothing more."""
    if not request.user.has_perm(REFRESH_PERMISSION):
        raise PermissionDenied
    chosen = date_range_parse(request.POST)
    back = reverse("admin:index")
    if chosen.error:
        messages.error(request, chosen.error)
        return HttpResponseRedirect(back)
    back += "?" + urlencode({"start": chosen.start.isoformat(), "end": chosen.end.isoformat()})
    if dashboard_refresh_request(start=chosen.start, end=chosen.end):
        messages.success(
            request,
            _("The numbers of %(start)s – %(end)s are being recomputed; reload the page in a minute.")
            % {"start": chosen.start.isoformat(), "end": chosen.end.isoformat()},
        )
    else:
        messages.info(request, _("This range is already being recomputed; reload the page in a minute."))
    return HttpResponseRedirect(back)
