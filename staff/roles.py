"""Staff roles: the four groups and the permissions each one holds, defined here and nowhere else.

`manage.py sync_roles` (also run after every migrate and by `manage.py release`) creates the groups and adds
the permissions listed here. It never takes a permission away unless asked (`--prune`): an owner who gave a
role one more permission by hand keeps it across deploys. Permissions of apps not installed yet are skipped
with a warning and added by the first sync after they appear.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Apps whose permissions no role gets: the task queue runs code by dotted path (superusers only), and the
# admin's bookkeeping tables are not edited by anybody.
OWNER_EXCLUDED_APPS = ("django_q", "contenttypes", "sessions")
# The audit log is read-only for everybody; only viewing it is a permission worth holding.
OWNER_EXCLUDED_CODENAMES = ("add_logentry", "change_logentry", "delete_logentry")


@dataclass(frozen=True)
class Role:
    """One group of staff: its name in the database, its label in the panel, and what it may do."""

    name: str
    label: Promise
    purpose: Promise
    permissions: tuple[str, ...] = ()
    everything: bool = False
    pending: tuple[str, ...] = field(default=())


def _crud(app_model: str, *verbs: str) -> tuple[str, ...]:
    app_label, model = app_model.split(".")
    return tuple(f"{app_label}.{verb}_{model}" for verb in verbs)


SUPPORT = Role(
    name="Support",
    label=_("Support"),
    purpose=_("Answers users: finds them, grants Premium, refunds, sees their subscriptions and failed updates."),
    permissions=(
        *_crud("users.telegramuser", "view", "change"),
        *_crud("payments.payment", "view", "change"),  # change: refund
        *_crud("payments.subscription", "view", "change"),  # change: cancel or restore renewal
        *_crud("payments.plan", "view"),
        *_crud("payments.premiumnotice", "view"),
        *_crud("bot.telegramupdate", "view", "replay"),
        *_crud("horoscopes.natalchart", "view"),
        *_crud("horoscopes.pushdelivery", "view"),
        *_crud("horoscopes.personalhoroscope", "view"),
        *_crud("horoscopes.tarotreading", "view"),
        *_crud("support.supportrequest", "view", "change"),  # change: answer and close
        *_crud("support.supportmessage", "view"),
    ),
)

CONTENT = Role(
    name="Content",
    label=_("Content"),
    purpose=_("Looks after what the bot says: horoscope texts, prompts and tarot cards; sees readings and costs."),
    permissions=(
        *_crud("horoscopes.dailyhoroscope", "view", "change"),  # change also allows writing a text again
        *_crud("horoscopes.personalhoroscope", "view", "change"),
        *_crud("horoscopes.prompt", "view", "add", "change"),  # saving a prompt adds a version
        *_crud("horoscopes.tarotcard", "view", "change"),
        *_crud("horoscopes.tarotreading", "view"),
        *_crud("horoscopes.generationlog", "view"),
        *_crud("horoscopes.pushdelivery", "view"),
    ),
)

# Marketing reads numbers, not people: no user records (names, birth moments and places are on them).
MARKETING = Role(
    name="Marketing",
    label=_("Marketing"),
    purpose=_("Reads the business: the dashboard, plans, payments and subscriptions; no personal data."),
    permissions=(
        *_crud("payments.plan", "view"),
        *_crud("payments.payment", "view"),
        *_crud("payments.subscription", "view"),
        *_crud("horoscopes.pushdelivery", "view"),
        "staff.view_dashboard",
        "staff.refresh_dashboard",  # only queues an idempotent recompute
        *_crud("broadcasts.broadcast", "view", "add", "change", "delete"),  # delete: drafts only
        *_crud("broadcasts.broadcastvariant", "view", "add", "change", "delete"),
        "broadcasts.send_broadcast",
    ),
)

OWNER = Role(
    name="Owner",
    label=_("Owner"),
    purpose=_("Runs the business: every permission, staff accounts and the audit log; not the task queue."),
    everything=True,
)

ROLES: tuple[Role, ...] = (SUPPORT, CONTENT, MARKETING, OWNER)


def role_label(name: str) -> str:
    """The translated label of a role's group name; other groups keep their own name."""
    for role in ROLES:
        if role.name == name:
            return str(role.label)
    return name
