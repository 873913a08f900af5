import logging

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _sync_roles_after_migrate(using: str = "default", **kwargs: object) -> None:
    """Keep the role groups current after every migrate (tests' databases included)."""
    from django.contrib.auth.management import create_permissions

    from staff.services import roles_sync

    # An app listed after this one has not had its permissions created yet when this runs.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    result = roles_sync(using=using)
    if result.missing:
        logger.info("Roles: skipped permissions that do not exist yet: %s", ", ".join(result.missing))


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff panel")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="staff.sync_roles")
