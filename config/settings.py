"""Astrobot settings: one file, every value from the environment (and `.env` when present)."""

import sys
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from unfold.contrib.constance.settings import UNFOLD_CONSTANCE_ADDITIONAL_FIELDS

from config.environment import Env, documented_names, typo_warnings

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Under pytest the suite runs on development defaults unless told otherwise.
TESTING = env.bool("TESTING", default="pytest" in sys.modules)

# Development may run on defaults; production refuses to start without its secrets instead of
# inventing a new random value on every restart (sessions and webhooks would silently break).
_DEV_SECRET_KEY = "django-insecure-astrobot-development-only-key-never-use-in-production"
_DEV_WEBHOOK_SECRET = "astrobot-dev-webhook-secret"


def _required(name: str, dev_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG or TESTING:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (see .env.example).")


SECRET_KEY = _required("SECRET_KEY", _DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG or TESTING else [])
if not ALLOWED_HOSTS and not (DEBUG or TESTING):
    # Otherwise the web process starts and then answers every request 400.
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off, e.g. ALLOWED_HOSTS=astrobot.example.com")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.constance",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "constance",
    "bot",
    "broadcasts",
    "users",
    "horoscopes",
    "payments",
    "support",
    "staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.HealthProbeMiddleware",
    "config.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.zone.StaffTimeZoneMiddleware",
    "staff.security.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked-out username and address before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

# --- Database -------------------------------------------------------------------------------------
# SQLite by default (WAL, immediate write transactions, a busy timeout); DATABASE_URL switches to
# PostgreSQL with psycopg's pool. CONN_MAX_AGE stays 0: under ASGI persistent connections leak.
# The task cluster (`worker`, `qcluster`) forks: a pool must never cross a fork() (the children would share
# its sockets), and each of its processes does one thing at a time, so there every process keeps one plain
# connection instead (opening one per broker poll cost 13 ms, four times a second; README, "Deploying").
CLUSTER_COMMANDS = ("worker", "qcluster")
_CLUSTER_PROCESS = len(sys.argv) > 1 and sys.argv[1] in CLUSTER_COMMANDS
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    _db = env.db_url_config(DATABASE_URL)
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env.str("SQLITE_PATH", default="") or str(BASE_DIR / "db.sqlite3"),
    }

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] in {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}:
    _db["ENGINE"] = "django.db.backends.postgresql"
    if env.bool("DB_POOL", default=True) and not _CLUSTER_PROCESS:
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=8),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        }
_db["CONN_MAX_AGE"] = 0
if _CLUSTER_PROCESS:
    # django-q2 closes connections before it forks and checks them before each task and poll.
    _db["CONN_MAX_AGE"] = 600
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
IS_SQLITE = _db["ENGINE"] == "django.db.backends.sqlite3"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages --------------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Moscow"
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default="") or str(BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# WhiteNoise hands Django file iterators; under ASGI Django warns on each one. Static files are only
# the admin's, so reading them synchronously is fine.
warnings.filterwarnings("ignore", "StreamingHttpResponse must consume synchronous iterators", Warning)

# --- Staff panel (django-unfold) ----------------------------------------------------------------------
UNFOLD = {
    "SITE_TITLE": "Astrobot",
    "SITE_HEADER": "Astrobot",
    "SITE_SYMBOL": "auto_awesome",
    # The bot has no public site; the panel is the only page.
    "SITE_URL": None,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": True,
    "LOGIN": {"form": "staff.forms.StaffLoginForm"},
    "ACCOUNT": {"navigation": "staff.navigation.account_links"},
    "DASHBOARD_CALLBACK": "staff.dashboard.dashboard_callback",
    # Times in the staff member's own zone (the browser reports it), UTC on hover.
    "SCRIPTS": ["staff.zone.zone_script"],
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "staff.navigation.navigation",
    },
}

