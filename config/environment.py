"""Reading settings from the environment: strict values that name the variable, and typo warnings."""

import difflib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_NAME = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
# Read by the processes around Django (gunicorn.conf.py, the Procfile, Sentry's SDK, django-q2), not settings.py.
_READ_ELSEWHERE = {"DJANGO_SETTINGS_MODULE", "ENV_FILE", "PORT", "WEB_CONCURRENCY", "SENTRY_RELEASE", "Q_CLUSTER_NAME"}
# How close an unknown name must be to a known one to be taken for a typo of it (difflib's ratio).
_TYPO_CUTOFF = 0.85


class Env(environ.Env):
    """django-environ that remembers what was read, and whose errors name the variable and its value."""

    def __init__(self, **scheme: object) -> None:
        super().__init__(**scheme)
        self.read: set[str] = set()

    def get_value(self, var: str, cast: object = None, default: object = environ.Env.NOTSET, parse_default=False):
        self.read.add(var)
        if cast is bool and var in self.ENVIRON:
            return _boolean(var, self.ENVIRON[var])
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"{var} must be {_describe(cast)}, got {self.ENVIRON.get(var, '')!r} ({exc})"
            ) from None


def _describe(cast: object) -> str:
    if isinstance(cast, list | tuple) and cast:
        return f"a comma-separated list of {_describe(cast[0]).removeprefix('an ').removeprefix('a ')}s"
    return {int: "an integer", float: "a number", json.loads: "JSON", list: "a comma-separated list"}.get(
        cast, "a valid value"
    )


def _boolean(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0/true/false), got {raw!r}")


def documented_names(example: Path) -> set[str]:
    """Every variable .env.example mentions, set or commented out."""
    try:
        return set(_NAME.findall(example.read_text(encoding="utf-8")))
    except OSError:
        return set()


def typo_warnings(*, known: set[str], environment: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each variable that is not ours but looks like a misspelling of one of ours."""
    environment = os.environ if environment is None else environment
    known = known | _READ_ELSEWHERE
    warnings = []
    for name in sorted(environment):
        if name in known:
            continue
        upper = name.upper()
        close = [upper] if upper in known else difflib.get_close_matches(upper, known, n=1, cutoff=_TYPO_CUTOFF)
        if close:
            warnings.append(
                f"{name} is set but is not a setting Astrobot reads; did you mean {close[0]}? It is ignored."
            )
    return warnings
