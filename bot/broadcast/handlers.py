"""The button under a broadcast: count the press once, then open what it stands for."""

from asgiref.sync import sync_to_async
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.broadcast import texts
from bot.broadcast.keyboards import PREFIX
from bot.context import BotContext
from bot.ui import callback_data
from broadcasts.services import broadcast_click


async def broadcast_button_callback(update: Update, context: BotContext) -> None:
    """A broadcast's action button (bc:<broadcast id>): a tracked press, then the action's own screen."""
    query = update.callback_query
    values = callback_data.parse(query.data)[1]
    if not values or not values[0].isdigit() or update.effective_user is None:
        await query.answer()
        return
    click = await sync_to_async(broadcast_click)(broadcast_id=int(values[0]), telegram_id=update.effective_user.id)
    handler = context.routes.menu.get(click.action) if click.action else None
    if handler is None or query.message is None or context.db_user is None:
        await query.answer(str(texts.GONE))
        return
    await query.answer()
    await handler(update, context)


def register(application: Application) -> None:
    """The broadcast button."""
    application.add_handler(CallbackQueryHandler(broadcast_button_callback, pattern=callback_data.pattern(PREFIX)))
