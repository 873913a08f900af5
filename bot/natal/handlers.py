"""/natal and the "Natal chart" menu button: the wheel and summary at once, the interpretation after."""

import asyncio

from asgiref.sync import sync_to_async
from django.utils.translation import gettext_lazy as _
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.menu import texts as menu_texts
from bot.natal.tasks import natal_interpretation_enqueue
from bot.profile.flow import birth_data_request
from horoscopes.natal.services import natal_chart_get, natal_wheel_png, natal_wheel_remember
from horoscopes.writer import natal as natal_writer
from horoscopes.writer.uncertain import uncertain_of, wheel_caption
from payments.selectors import user_is_premium
from users.bot_config import abot_config
from users.selectors import user_birth_data_complete

RESUME_NATAL = "natal"
WHEEL_CAPTION = _("Your natal chart")
INTERPRETATION_COMING = _("✍️ I am writing the interpretation of your chart; it will arrive in a minute.")
PREMIUM_OFFER = _(
    "💎 The full chart (every planet by sign and house, the aspects) and its interpretation come with Premium: /premium"
)


async def natal_show(update: Update, context: BotContext) -> None:
    """Send the user's chart: the wheel and summary now; for Premium users the interpretation follows."""
    user = context.user
    message = update.effective_message
    if not (await abot_config()).natal_enabled:  # also when the profile questions hand over to the chart
        await message.reply_text(str(menu_texts.FEATURE_OFF))
        return
    if not user_birth_data_complete(user):
        await birth_data_request(update, context, resume=RESUME_NATAL)
        return
    chart = await sync_to_async(natal_chart_get)(user_id=user.pk)
    language = user.language
    file_id = chart.wheel_file_ids.get(language)
    caption = wheel_caption(str(WHEEL_CAPTION), uncertain_of(chart.data), language)
    if file_id:
        await message.reply_photo(file_id, caption=caption)
    else:
        png = await asyncio.to_thread(natal_wheel_png, user=user, language=language)
        sent = await message.reply_photo(png, caption=caption, filename="natal-chart.png")
        await sync_to_async(natal_wheel_remember)(chart_id=chart.pk, language=language, file_id=sent.photo[-1].file_id)
    premium = user_is_premium(user)
    await message.reply_text(natal_writer.chart_summary(chart.data, language, full=premium), parse_mode=ParseMode.HTML)
    if not premium:
        await message.reply_text(str(PREMIUM_OFFER))
        return
    interpretation = chart.interpretations.get(language)
    if interpretation:
        await message.reply_text(interpretation, parse_mode=ParseMode.HTML)
        return
    await message.reply_text(str(INTERPRETATION_COMING))
    await sync_to_async(natal_interpretation_enqueue)(chart_id=chart.pk, language=language)


def register(application: Application) -> None:
    """/natal, and resuming it once the profile flow has collected the birth data."""
    application.add_handler(CommandHandler("natal", natal_show, filters=routing.NEW_MESSAGE))
