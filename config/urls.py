from django.contrib import admin
from django.urls import include, path

from bot.views import health, health_live

admin.site.site_header = "Astrobot"
admin.site.site_title = "Astrobot"

urlpatterns = [
    path("health", health, name="health"),
    path("health/", health),
    path("health/live", health_live, name="health-live"),
    path("health/live/", health_live),
    path("admin/", admin.site.urls),
    path("payments/", include("payments.urls")),
]
