"""Middleware: static files without thread hops, request ids for the logs, health probes from any host."""

from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.urls import resolve
from whitenoise.middleware import WhiteNoiseMiddleware

from config.logging import log_bind, log_reset, request_id_from


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """Serve static files like WhiteNoise; pass every other request on without leaving the event loop."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response=None, settings=None) -> None:
        if settings is None:
            from django.conf import settings
        super().__init__(get_response, settings=settings)
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)

    def _static_file(self, request):
        if self.autorefresh:
            return self.find_file(request.path_info)
        return self.files.get(request.path_info)

    def __call__(self, request):
        if self._async:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request):
        # A dict lookup (a stat in DEBUG's autorefresh mode): cheap enough to run on the loop.
        static_file = self._static_file(request)
        if static_file is not None:
            return self.serve(static_file, request)
        return await self.get_response(request)


class RequestIdMiddleware:
    """ASGI middleware: give each HTTP request an id that every log line of it carries (and X-Request-ID).

    Wrapping the whole ASGI application (not Django's middleware chain) is what puts the id on the server's
    access line too: uvicorn writes it from inside the application's `send`.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(dict(scope.get("headers") or ()).get(b"x-request-id"))

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        token = log_bind(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log_reset(token)


class HealthProbeMiddleware:
    """Answer the health URLs before Django checks the Host header.

    Platform probes (Docker's HEALTHCHECK, a load balancer) address the container by IP or localhost, which
    ALLOWED_HOSTS rightly does not list; the answers reveal nothing that depends on the host.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)
        # Resolved at start-up: a probe must not pay for loading the URLconf (the first request would).
        self._views = {path: resolve(path).func for path in settings.HEALTH_PATHS}

    def _probe(self, request):
        return self._views.get(request.path_info)

    def __call__(self, request):
        if self._async:
            return self.__acall__(request)
        view = self._probe(request)
        if view is None:
            return self.get_response(request)
        return async_to_sync(view)(request) if iscoroutinefunction(view) else view(request)

    async def __acall__(self, request):
        view = self._probe(request)
        if view is None:
            return await self.get_response(request)
        return await view(request) if iscoroutinefunction(view) else await sync_to_async(view)(request)
