from django.urls import path

from payments.views import yookassa_notification

app_name = "payments"

urlpatterns = [
    path("yookassa/notify/", yookassa_notification, name="yookassa-notification"),
]
