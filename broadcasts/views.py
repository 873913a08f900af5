from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from broadcasts.services import link_click


def broadcast_click(request: HttpRequest, token: str) -> HttpResponse:
    """A link button of a broadcast: count the press, then go on to the link."""
    target = link_click(token=token)
    if target is None:
        return HttpResponse(_("This link is not valid."), status=404, content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(target)
