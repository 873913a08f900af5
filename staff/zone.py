"""Times in the panel are shown in the staff member's own zone, as their browser reports it (staff/zone.js)."""

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils import timezone

from users.selectors import zone_or_none

COOKIE = "staff_tz"


class StaffTimeZoneMiddleware:
    """Activate the zone named by the staff_tz cookie for admin pages; an unknown name is ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = unquote(request.COOKIES.get(COOKIE, ""))[:64]  # the script stores it URL-encoded
        zone = zone_or_none(name) if request.path.startswith("/admin/") else None
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def zone_script(request: HttpRequest) -> str:
    """For settings.UNFOLD["SCRIPTS"]: the script that tells the server the browser's zone."""
    return static("staff/zone.js")
