from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"
    verbose_name = _("Bot users")

    def ready(self) -> None:
        from users import bot_config  # noqa: F401  (connects the settings cache to constance's signal)
        from users.search import search_lookups_register

        search_lookups_register()
