from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoroscopesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "horoscopes"
    verbose_name = _("Horoscopes, charts and tarot")
