"""The admin's sidebar: sections in the order staff work, each item shown only to those allowed to open it."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from support.selectors import support_open_count


def _can(permission: str) -> Callable[[HttpRequest], bool]:
    def check(request: HttpRequest) -> bool:
        return request.user.has_perm(permission)

    return check


def _superuser(request: HttpRequest) -> bool:
    return request.user.is_superuser


def _item(title: Any, icon: str, url_name: str, permission: str) -> dict[str, Any]:
    """permission: "view" (of the model in url_name), "superuser", or a full "app_label.codename"."""
    app_model = url_name.removeprefix("admin:").removesuffix("_changelist")
    app_label, _sep, model = app_model.partition("_")
    if permission == "superuser":
        check: Callable[[HttpRequest], bool] = _superuser
    else:
        check = _can(permission if "." in permission else f"{app_label}.{permission}_{model}")
    return {"title": capfirst(title), "icon": icon, "link": reverse_lazy(url_name), "permission": check}


SECTIONS: list[dict[str, Any]] = [
    {
        "title": _("Users & support"),
        "items": [
            _item(_("Users"), "group", "admin:users_telegramuser_changelist", "view"),
            {
                **_item(_("Support inbox"), "support_agent", "admin:support_supportrequest_changelist", "view"),
                "badge": "staff.navigation.support_badge",
            },
        ],
    },
    {
        "title": _("Content"),
        "items": [
            _item(_("Daily horoscopes"), "wb_sunny", "admin:horoscopes_dailyhoroscope_changelist", "view"),
            _item(_("Personal horoscopes"), "person", "admin:horoscopes_personalhoroscope_changelist", "view"),
            _item(_("Prompts"), "edit_note", "admin:horoscopes_prompt_changelist", "view"),
            _item(_("Tarot cards"), "style", "admin:horoscopes_tarotcard_changelist", "view"),
            _item(_("Tarot readings"), "auto_awesome", "admin:horoscopes_tarotreading_changelist", "view"),
            _item(_("Natal charts"), "public", "admin:horoscopes_natalchart_changelist", "view"),
            _item(_("Daily pushes"), "send", "admin:horoscopes_pushdelivery_changelist", "view"),
        ],
    },
    {
        "title": _("Payments"),
        "items": [
            _item(_("Payments"), "payments", "admin:payments_payment_changelist", "view"),
            _item(_("Subscriptions"), "autorenew", "admin:payments_subscription_changelist", "view"),
            _item(_("Plans"), "sell", "admin:payments_plan_changelist", "view"),
            _item(_("Premium notices"), "notifications", "admin:payments_premiumnotice_changelist", "view"),
        ],
    },
    {
        "title": _("Growth"),
        "items": [
            {
                "title": _("Dashboard"),
                "icon": "monitoring",
                "link": reverse_lazy("admin:index"),
                "permission": _can("staff.view_dashboard"),
            },
            _item(_("Broadcasts"), "campaign", "admin:broadcasts_broadcast_changelist", "view"),
        ],
    },
    {
        "title": _("System"),
        "items": [
            _item(_("Telegram updates"), "sync_alt", "admin:bot_telegramupdate_changelist", "view"),
            _item(_("Heartbeats"), "monitor_heart", "admin:bot_heartbeat_changelist", "view"),
            _item(_("Text generation log"), "receipt_long", "admin:horoscopes_generationlog_changelist", "view"),
            _item(_("Tarot daily counts"), "tag", "admin:horoscopes_tarotdailycount_changelist", "view"),
            _item(_("Bot settings"), "tune", "admin:constance_config_changelist", "view"),
            _item(_("Staff accounts"), "badge", "admin:auth_user_changelist", "view"),
            _item(_("Roles"), "shield_person", "admin:auth_group_changelist", "view"),
            _item(_("Audit log"), "history", "admin:admin_logentry_changelist", "view"),
            _item(_("Sign-in attempts"), "lock_person", "admin:axes_accessattempt_changelist", "view"),
            _item(
                _("Authenticator apps"),
                "phonelink_lock",
                "admin:otp_totp_totpdevice_changelist",
                "otp_totp.view_totpdevice",
            ),
            _item(_("Scheduled tasks"), "schedule", "admin:django_q_schedule_changelist", "superuser"),
            _item(_("Failed tasks"), "error", "admin:django_q_failure_changelist", "superuser"),
        ],
    },
]


def support_badge(request: HttpRequest) -> str:
    """Open support requests, on the sidebar item (nothing when there are none)."""
    count = support_open_count() if request.user.has_perm("support.view_supportrequest") else 0
    return str(count) if count else ""


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """Unfold's SIDEBAR navigation: sections without items are left out."""
    return [{"title": s["title"], "separator": True, "items": s["items"]} for s in SECTIONS if s["items"]]


def account_links(request: HttpRequest) -> list[dict[str, Any]]:
    """Unfold's account menu: the staff member's own password and second factor."""
    if not request.user.is_authenticated:
        return []  # the login page
    links = [{"title": _("Second factor"), "link": reverse_lazy("admin:staff_otp_setup")}]
    if request.user.has_usable_password():
        links.insert(0, {"title": _("Change password"), "link": reverse_lazy("admin:password_change")})
    return links
