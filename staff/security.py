"""Staff sign-in safety: the client's address for the lockout, idle and overlong sessions, a required second factor."""

import time
from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django_otp import user_has_device

LAST_SEEN_KEY = "staff_last_seen"
SIGNED_IN_KEY = "staff_signed_in"
# The session is written at most this often just to say "still here" (seconds).
TOUCH_EVERY = 60


def client_ip(request: HttpRequest) -> str | None:
    """The address a lockout is counted for: the peer, or behind STAFF_PROXY_COUNT proxies the address the
    outermost one recorded (N-th from the right of X-Forwarded-For); entries further left are the client's own."""
    hops = settings.STAFF_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def is_admin_path(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _session_expired(request: HttpRequest, now: float) -> bool:
    session = request.session
    last_seen = session.get(LAST_SEEN_KEY)
    signed_in = session.get(SIGNED_IN_KEY)
    idle = settings.STAFF_IDLE_MINUTES * 60
    if idle and last_seen is not None and now - last_seen > idle:
        return True
    return signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE


def _otp_setup_exempt(request: HttpRequest) -> bool:
    allowed = (reverse("admin:staff_otp_setup"), reverse("admin:logout"), reverse("admin:jsi18n"))
    return request.path in allowed


def staff_session_check(request: HttpRequest) -> HttpResponse | None:
    """End a staff session idle for STAFF_IDLE_MINUTES or older than SESSION_COOKIE_AGE; with STAFF_OTP_REQUIRED,
    send a staff member without a verified second factor to set one up."""
    user = request.user
    if not user.is_authenticated:
        return None
    now = time.time()
    if _session_expired(request, now):
        logout(request)
        return None  # the admin now asks to sign in again
    session = request.session
    session.setdefault(SIGNED_IN_KEY, now)
    if now - session.get(LAST_SEEN_KEY, 0) > TOUCH_EVERY:
        session[LAST_SEEN_KEY] = now
    verified = user.is_verified()  # type: ignore[attr-defined]  # set by django_otp's middleware
    if settings.STAFF_OTP_REQUIRED and user.is_staff and not verified and not _otp_setup_exempt(request):
        if user_has_device(user):
            logout(request)  # signed in before the code was required: sign in again, with the code
            return None
        return HttpResponseRedirect(reverse("admin:staff_otp_setup"))
    return None


class StaffSessionMiddleware:
    """Runs staff_session_check on the admin's pages; every other request (the webhook) passes untouched."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        if is_admin_path(request):
            response = staff_session_check(request)
            if response is not None:
                return response
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        if is_admin_path(request):
            response = await sync_to_async(staff_session_check)(request)
            if response is not None:
                return response
        return await self.get_response(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (429): what happened and for how long, in the staff's language."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "site_title": settings.UNFOLD["SITE_TITLE"],
    }
    return render(request, "admin/lockout.html", context, status=429)
