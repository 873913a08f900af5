"""Staff replay of failed updates through the same handlers, outside a webhook request."""

from asgiref.sync import sync_to_async
from telegram import Update

from bot.application import build_application
from bot.models import TelegramUpdate
from bot.services import update_finish, update_reclaim_failed


async def updates_replay(update_ids: list[int]) -> dict[int, str]:
    """Process failed updates again with a short-lived Application; the resulting status of each."""
    application = build_application()
    results: dict[int, str] = {}
    async with application:
        for update_id in update_ids:
            payload = await sync_to_async(update_reclaim_failed)(update_id=update_id)
            if payload is None:
                continue
            await application.process_update(Update.de_json(payload, application.bot))
            await sync_to_async(update_finish)(update_id=update_id)
            status = await TelegramUpdate.objects.filter(update_id=update_id).values_list("status", flat=True).afirst()
            results[update_id] = status or ""
    return results
