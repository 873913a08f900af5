#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Terminal tools that serve no requests: on a machine with no production configuration (neither DEBUG nor
# SECRET_KEY set in the environment or .env) they run on the embedded development defaults, as `dev.py run` does.
LOCAL_TOOLS = {"chat", "chart", "place", "check"}


def _development_defaults() -> None:
    from dev import _dotenv

    configured = {**_dotenv(dict(os.environ)), **os.environ}
    if "DEBUG" not in configured and "SECRET_KEY" not in configured:
        os.environ["DEBUG"] = "1"


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in LOCAL_TOOLS:
        _development_defaults()
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
