from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoroscopesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "horoscopes"
    verbose_name = _("Horoscopes, charts and tarot")

    def ready(self) -> None:
        """Take part in /my_data: tarot readings are exported (they go with the user on /delete_me)."""
        from horoscopes.tarot_selectors import tarot_user_data_export
        from users import services as user_services

        exporters = getattr(user_services, "USER_DATA_EXPORTERS", None)
        if exporters is not None and tarot_user_data_export not in exporters:
            exporters.append(tarot_user_data_export)

        # Personal horoscopes and the push record are exported too (and deleted with the user).
        from horoscopes.selectors import horoscopes_user_data_export

        if exporters is not None and horoscopes_user_data_export not in exporters:
            exporters.append(horoscopes_user_data_export)
