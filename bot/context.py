"""The callback context our handlers receive: PTB's, plus the user the update came from and the routes."""

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from users.models import TelegramUser

if TYPE_CHECKING:
    from bot.routing import Routes

ROUTES_KEY = "routes"


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """Carries the database user loaded once per update by the first handler group."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.db_user: TelegramUser | None = None

    @property
    def user(self) -> TelegramUser:
        """The user the update came from; handlers only run for updates that have one (bot.common.user_load)."""
        if self.db_user is None:
            raise LookupError("No user was loaded for this update")
        return self.db_user

    @property
    def language(self) -> str:
        """The language to answer in."""
        return self.db_user.language if self.db_user else "ru"

    @property
    def routes(self) -> "Routes":
        """The menu, conversation states and continuations, as bot.application lists them."""
        return self.application.bot_data[ROUTES_KEY]
