from django.contrib import admin
from django.urls import include, path

from bot.views import health

admin.site.site_header = "Astrobot"
admin.site.site_title = "Astrobot"

urlpatterns = [
    path("health", health, name="health"),
    path("health/", health),
    path("admin/", admin.site.urls),
    path("payments/", include("payments.urls")),
]
