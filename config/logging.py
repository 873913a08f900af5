"""Log lines: JSON in production (UTC time), each tagged with the unit of work it belongs to.

One formatter serves Django, gunicorn (`gunicorn.conf.py`), uvicorn and django-q2, so every line a process
prints has the same shape. The unit of work (an HTTP request, a Telegram update, a queued task) lives in a
contextvar: `log_bind` adds fields for the current request, task or update, and every line logged inside
carries them (`request_id`, `update_id`, `task_id`).
"""

import contextlib
import logging
import logging.config
import re
import sys
import time
import uuid
from collections.abc import Mapping
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Literal

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

_context: ContextVar[Mapping[str, object]] = ContextVar("astrobot_log_context", default=MappingProxyType({}))
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
# uvicorn's access line: client address, method, path, HTTP version, status.
_ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


def log_bind(**fields: object) -> Token:
    """Tag every line logged from here on (in this context) with these fields; undo with `log_reset`."""
    return _context.set(MappingProxyType({**_context.get(), **fields}))


def log_reset(token: Token) -> None:
    """Forget the fields bound by the `log_bind` that returned this token."""
    _context.reset(token)


def log_context() -> Mapping[str, object]:
    """The fields of the current unit of work."""
    return _context.get()


def request_id_from(header: bytes | None) -> str:
    """The caller's X-Request-ID when it is a sane token (PaaS routers set one), otherwise a new id."""
    if header:
        value = header.decode("latin-1")
        if _REQUEST_ID.match(value):
            return value
    return uuid.uuid4().hex


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the unit of work's ids."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.pop("color_message", None)  # uvicorn's copy of the message with terminal colours
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            log_data.update(zip(_ACCESS_FIELDS, record.args, strict=True))
        for key, value in _context.get().items():
            log_data.setdefault(key, value)


class TextFormatter(logging.Formatter):
    """Development lines: time (UTC), level, logger, message, then the unit of work's ids."""

    converter = time.gmtime  # type: ignore[assignment]  # the stubs want the one-argument form; gmtime is that
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def __init__(
        self, fmt: str | None = None, datefmt: str | None = None, style: Literal["%", "{", "$"] = "%", **kwargs: Any
    ) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt, style, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = _context.get()
        if not context:
            return line
        tags = " ".join(f"{key}={value}" for key, value in context.items())
        first, newline, rest = line.partition("\n")
        return f"{first} [{tags}]{newline}{rest}"


FORMATTERS = {"json": {"()": JsonFormatter}, "text": {"()": TextFormatter}}


def configure(config: dict) -> None:
    """Django's LOGGING_CONFIG: apply LOGGING, route warnings through logging, report configuration typos."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)
    from django.conf import settings

    for message in getattr(settings, "CONFIG_WARNINGS", ()):
        logging.getLogger("config.environment").warning(message)


def gunicorn_logging(*, log_format: str, level: str) -> dict:
    """gunicorn's logconfig_dict: its own lines and uvicorn's (the worker reuses these handlers) as ours."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": FORMATTERS,
        "handlers": {
            "error": {"class": "logging.StreamHandler", "formatter": log_format, "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": log_format, "stream": "ext://sys.stdout"},
        },
        "root": {"handlers": ["error"], "level": level},
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


# --- The task worker -------------------------------------------------------------------------------------
_task_tokens: list[Token] = []
_in_cluster = False


def _task_started(sender: object, func: object, task: dict, **kwargs: object) -> None:
    _task_tokens.append(log_bind(task_id=task.get("id"), task_name=task.get("name")))
    if _in_cluster:
        from django.conf import settings
        from django.utils import translation

        translation.activate(settings.LANGUAGE_CODE)


def _task_finished(sender: object, func: object, task: dict, **kwargs: object) -> None:
    if _in_cluster:
        from django.utils import translation

        translation.activate("en")
    if _task_tokens:
        with contextlib.suppress(ValueError):  # bound in another context (not in the worker's one thread)
            log_reset(_task_tokens.pop())


def task_logging_connect(argv: list[str] | None = None) -> None:
    """Tag each task's lines with its id; in the cluster (`worker`, `qcluster`), django-q2's messages in English.

    django-q2 translates its log messages with the active language (LANGUAGE_CODE, Russian, by default).
    The cluster's processes are forked from the one that runs this, so activating English here covers the
    sentinel, pusher, monitor and workers; each task still runs in LANGUAGE_CODE, as it always did.
    """
    global _in_cluster
    from django.conf import settings
    from django_q.signals import post_execute_in_worker, pre_execute

    pre_execute.connect(_task_started, dispatch_uid="config.logging.task_started")
    post_execute_in_worker.connect(_task_finished, dispatch_uid="config.logging.task_finished")
    argv = sys.argv if argv is None else argv
    if len(argv) > 1 and argv[1] in settings.CLUSTER_COMMANDS:
        from django.utils import translation

        _in_cluster = True
        translation.activate("en")
