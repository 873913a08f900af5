from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        """Take part in /my_data and /delete_me: payments are exported, and kept detached on erasure."""
        from payments.services import payments_erase, payments_export
        from users import services as user_services

        exporters = getattr(user_services, "USER_DATA_EXPORTERS", None)
        erasers = getattr(user_services, "USER_DATA_ERASERS", None)
        if exporters is not None and payments_export not in exporters:
            exporters.append(payments_export)
        if erasers is not None and payments_erase not in erasers:
            erasers.append(payments_erase)
