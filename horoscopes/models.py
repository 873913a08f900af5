"""Models of the horoscopes app, one module per room (LLM prompts and log, daily texts, natal charts, tarot)."""

from horoscopes.daily.models import *  # noqa: F403
from horoscopes.llm.models import *  # noqa: F403
from horoscopes.natal.models import *  # noqa: F403
from horoscopes.tarot.models import *  # noqa: F403
