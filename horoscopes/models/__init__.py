"""Models of the horoscopes app, one module per feature (daily texts and prompts, natal charts, tarot)."""

from horoscopes.models.daily import *  # noqa: F403
from horoscopes.models.natal import *  # noqa: F403
from horoscopes.models.tarot import *  # noqa: F403