# --- Staff sign-in (README, "Staff panel") -------------------------------------------------------------
# After this many wrong passwords for one username from one address, that pair is locked out for
# STAFF_LOCKOUT_MINUTES (failures older than that are forgotten). A right password resets the count.
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STAFF_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "staff.security.lockout_response"
# The client's address: the peer's, or behind N proxies the N-th from the right of X-Forwarded-For (the entry
# our outermost proxy wrote; whatever the client put further left proves nothing).
STAFF_PROXY_COUNT = env.int("STAFF_PROXY_COUNT", default=env.int("PAYMENTS_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "staff.security.client_ip"
AXES_VERBOSE = False
# Staff see their authenticator devices listed, never the secret key or its QR code after set-up.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A staff session ends after this many minutes without a request (each request extends it), and in any case
# when the browser closes.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=60)
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A second factor (TOTP, any authenticator app): staff set it up from the account menu; once set up, the
# login asks for the code. On: every staff account must set one up before it can use the panel.
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = env.str("STAFF_OTP_ISSUER", default="Astrobot")

# --- Security (production) ----------------------------------------------------------------------
# PaaS routers terminate TLS and forward the scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^health(/live)?/?$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# A Telegram update is a few kilobytes; anything near this is not from Telegram.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
TELEGRAM_WEBHOOK_MAX_BODY = env.int("TELEGRAM_WEBHOOK_MAX_BODY", default=1024 * 1024)

# --- Telegram ---------------------------------------------------------------------------------------
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_WEBHOOK_SECRET = _required("TELEGRAM_WEBHOOK_SECRET", _DEV_WEBHOOK_SECRET)
TELEGRAM_API_BASE_URL = env.str("TELEGRAM_API_BASE_URL", default="https://api.telegram.org/bot")
TELEGRAM_API_FILE_URL = env.str("TELEGRAM_API_FILE_URL", default="") or TELEGRAM_API_BASE_URL.replace(
    "/bot", "/file/bot", 1
)
TELEGRAM_WEBHOOK_MAX_CONNECTIONS = env.int("TELEGRAM_WEBHOOK_MAX_CONNECTIONS", default=40)
TELEGRAM_CLAIM_KEEP_DAYS = env.int("TELEGRAM_CLAIM_KEEP_DAYS", default=7)
PUBLIC_URL = env.str("PUBLIC_URL", default="")
BOT_SUPPORT_CONTACT = env.str("BOT_SUPPORT_CONTACT", default="")
# Sending from the worker (bot/sender.py): messages per second for the whole bot (Telegram allows about
# 30), and seconds between two messages to one chat (Telegram: about one a second).
TELEGRAM_SEND_RATE = env.float("TELEGRAM_SEND_RATE", default=30.0)
TELEGRAM_SEND_CHAT_INTERVAL = env.float("TELEGRAM_SEND_CHAT_INTERVAL", default=1.0)
# Messages per second with allow_paid_broadcast (Telegram allows up to 1000, for Stars).
TELEGRAM_PAID_BROADCAST_RATE = env.float("TELEGRAM_PAID_BROADCAST_RATE", default=1000.0)
# Seconds to wait for Telegram's answer to one send. A daily push left unanswered is "uncertain", never resent.
TELEGRAM_SEND_READ_TIMEOUT = env.float("TELEGRAM_SEND_READ_TIMEOUT", default=20.0)

# --- Updates held and abuse kept out (bot/processing.py, bot/throttle.py, README "Abuse limits") ----------
# A worker processing an update holds a lease on its claim, renewed every quarter of this many seconds; a
# redelivery meanwhile is answered 503 (Telegram tries again), and once the lease lapses it is taken over.
TELEGRAM_CLAIM_LEASE_SECONDS = env.int("TELEGRAM_CLAIM_LEASE_SECONDS", default=20)
# At most this many updates (messages, edits, button presses) per user within the window, in seconds; the
# first one over gets a polite answer, the rest are skipped. Payments are never limited. 0 turns it off.
TELEGRAM_USER_RATE_LIMIT = env.int("TELEGRAM_USER_RATE_LIMIT", default=20)
TELEGRAM_USER_RATE_WINDOW = env.int("TELEGRAM_USER_RATE_WINDOW", default=10)
# A reply Telegram refuses with 429 is sent again after retry_after, this many times, if the wait is short.
TELEGRAM_REPLY_RETRIES = env.int("TELEGRAM_REPLY_RETRIES", default=2)
TELEGRAM_REPLY_MAX_WAIT = env.float("TELEGRAM_REPLY_MAX_WAIT", default=10.0)
# LLM texts per user and in total per day (Moscow/TIME_ZONE day) and the estimated daily spend in USD; past
# any of them texts come from the offline writer until the next day. 0 means no limit.
LLM_USER_DAILY_LIMIT = env.int("LLM_USER_DAILY_LIMIT", default=30)
LLM_DAILY_LIMIT = env.int("LLM_DAILY_LIMIT", default=10000)
LLM_DAILY_BUDGET_USD = env.float("LLM_DAILY_BUDGET_USD", default=0.0)
# YooKassa notifications accepted per sender address and in total per minute (then 429; YooKassa retries).
YOOKASSA_NOTIFY_PER_ADDRESS = env.int("YOOKASSA_NOTIFY_PER_ADDRESS", default=30)
YOOKASSA_NOTIFY_TOTAL = env.int("YOOKASSA_NOTIFY_TOTAL", default=120)

# --- LLM (optional) ---------------------------------------------------------------------------------
LLM_BASE_URL = env.str("LLM_BASE_URL", default="")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT = env.float("LLM_TIMEOUT", default=30.0)
# Attempts after the first one (timeouts, 5xx, 429, unusable answers), with backoff, all within LLM_DEADLINE
# seconds per text; then the offline writer takes over. After LLM_BREAKER_FAILURES failed calls in a row
# (within LLM_BREAKER_SECONDS) the LLM is not tried for that long: texts come from the offline writer.
LLM_MAX_RETRIES = env.int("LLM_MAX_RETRIES", default=2)
LLM_DEADLINE = env.float("LLM_DEADLINE", default=90.0)
LLM_TEMPERATURE = env.float("LLM_TEMPERATURE", default=0.8)
LLM_BREAKER_FAILURES = env.int("LLM_BREAKER_FAILURES", default=3)
LLM_BREAKER_SECONDS = env.int("LLM_BREAKER_SECONDS", default=300)
# "schema" asks for JSON by schema (OpenAI, OpenRouter, most local servers); "object" for JSON mode only;
# "off" when the endpoint supports neither (the prompt still asks for JSON).
LLM_JSON_MODE = env.str("LLM_JSON_MODE", default="schema")
# Estimated cost per model, USD per million tokens [input, output]. LLM_PRICES (JSON) adds or overrides,
# e.g. LLM_PRICES={"my-model": [0.2, 0.6]}. A model without a price is logged with an empty cost.
LLM_PRICES = {
    "gpt-4o-mini": [0.15, 0.60],
    "gpt-4o": [2.50, 10.00],
    "gpt-4.1": [2.00, 8.00],
    "gpt-4.1-mini": [0.40, 1.60],
    "gpt-4.1-nano": [0.10, 0.40],
    "gpt-5": [1.25, 10.00],
    "gpt-5-mini": [0.25, 2.00],
    "gpt-5-nano": [0.05, 0.40],
    **env.json("LLM_PRICES", default={}),
}

# --- Horoscopes and the daily push ------------------------------------------------------------------
# The reference offset group of the general daily texts: always written, read when a zone is unknown.
HOROSCOPE_SKY_TZ = env.str("HOROSCOPE_SKY_TZ", default="Europe/Moscow")
# One push run sends for at most this many seconds (below the task timeout of 120 s); the next
# minute's run continues where it stopped.
PUSH_RUN_SECONDS = env.int("PUSH_RUN_SECONDS", default=100)
# A broadcast run sends for at most this long, then the next minute's run goes on (tasks must end before timeout).
BROADCAST_RUN_SECONDS = env.int("BROADCAST_RUN_SECONDS", default=100)
# Premium users' personal horoscopes are written this many minutes before their push time.
PUSH_PREPARE_MINUTES = env.int("PUSH_PREPARE_MINUTES", default=60)
# Retention, enforced by daily prune schedules (bot/schedules.py) so that tables stay bounded: push records,
# the generation log, and the task cluster's results (failures; successes are also capped by save_limit).
PUSH_DELIVERIES_KEEP_DAYS = env.int("PUSH_DELIVERIES_KEEP_DAYS", default=30)
GENERATIONS_KEEP_DAYS = env.int("GENERATIONS_KEEP_DAYS", default=90)
TASK_RESULTS_KEEP_DAYS = env.int("TASK_RESULTS_KEEP_DAYS", default=14)

# --- Payments: Telegram Stars (default), YooKassa (optional) ----------------------------------------
PAYMENTS_STARS_ENABLED = env.bool("PAYMENTS_STARS_ENABLED", default=True)
# A pending Stars invoice older than this is closed: paying it later is refused with a pointer to /premium.
PAYMENTS_INVOICE_TTL_HOURS = env.int("PAYMENTS_INVOICE_TTL_HOURS", default=48)
# Premium reminders, in days before the end (each sent once per end date).
PAYMENTS_REMINDER_DAYS = tuple(env.list("PAYMENTS_REMINDER_DAYS", cast=int, default=[3, 1]))
# Telegram chat id that gets reconciliation differences (0: logs and Sentry only).
PAYMENTS_STAFF_CHAT_ID = env.int("PAYMENTS_STAFF_CHAT_ID", default=0)
# Seconds to wait for Telegram's answer to a Stars refund or subscription call; past it the refund is
# "pending" and the background check asks again.
PAYMENTS_TELEGRAM_TIMEOUT = env.float("PAYMENTS_TELEGRAM_TIMEOUT", default=10.0)
# A fake card provider for the local console and demos; never in production.
PAYMENTS_FAKE_PROVIDER = env.bool("PAYMENTS_FAKE_PROVIDER", default=False) and (DEBUG or TESTING)
YOOKASSA_SHOP_ID = env.str("YOOKASSA_SHOP_ID", default="")
YOOKASSA_SECRET_KEY = env.str("YOOKASSA_SECRET_KEY", default="")
YOOKASSA_API_URL = env.str("YOOKASSA_API_URL", default="https://api.yookassa.ru/v3")
YOOKASSA_TIMEOUT = env.float("YOOKASSA_TIMEOUT", default=15.0)
# Where the payment page sends the user back (default: the bot's t.me link).
YOOKASSA_RETURN_URL = env.str("YOOKASSA_RETURN_URL", default="")
# 54-FZ receipt: VAT code of the item (1: no VAT) and, when the shop has several, its tax system code.
YOOKASSA_VAT_CODE = env.int("YOOKASSA_VAT_CODE", default=1)
YOOKASSA_TAX_SYSTEM_CODE = env.int("YOOKASSA_TAX_SYSTEM_CODE", default=0)
# Notifications are only a hint (we re-fetch the payment); the sender's address is checked as well.
YOOKASSA_CHECK_IP = env.bool("YOOKASSA_CHECK_IP", default=True)
YOOKASSA_ALLOWED_IPS = env.list(
    "YOOKASSA_ALLOWED_IPS",
    default=[
        "185.71.76.0/27",
        "185.71.77.0/27",
        "77.75.153.0/25",
        "77.75.156.11/32",
        "77.75.156.35/32",
        "77.75.154.128/25",
        "2a02:5180::/32",
    ],
)
# Reverse proxies in front of the web process that append to X-Forwarded-For (0: use the peer address).
PAYMENTS_PROXY_COUNT = env.int("PAYMENTS_PROXY_COUNT", default=0)

# --- Tarot -------------------------------------------------------------------------------------------
# Keys the card of the day (empty: SECRET_KEY), so nobody can work out tomorrow's card from their own id.
TAROT_DAY_SECRET = env.str("TAROT_DAY_SECRET", default="")
# Readings (three cards, Celtic cross) per user's local day; the card of the day is always free.
TAROT_FREE_DAILY_READINGS = env.int("TAROT_FREE_DAILY_READINGS", default=1)
TAROT_PREMIUM_DAILY_READINGS = env.int("TAROT_PREMIUM_DAILY_READINGS", default=20)

# --- Support inbox -------------------------------------------------------------------------------------
# Messages a user may send to support per hour (staff can change it in Bot settings).
SUPPORT_HOURLY_LIMIT = env.int("SUPPORT_HOURLY_LIMIT", default=10)

# --- Bot settings staff change in the admin (django-constance, database backend) --------------------------
# The environment gives the defaults; a value saved in the admin wins. users/bot_config.py reads them all in
# one query and keeps them in each process for BOT_CONFIG_CACHE_SECONDS (the saving process drops its copy
# at once), so a change reaches every web and worker process within that time without a restart.
BOT_CONFIG_CACHE_SECONDS = env.float("BOT_CONFIG_CACHE_SECONDS", default=10.0)
CONSTANCE_BACKEND = "constance.backends.database.DatabaseBackend"
CONSTANCE_SUPERUSER_ONLY = False
CONSTANCE_IGNORE_ADMIN_VERSION_CHECK = True
CONSTANCE_ADDITIONAL_FIELDS = {**UNFOLD_CONSTANCE_ADDITIONAL_FIELDS}
CONSTANCE_CONFIG = {
    "TAROT_FREE_DAILY_READINGS": (
        TAROT_FREE_DAILY_READINGS,
        _("Tarot readings a day without Premium (the card of the day is always free)"),
        int,
    ),
    "TAROT_PREMIUM_DAILY_READINGS": (TAROT_PREMIUM_DAILY_READINGS, _("Tarot readings a day with Premium"), int),
    "LLM_USER_DAILY_LIMIT": (
        LLM_USER_DAILY_LIMIT,
        _("Texts the language model writes for one user a day (0: no limit)"),
        int,
    ),
    "TAROT_ENABLED": (True, _("Tarot is on"), bool),
    "NATAL_ENABLED": (True, _("The natal chart is on"), bool),
    "PAYMENTS_ENABLED": (True, _("Selling Premium is on (payments already made are always recorded)"), bool),
    "MAINTENANCE": (False, _("Maintenance: users get the maintenance notice instead of any feature"), bool),
    "MAINTENANCE_MESSAGE": ("", _("Extra words for the maintenance notice, shown as written"), str),
    "SUPPORT_CONTACT": (
        BOT_SUPPORT_CONTACT,
        _("Support contact shown besides /support (e.g. @name or an e-mail); empty: the inbox only"),
        str,
    ),
    "SUPPORT_HOURLY_LIMIT": (SUPPORT_HOURLY_LIMIT, _("Messages a user may send to support per hour"), int),
}
CONSTANCE_CONFIG_FIELDSETS = (
    (_("Free limits"), ("TAROT_FREE_DAILY_READINGS", "TAROT_PREMIUM_DAILY_READINGS", "LLM_USER_DAILY_LIMIT")),
    (_("Features"), ("TAROT_ENABLED", "NATAL_ENABLED", "PAYMENTS_ENABLED")),
    (_("Maintenance"), ("MAINTENANCE", "MAINTENANCE_MESSAGE")),
    (_("Support"), ("SUPPORT_CONTACT", "SUPPORT_HOURLY_LIMIT")),
)

# --- Task queue (django-q2 on the ORM broker) ---------------------------------------------------------
Q_CLUSTER = {
    "name": "astrobot",
    "orm": "default",
    # SQLite has one writer at a time: more workers only wait on each other's locks.
    "workers": env.int("Q_WORKERS", default=1 if IS_SQLITE else 2),
    "timeout": 120,
    # Must exceed timeout and the longest task, or a slow task is handed out twice.
    "retry": 180,
    "max_attempts": 3,
    # The default replays every missed slot after downtime, which would mean duplicate pushes.
    "catch_up": False,
    "save_limit": 500,
    "poll": 0.5,
    "ack_failures": True,
    "label": "Tasks",
    # Tests run tasks inline (in this django-q2 version sync mode re-raises task errors).
    "sync": env.bool("Q_SYNC", default=TESTING),
}
HEARTBEAT_STALE_AFTER = env.int("HEARTBEAT_STALE_AFTER", default=180)
# `manage.py worker` on SIGTERM/SIGINT: seconds running tasks may finish; the rest are stopped and handed out
# again after "retry". Keep it some 8 s below what the platform waits before SIGKILL (Heroku: 30 s).
Q_STOP_GRACE = env.float("Q_STOP_GRACE", default=20.0)

# --- Staff account bootstrap --------------------------------------------------------------------------
ADMIN_USERNAME = env.str("ADMIN_USERNAME", default="admin")
ADMIN_EMAIL = env.str("ADMIN_EMAIL", default="")
ADMIN_PASSWORD = env.str("ADMIN_PASSWORD", default="")

# --- Logging ----------------------------------------------------------------------------------------
# JSON in production: one object per line, UTC time, and the request, update or task id of the line's unit
# of work (config/logging.py; gunicorn.conf.py gives gunicorn's and uvicorn's lines the same shape).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
Q_LOG_LEVEL = env.str("Q_LOG_LEVEL", default="WARNING").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG or TESTING else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
for _name, _level in (("LOG_LEVEL", LOG_LEVEL), ("Q_LOG_LEVEL", Q_LOG_LEVEL)):
    if _level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ImproperlyConfigured(f"{_name} must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {_level!r}")
HEALTH_PATHS = {"/health", "/health/", "/health/live", "/health/live/"}


def _not_a_health_probe(record: object) -> bool:
    # /health reports its failures in its body; a 503 there is the answer, not an error of ours.
    request = getattr(record, "request", None)
    return getattr(request, "path", "") not in HEALTH_PATHS


LOGGING_CONFIG = "config.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"not_health": {"()": "django.utils.log.CallbackFilter", "callback": _not_a_health_probe}},
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "text": {"()": "config.logging.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # Axes reports every sign-in at INFO; failures and lockouts come as warnings.
        "axes": {"level": "WARNING"},
        # django-q2 logs as "django-q" (with a hyphen).
        "django-q": {"level": Q_LOG_LEVEL},
        "django.request": {"filters": ["not_health"]},
    },
}

# --- Sentry -----------------------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production" if not DEBUG else "development"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# --- Configuration checks -----------------------------------------------------------------------------
# Variables that look like a misspelt setting (TELEGRAM_BOT_TOKN) are logged as warnings at start-up.
CONFIG_WARNINGS = typo_warnings(known=env.read | documented_names(BASE_DIR / ".env.example"))
