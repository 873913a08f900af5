import logging

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _sync_roles_after_migrate(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Keep the role groups current after every migrate (tests' databases included)."""
    from staff.services import roles_sync

    # post_migrate is sent once per app with models; after the last one every permission exists.
    if sender is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    result = roles_sync(using=using)
    if result.missing:
        logger.info("Roles: skipped permissions that do not exist yet: %s", ", ".join(result.missing))


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff panel")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="staff.sync_roles")
