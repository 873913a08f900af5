from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from bot.views import health, health_live
from broadcasts.views import broadcast_click

urlpatterns = [
    path("health", health, name="health"),
    path("health/", health),
    path("health/live", health_live, name="health-live"),
    path("health/live/", health_live),
    path("admin/", admin.site.urls),
    # The panel's language switch posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("payments.urls")),
    path("b/<str:token>", broadcast_click, name="broadcast-click"),
]

# Uploads (staff's tarot card pictures) in development only; in production the web server or a bucket serves
# MEDIA_ROOT (README, "Media files").
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
