"""LLM prompts: the defaults shipped with the code, seeding them, and the version in use.

Staff edit prompts in admin; every save adds a version (horoscopes.daily.services.prompt_save_version) and the
latest version of a key and language is the one in use. Templates use $placeholders (string.Template):
unknown ones are left as they are, so a typo in admin never breaks generation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from horoscopes.llm.models import Prompt
from horoscopes.natal.prompts import NATAL_PROMPTS
from horoscopes.tarot.prompts import TAROT_PROMPTS

DAILY = "daily"
PERSONAL = "personal"


@dataclass(frozen=True)
class PromptText:
    system: str
    template: str


_FORMAT_RU = (
    "Ответь JSON-объектом ровно с ключами overview, love, work, health, money, tip. overview — два предложения "
    "о главной теме дня; love (любовь и отношения), work (работа и дела), health (здоровье и энергия), money "
    "(деньги) — по 1–3 предложения; tip — один короткий конкретный совет на день. Только обычный текст: без "
    "Markdown, HTML, эмодзи и заголовков."
)
_FORMAT_EN = (
    "Answer with a JSON object with exactly the keys overview, love, work, health, money, tip. overview: two "
    "sentences on the day's main theme; love (love and relationships), work (work and tasks), health (health "
    "and energy), money: 1-3 sentences each; tip: one short, specific piece of advice for the day. Plain text "
    "only: no Markdown, HTML, emoji or headings."
)

DEFAULTS: dict[tuple[str, str], PromptText] = {
    (DAILY, "ru"): PromptText(
        system=(
            "Ты — опытный астролог и внимательный редактор. Ты пишешь ежедневный гороскоп для одного знака "
            "зодиака на русском языке.\n"
            "— Опирайся только на переданные факты о небе: они вычислены по эфемеридам на эту дату. Не придумывай "
            "положения планет, знаки, аспекты и события, которых нет в фактах. Где это уместно, назови один-два "
            "факта (например, в каком доме от знака Луна или какой аспект точен сегодня).\n"
            "— Пиши тепло, конкретно и по делу, обращайся к читателю на «вы». Без фатализма и запугивания, без "
            "обещаний и гарантий; никаких медицинских, юридических и финансовых рекомендаций сверх здравого "
            "смысла.\n"
            f"— {_FORMAT_RU}\n"
            "— Весь ответ — не длиннее 1200 символов."
        ),
        template=(
            "Знак: $sign\nДата: $date\n\nФакты о небе этого дня (вычислены по эфемеридам, время — $tz):\n$facts\n\n"
            "Напиши гороскоп для знака $sign на $date."
        ),
    ),
    (DAILY, "en"): PromptText(
        system=(
            "You are an experienced astrologer and a careful editor. You write the daily horoscope for one zodiac "
            "sign, in English.\n"
            "- Ground everything in the sky facts you are given: they were computed from an ephemeris for this "
            "date. Never invent planet positions, signs, aspects or events that are not in the facts. Where it "
            "fits, name one or two facts (for example which house from the sign the Moon is in, or which aspect "
            "is exact today).\n"
            '- Be warm, concrete and practical; address the reader as "you". No fatalism or fear, no promises '
            "or guarantees; no medical, legal or financial advice beyond common sense.\n"
            f"- {_FORMAT_EN}\n"
            "- Keep the whole answer under 1200 characters."
        ),
        template=(
            "Sign: $sign\nDate: $date\n\nSky facts for the day (computed from an ephemeris, times in $tz):\n$facts\n\n"
            "Write the horoscope for $sign for $date."
        ),
    ),
    (PERSONAL, "ru"): PromptText(
        system=(
            "Ты — опытный астролог. Ты пишешь персональный гороскоп на один день для одного человека на русском "
            "языке, по его натальной карте и транзитам дня.\n"
            "— Опирайся только на переданные факты: натальная карта и транзиты вычислены по эфемеридам. Не "
            "придумывай аспекты, дома и положения планет. Транзиты перечислены по важности: главное — первые. "
            "Назови один-два главных транзита своими словами.\n"
            "— Пиши тепло, лично и конкретно, обращайся на «вы». Без фатализма и запугивания, без обещаний и "
            "гарантий; никаких медицинских, юридических и финансовых рекомендаций сверх здравого смысла.\n"
            f"— {_FORMAT_RU}\n"
            "— Весь ответ — не длиннее 1500 символов."
        ),
        template=(
            "Дата: $date (часовой пояс $tz)\nНатальная карта: $natal\n\nТранзиты дня к натальной карте "
            "(самые важные — первые):\n$transits\n\nНебо этого дня:\n$facts\n\n"
            "Напиши персональный гороскоп на $date."
        ),
    ),
    (PERSONAL, "en"): PromptText(
        system=(
            "You are an experienced astrologer. You write a personal horoscope for one day for one person, in "
            "English, from their natal chart and the day's transits.\n"
            "- Ground everything in the facts you are given: the natal chart and the transits were computed from "
            "an ephemeris. Never invent aspects, houses or positions. The transits are listed by importance, the "
            "main ones first. Name one or two of the main transits in your own words.\n"
            '- Be warm, personal and concrete; address the reader as "you". No fatalism or fear, no promises '
            "or guarantees; no medical, legal or financial advice beyond common sense.\n"
            f"- {_FORMAT_EN}\n"
            "- Keep the whole answer under 1500 characters."
        ),
        template=(
            "Date: $date (time zone $tz)\nNatal chart: $natal\n\nTransits of the day to the natal chart (most "
            "important first):\n$transits\n\nSky of the day:\n$facts\n\nWrite the personal horoscope for $date."
        ),
    ),
}


# Tarot readings and natal charts: their texts live with their features (plain strings).
DEFAULTS.update({key: PromptText(system, template) for key, (system, template) in TAROT_PROMPTS.items()})
DEFAULTS.update({key: PromptText(system, template) for key, (system, template) in NATAL_PROMPTS.items()})


def prompts_seed(apps: Any = None, schema_editor: Any = None) -> int:
    """Store version 1 of every default prompt that has no version yet; idempotent. The number created.

    Usable as a data migration: `migrations.RunPython(prompts_seed, migrations.RunPython.noop)`.
    """
    model = apps.get_model("horoscopes", "Prompt") if apps is not None else Prompt
    created = 0
    for (key, language), text in DEFAULTS.items():
        if model.objects.filter(key=key, language=language).exists():
            continue
        model.objects.create(
            key=key, language=language, version=1, system=text.system, template=text.template, note="default"
        )
        created += 1
    return created


def prompt_required(key: str, language: str) -> Prompt:
    """The latest version of a prompt that has a built-in default."""
    prompt = prompt_active(key, language)
    if prompt is None:
        raise LookupError(f"No prompt {key!r} in {language!r}")
    return prompt


def prompt_active(key: str, language: str) -> Prompt | None:
    """The latest version of a prompt; a default is stored as version 1 on first use; None for unknown keys."""
    prompt = Prompt.objects.filter(key=key, language=language).order_by("-version").first()
    if prompt is not None:
        return prompt
    default = DEFAULTS.get((key, language))
    if default is None:
        return None
    try:
        with transaction.atomic():
            return Prompt.objects.create(
                key=key, language=language, version=1, system=default.system, template=default.template, note="default"
            )
    except IntegrityError:
        # Another worker stored it a moment ago.
        return Prompt.objects.filter(key=key, language=language).order_by("-version").first()
