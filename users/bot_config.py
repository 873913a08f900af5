"""Bot settings staff change in the admin (django-constance): read in one query, kept in each process.

Reading them on every update must cost nothing: the values are cached in the process for
BOT_CONFIG_CACHE_SECONDS and dropped at once in the process that saves them (constance's signal), so
other processes see a change within that time, without a restart.
"""

import asyncio
import threading
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from constance import settings as constance_settings
from constance.signals import config_updated
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


@dataclass(frozen=True)
class BotConfig:
    """The current value of every setting in CONSTANCE_CONFIG."""

    tarot_free_daily_readings: int
    tarot_premium_daily_readings: int
    llm_user_daily_limit: int
    tarot_enabled: bool
    natal_enabled: bool
    payments_enabled: bool
    maintenance: bool
    maintenance_message: str
    support_contact: str
    support_hourly_limit: int


# Admin settings whose default is a Django setting of another name.
_ENVIRONMENT = {"SUPPORT_CONTACT": "BOT_SUPPORT_CONTACT"}
_lock = threading.Lock()
_cached: BotConfig | None = None
_expires = 0.0


def _load() -> BotConfig:
    from constance import config

    # Settings from the environment are the defaults (read now, so that overriding them works as before).
    defaults = {
        key: getattr(settings, _ENVIRONMENT.get(key, key), options[0])
        for key, options in constance_settings.CONFIG.items()
    }
    stored = config._backend.mget(list(defaults))  # one query for all of them
    values = {key: stored.get(key, default) for key, default in defaults.items()}
    return BotConfig(**{key.lower(): values[key] for key in defaults})


def bot_config() -> BotConfig:
    """The settings now (a database query at most once per BOT_CONFIG_CACHE_SECONDS per process)."""
    global _cached, _expires
    cached = _cached
    if cached is not None and (time.monotonic() < _expires or _in_event_loop()):
        # Async code refreshes through abot_config() at the start of each update; never query from its loop.
        return cached
    with _lock:
        if _cached is None or time.monotonic() >= _expires:
            _cached = _load()
            _expires = time.monotonic() + settings.BOT_CONFIG_CACHE_SECONDS
        return _cached


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def abot_config() -> BotConfig:
    """bot_config() for async code: no thread hop while the cached copy is fresh."""
    cached = _cached
    if cached is not None and time.monotonic() < _expires:
        return cached
    return await sync_to_async(bot_config)()


def bot_config_forget() -> None:
    """Drop this process's copy: the next read loads the settings again."""
    global _cached, _expires
    with _lock:
        _cached = None
        _expires = 0.0


@receiver(config_updated)
def _config_updated(sender: object, **kwargs: object) -> None:
    bot_config_forget()


@receiver(setting_changed)
def _setting_changed(sender: object, **kwargs: object) -> None:
    bot_config_forget()
