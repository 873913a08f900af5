import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _sync_schedules(**kwargs: object) -> None:
    from bot.schedules import schedules_sync

    schedules_sync()


def _report_task_failure(sender: object, task: dict, **kwargs: object) -> None:
    """sentry-sdk has no django-q integration: report failed tasks ourselves."""
    if task.get("success"):
        return
    logger.error("Task %s (%s) failed: %s", task.get("name"), task.get("func"), task.get("result"))
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is a base requirement
        return
    with sentry_sdk.new_scope() as scope:
        scope.set_tag("task", str(task.get("func")))
        scope.set_extra("task_id", task.get("id"))
        sentry_sdk.capture_message(f"Task {task.get('func')} failed: {str(task.get('result'))[:2000]}", "error")


class BotConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bot"
    verbose_name = _("Bot")

    def ready(self) -> None:
        from django_q.signals import post_execute

        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="bot.sync_schedules")
        post_execute.connect(_report_task_failure, dispatch_uid="bot.report_task_failure")
        from config.logging import task_logging_connect

        task_logging_connect()  # each task's log lines carry its id; the cluster logs in English

        from bot.privacy.tasks import task_trace_forget

        post_execute.connect(task_trace_forget, dispatch_uid="bot.privacy.task_trace_forget")

        # The payments app announces changes made in the background; the user hears of them from here.
        from bot.premium.tasks import payment_granted_listener, payment_refunded_listener
        from payments.signals import payment_granted, payment_refunded

        payment_granted.connect(payment_granted_listener, dispatch_uid="bot.premium.payment_granted")
        payment_refunded.connect(payment_refunded_listener, dispatch_uid="bot.premium.payment_refunded")

        # Staff grants and revokes of Premium, when staff chose to tell the users.
        from bot.premium.tasks import premium_staff_listener
        from users.signals import premium_changed_by_staff

        premium_changed_by_staff.connect(premium_staff_listener, dispatch_uid="bot.premium.staff_change")

        # Provider notifications go through the rate limiter every process shares (bot.throttle).
        from bot.throttle import notification_limit
        from payments.signals import notification_received

        notification_received.connect(notification_limit, dispatch_uid="bot.throttle.notification_limit")
