from django.apps import AppConfig


class HoroscopesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "horoscopes"
