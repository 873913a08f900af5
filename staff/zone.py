"""Times in the panel are shown in the staff member's own zone, as their browser reports it (staff/zone.js)."""

from collections.abc import Awaitable, Callable
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils import timezone

from staff.security import is_admin_path
from users.selectors import zone_or_none

COOKIE = "staff_tz"


def _staff_zone(request: HttpRequest) -> ZoneInfo | None:
    """The zone the staff_tz cookie names on an admin page; None elsewhere or for a name nobody knows."""
    if not is_admin_path(request):
        return None
    return zone_or_none(unquote(request.COOKIES.get(COOKIE, ""))[:64])  # the script stores it URL-encoded


class StaffTimeZoneMiddleware:
    """Activate the staff member's zone for admin pages; every other request (the webhook) passes untouched,
    without a thread hop under ASGI."""

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
        zone = _staff_zone(request)
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        zone = _staff_zone(request)
        if zone is None:
            return await self.get_response(request)
        with timezone.override(zone):
            return await self.get_response(request)


def zone_script(request: HttpRequest) -> str:
    """For settings.UNFOLD["SCRIPTS"]: the script that tells the server the browser's zone."""
    return static("staff/zone.js")
