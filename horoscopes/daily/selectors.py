"""Reads of the daily-horoscope feature."""

from horoscopes.daily.models import SECTIONS, PersonalHoroscope, PushDelivery
from users.models import TelegramUser


def horoscopes_user_data_export(user: TelegramUser) -> tuple[str, dict]:
    """/my_data: the user's personal horoscopes and the record of their daily pushes."""
    personal = [
        {
            "date": item.date.isoformat(),
            "language": item.language,
            "status": item.status,
            "source": item.source,
            "sections": {name: getattr(item, name) for name in SECTIONS},
            "facts": item.facts,
        }
        for item in PersonalHoroscope.objects.filter(user=user).order_by("date")
    ]
    pushes = [
        {
            "local_date": row.local_date.isoformat(),
            "status": row.status,
            "personal": row.personal,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in PushDelivery.objects.filter(user=user).order_by("local_date")
    ]
    return "horoscopes", {"personal_horoscopes": personal, "daily_pushes": pushes}
