# One admin module per room; importing it registers its models.
from horoscopes.daily import admin as daily_admin  # noqa: F401
from horoscopes.natal import admin as natal_admin  # noqa: F401
from horoscopes.tarot import admin as tarot_admin  # noqa: F401
