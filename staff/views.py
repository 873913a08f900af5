"""The dashboard's endpoints under the admin: CSV of a series and the "Recompute" button."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from staff.selectors import metric_rows
from staff.services import dashboard_refresh_request, local_today


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
