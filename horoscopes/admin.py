# Admin classes live in one module per feature; importing the module registers them.
# Tarot (deck, readings, daily counts): horoscopes/tarot_admin.py.
# Daily horoscopes, personal horoscopes, prompts, the generation log, push deliveries: horoscopes/daily_admin.py.
# Natal charts: horoscopes/natal_admin.py.
from horoscopes import (
    daily_admin,  # noqa: F401
    natal_admin,  # noqa: F401
    tarot_admin,  # noqa: F401
)
