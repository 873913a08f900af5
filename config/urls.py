from django.contrib import admin
from django.urls import include, path

from bot.views import health, health_live

urlpatterns = [
    path("health", health, name="health"),
    path("health/", health),
    path("health/live", health_live, name="health-live"),
    path("health/live/", health_live),
    path("admin/", admin.site.urls),
    # The panel's language switch posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("payments.urls")),
]
